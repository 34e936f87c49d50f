"""Demo sessions and bookings: next May and June, for both partners. Idempotent.

Called by `manage.py seed_demo` after courses has made each partner's workshop page and networking
events. The workshop runs Tuesdays and Thursdays at 10:00 (one django-scheduler Rule per partner,
materialised by create_series); each networking event gets one session at its own date. A few
sessions are nearly full and Barking and Dagenham's first workshop is full with a waiting list.

Benchmark volume (`--sessions N --bookings N`) is bench/volume.py's.
"""

import secrets
from datetime import date, time, timedelta
from itertools import cycle

from django.utils import timezone

from bookings.models import Booking, Session, hash_token
from bookings.services import create_series, create_session
from cms.choices import VenueType
from cms.models import Partner
from courses.models import CoursePage, NetworkingEventPage

COURSE_SLUG = "safe-haven-training"
CAPACITY = 20
# Places taken in the first few workshop sessions of each partner; the rest get a handful.
BARKING_FILL = [CAPACITY, CAPACITY - 1, CAPACITY - 2, 16, 12]
TUNBRIDGE_WELLS_FILL = [CAPACITY - 1, 15, 9]
WAITING_ON_FULL = 3
VENUES = [
    ("Heathway Books", VenueType.SHOP, "RM10 8RB"),
    ("Ripple Road Café", VenueType.CAFE, "IG11 7PB"),
    ("The Barking Dog", VenueType.PUB, "IG11 8TU"),
    ("Barking Learning Centre", VenueType.LIBRARY, "IG11 7NB"),
    ("Eastbury Primary School", VenueType.SCHOOL, "IG11 9QQ"),
    ("Heathway Community Centre", VenueType.COMMUNITY_CENTRE, "RM10 8QS"),
    ("St Margaret's Church", VenueType.FAITH_SPACE, "IG11 8AS"),
]
FIRST_NAMES = ["Asha", "Tom", "Priya", "Kwame", "Ewa", "Liam", "Fatima", "Chloe", "Daniel", "Mei"]
LAST_NAMES = ["Patel", "Okafor", "Nowak", "Smith", "Begum", "Jones", "Ahmed", "Clarke", "Kaur", "Wilson"]


def next_may_and_june(today: date) -> tuple[date, date]:
    """1 May – 30 June of the coming season: this year's until May starts, then next year's."""
    year = today.year if today < date(today.year, 5, 1) else today.year + 1
    return date(year, 5, 1), date(year, 6, 30)


def seed(*, stdout):
    first_day, last_day = next_may_and_june(timezone.localdate())
    for partner in Partner.objects.select_related("site__root_page").order_by("pk"):
        root = partner.site.root_page
        course = CoursePage.objects.descendant_of(root).filter(slug=COURSE_SLUG).first()
        if course and not Session.objects.filter(page=course).exists():
            sessions = create_series(
                partner=partner,
                page=course,
                first_day=first_day,
                last_day=last_day,
                weekdays=["TU", "TH"],
                start_time=time(10, 0),
                capacity=CAPACITY,
                joining_link=f"https://meet.example.org/safe-haven-{partner.slug}",
            )
            if partner.name == "Barking and Dagenham":
                _book_demo_places(sessions, BARKING_FILL, waiting_on_first=WAITING_ON_FULL)
            else:
                _book_demo_places(sessions, TUNBRIDGE_WELLS_FILL)
            stdout.write(f"{partner.name}: {len(sessions)} workshop sessions, {first_day:%B} to {last_day:%B %Y}.")
        for event in NetworkingEventPage.objects.descendant_of(root).live().specific():
            if event.starts_at and not Session.objects.filter(page=event).exists():
                session = create_session(
                    partner=partner,
                    page=event,
                    starts_at=event.starts_at,
                    capacity=event.capacity or CAPACITY,
                    joining_link="" if event.location else f"https://meet.example.org/network-{partner.slug}",
                )
                _book_demo_places([session], [min(session.capacity - 4, 11)])


def _attendees():
    """An endless supply of plausible, clearly fictional attendees."""
    n = 0
    venues = cycle(VENUES)
    while True:
        first, last = FIRST_NAMES[n % len(FIRST_NAMES)], LAST_NAMES[(n // len(FIRST_NAMES)) % len(LAST_NAMES)]
        organisation, venue_type, postcode = next(venues)
        yield {
            "name": f"{first} {last}",
            "email": f"demo.attendee{n}@example.org",
            "organisation": organisation,
            "venue_type": venue_type,
            "postcode": postcode,
            "consent": True,
        }
        n += 1


def _demo_booking(session, person, *, status, created_at) -> Booking:
    # A random token nobody holds: demo bookings are seen in the admin, not through manage links.
    return Booking(
        session=session,
        partner_id=session.partner_id,
        status=status,
        token_hash=hash_token(secrets.token_urlsafe(32)),
        created_at=created_at,
        confirmed_at=created_at if status == Booking.Status.CONFIRMED else None,
        **person,
    )


def _book_demo_places(sessions, fill, *, waiting_on_first=0):
    people = _attendees()
    start = timezone.now() - timedelta(days=7)
    bookings = []
    for index, session in enumerate(sessions):
        taken = fill[index] if index < len(fill) else (index * 3) % 7
        taken = min(taken, session.capacity)
        for n in range(taken):
            bookings.append(
                _demo_booking(session, next(people), status="confirmed", created_at=start + timedelta(minutes=n))
            )
        if index == 0 and taken == session.capacity:
            for n in range(waiting_on_first):
                bookings.append(
                    _demo_booking(
                        session, next(people), status="waiting", created_at=start + timedelta(hours=1, minutes=n)
                    )
                )
    Booking.objects.bulk_create(bookings, batch_size=1000)
