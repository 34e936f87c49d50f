"""The session hub a coordinator reaches from the Sessions list, walk-ins and "email everyone booked"."""

import datetime
import re

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from bookings.models import Booking, SessionMessage
from bookings.services import add_walk_in, book_place
from tests.conftest import LONDON, MONDAY_MORNING
from tests.factories import attendee, session_for

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"staff_sessions:{name}", args=args)


WALK_IN = {"name": "Dee Walker", "email": "Dee@Example.org", "organisation": "Heathway Florist", "venue_type": "shop",
           "postcode": "rm10 8ab", "consent": "on", "reason": "Turned up without booking"}  # fmt: skip


def on_the_day(session, clock, client=None, *, minutes_in=10):
    clock.move_to(session.starts_at + datetime.timedelta(minutes=minutes_in))
    if client is not None:  # a month on, the staff sign-in has timed out: sign in again
        client.force_login(client.user)


def test_each_session_in_the_list_opens_its_page(clock, staff_client, alpha, beta):
    listing = staff_client.get(url("index"))
    session = alpha["session"]
    assert f'href="{url("detail", session.pk)}"' in listing.text
    page = staff_client.get(url("detail", session.pk))
    assert page.status_code == 200
    text = re.sub(r"\s+", " ", page.text)
    assert "Alpha Safe Haven training (90 minutes)" in text
    assert "Wednesday 7 July 2027, 10am to 11:30am (UK time)" in text  # the fixture's session, 30 days on
    assert 'Online: <a href="https://meet.example.org/abc"' in text
    assert "2 booked of 2. 0 places left. 1 on the waiting list." in text
    assert "Open until the session starts" in text
    for action in ("bookings", "register", "export", "edit", "cancel", "message", "history"):
        assert f'href="{url(action, session.pk)}"' in page.text, action
    assert "Add a walk-in" not in text  # not the day of the session yet
    assert "None" not in text
    # Another partner's session page is a 404, never the session.
    assert staff_client.get(url("detail", beta["session"].pk)).status_code == 404


def test_in_person_session_page_gives_the_address_not_online(clock, staff_client, alpha):
    session = session_for(alpha["partner"], page=alpha["course"], location="Barking Library, 2 Town Square, IG11 7NB")
    text = staff_client.get(url("detail", session.pk)).text
    assert "Barking Library, 2 Town Square, IG11 7NB" in text
    assert "Online" not in re.sub(r"<[^>]+>", "", text.split('class="staff-session__summary"')[1].split("</dl>")[0])


def test_list_starts_today_soonest_first_and_keeps_the_past_behind_a_filter(clock, staff_client, alpha):
    partner, course = alpha["partner"], alpha["course"]
    this_morning = session_for(partner, page=course, starts_at=MONDAY_MORNING - datetime.timedelta(hours=1))
    tomorrow = session_for(partner, page=course, starts_at=MONDAY_MORNING + datetime.timedelta(days=1))
    last_week = session_for(partner, page=course, starts_at=MONDAY_MORNING - datetime.timedelta(days=7))
    listing = staff_client.get(url("index")).text
    positions = [listing.find(f'href="{url("detail", s.pk)}"') for s in (this_morning, tomorrow, alpha["session"])]
    assert -1 not in positions and positions == sorted(positions)
    assert f'href="{url("detail", last_week.pk)}"' not in listing
    past = staff_client.get(url("index"), {"when": "past"}).text
    assert f'href="{url("detail", last_week.pk)}"' in past
    assert f'href="{url("detail", tomorrow.pk)}"' not in past
    assert "Add a series" in listing and f'href="{url("add_series")}"' in listing


