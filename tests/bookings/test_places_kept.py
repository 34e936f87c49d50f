"""A course page's sessions with places taken are read from the database once per booking change
(bookings/places.py): every booking, cancellation and staff edit shows at once, and the clock is
judged on every view."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings.places import upcoming_sessions
from bookings.privacy import Bookings
from bookings.services import AttendeeDetails, book_place, cancel_booking, update_session
from tests.factories import session_for

pytestmark = pytest.mark.django_db

NOW = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)


def attendee(n: int) -> AttendeeDetails:
    return AttendeeDetails(
        name=f"Attendee {n}",
        email=f"a{n}@example.org",
        organisation="Heathway Books",
        venue_type="shop",
        postcode="RM10 8AB",
    )


def listed(partner, course, now=NOW):
    return [
        (row.pk, row.places_left(), row.booking_state(now))
        for row in upcoming_sessions(page_id=course.pk, partner=partner, now=now)
    ]


@pytest.fixture
def session(partner, course):
    return session_for(partner, page=course, capacity=2, starts_at=NOW + timedelta(days=7))


def test_a_second_read_asks_the_database_nothing(partner, course, session):
    first = listed(partner, course)
    with CaptureQueriesContext(connection) as captured:
        again = listed(partner, course)
    assert captured.captured_queries == []
    assert again == first == [(session.pk, 2, "open")]


def test_bookings_and_cancellations_show_at_once(partner, course, session):
    assert listed(partner, course) == [(session.pk, 2, "open")]
    first = book_place(session=session, attendee=attendee(1), now=NOW).booking
    assert listed(partner, course) == [(session.pk, 1, "open")]
    book_place(session=session, attendee=attendee(2), now=NOW)
    assert listed(partner, course) == [(session.pk, 0, "full")]
    cancel_booking(booking=first, now=NOW)
    # The first on the waiting list? There is none: the place is free again.
    assert listed(partner, course) == [(session.pk, 1, "open")]


def test_staff_edits_show_at_once(partner, course, session):
    listed(partner, course)
    update_session(session=session, capacity=5)
    assert listed(partner, course) == [(session.pk, 5, "open")]
    # A booking window is written with .update(), which sends no save signal.
    update_session(session=session, booking_closes_at=NOW - timedelta(hours=1))
    assert listed(partner, course) == [(session.pk, 5, "closed")]


def test_erasing_someones_bookings_frees_their_place(clock, partner, course, session):
    """Erasure cancels only bookings still to come, by the clock (held at 2027 here)."""
    book_place(session=session, attendee=attendee(1), now=NOW)
    assert listed(partner, course) == [(session.pk, 1, "open")]
    Bookings().erase(partner=partner, email="a1@example.org")  # its cancellation is an .update()
    assert listed(partner, course) == [(session.pk, 2, "open")]


def test_the_clock_is_judged_on_every_read(partner, course):
    later = session_for(
        partner, page=course, capacity=3, starts_at=NOW + timedelta(days=2), booking_opens_at=NOW + timedelta(days=1)
    )
    soon = session_for(partner, page=course, capacity=3, starts_at=NOW + timedelta(hours=2))
    assert listed(partner, course) == [(soon.pk, 3, "open"), (later.pk, 3, "not_open_yet")]
    with CaptureQueriesContext(connection) as captured:
        # A day on: the first has started and left the list, the second's booking has opened.
        assert listed(partner, course, now=NOW + timedelta(days=1, hours=1)) == [(later.pk, 3, "open")]
    assert captured.captured_queries == []
    # Rows read at NOW cannot answer for an earlier moment (a session starting in between would be
    # missing): that is read again.
    with CaptureQueriesContext(connection) as captured:
        assert len(listed(partner, course, now=NOW - timedelta(days=1))) == 2
    assert captured.captured_queries
