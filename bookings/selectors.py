"""Reads shared by the public pages, the feed and the admin."""

import datetime

from django.db import connection
from django.db.models import Count, F, Max, Min, Q, Sum
from django.utils import timezone

from .formats import day_label, plain_time
from .models import Booking, Session

UPCOMING_FOR_PAGE = """
    SELECT s.id, s.starts_at, s.ends_at, s.capacity, s.status, s.booking_opens_at, s.booking_closes_at,
           (SELECT COUNT(*) FROM {booking} b WHERE b.session_id = s.id AND b.status IN (%s, %s)) AS taken_count
      FROM {session} s
     WHERE s.page_id = %s AND s.partner_id = %s AND s.status = %s AND s.starts_at > %s
     ORDER BY s.starts_at, s.id
"""


def upcoming_sessions_for_page(*, page_id: int, partner, now=None) -> list[Session]:
    """Scheduled sessions of a page still to come, with places taken, in ONE query.

    Hand-written SQL on purpose: this runs for a course page, even a cached one, after every
    booking or session change (bookings/places.py), and the ORM spent four times as long building
    and planning its GROUP BY as the database took to answer this correlated count.
    The instances carry only the columns above plus `taken_count`.
    """
    sql = UPCOMING_FOR_PAGE.format(booking=Booking._meta.db_table, session=Session._meta.db_table)
    params = [*Booking.HOLDS_PLACE, page_id, partner.pk, Session.Status.SCHEDULED, now or timezone.now()]
    return list(Session.objects.raw(sql, params))


# The public calendar feed lists the sessions starting in the next year, at most the first 200 of
# them: calendar apps poll it hourly, and a feed of every session ever planned would grow without
# end (each event costs the iCalendar library about half a millisecond to write).
FEED_WINDOW = datetime.timedelta(days=365)
FEED_LIMIT = 200


def public_sessions_for_partner(*, partner, now=None):
    """Upcoming sessions in the feed's window, soonest first, each with its `page_title`."""
    now = now or timezone.now()
    return (
        Session.objects.upcoming(now)
        .filter(partner=partner, starts_at__lte=now + FEED_WINDOW)
        .only("ical_uid", "sequence", "starts_at", "ends_at", "location", "page_id")
        .annotate(page_title=F("page__title"))  # not the whole page row for each session
        .order_by("starts_at", "pk")[:FEED_LIMIT]
    )


def public_sessions_fingerprint(*, partner, now=None) -> str:
    """Changes whenever the feed would: a session added, edited, moved, cancelled, started or come
    into the window (one indexed aggregate, so a request can tell without building the feed)."""
    now = now or timezone.now()
    window = Session.objects.upcoming(now).filter(partner=partner, starts_at__lte=now + FEED_WINDOW)
    found = window.aggregate(
        n=Count("pk"), last=Max("pk"), first=Min("starts_at"), edited=Max("updated_at"), sequences=Sum("sequence")
    )
    return ":".join(str(found[name]) for name in ("n", "last", "first", "edited", "sequences"))


def session_for_partner(*, session_id: int, partner) -> Session | None:
    """A session of the request's partner; None for another partner's (the view answers 404)."""
    return Session.objects.filter(pk=session_id, partner=partner).first()


PLACES_TAKEN = "SELECT COUNT(*) FROM {booking} WHERE session_id = %s AND status IN (%s, %s)"


def places_taken(session: Session) -> int:
    """Confirmed places and places held for payment, counted now.

    Plain SQL: a booking counts while it holds the session's row lock, and building the ORM's
    COUNT took longer than the database took to answer it (everyone booking waits for that lock)."""
    with connection.cursor() as cursor:
        cursor.execute(PLACES_TAKEN.format(booking=Booking._meta.db_table), [session.pk, *Booking.HOLDS_PLACE])
        return cursor.fetchone()[0]


