"""Rules people rely on without seeing them: a check-in code only works for its own session, manage
links cannot be guessed, one person holds one place however the email is typed, calendar apps are
told when a session moves, and a full session cannot be rebooked onto, even by people racing.

Each test looks from the outside: status codes, page text, the emails sent, the feed parsed back.
"""

import base64
import itertools
import math
import re
from datetime import timedelta

import icalendar
import pytest
import vobject
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bookings import selectors, services
from bookings.exceptions import SessionFull
from bookings.models import Booking, BookingToken, Session, hash_token, new_check_in_code
from certificates.models import Certificate
from tests.factories import (
    PartnerFactory,
    attended_session,
    attendee,
    booked_with_link,
    booking_on,
    coordinator_of,
    session_for,
    training_page_for,
)

from .conftest import FORM, HOST
from .test_concurrency import run_together

pytestmark = pytest.mark.django_db

HOST_R = "rebook.localhost"  # the partner of the race test, made in that test's own transaction


def book(client, session, capture, **overrides):
    """The public booking form, submitted; after-commit work (the confirmation email) runs."""
    with capture(execute=True):
        return client.post(f"/bookings/sessions/{session.pk}/book/", {**FORM, **overrides}, HTTP_HOST=HOST)


def token_of(manage_url: str) -> str:
    match = re.fullmatch(r"/bookings/([^/]+)/", manage_url)
    assert match, manage_url
    return match[1]


def emailed_token(message) -> str:
    return message.body.split("/bookings/")[1].split("/")[0]


def common_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


# --- 1. a check-in code only checks you in to its own session -------------------------------------


def test_check_in_code_of_another_session_is_refused(
    clock, client, partner, course, django_capture_on_commit_callbacks
):
    # Both sessions are running now (started ten and five minutes ago), so only the code can be wrong.
    mine = attended_session(partner, page=course)
    other = attended_session(partner, page=course, offset_minutes=5)
    while other.check_in_code == mine.check_in_code:  # a one-in-594-million collision
        Session.objects.filter(pk=other.pk).update(check_in_code=new_check_in_code())
        other.refresh_from_db()
    booking, token = booked_with_link(mine, 1)
    neighbour, neighbour_token = booked_with_link(other, 2)
    manage = f"/bookings/{token}/"
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post(f"{manage}check-in/", {"code": other.check_in_code}, HTTP_HOST=HOST)
    assert refused.status_code == 400
    assert "<title>Error: Check in" in refused.text
    assert "There is a problem" in refused.text
    assert "That check-in code is not right" in refused.text
    booking.refresh_from_db()
    assert booking.checked_in_at is None and booking.attended is None and booking.completed_at is None
    page = client.get(manage, HTTP_HOST=HOST).text
    assert "You are checked in" not in page and "Check in to the session" in page
    assert mail.outbox == [] and not Certificate.objects.exists()

    # The code itself is live: the other session's own attendee checks in with it...
    with django_capture_on_commit_callbacks(execute=True):
        theirs = client.post(f"/bookings/{neighbour_token}/check-in/", {"code": other.check_in_code}, HTTP_HOST=HOST)
    assert theirs.status_code == 302
    assert "You are checked in" in client.get(f"/bookings/{neighbour_token}/", HTTP_HOST=HOST).text
    # ...and the refused attendee checks in with their own session's code.
    with django_capture_on_commit_callbacks(execute=True):
        own = client.post(f"{manage}check-in/", {"code": mine.check_in_code}, HTTP_HOST=HOST)
    assert own.status_code == 302 and own["Location"] == manage
    assert "You are checked in" in client.get(manage, HTTP_HOST=HOST).text
    assert sorted(m.to[0] for m in mail.outbox if m.attachments) == ["attendee1@example.org", "attendee2@example.org"]


# --- 2. manage links cannot be guessed ----------------------------------------------------------


def token_bytes(token: str) -> int:
    assert re.fullmatch(r"[A-Za-z0-9_-]+", token), token
    return len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))


def test_manage_tokens_are_unrelated_long_and_stored_only_as_a_hash(
    client, session, django_capture_on_commit_callbacks
):
    first = book(client, session, django_capture_on_commit_callbacks, email="a@example.org")
    second = book(client, session, django_capture_on_commit_callbacks, email="b@example.org")
    tokens = [token_of(first["Location"]), token_of(second["Location"])]
    emailed = [emailed_token(m) for m in mail.outbox]
    assert [m.to for m in mail.outbox] == [["a@example.org"], ["b@example.org"]]

    # Two bookings made one after the other: nothing in one link hints at the other.
    assert common_prefix(*tokens) <= 2
    assert common_prefix(*emailed) <= 2
    for token in tokens + emailed:
        assert token_bytes(token) >= 32  # 256 bits
    assert len(set(tokens + emailed)) == 4

    for booking, token, link in zip(Booking.objects.order_by("pk"), tokens, emailed, strict=True):
        extra = BookingToken.objects.filter(booking=booking).values_list("token_hash", flat=True)
        stored = [booking.token_hash, *extra]
        assert stored == [hash_token(token), hash_token(link)]
        for raw in (token, link):
            assert raw not in stored and all(raw not in value for value in stored)
            assert not Booking.objects.filter(token_hash=raw).exists()
            assert client.get(f"/bookings/{raw}/", HTTP_HOST=HOST).status_code == 200
        # Someone who reads the database cannot use what is stored as a link.
        for value in stored:
            assert client.get(f"/bookings/{value}/", HTTP_HOST=HOST).status_code == 404


