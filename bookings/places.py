"""Places left on course pages, read from the database once per booking change.

A course page's session list (dates and places left) is rendered afresh on every view, even when
the rest of the page comes from the page cache. Rather than count bookings on every view, the
upcoming sessions of a page with their places taken are kept in the shared cache with the places
version, a number that moves whenever a booking or session is written: on their post_save and
post_delete, and by the writes that send no signal (`.update()`) and change what counts. It moves
at once and again when the transaction commits, as the content version does, so nobody keeps what
they read before a booking committed. A view reads the version and the rows in one round trip and
asks the database nothing; the clock (a session starting, a booking window opening or closing) is
judged on every view.
"""

import datetime
from dataclasses import dataclass

from django.core.cache import cache

from cms.content_version import move_counter, once_after_commit, read_counter

from .models import Session, closed_state
from .selectors import upcoming_sessions_for_page

PLACES_KEY = "places-version"
ROWS_SECONDS = 3600  # retired sooner by any booking or session change


def places_changed(**kwargs) -> None:
    """A booking or session was written: move the places version now and when the write commits
    (a post_save/post_delete receiver; call it after an `.update()` that changes what counts)."""
    move_counter(PLACES_KEY)
    once_after_commit(_move_when_committed)


def _move_when_committed() -> None:
    move_counter(PLACES_KEY)


@dataclass(frozen=True)
class UpcomingSession:
    """What a course page lists of a session, with its places taken when it was read."""

    pk: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    capacity: int
    booking_opens_at: datetime.datetime | None
    booking_closes_at: datetime.datetime | None
    taken: int

    def places_left(self) -> int:
        return max(self.capacity - self.taken, 0)

    def booking_state(self, now: datetime.datetime) -> Session.BookingState:
        closed = closed_state(
            cancelled=False,  # only scheduled sessions are listed
            starts_at=self.starts_at,
            booking_opens_at=self.booking_opens_at,
            booking_closes_at=self.booking_closes_at,
            now=now,
        )
        if closed is not None:
            return closed
        return Session.BookingState.OPEN if self.places_left() else Session.BookingState.FULL


def upcoming_sessions(*, page_id: int, partner, now: datetime.datetime) -> list[UpcomingSession]:
    """The page's scheduled sessions starting after `now`, soonest first, with places taken as of
    the last booking change."""
    key = f"upcoming-sessions:{partner.pk}:{page_id}"
    found = cache.get_many([PLACES_KEY, key])
    version = found.get(PLACES_KEY)
    if version is None:
        version = read_counter(PLACES_KEY)
    entry = found.get(key)
    # Kept rows hold every session starting after the moment they were read, so they serve any
    # later moment (not an earlier one, as a test's clock may be).
    if isinstance(entry, tuple) and len(entry) == 3 and entry[0] == version and entry[1] <= now:
        rows = entry[2]
    else:
        rows = [
            UpcomingSession(
                pk=session.pk,
                starts_at=session.starts_at,
                ends_at=session.ends_at,
                capacity=session.capacity,
                booking_opens_at=session.booking_opens_at,
                booking_closes_at=session.booking_closes_at,
                taken=session.taken_count,
            )
            for session in upcoming_sessions_for_page(page_id=page_id, partner=partner, now=now)
        ]
        cache.set(key, (version, now, rows), ROWS_SECONDS)
    return [row for row in rows if row.starts_at > now]
