from datetime import UTC, datetime

import pytest
from django.core import mail

from bookings import ical
from bookings.services import book_place, cancel_booking, change_session_time
from tests.factories import attendee, session_for

from .conftest import HOST
from .helpers import calendar_parts, parse_both

pytestmark = pytest.mark.django_db


def confirmed(partner, course, capture, **session_kwargs):
    session = session_for(partner, page=course, **session_kwargs)
    with capture(execute=True):
        result = book_place(session=session, attendee=attendee(1, name="Asha Patel"))
    return result.booking


def test_confirmation_email_has_text_html_calendar_and_attachment(partner, course, django_capture_on_commit_callbacks):
    booking = confirmed(partner, course, django_capture_on_commit_callbacks)
    message = mail.outbox[0]
    assert message.subject == "Your place is booked: Safe Haven training (90 minutes)"
    root = message.message()
    assert root.get_content_type() == "multipart/mixed"
    alternative = root.get_payload()[0]
    assert alternative.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in alternative.get_payload()] == ["text/plain", "text/html", "text/calendar"]
    parts = calendar_parts(message)
    assert [(d.split(";")[0], m) for d, m, _ in parts] == [("inline", "REQUEST"), ("attachment", "REQUEST")]
    assert 'filename="invite.ics"' in parts[1][0]
    for _, _, text in parts:
        calendar, event = parse_both(text)
        assert calendar["METHOD"] == "REQUEST"
        assert str(event["UID"]) == booking.ical_uid
        assert str(event["ORGANIZER"]) == "mailto:team@barkingside.example"
        assert str(event["ATTENDEE"]) == "mailto:attendee1@example.org"
        assert event["SEQUENCE"] == 0
        assert "DTSTAMP" in event
        assert event["DTSTART"].params["TZID"] == "Europe/London"
        assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/London"
    text = parts[0][2]
    assert booking.token_hash not in text
    manage_token = message.body.split("/bookings/")[1].split("/")[0]
    assert manage_token not in text and manage_token not in booking.ical_uid
    assert "Asha" not in str(event["UID"])
    assert "/bookings/" in message.body and "Manage your booking" in message.alternatives[0].content


def test_link_in_email_opens_the_manage_page(client, partner, course, django_capture_on_commit_callbacks):
    confirmed(partner, course, django_capture_on_commit_callbacks)
    path = "/bookings/" + mail.outbox[0].body.split("/bookings/")[1].split("/")[0] + "/"
    assert "Your place is booked" in client.get(path, HTTP_HOST=HOST).text


@pytest.mark.parametrize(
    ("local_start", "utc_start"),
    [
        (datetime(2027, 3, 30, 10, 0), datetime(2027, 3, 30, 9, 0, tzinfo=UTC)),  # BST, after 28 March 2027
        (datetime(2027, 3, 26, 10, 0), datetime(2027, 3, 26, 10, 0, tzinfo=UTC)),  # GMT
        (datetime(2026, 10, 26, 10, 0), datetime(2026, 10, 26, 10, 0, tzinfo=UTC)),  # after 25 October 2026
        (datetime(2026, 10, 23, 10, 0), datetime(2026, 10, 23, 9, 0, tzinfo=UTC)),
    ],
)
def test_invite_times_are_right_across_clock_changes(local_start, utc_start):
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    start = local_start.replace(tzinfo=ZoneInfo("Europe/London"))
    entry = ical.Entry(
        uid="x@safehaven",
        sequence=0,
        starts_at=start.astimezone(UTC),
        ends_at=start + timedelta(minutes=90),
        summary="S",
    )
    body = ical.invite(
        entry, method="REQUEST", organizer=ical.Person("o@x.example"), attendee=ical.Person("a@x.example")
    )
    import vobject

    parsed = vobject.readOne(body.decode(), validate=True)
    assert parsed.vevent.dtstart.value.astimezone(UTC) == utc_start
    calendar, event = parse_both(body.decode())
    assert event.decoded("DTSTART").astimezone(UTC) == utc_start
    assert f"DTSTART;TZID=Europe/London:{local_start:%Y%m%dT%H%M%S}" in body.decode()
    # The VTIMEZONE alone (not the client's tz database) must give the offset: resolve it by hand.
    vtimezone = calendar.walk("VTIMEZONE")[0]
    assert vtimezone.to_tz().utcoffset(local_start) == local_start.replace(tzinfo=UTC) - utc_start


