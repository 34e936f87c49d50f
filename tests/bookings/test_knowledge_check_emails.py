"""Attendees of a course with a knowledge check are asked to take it once, and reminded once.

What is asserted is what the attendee gets: the emails in the outbox, their wording, and that
the link in them opens the knowledge check.
"""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db.models import F

from bookings.attendance import check_in, mark_all_attended, record_attendance, send_knowledge_check_nudges
from bookings.attendance import submit_knowledge_check as submit
from bookings.models import Booking
from cms.models import Partner
from tests.factories import PartnerFactory, add_knowledge_check, attended_session, booking_on, training_page_for

pytestmark = pytest.mark.django_db

INVITE = "Take the knowledge check to get your certificate: Safe Haven training (90 minutes)"
NUDGE = "Reminder: take the knowledge check for Safe Haven training (90 minutes)"


@pytest.fixture
def partner(db):
    return PartnerFactory(name="Checkford", host="checkford.localhost")


@pytest.fixture
def session(partner):
    session = attended_session(partner)
    add_knowledge_check(session.page)  # five questions, pass mark 80
    return session


def right_answers(session):
    return {q.pk: q.correct_option for q in session.page.specific.knowledge_check_questions.all()}


def wrong_answers(session):
    return dict.fromkeys(right_answers(session), 2)


def subjects(booking=None):
    return [m.subject for m in mail.outbox if booking is None or m.to == [booking.email]]


def marked(booking, *, on_commit, now=None, attended=True):
    with on_commit(execute=True):
        record_attendance(booking=booking, attended=attended, now=now)


def test_marked_attended_the_attendee_is_asked_once_with_a_link_that_opens_the_check(
    client, session, django_capture_on_commit_callbacks
):
    booking = booking_on(session, 1)
    mail.outbox.clear()
    marked(booking, on_commit=django_capture_on_commit_callbacks)

    assert subjects() == [INVITE]
    message = mail.outbox[0]
    assert message.to == [booking.email]
    assert "Thank you for attending Safe Haven training (90 minutes) on" in message.body
    assert "answer 5 short questions about what the workshop covered. You need 80% to pass" in message.body
    assert "Manage your booking (change date or cancel)" not in message.body  # attended: nothing to change
    assert "Your booking page, with your training record: http://checkford.localhost/bookings/" in message.body
    assert not message.attachments  # no calendar invite for a session that has happened
    html = message.alternatives[0].content
    assert ">Take the knowledge check</strong></a>" in html

    url = re.search(r"Take the knowledge check: (\S+)", message.body).group(1)
    page = client.get(url.removeprefix("http://checkford.localhost"), HTTP_HOST="checkford.localhost")
    assert page.status_code == 200
    assert '<h1 class="govuk-heading-xl">Knowledge check</h1>' in page.text
    assert "Question 1?" in page.text


