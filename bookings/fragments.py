"""Parts of public pages re-rendered on every request, even when the page comes from the cache."""

from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from cms.tenancy import partner_for_request

from .formats import day_label, time_label
from .models import Session
from .selectors import upcoming_sessions_for_page


def upcoming_sessions_fragment(request, page_id):
    """Upcoming sessions of a course or event page, with places left read fresh on every request.

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
    # One reverse() for the whole list: the URL differs only by the session's id.
    book_url = reverse("bookings:book", kwargs={"session_id": 0}).replace("/0/", "/{}/")
    rows = []
    for session in upcoming_sessions_for_page(page_id=page_id, partner=partner, now=now):
        state = session.booking_state(now)
        rows.append(
            {
                "day": day_label(session.starts_at, tz),
                "starts": time_label(session.starts_at, tz),
                "ends": time_label(session.ends_at, tz),
                "places_left": session.places_left(),
                "state": state,
                "book_url": book_url.format(session.pk),
                "opens": day_label(session.booking_opens_at, tz) if state == Session.BookingState.NOT_OPEN_YET else "",
            }
        )
    context = {"rows": rows, "calendar_url": reverse("bookings:calendar_feed")}
    return get_template("bookings/_upcoming_sessions.html").render(context)