def test_walk_in_joins_a_full_closed_session_on_the_day_and_can_be_marked_attended(clock, staff_client, alpha):
    session = alpha["session"]  # 2 places, both taken, one waiting
    on_the_day(session, clock, staff_client)
    form = staff_client.get(url("walk_in", session.pk))
    assert form.status_code == 200 and "Why are you adding them?" in form.text
    response = staff_client.post(url("walk_in", session.pk), WALK_IN)
    walk_in = Booking.objects.get(session=session, email="dee@example.org")
    assert response.status_code == 302
    assert response["Location"] == f"{url('register', session.pk)}#booking-{walk_in.pk}"
    assert walk_in.status == Booking.Status.CONFIRMED and walk_in.postcode == "RM10 8AB"
    assert walk_in.added_by == staff_client.user and walk_in.walk_in_reason == "Turned up without booking"
    entry = ModelLogEntry.objects.get(action="bookings.walk_in", object_id=str(walk_in.pk))
    assert entry.user == staff_client.user and entry.data["reason"] == "Turned up without booking"
    register = staff_client.get(url("register", session.pk)).text
    assert "Dee Walker" in register and "Walk-in" in register
    staff_client.post(url("register", session.pk), {f"attended-{walk_in.pk}": "yes"})
    walk_in.refresh_from_db()
    assert walk_in.attended is True
    hub = re.sub(r"\s+", " ", staff_client.get(url("detail", session.pk)).text)
    assert "3 booked of 2. 1 over capacity because of walk-ins." in hub and "Includes 1 walk-in." in hub


def test_walk_in_is_refused_before_the_day_and_for_a_cancelled_session(clock, staff_client, alpha):
    session = alpha["session"]
    clock.move_to(session.starts_at - datetime.timedelta(days=1))
    staff_client.force_login(staff_client.user)
    response = staff_client.post(url("walk_in", session.pk), WALK_IN, follow=True)
    assert "Walk-ins can be added from the day of the session" in response.text
    assert not Booking.objects.filter(email="dee@example.org").exists()
    on_the_day(session, clock, staff_client)
    staff_client.post(url("cancel", session.pk))
    response = staff_client.post(url("walk_in", session.pk), WALK_IN, follow=True)
    assert "This session is cancelled, so no one can be added to it." in response.text
    assert not Booking.objects.filter(email="dee@example.org").exists()


def test_walk_in_needs_a_reason(clock, staff_client, alpha):
    on_the_day(alpha["session"], clock, staff_client)
    response = staff_client.post(url("walk_in", alpha["session"].pk), {**WALK_IN, "reason": ""})
    assert response.status_code == 200 and "Enter why you are adding them" in response.text
    assert not Booking.objects.filter(email="dee@example.org").exists()


def test_walk_in_of_someone_waiting_confirms_their_booking_without_a_second_one(clock, alpha, coordinator):
    session = alpha["session"]
    on_the_day(session, clock)
    waiting = Booking.objects.get(session=session, status=Booking.Status.WAITING)
    result = add_walk_in(
        session=session, attendee=attendee(9, email=waiting.email.upper()), reason="On the list", actor=coordinator
    )
    assert result.booking.pk == waiting.pk and not result.created
    waiting.refresh_from_db()
    assert waiting.status == Booking.Status.CONFIRMED and waiting.added_by == coordinator
    assert Booking.objects.filter(session=session, email=waiting.email).count() == 1
    # Adding them again changes nothing.
    again = add_walk_in(session=session, attendee=attendee(9, email=waiting.email), reason="x", actor=coordinator)
    assert again.booking.pk == waiting.pk and not again.created
    assert Booking.objects.filter(session=session, status=Booking.Status.CONFIRMED).count() == 3


def test_email_everyone_booked_sends_each_person_one_copy_once(
    clock, staff_client, alpha, mailoutbox, django_capture_on_commit_callbacks
):
    session = alpha["session"]
    form = staff_client.get(url("message", session.pk))
    key = re.search(r'name="form_key" value="([^"]+)"', form.text).group(1)
    data = {"subject": "Room change", "body": "We now meet in <b>Room 2</b>.", "form_key": key}
    with django_capture_on_commit_callbacks(execute=True):
        first = staff_client.post(url("message", session.pk), data)
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url("message", session.pk), data)  # a double click, or the page resubmitted
    assert first.status_code == 302 and first["Location"] == url("detail", session.pk)
    assert sorted(m.to[0] for m in mailoutbox) == ["alpha0@example.org", "alpha1@example.org"]  # not the waiting
    email = mailoutbox[0]
    assert email.subject == "Room change: Alpha Safe Haven training (90 minutes)"
    assert "We now meet in Room 2." in email.body and "<b>" not in email.body
    assert "Wednesday 7 July 2027, 10am to 11:30am (UK time)" in email.body
    assert "/bookings/" in email.body and email.reply_to == ["team@alpha.example"]
    message = SessionMessage.objects.get()
    assert message.recipient_count == 2 and message.sent_by == staff_client.user and message.sent_at
    assert ModelLogEntry.objects.filter(action="bookings.session_message", object_id=str(session.pk)).count() == 1
    hub = staff_client.get(url("detail", session.pk)).text
    assert "Room change" in hub and "2 people" in hub