def test_two_hundred_manage_tokens_are_all_different(partner, course):
    session = session_for(partner, page=course, capacity=200)
    tokens = [services.book_place(session=session, attendee=attendee(n)).token for n in range(200)]
    assert len(set(tokens)) == 200
    stored = set(Booking.objects.filter(session=session).values_list("token_hash", flat=True))
    assert stored == {hash_token(t) for t in tokens} and not stored & set(tokens)
    # Each token holds at least 256 bits: 32 bytes, and its length times the bits each character
    # carries, judged by the alphabet the tokens actually use (all 64 url-safe characters).
    alphabet = set("".join(tokens))
    assert len(alphabet) == 64
    assert all(token_bytes(t) >= 32 and len(t) * math.log2(len(alphabet)) >= 256 for t in tokens)
    # Not a counter or a shared stem: sorted neighbours agree on hardly any leading characters.
    ordered = sorted(tokens)
    assert max(common_prefix(a, b) for a, b in itertools.pairwise(ordered)) <= 6


# --- 3. one person, one place, however staff type the email -------------------------------------


@pytest.mark.parametrize("staff_first", [True, False], ids=["staff-then-public", "public-then-staff"])
def test_staff_and_public_booking_with_differently_cased_email_give_one_place(
    staff_first, client, partner, session, course, django_capture_on_commit_callbacks
):
    staff = Client()
    staff.force_login(coordinator_of(partner))
    staff_url = reverse("staff_sessions:book", args=[session.pk])
    by_phone = {"name": "Asha Patel", "email": "Asha@X.org", "organisation": "Heathway Books", "venue_type": "shop",
                "postcode": "RM10 8AB", "consent": "on"}  # fmt: skip

    def staff_books():
        with django_capture_on_commit_callbacks(execute=True):
            return staff.post(staff_url, by_phone, follow=True)

    if staff_first:
        booked = staff_books()
        assert "Asha Patel is booked." in booked.text
        public = book(client, session, django_capture_on_commit_callbacks, email="asha@x.org")
        assert public.status_code == 200
        assert "You have already booked this session" in public.text
    else:
        public = book(client, session, django_capture_on_commit_callbacks, email="asha@x.org")
        assert public.status_code == 302
        again = staff_books()
        assert "Asha Patel already has a booking for this session." in again.text
        assert "Asha Patel is booked." not in again.text

    assert Booking.objects.filter(session=session).count() == 1
    assert Booking.objects.get(session=session).email == "asha@x.org"
    assert [m.to for m in mail.outbox] == [["asha@x.org"]]
    assert "1 of 2 places taken" in staff.get(reverse("staff_sessions:bookings", args=[session.pk])).text
    listing = client.get(course.url, HTTP_HOST=HOST).text
    assert re.search(r'<td class="govuk-table__cell">1</td>', listing)  # one place left of two


# --- 4. the public feed tells calendars that a session moved -------------------------------------


def feed_events(client) -> dict:
    """{uid: (icalendar SEQUENCE, vobject SEQUENCE, start)} from the public feed, read by both libraries."""
    response = client.get("/bookings/calendar.ics", HTTP_HOST=HOST)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    parsed = vobject.readOne(text, validate=True)
    by_vobject = {str(e.uid.value): int(e.sequence.value) for e in parsed.vevent_list}
    calendar = icalendar.Calendar.from_ical(text)
    assert calendar["METHOD"] == "PUBLISH"
    events = {}
    for event in calendar.walk("VEVENT"):
        uid = str(event["UID"])
        events[uid] = (int(event["SEQUENCE"]), by_vobject[uid], event.decoded("DTSTART"))
    assert set(events) == set(by_vobject)
    return events


def test_feed_sequence_rises_each_time_a_session_moves(client, partner, course):
    moving = session_for(partner, page=course)
    staying = session_for(partner, page=course, starts_at=moving.starts_at + timedelta(days=7))
    before = feed_events(client)
    assert before[moving.ical_uid][:2] == (0, 0) and before[staying.ical_uid][:2] == (0, 0)

    later = moving.starts_at + timedelta(hours=2)
    services.update_session(session=moving, starts_at=later, ends_at=later + timedelta(minutes=90))
    after = feed_events(client)
    assert after[moving.ical_uid][:2] == (1, 1)
    assert after[moving.ical_uid][2] == later
    assert after[staying.ical_uid] == before[staying.ical_uid]

    moving.refresh_from_db()
    earlier = moving.starts_at - timedelta(days=1)
    services.update_session(session=moving, starts_at=earlier, ends_at=earlier + timedelta(minutes=90))
    again = feed_events(client)
    assert again[moving.ical_uid][:2] == (2, 2) and again[moving.ical_uid][2] == earlier


