"""The public calendar feed as open data built once per change (cms/prebuilt.py): by the request
that finds it missing or in the background after a change of content or of the sessions in the
feed's window. Registered when the app is ready, so the background task knows it in any process."""

from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from cms import prebuilt
from cms.content_version import content_version

from . import ical, selectors
from .models import Booking
from .notifications import about, organizer, where_sentence


def calendar_body(*, partner, root: str, now) -> bytes:
    """The feed's iCalendar text: the sessions in `selectors.FEED_WINDOW`, PUBLISH, no attendees."""
    entries = []
    sessions = list(selectors.public_sessions_for_partner(partner=partner, now=now))
    # Each page's own text once (one query per page type), not once per session.
    pages = {page.pk: page for page in Page.objects.filter(pk__in={s.page_id for s in sessions}).specific()}
    abouts = {pk: about(page) for pk, page in pages.items()}
    book_path = reverse("bookings:book", args=[0]).replace("/0/", "/{}/")
    for session in sessions:
        book_url = root + book_path.format(session.pk)
        entries.append(
            ical.Entry(
                uid=session.ical_uid,
                sequence=session.sequence,
                starts_at=session.starts_at,
                ends_at=session.ends_at,
                summary=session.page_title,
                time_zone=partner.zone_name,
                description=f"{abouts[session.page_id]}\n\n{where_sentence(session, confirmed=False)}"
                f"\n\nBook a place: {book_url}",
                location=session.where,
                url=book_url,
            )
        )
    fake_booking = Booking(partner=partner)
    return ical.publish(entries, organizer=organizer(fake_booking), name=f"{partner.name} Safe Haven training")


def _feed_body(partner, root, now) -> bytes:
    with timezone.override(partner.zone):  # the same text from a request or the background task
        return calendar_body(partner=partner, root=root, now=now)


CALENDAR_FEED = prebuilt.register_source(
    "calendar-feed",
    stamp=lambda partner, now: f"{content_version()}:{selectors.public_sessions_fingerprint(partner=partner, now=now)}",
    build=lambda partner, root, now: _feed_body(partner, root, now),
)