def test_saving_again_mark_all_check_in_or_marking_absent_and_back_never_asks_twice(
    session, django_capture_on_commit_callbacks
):
    booking = booking_on(session, 1)
    mail.outbox.clear()
    marked(booking, on_commit=django_capture_on_commit_callbacks)
    marked(booking, on_commit=django_capture_on_commit_callbacks)
    marked(booking, on_commit=django_capture_on_commit_callbacks, attended=False)
    marked(booking, on_commit=django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        mark_all_attended(session=session)
        check_in(booking=booking, code=session.check_in_code)
    assert subjects() == [INVITE]


def test_self_check_in_asks_too_and_absent_or_no_check_asks_nothing(
    partner, session, django_capture_on_commit_callbacks
):
    checked_in, absent = booking_on(session, 1), booking_on(session, 2)
    plain = attended_session(partner, page=training_page_for(partner, slug="plain", title="Plain course"))
    no_check = booking_on(plain, 3)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        check_in(booking=checked_in, code=session.check_in_code)
        record_attendance(booking=absent, attended=False)
        record_attendance(booking=no_check, attended=True)
    assert subjects(checked_in) == [INVITE]
    assert subjects(absent) == []
    # Without a check, attendance completes the course: the certificate email, not a check.
    assert all("knowledge check" not in s.lower() for s in subjects(no_check))


def test_one_reminder_after_the_partners_number_of_days_if_not_passed(
    partner, session, django_capture_on_commit_callbacks
):
    Partner.objects.filter(pk=partner.pk).update(knowledge_check_nudge_days=3)
    untaken, failed, passed = booking_on(session, 1), booking_on(session, 2), booking_on(session, 3)
    asked = session.starts_at + timedelta(hours=1)
    for booking in (untaken, failed, passed):
        marked(booking, on_commit=django_capture_on_commit_callbacks, now=asked)
    submit(booking=failed, answers=wrong_answers(session), now=asked + timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        submit(booking=passed, answers=right_answers(session), now=asked + timedelta(days=1))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert send_knowledge_check_nudges(now=asked + timedelta(days=3) - timedelta(minutes=1)) == 0
        assert send_knowledge_check_nudges(now=asked + timedelta(days=3)) == 2
        assert send_knowledge_check_nudges(now=asked + timedelta(days=10)) == 0

    assert subjects(untaken) == [NUDGE]
    assert subjects(failed) == [NUDGE]
    assert subjects(passed) == []
    (to_untaken,) = [m for m in mail.outbox if m.to == [untaken.email]]
    (to_failed,) = [m for m in mail.outbox if m.to == [failed.email]]
    assert "you have not passed its knowledge check yet" in to_untaken.body
    assert "There are 5 short questions about what the workshop covered, and you need 80% to pass." in to_untaken.body
    assert "You can try again as many times as you need." in to_failed.body
    assert "Take the knowledge check: http://checkford.localhost/bookings/" in to_failed.body


def test_each_partner_sets_its_own_days_and_zero_sends_no_reminder(session, django_capture_on_commit_callbacks):
    other = PartnerFactory(name="Nudgeless", host="nudgeless.localhost")
    Partner.objects.filter(pk=other.pk).update(knowledge_check_nudge_days=0)
    Partner.objects.filter(pk=session.partner_id).update(knowledge_check_nudge_days=7)
    other_session = attended_session(other)
    add_knowledge_check(other_session.page)
    here, there = booking_on(session, 1), booking_on(other_session, 2)
    asked = session.starts_at + timedelta(hours=1)
    marked(here, on_commit=django_capture_on_commit_callbacks, now=asked)
    marked(there, on_commit=django_capture_on_commit_callbacks, now=asked)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_knowledge_check_nudges(now=asked + timedelta(days=6)) == 0
        assert send_knowledge_check_nudges(now=asked + timedelta(days=30)) == 1
    assert subjects(here) == [NUDGE]
    assert subjects(there) == []


def test_marked_absent_after_the_first_email_gets_no_reminder(session, django_capture_on_commit_callbacks):
    booking = booking_on(session, 1)
    asked = session.starts_at + timedelta(hours=1)
    marked(booking, on_commit=django_capture_on_commit_callbacks, now=asked)
    marked(booking, on_commit=django_capture_on_commit_callbacks, now=asked, attended=False)
    assert send_knowledge_check_nudges(now=asked + timedelta(days=30)) == 0


def test_the_cron_command_sends_the_reminder_and_says_so(session, django_capture_on_commit_callbacks):
    booking = booking_on(session, 1)
    marked(booking, on_commit=django_capture_on_commit_callbacks)
    # The command reads the clock, as cron does: the first email went out ten days before it.
    Booking.objects.filter(pk=booking.pk).update(
        knowledge_check_invited_at=F("knowledge_check_invited_at") - timedelta(days=10)
    )
    mail.outbox.clear()
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=out)
    assert "and 1 knowledge-check reminder." in out.getvalue()
    assert subjects(booking) == [NUDGE]