# --- 5. a full session cannot be rebooked onto ----------------------------------------------------


def test_rebooking_onto_a_session_that_filled_is_refused_and_the_booking_stays(
    client, partner, session, course, django_capture_on_commit_callbacks
):
    later = session_for(partner, page=course, capacity=1, starts_at=session.starts_at + timedelta(days=7))
    manage = book(client, session, django_capture_on_commit_callbacks)["Location"]
    form = client.get(manage + "change/", HTTP_HOST=HOST)
    assert f'value="{later.pk}"' in form.text and "1 place left" in form.text
    booking_on(later, 5)  # someone else takes the last place while the form is open
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post(manage + "change/", {"session": later.pk}, HTTP_HOST=HOST)
    assert refused.status_code == 400
    assert "<title>Error: Change your booking" in refused.text
    assert "There is a problem" in refused.text
    assert "Select one of the dates shown" in refused.text
    assert f'value="{later.pk}"' not in refused.text
    booking = Booking.objects.get(email="asha@heathway.example")
    assert booking.session_id == session.pk and booking.status == Booking.Status.CONFIRMED
    assert booking.ical_sequence == 0
    assert mail.outbox == []
    page = client.get(manage, HTTP_HOST=HOST).text
    assert "Your place is booked" in page and f"{session.starts_at:%B}" in page
    assert Booking.objects.filter(session=later, status=Booking.Status.CONFIRMED).count() == 1


def test_rebook_service_refuses_a_full_session(partner, session, course, django_capture_on_commit_callbacks):
    full = session_for(partner, page=course, capacity=1, starts_at=session.starts_at + timedelta(days=7))
    booking_on(full, 5)
    mine = booking_on(session, 1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(SessionFull) as refused:
        services.rebook(booking=mine, new_session=full)
    assert refused.value.message == "This session is full. Please choose another date."
    mine.refresh_from_db()
    assert mine.session_id == session.pk and mine.status == Booking.Status.CONFIRMED and mine.ical_sequence == 0
    assert Booking.objects.filter(session=full).count() == 1
    assert mail.outbox == []


def _unlocked(monkeypatch):
    """The control: no session lock, and a window between counting places and moving the booking."""
    import time

    def unlocked(session_id, *, partner=None):
        sessions = Session.objects.all() if partner is None else Session.objects.filter(partner=partner)
        return sessions.get(pk=session_id)

    counted = selectors.places_taken

    def slow_count(session):
        taken = counted(session)
        time.sleep(0.3)
        return taken

    monkeypatch.setattr(services, "lock_session", unlocked)
    monkeypatch.setattr(selectors, "places_taken", slow_count)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("control", [False, True], ids=["locked", "control-unlocked"])
def test_concurrent_rebooks_onto_the_last_place_let_exactly_one_through(monkeypatch, control):
    """Six attendees, from sessions either side of the target in id order, press "Change date" for
    the last place at once. Control: without the lock more than one gets through (overbooking)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks and concurrent connections")
    partner = PartnerFactory(name="Rebook Borough", host=HOST_R, contact_email="team@rebook.example")
    course = training_page_for(partner)
    starts = (timezone.now() + timedelta(days=30)).replace(microsecond=0)
    # Origins made before and after the target, so the two locks are taken in both orders.
    lower_id = session_for(partner, page=course, starts_at=starts, capacity=10)
    target = session_for(partner, page=course, starts_at=starts + timedelta(days=7), capacity=2)
    higher_id = session_for(partner, page=course, starts_at=starts + timedelta(days=1), capacity=10)
    booking_on(target, 99)  # one place left
    links = [booked_with_link(lower_id if n < 3 else higher_id, n) for n in range(6)]
    mail.outbox.clear()
    if control:
        _unlocked(monkeypatch)

    responses = [None] * len(links)

    def rebook(i):
        responses[i] = Client().post(f"/bookings/{links[i][1]}/change/", {"session": target.pk}, HTTP_HOST=HOST_R)

    errors = run_together(len(links), rebook)

    assert errors == []
    moved = [r for r in responses if r.status_code == 302]
    confirmed_on_target = Booking.objects.filter(session=target, status=Booking.Status.CONFIRMED).count()
    if control:
        assert len(moved) > 1 and confirmed_on_target > target.capacity
        return
    assert len(moved) == 1
    refused = [r for r in responses if r.status_code != 302]
    assert [r.status_code for r in refused] == [400] * 5
    # Refused under the lock ("full"), or, for a request that read the dates after the winner
    # committed, because the full date is no longer offered: both leave the attendee where they were.
    refusals = ("This session is full. Please choose another date.", "Select one of the dates shown")
    assert all(any(message in r.text for message in refusals) for r in refused)
    assert confirmed_on_target == 2 == target.capacity
    for booking, _ in links:
        booking.refresh_from_db()
        assert booking.status == Booking.Status.CONFIRMED
    assert Booking.objects.filter(pk__in=[b.pk for b, _ in links], session=target).count() == 1
    changed = [m for m in mail.outbox if m.subject.startswith("Your booking has changed")]
    assert len(changed) == 1 and len(mail.outbox) == 1
