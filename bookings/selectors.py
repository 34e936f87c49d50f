"""Reads shared by the public pages, the feed and the admin."""

from django.http import Http404
from django.utils import timezone

from .models import Booking, Session


def upcoming_sessions_for_page(*, page, partner, now=None):
    """Scheduled sessions of a page still to come, with places taken and waiting in ONE query."""
    return list(
        Session.objects.upcoming(now).filter(page_id=page.pk, partner=partner).with_counts().order_by("starts_at", "pk")
    )


def public_sessions_for_partner(*, partner, now=None):
    return Session.objects.upcoming(now).filter(partner=partner).select_related("page").order_by("starts_at")


def session_for_partner(*, session_id: int, partner) -> Session:
    """A session of the request's partner; another partner's session is a 404, never the object."""
    session = (
        Session.objects.filter(pk=session_id, partner=partner).with_counts().select_related("page", "partner").first()
    )
    if session is None:
        raise Http404("No such session")
    return session


def booking_for_token(*, token: str, partner) -> Booking:
    if not token or len(token) > 100:
        raise Http404("No such booking")
    booking = (
        Booking.objects.for_token(token)
        .filter(partner=partner)
        .select_related("session__page", "session__partner", "partner__site")
        .first()
    )
    if booking is None:
        raise Http404("No such booking")
    return booking


def rebook_options(*, booking: Booking, now=None):
    now = now or timezone.now()
    sessions = (
        Session.objects.upcoming(now)
        .filter(page_id=booking.session.page_id, partner_id=booking.partner_id)
        .exclude(pk=booking.session_id)
        .with_counts()
        .order_by("starts_at")
    )
    return [s for s in sessions if s.booking_is_open(now) and s.taken_count < s.capacity]


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
