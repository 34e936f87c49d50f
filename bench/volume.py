"""Benchmark volume for `seed_demo --venues N --sessions N --bookings N` (and `make bench`).

Written with bulk_create, so tens of thousands of rows take seconds; running it again tops up to the
numbers asked, never duplicates. The demo itself (demo/) comes first: these build on its partners,
areas and course pages.
"""

import datetime
import math
import random
import secrets

from django.utils import timezone
from schedule.models import Event

from bookings.models import Booking, Session, hash_token
from bookings.services import partner_calendar
from certificates.models import Certificate, OpeningHours, Venue, VenueHelp, new_verification_code
from cms.choices import VenueType
from cms.models import Area, Partner
from courses.models import CoursePage, TrainingIndexPage
from demo.bookings import CAPACITY, next_may_and_june
from demo.certificates import CORE_HELP, MON_SAT, course_page_for

BENCHMARK_SLUG = "benchmark-workshop"
BENCHMARK_PREFIX = "benchmark-venue"
OPENS, CLOSES = datetime.time(9, 0), datetime.time(17, 30)


def seed_sessions(*, stdout, extra_sessions: int, extra_bookings: int):
    """Benchmark sessions and bookings on an unlisted course page of the first partner, topped up to the
    numbers asked; the sessions start ten weeks into the demo's May and June."""
    first_day, _ = next_may_and_june(timezone.localdate())
    partner = Partner.objects.select_related("site__root_page").order_by("pk").first()
    if partner is None:
        return
    page = _benchmark_page(partner)
    sessions = list(Session.objects.filter(page=page).order_by("pk"))
    needed = max(extra_sessions, math.ceil(extra_bookings / CAPACITY)) - len(sessions)
    if needed > 0:
        calendar = partner_calendar(partner)
        base = timezone.make_aware(
            datetime.datetime.combine(first_day + datetime.timedelta(days=70), datetime.time(9, 0))
        )
        starts = [
            base + datetime.timedelta(days=(len(sessions) + i) // 8, hours=(len(sessions) + i) % 8)
            for i in range(needed)
        ]
        events = Event.objects.bulk_create(
            [
                Event(calendar=calendar, title=page.title, start=s, end=s + datetime.timedelta(minutes=90))
                for s in starts
            ],
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
                    price=page.price,
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


def seed_venues(*, count: int):
    """Accredited benchmark venues for Barking and Dagenham, topped up to `count`."""
    today = timezone.localdate()
    partner = Partner.objects.get(name="Barking and Dagenham")
    existing = Venue.objects.filter(partner=partner, slug__startswith=f"{BENCHMARK_PREFIX}-").count()
    if existing < count:
        create_benchmark_venues(partner=partner, count=count - existing, today=today, start=existing)


def create_benchmark_venues(*, partner: Partner, count: int, today: datetime.date, start: int = 0) -> list[Venue]:
    """`count` accredited, listed venues with a certificate, hours, help and an area each, in bulk.

    A handful of INSERTs whatever the count, so `seed_demo --venues 5000` takes seconds.
    """
    course = course_page_for(partner)
    areas = list(Area.objects.filter(partner=partner)) or [None]
    rng = random.Random(start + count)  # noqa: S311 - scattering demo pins, not security
    until = today + datetime.timedelta(days=365)
    venues = Venue.objects.bulk_create(
        [
            Venue(
                partner=partner,
                name=f"Benchmark venue {n}",
                slug=f"{BENCHMARK_PREFIX}-{n}",
                match_name=f"benchmark venue {n}",
                venue_type="shop",
                address=f"{n} Benchmark Street, Barking",
                postcode="IG11 7AA",
                area=areas[n % len(areas)],
                latitude=round(51.53 + rng.random() * 0.04, 5),
                longitude=round(0.07 + rng.random() * 0.09, 5),
                agreed_to_pledge=True,
                pledge_agreed_on=today,
                agreed_to_be_listed=True,
                accredited_until=until,
                sticker_pack=Venue.StickerPack.TO_SEND,
            )
            for n in range(start, start + count)
        ],
        batch_size=1000,
    )
    if not venues or venues[0].pk is None:  # a backend that does not return ids from bulk inserts
        venues = list(Venue.objects.filter(partner=partner, slug__in=[v.slug for v in venues]))
    Certificate.objects.bulk_create(
        [
            Certificate(
                partner=partner,
                course_page=course,
                holder_name="Benchmark Holder",
                holder_email=f"{venue.slug}@example.org",
                venue=venue,
                code=new_verification_code(),
                issued_on=today,
                expires_on=until,
                completion_key=f"benchmark:{partner.slug}:{venue.slug}",
            )
            for venue in venues
        ],
        batch_size=1000,
    )
    OpeningHours.objects.bulk_create(
        [OpeningHours(venue=venue, weekday=day, opens=OPENS, closes=CLOSES) for venue in venues for day in MON_SAT],
        batch_size=5000,
    )
    VenueHelp.objects.bulk_create(
        [VenueHelp(venue=venue, code=code) for venue in venues for code in CORE_HELP], batch_size=5000
    )
    return venues
