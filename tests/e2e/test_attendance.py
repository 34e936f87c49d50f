"""An attendee's journey after the workshop, in Chromium: check in, knowledge check, certificate."""

import re

from playwright.sync_api import expect

from certificates.models import Certificate
from cms.models import Partner
from demo.certificates import course_page_for
from tests.factories import attended_session, booked_with_link

from .conftest import assert_accessible, site_url


def test_check_in_knowledge_check_and_certificate_download(page, demo_site):
    partner = Partner.objects.get(name="Barking and Dagenham")
    course = course_page_for(partner)
    session = attended_session(partner, page=course)
    booking, token = booked_with_link(session, 1, name="Priya Shah", organisation="Longbridge Florist")
    questions = list(course.knowledge_check_questions.all())
    assert questions, "the demo course has a knowledge check"

    page.goto(site_url(demo_site, "localhost", f"/bookings/{token}/"))
    expect(page.get_by_role("heading", name="Check in to the session")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Check-in code").fill("WRONG2")
    page.get_by_role("button", name="Check in").click()
    expect(page).to_have_title(re.compile(r"^Error: Check in"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("That check-in code is not right")
    assert_accessible(page)

    page.get_by_label("Check-in code").fill(session.check_in_code.lower())
    page.get_by_role("button", name="Check in").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You are checked in")
    page.get_by_role("link", name="Start the knowledge check").click()
    expect(page.locator("h1")).to_have_text("Knowledge check")
    assert_accessible(page)

    page.get_by_role("button", name="Submit answers").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select an answer to question 1")
    assert_accessible(page)

    for number, question in enumerate(questions, start=1):
        group = page.get_by_role("group", name=f"{number}. {question.question}")
        group.get_by_label(question.correct_answer, exact=True).check()
    page.get_by_role("button", name="Submit answers").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You passed the knowledge check with 100%")
    expect(page.get_by_role("heading", name="You have completed the course")).to_be_visible()
    certificate = Certificate.objects.get(completion_key=f"booking:{booking.pk}")
    expect(page.get_by_text(certificate.display_code, exact=True)).to_be_visible()
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download your certificate (PDF)").click()
    assert download.value.suggested_filename == f"safe-haven-certificate-{certificate.display_code}.pdf"

    # The page links to the partner's canonical address; the live server runs on another port.
    verify_link = page.locator(".sh-attendance a[href*='/certificates/verify/']")
    assert verify_link.get_attribute("href").endswith(f"/certificates/verify/{certificate.display_code}/")
    page.goto(site_url(demo_site, "localhost", f"/certificates/verify/{certificate.display_code}/"))
    expect(page.locator(".govuk-panel__title")).to_have_text("This certificate is valid")
    expect(page.get_by_text("Longbridge Florist")).to_be_visible()
    assert "Priya" not in page.content()
    assert_accessible(page)
