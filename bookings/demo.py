"""Demo sessions and bookings: next May and June, for both partners. Idempotent.

Called by `manage.py seed_demo` after courses has made each partner's workshop page and networking
events. The workshop runs Tuesdays and Thursdays at 10:00 (one django-scheduler Rule per partner,
materialised by create_series); each networking event gets one session at its own date. A few
sessions are nearly full and Barking and Dagenham's first workshop is full with a waiting list.

`--sessions N --bookings N` add benchmark volume on a separate, unlisted course page, written with
bulk_create so tens of thousands of rows take seconds.
"""

import math
import secrets
from datetime import date, datetime, time, timedelta
from itertools import cycle

from django.utils import timezone
from schedule.models import Event

from cms.choices import VenueType
from cms.models import Partner
from courses.models import CoursePage, NetworkingEventPage, TrainingIndexPage

from .models import Booking, Session, hash_token
from .services import create_series, create_session, partner_calendar

COURSE_SLUG = "safe-haven-training"
BENCHMARK_SLUG = "benchmark-workshop"
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


def seed(*, stdout, options):
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
    extra_sessions, extra_bookings = options.get("sessions") or 0, options.get("bookings") or 0
    if extra_sessions or extra_bookings:
        _seed_benchmark(stdout, extra_sessions, extra_bookings, first_day)


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


def _seed_benchmark(stdout, extra_sessions, extra_bookings, first_day):
    """Benchmark volume on an unlisted course page of the first partner, topped up to the numbers asked."""
    partner = Partner.objects.select_related("site__root_page").order_by("pk").first()
    if partner is None:
        return
    page = _benchmark_page(partner)
    sessions = list(Session.objects.filter(page=page).order_by("pk"))
    needed = max(extra_sessions, math.ceil(extra_bookings / CAPACITY)) - len(sessions)
    if needed > 0:
        calendar = partner_calendar(partner)
        base = timezone.make_aware(datetime.combine(first_day + timedelta(days=70), time(9, 0)))
        starts = [base + timedelta(days=(len(sessions) + i) // 8, hours=(len(sessions) + i) % 8) for i in range(needed)]
        events = Event.objects.bulk_create(
            [Event(calendar=calendar, title=page.title, start=s, end=s + timedelta(minutes=90)) for s in starts],
            batch_size=1000,
        )
        sessions += Session.objects.bulk_create(
            [
                Session(
                    partner=partner,
                    page_id=page.pk,
                    event=event,
                    starts_at=event.start,
                    ends_at=event.end,
                    capacity=CAPACITY,
                )
                for event in events
            ],
            batch_size=1000,
        )
    existing = Booking.objects.filter(session__page=page).count()
    missing = extra_bookings - existing
    if missing > 0:
        now = timezone.now()
        # Fill each session in turn, so every booking is a confirmed place.
        bookings = [
            Booking(
                session_id=sessions[(existing + i) // CAPACITY % len(sessions)].pk,
                partner_id=partner.pk,
                name=f"Benchmark attendee {existing + i}",
                email=f"bench{existing + i}@example.org",
                organisation="Benchmark venue",
                venue_type=VenueType.OTHER,
                postcode="IG11 7NB",
                consent=True,
                status=Booking.Status.CONFIRMED,
                token_hash=hash_token(f"benchmark-{secrets.token_hex(8)}-{existing + i}"),
                created_at=now,
                confirmed_at=now,
            )
            for i in range(missing)
        ]
        Booking.objects.bulk_create(bookings, batch_size=2000)
    stdout.write(f"Benchmark: {len(sessions)} sessions and {max(existing, extra_bookings)} bookings on {page.url}.")


def _benchmark_page(partner):
    training = TrainingIndexPage.objects.child_of(partner.site.root_page).first()
    page = CoursePage.objects.child_of(training).filter(slug=BENCHMARK_SLUG).first()
    if page is None:
        page = training.add_child(
            instance=CoursePage(title="Benchmark workshop", slug=BENCHMARK_SLUG, show_in_menus=False)
        )
        page.save_revision().publish()
    return page
