"""The course page's hand-written session query agrees with the ORM's counts."""

from datetime import UTC, datetime, timedelta

import pytest

from bookings.models import Booking, Session
from bookings.selectors import upcoming_sessions_for_page
from tests.factories import session_for, training_page_for

pytestmark = pytest.mark.django_db

NOW = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)


def add_bookings(session, *statuses):
    for n, status in enumerate(statuses):
        Booking.objects.create(
            session=session,
            partner=session.partner,
            name=f"Attendee {n}",
            email=f"{status}{n}@example.org",
            organisation="Heathway Books",
            venue_type="shop",
            postcode="RM10 8AB",
            status=status,
            token_hash=f"{session.pk}-{n}",
        )


def test_raw_query_matches_orm_sessions_order_and_taken_count(partner, other_partner, course):
    def at(days, hours=0):
        return NOW + timedelta(days=days, hours=hours)

    mixed = session_for(partner, page=course, capacity=5, starts_at=at(7))
    add_bookings(mixed, "confirmed", "confirmed", "pending_payment", "waiting", "cancelled", "expired")
    full = session_for(partner, page=course, capacity=2, starts_at=at(3))
    add_bookings(full, "confirmed", "pending_payment", "waiting", "waiting")
    same_start = session_for(partner, page=course, capacity=3, starts_at=at(3))  # ordered by id after `full`
    add_bookings(same_start, "cancelled", "expired")
    empty = session_for(partner, page=course, capacity=4, starts_at=at(10))
    cancelled = session_for(partner, page=course, capacity=4, starts_at=at(5))
    add_bookings(cancelled, "confirmed")
    Session.objects.filter(pk=cancelled.pk).update(status=Session.Status.CANCELLED)
    past = session_for(partner, page=course, capacity=4, starts_at=at(-1))
    add_bookings(past, "confirmed")
    just_started = session_for(partner, page=course, capacity=4, starts_at=NOW)
    add_bookings(just_started, "confirmed")
    other_page = training_page_for(partner, slug="networking", title="Networking")
    session_for(partner, page=other_page, capacity=4, starts_at=at(4))
    theirs = session_for(other_partner, page=training_page_for(other_partner), capacity=4, starts_at=at(4))
    Session.objects.filter(pk=theirs.pk).update(page=course)  # same page, another partner

    raw = upcoming_sessions_for_page(page_id=course.pk, partner=partner, now=NOW)
    # Meta.ordering does not apply to GROUP BY queries (Django 3.1+): order as the raw SQL does.
    orm = Session.objects.upcoming(NOW).filter(page=course, partner=partner).with_counts().order_by("starts_at", "pk")

    assert [(s.pk, s.taken_count) for s in raw] == [(s.pk, s.taken_count) for s in orm]
    assert [(s.pk, s.taken_count) for s in raw] == [(full.pk, 2), (same_start.pk, 0), (mixed.pk, 3), (empty.pk, 0)]
    assert [s.booking_state(NOW) for s in raw] == ["full", "open", "open", "open"]
    assert [s.places_left() for s in raw] == [0, 3, 2, 4]