def test_session_message_task_sends_nothing_the_second_time(clock, alpha, coordinator, mailoutbox):
    from bookings.services import email_everyone_booked
    from bookings.tasks import send_session_message

    message = email_everyone_booked(
        session=alpha["session"], subject="Parking", body="Use the rear car park.", form_key="k1", actor=coordinator
    )
    send_session_message.call(message_id=message.pk)
    send_session_message.call(message_id=message.pk)
    assert len(mailoutbox) == 2


def test_another_partners_walk_in_and_message_pages_are_404(clock, staff_client, alpha, beta):
    session = beta["session"]
    on_the_day(session, clock, staff_client)
    for name in ("walk_in", "message"):
        assert staff_client.get(url(name, session.pk)).status_code == 404
        assert staff_client.post(url(name, session.pk), {**WALK_IN, "subject": "x", "body": "y"}).status_code == 404
    assert not Booking.objects.filter(email="dee@example.org").exists()
    assert not SessionMessage.objects.exists()


def test_booking_inspect_page_names_no_none(clock, staff_client, alpha):
    booking = book_place(session=alpha["session"], attendee=attendee(7, phone="")).booking
    page = staff_client.get(reverse("staff_bookings:inspect", args=[booking.pk]))
    assert page.status_code == 200
    text = re.sub(r"<[^>]+>", " ", page.text)
    assert "None" not in text
    assert "Attendance" in text and "Certificate" in text and "History" in text


def test_moving_a_session_to_another_room_resends_the_invite_with_the_new_place(
    clock, staff_client, alpha, mailoutbox, django_capture_on_commit_callbacks
):
    import icalendar

    session = alpha["session"]
    data = {
        "starts_at": session.starts_at.astimezone(LONDON).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": session.ends_at.astimezone(LONDON).strftime("%Y-%m-%dT%H:%M"),
        "capacity": 2,
        "joining_link": "",
        "location": "Barking Library, 2 Town Square",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url("edit", session.pk), data)
    assert response.status_code == 302 and response["Location"] == url("detail", session.pk)
    assert sorted(m.to[0] for m in mailoutbox) == ["alpha0@example.org", "alpha1@example.org"]
    email = mailoutbox[0]
    assert "The new details are below" in email.body and "Where: Barking Library, 2 Town Square" in email.body
    ics = next(a for a in email.attachments if getattr(a, "get_filename", lambda: "")() == "invite.ics")
    event = icalendar.Calendar.from_ical(ics.get_payload(decode=True)).walk("VEVENT")[0]
    assert str(event["LOCATION"]) == "Barking Library, 2 Town Square" and int(event["SEQUENCE"]) == 1
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url("edit", session.pk), data)  # saved again unchanged: no emails
    assert mailoutbox == []


def test_dashboard_lists_the_soonest_sessions_first(clock, staff_client, alpha):
    # Made latest first, so neither insertion nor id order is the right one.
    made = [
        session_for(alpha["partner"], page=alpha["course"], starts_at=MONDAY_MORNING + datetime.timedelta(days=d))
        for d in range(12, 2, -1)
    ]
    table = staff_client.get(reverse("wagtailadmin_home")).text.split("Upcoming sessions")[-1]
    shown = [s for s in sorted(made, key=lambda s: s.starts_at) if url("detail", s.pk) in table]
    positions = [table.index(f'"{url("detail", s.pk)}"') for s in shown]
    assert len(shown) == 8 and positions == sorted(positions)
    assert shown == sorted(made, key=lambda s: s.starts_at)[:8]
