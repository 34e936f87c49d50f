"""One place decides a session's booking state and places left (the course page and the booking page agree)."""

from datetime import UTC, datetime, timedelta

import pytest

from bookings.models import Session

NOW = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def session(**fields):
    values = {"starts_at": NOW + 7 * DAY, "ends_at": NOW + 7 * DAY + timedelta(hours=2), "capacity": 3}
    return Session(**{**values, **fields})


@pytest.mark.parametrize(
    ("fields", "taken", "state"),
    [
        ({}, 0, "open"),
        ({}, 2, "open"),
        ({}, 3, "full"),
        ({}, 5, "full"),  # walk-ins past capacity
        ({"booking_opens_at": NOW + DAY}, 0, "not_open_yet"),
        ({"booking_opens_at": NOW}, 0, "open"),
        ({"booking_closes_at": NOW}, 0, "closed"),
        ({"booking_closes_at": NOW + DAY}, 3, "full"),
        ({"starts_at": NOW, "ends_at": NOW + DAY}, 0, "closed"),
        ({"status": Session.Status.CANCELLED}, 0, "cancelled"),
        ({"status": Session.Status.CANCELLED, "booking_opens_at": NOW + DAY}, 3, "cancelled"),
    ],
)
def test_booking_state(fields, taken, state):
    assert session(**fields).booking_state(NOW, taken=taken) == state


@pytest.mark.parametrize("state", list(Session.BookingState))
def test_booking_is_open_exactly_when_a_visitor_can_book_or_join_the_waiting_list(state):
    fields = {
        "open": {},
        "full": {},
        "not_open_yet": {"booking_opens_at": NOW + DAY},
        "closed": {"booking_closes_at": NOW - DAY},
        "cancelled": {"status": Session.Status.CANCELLED},
    }[state]
    s = session(**fields)
    taken = 3 if state == "full" else 0
    assert s.booking_state(NOW, taken=taken) == state
    assert s.booking_is_open(NOW) is (state in ("open", "full"))


def test_places_left_reads_the_annotated_count_and_never_goes_below_zero():
    s = session(capacity=3)
    s.taken_count = 1
    assert s.places_left() == 2
    assert s.places_left(taken=4) == 0
