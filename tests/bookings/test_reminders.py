import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from bookings.models import Booking
from bookings.services import book_place
from tests.factories import attendee, session_for

from .conftest import HOST

pytestmark = pytest.mark.django_db


def run(capture):
    out = io.StringIO()
    with capture(execute=True):
        call_command("send_reminders", stdout=out)
    return out.getvalue()


def test_reminders_are_sent_once_with_the_joining_link(partner, course, django_capture_on_commit_callbacks):
    session = session_for(partner, page=course, starts_at=timezone.now() + timedelta(hours=20), capacity=1)
    book_place(session=session, attendee=attendee(1))
    book_place(session=session, attendee=attendee(2))  # waiting list: never gets the link
    mail.outbox.clear()
    assert "Sent 1 day-before and 0 hour-before" in run(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    reminder = mail.outbox[0]
    assert reminder.to == ["attendee1@example.org"]
    assert reminder.subject.startswith("Reminder:")
    assert "https://meet.example.org/abc" in reminder.body
    assert "Sent 0 day-before and 0 hour-before" in run(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    assert Booking.objects.get(email="attendee1@example.org").reminder_24h_sent_at is not None


def test_hour_before_reminder_replaces_the_day_before_one(partner, course, django_capture_on_commit_callbacks):
    session = session_for(partner, page=course, starts_at=timezone.now() + timedelta(minutes=50))
    book_place(session=session, attendee=attendee(1))
    mail.outbox.clear()
    assert "Sent 0 day-before and 1 hour-before" in run(django_capture_on_commit_callbacks)
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Starting soon"]
    run(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1


def test_no_reminder_for_cancelled_or_distant_sessions(partner, course, django_capture_on_commit_callbacks):
    from bookings.services import cancel_booking

    far = session_for(partner, page=course, starts_at=timezone.now() + timedelta(days=3))
    near = session_for(partner, page=course, starts_at=timezone.now() + timedelta(hours=3))
    book_place(session=far, attendee=attendee(1))
    cancel_booking(booking=book_place(session=near, attendee=attendee(2)).booking)
    mail.outbox.clear()
    run(django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_joining_link_on_manage_page_only_from_reminder_time(client, partner, course):
    from bookings.services import book_place as book

    soon = session_for(partner, page=course, starts_at=timezone.now() + timedelta(hours=5))
    later = session_for(partner, page=course, starts_at=timezone.now() + timedelta(days=5))
    soon_token = book(session=soon, attendee=attendee(1)).token
    later_token = book(session=later, attendee=attendee(1)).token
    assert "https://meet.example.org/abc" in client.get(f"/bookings/{soon_token}/", HTTP_HOST=HOST).text
    page = client.get(f"/bookings/{later_token}/", HTTP_HOST=HOST).text
    assert "https://meet.example.org/abc" not in page
    assert "We will email you the joining link the day before" in page


def test_the_day_before_reminder_says_today_or_tomorrow_from_the_real_gap(
    clock, partner, course, django_capture_on_commit_callbacks
):
    from tests.conftest import MONDAY_MORNING  # 10am on Monday 7 June 2027, London

    this_afternoon = session_for(partner, page=course, starts_at=MONDAY_MORNING + timedelta(hours=3))
    tomorrow_morning = session_for(partner, page=course, starts_at=MONDAY_MORNING + timedelta(hours=23, minutes=30))
    for n, session in enumerate([this_afternoon, tomorrow_morning]):
        book_place(session=session, attendee=attendee(n), now=MONDAY_MORNING - timedelta(days=2))
    mail.outbox.clear()
    run(django_capture_on_commit_callbacks)
    by_person = {m.to[0]: m for m in mail.outbox}
    today = by_person["attendee0@example.org"]
    assert today.subject == f"Reminder: {course.title} today at 1pm"
    assert f"This is a reminder that {course.title} is today at 1pm." in today.body
    assert "tomorrow" not in today.body.lower()
    tomorrow = by_person["attendee1@example.org"]
    assert tomorrow.subject == f"Reminder: {course.title} tomorrow at 9:30am"
    assert "is tomorrow at 9:30am." in tomorrow.body


def test_a_new_joining_link_after_the_reminders_is_emailed_once_to_those_who_had_the_old_one(
    partner, course, django_capture_on_commit_callbacks
):
    from bookings.services import update_session

    session = session_for(partner, page=course, starts_at=timezone.now() + timedelta(hours=20), capacity=5)
    book_place(session=session, attendee=attendee(1))
    run(django_capture_on_commit_callbacks)  # attendee1 gets the reminder with the old link
    book_place(session=session, attendee=attendee(2))  # booked since: the next reminder has the new link
    mail.outbox.clear()
    new = "https://meet.example.org/new-room"
    with django_capture_on_commit_callbacks(execute=True):
        update_session(session=session, joining_link=new)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["attendee1@example.org"], f"New joining link: {course.title}")
    ]
    assert new in mail.outbox[0].body and "https://meet.example.org/abc" not in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        update_session(session=session, joining_link=new, capacity=6)  # saved again: nobody told twice
    assert len(mail.outbox) == 1