def test_time_change_resends_request_with_higher_sequence(partner, course, django_capture_on_commit_callbacks):
    from datetime import timedelta

    booking = confirmed(partner, course, django_capture_on_commit_callbacks)
    session = booking.session
    with django_capture_on_commit_callbacks(execute=True):
        change_session_time(
            session=session,
            starts_at=session.starts_at + timedelta(hours=2),
            ends_at=session.ends_at + timedelta(hours=2),
        )
    update = mail.outbox[-1]
    assert update.subject.startswith("Your booking has changed")
    _, method, text = calendar_parts(update)[0]
    calendar, event = parse_both(text)
    assert method == "REQUEST" == calendar["METHOD"]
    assert str(event["UID"]) == booking.ical_uid and event["SEQUENCE"] == 1
    assert event.decoded("DTSTART").astimezone(UTC) == session.starts_at + timedelta(hours=2)


def test_cancellation_sends_cancel_with_same_uid_and_higher_sequence(
    partner, course, django_capture_on_commit_callbacks
):
    booking = confirmed(partner, course, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        cancel_booking(booking=booking)
    message = mail.outbox[-1]
    assert message.subject.startswith("Your booking is cancelled")
    parts = calendar_parts(message)
    assert [m for _, m, _ in parts] == ["CANCEL", "CANCEL"]
    calendar, event = parse_both(parts[0][2])
    assert calendar["METHOD"] == "CANCEL"
    assert str(event["UID"]) == booking.ical_uid
    assert event["SEQUENCE"] == 1
    assert event["STATUS"] == "CANCELLED"


def test_waiting_list_email_has_no_invite(partner, course, django_capture_on_commit_callbacks):
    session = session_for(partner, page=course, capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        book_place(session=session, attendee=attendee(1))
        book_place(session=session, attendee=attendee(2))
    waiting = mail.outbox[-1]
    assert waiting.subject.startswith("You are on the waiting list")
    assert "number 1" in waiting.body
    assert calendar_parts(waiting) == []
    assert session.joining_link not in waiting.body


def test_attendee_invite_download(client, partner, course, django_capture_on_commit_callbacks):
    from django.core import mail as _mail

    booking = confirmed(partner, course, django_capture_on_commit_callbacks)
    token = _mail.outbox[0].body.split("/bookings/")[1].split("/")[0]
    response = client.get(f"/bookings/{token}/invite.ics", HTTP_HOST=HOST)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Cache-Control"] == "no-store"
    calendar, event = parse_both(response.content.decode())
    assert str(event["UID"]) == booking.ical_uid


def test_public_feed_publishes_upcoming_sessions_without_attendees(client, partner, course, other_partner):
    from bookings.services import cancel_session

    session = session_for(partner, page=course)
    gone = session_for(partner, page=course)
    cancel_session(session=gone)
    session_for(other_partner, page=None)
    response = client.get("/bookings/calendar.ics", HTTP_HOST=HOST)
    assert response.status_code == 200
    calendar, _ = parse_both(response.content.decode())
    assert calendar["METHOD"] == "PUBLISH"
    events = calendar.walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [session.ical_uid]
    assert all("ATTENDEE" not in e for e in events)
    assert f"/bookings/sessions/{session.pk}/book/" in str(events[0]["URL"])


@pytest.mark.django_db(transaction=True)
def test_confirmation_reaches_a_real_smtp_server(settings, partner, course):
    import socket

    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received = []

    class Sink(Message):
        def handle_message(self, message):
            received.append(message)

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = False
        session = session_for(partner, page=course)
        book_place(session=session, attendee=attendee(7))
    finally:
        controller.stop()
    assert len(received) == 1
    message = received[0]
    assert message["To"] == "attendee7@example.org"
    calendars = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert [p.get_param("method") for p in calendars] == ["REQUEST", "REQUEST"]
    calendar, event = parse_both(calendars[0].get_payload(decode=True).decode())
    assert calendar["METHOD"] == "REQUEST"
