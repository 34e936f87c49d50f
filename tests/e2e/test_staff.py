"""A coordinator signs in to the Wagtail admin and takes a register with the keyboard."""

import datetime

from django.utils import timezone

from bookings.services import book_place
from cms.models import Partner
from tests.factories import attendee, coordinator_of, session_for

from .conftest import assert_accessible, site_url


def test_coordinator_takes_a_register_with_the_keyboard(page, demo_site):
    partner = Partner.objects.get(name="Barking and Dagenham")
    user = coordinator_of(partner, username="coordinator", password="correct-horse-battery-staple")
    now = timezone.now()
    session = session_for(partner, starts_at=now + datetime.timedelta(days=1), capacity=5)
    first = book_place(session=session, attendee=attendee(1, name="Asha Patel", email="asha@example.org")).booking
    second = book_place(session=session, attendee=attendee(2, name="Ben Okoro", email="ben@example.org")).booking
    session.starts_at, session.ends_at = now - datetime.timedelta(minutes=30), now + datetime.timedelta(minutes=60)
    session.save(update_fields=["starts_at", "ends_at"])

    page.goto(site_url(demo_site, "localhost", "/admin/login/"))
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill("correct-horse-battery-staple")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Barking and Dagenham: Safe Haven programme" in page.content()

    page.goto(site_url(demo_site, "localhost", f"/admin/sessions/register/{session.pk}/"))
    assert page.locator("h1").first.inner_text().startswith("Attendance register")
    assert_accessible(page)
    assert page.get_by_text("0 attended, 0 absent, 2 not recorded.").is_visible()

    # Asha: reach her "Attended" radio, select it with Space, Tab to her note and type.
    page.get_by_role("group", name="Attendance of Asha Patel").get_by_label("Attended").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == f"note-{first.pk}"
    page.keyboard.type("Joined 20 minutes late")
    # Ben: into his radio group, then the arrow key moves to (and selects) "Absent".
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.id") == f"attended-{second.pk}-no"
    page.get_by_role("button", name="Save register").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("Register saved: 2 changes.").is_visible()
    assert page.get_by_text("1 attended, 1 absent, 0 not recorded.").is_visible()
    assert page.get_by_label("Note for Asha Patel", exact=False).input_value() == "Joined 20 minutes late"
    assert page.get_by_role("group", name="Attendance of Ben Okoro").get_by_label("Absent").is_checked()
    # Wagtail fades the message in; check contrast once the transition has finished.
    page.wait_for_function(
        "document.getAnimations().every(a => a.playState !== 'running' || a.animationName === 'ping-warning')"
    )
    assert_accessible(page)
    first.refresh_from_db()
    assert first.attended is True and first.attendance_note == "Joined 20 minutes late"


def test_register_shows_who_has_not_taken_or_not_passed_the_knowledge_check(page, demo_site):
    from bookings.attendance import mark_all_attended, submit_knowledge_check
    from courses.models import CoursePage

    partner = Partner.objects.get(name="Barking and Dagenham")
    user = coordinator_of(partner, username="checker", password="correct-horse-battery-staple")
    course = CoursePage.objects.descendant_of(partner.site.root_page).get(slug="safe-haven-training")
    questions = list(course.knowledge_check_questions.all())
    assert questions, "the demo course has a knowledge check"
    now = timezone.now()
    session = session_for(partner, page=course, starts_at=now + datetime.timedelta(days=1), capacity=5)
    book_place(session=session, attendee=attendee(1, name="Asha Patel", email="asha@example.org"))
    failed = book_place(session=session, attendee=attendee(2, name="Ben Okoro", email="ben@example.org")).booking
    session.starts_at, session.ends_at = now - datetime.timedelta(minutes=30), now + datetime.timedelta(minutes=60)
    session.save(update_fields=["starts_at", "ends_at"])
    mark_all_attended(session=session)
    wrong = {q.pk: (q.correct_option % 2) + 1 for q in questions}
    submit_knowledge_check(booking=failed, answers=wrong)

    page.goto(site_url(demo_site, "localhost", "/admin/login/"))
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill("correct-horse-battery-staple")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.goto(site_url(demo_site, "localhost", f"/admin/sessions/register/{session.pk}/"))
    assert "Attended – knowledge check not taken" in page.locator("tr", has_text="Asha Patel").inner_text()
    assert "Attended – knowledge check not passed" in page.locator("tr", has_text="Ben Okoro").inner_text()
    assert_accessible(page)