def booking_for_token(*, token: str, partner) -> Booking | None:
    """The booking a private link names, for this partner only; None when there is none."""
    if not token or len(token) > 100:
        return None
    return (
        Booking.objects.for_token(token)
        .filter(partner=partner)
        .select_related("session__page", "session__partner", "partner__site")
        .first()
    )


def rebook_options(*, booking: Booking, now=None):
    now = now or timezone.now()
    sessions = (
        Session.objects.upcoming(now)
        .filter(page_id=booking.session.page_id, partner_id=booking.partner_id)
        .exclude(pk=booking.session_id)
        .with_counts()
        .order_by("starts_at")
    )
    return [s for s in sessions if s.booking_state(now) == Session.BookingState.OPEN]


def session_bookings_for_staff(*, session: Session) -> dict:
    """A session's bookings grouped for the staff screen, waiting positions counted in one pass."""
    bookings = list(Booking.objects.filter(session=session).order_by("created_at", "pk"))
    waiting = [b for b in bookings if b.status == Booking.Status.WAITING]
    for position, booking in enumerate(waiting, start=1):
        booking.position = position
    return {
        "confirmed": [b for b in bookings if b.status == Booking.Status.CONFIRMED],
        "pending": [b for b in bookings if b.status == Booking.Status.PENDING_PAYMENT],
        "waiting": waiting,
        "cancelled": [b for b in bookings if b.status in (Booking.Status.CANCELLED, Booking.Status.EXPIRED)],
        "all_bookings": bookings,
    }


def session_summary(session: Session, *, now=None) -> dict:
    """What the staff session page says about a session, in words, from one query of counts."""
    now = now or timezone.now()
    zone = session.partner.zone
    counts = Booking.objects.filter(session=session).aggregate(
        confirmed=Count("pk", filter=Q(status=Booking.Status.CONFIRMED)),
        held=Count("pk", filter=Q(status=Booking.Status.PENDING_PAYMENT)),
        waiting=Count("pk", filter=Q(status=Booking.Status.WAITING)),
        walk_ins=Count("pk", filter=Q(status=Booking.Status.CONFIRMED, added_by__isnull=False)),
    )

    def at(value):
        return f"{day_label(value, zone)} at {plain_time(value, zone)}"

    if session.is_cancelled:
        window = "Closed: the session is cancelled"
    elif session.booking_opens_at and now < session.booking_opens_at:
        window = f"Opens {at(session.booking_opens_at)}"
    elif now >= session.starts_at:
        window = "Closed: the session has started"
    elif not session.booking_is_open(now):
        window = f"Closed on {at(session.booking_closes_at)}"
    else:
        window = "Open"
    if not session.is_cancelled and now < session.starts_at:
        closes = session.booking_closes_at or session.starts_at
        window += f", closes {at(closes)}" if session.booking_closes_at else " until the session starts"
    same_day = session.starts_at.astimezone(zone).date() == session.ends_at.astimezone(zone).date()
    ends = plain_time(session.ends_at, zone) if same_day else at(session.ends_at)
    taken = counts["confirmed"] + counts["held"]
    return {
        "confirmed_count": counts["confirmed"],
        "held_count": counts["held"],
        "waiting_total": counts["waiting"],
        "walk_in_count": counts["walk_ins"],
        "places_left": session.places_left(taken),
        "over_capacity": max(taken - session.capacity, 0),
        "when_label": f"{day_label(session.starts_at, zone)}, {plain_time(session.starts_at, zone)} to {ends}",
        "booking_window": window,
        "has_started": now >= session.starts_at,
        "walk_ins_allowed": walk_ins_allowed(session, now=now),
    }


def walk_ins_allowed(session: Session, *, now=None) -> bool:
    """From the session's own day on the partner's clock (as services.add_walk_in decides)."""
    zone = session.partner.zone
    now = now or timezone.now()
    return not session.is_cancelled and now.astimezone(zone).date() >= session.starts_at.astimezone(zone).date()
