"""Parts of public pages re-rendered on every request, even when the page comes from the cache."""

import functools

from django.template.loader import get_template
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from wagtail.models import Page

from cms.tenancy import partner_for_request

from .formats import day_label, time_label
from .models import Session
from .places import upcoming_sessions


def upcoming_sessions_fragment(request, page_id):
    """Upcoming sessions of a course or event page, with places left as of the last booking change
    (bookings/places.py: kept in the shared cache until a booking or session is written).

    Registered on the `bookable_page_fragments` hook (wagtail_hooks.py). Dates and times are
    formatted here with `formats` (the template `date` filter costs ten times as much); the markup
    is `bookings/_upcoming_sessions.html`.
    """
    if request is not None:
        partner = partner_for_request(request)
    else:  # rendered outside a request (e.g. a page rendered to a string)
        partner = Page.objects.get(pk=page_id).specific.get_partner()
    if partner is None:
        return ""
    now = timezone.now()
    tz = timezone.get_current_timezone()
    book_url, calendar_url = _urls(get_script_prefix())
    rows = []
    for session in upcoming_sessions(page_id=page_id, partner=partner, now=now):
        state = session.booking_state(now)
        not_open = state == Session.BookingState.NOT_OPEN_YET
        day, starts, ends, opens = _labels(session.starts_at, session.ends_at, session.booking_opens_at, not_open, tz)
        rows.append((day, starts, ends, session.places_left(), state, book_url.format(session.pk), opens))
    return _render_rows(tuple(rows), calendar_url)


@functools.lru_cache(maxsize=8)
def _urls(prefix: str) -> tuple[str, str]:
    """One reverse() per process: the booking URL differs only by the session's id."""
    book_url = reverse("bookings:book", kwargs={"session_id": 0}).replace("/0/", "/{}/")
    return book_url, reverse("bookings:calendar_feed")


@functools.lru_cache(maxsize=4096)
def _labels(starts_at, ends_at, opens_at, not_open: bool, tz) -> tuple[str, str, str, str]:
    """A session's date and times as people read them; the same session is listed on every view."""
    opens = day_label(opens_at, tz) if not_open else ""
    return day_label(starts_at, tz), time_label(starts_at, tz), time_label(ends_at, tz), opens


ROW_FIELDS = ("day", "starts", "ends", "places_left", "state", "book_url", "opens")


@functools.lru_cache(maxsize=512)
def _render_rows(rows: tuple, calendar_url: str) -> str:
    """The list's markup for exactly these rows, rendered once per process: the rows are read fresh
    on every request, but between bookings they are the same, and the template took two thirds of
    a cached course page's time. The key is everything the template reads, so it cannot go stale."""
    context = {"rows": [dict(zip(ROW_FIELDS, row, strict=True)) for row in rows], "calendar_url": calendar_url}
    return get_template("bookings/_upcoming_sessions.html").render(context)
