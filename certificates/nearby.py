"""The nearest open Safe Havens, within walking distance of a person, or the next one to open.

Someone who needs a Safe Haven needs one they can walk into now. "Open now" is the register's own
rule (`open_at`, decided in the database on the partner's wall clock); when it closes and when a
closed one next opens are read from the same opening hours, with a period whose closing time is not
after its opening time running past midnight, as `open_at` has it.

The person's position is only ever an argument: it is not stored, logged or cached here.
"""

import datetime
import math
from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from bookings.formats import plain_time

from .models import Venue
from .postcodes import distance_km
from .selectors import open_at, register_queryset

KM_PER_MILE = 1.609344
WALKING_METRES_PER_SECOND = 1.3  # about 4.8 km/h, a gentle pace
KM_PER_DEGREE = 111.32


def miles_label(km: float) -> str:
    """ "0.4 miles"; never "0.0 miles" for someone standing next door."""
    miles = km / KM_PER_MILE
    if miles < 0.1:
        return "Less than 0.1 miles"
    return f"{miles:.1f} miles"


def walk_minutes(km: float) -> int:
    """Whole minutes at a gentle walking pace, rounded up, never less than one."""
    return max(1, math.ceil(km * 1000 / WALKING_METRES_PER_SECOND / 60))


def walk_label(km: float) -> str:
    minutes = walk_minutes(km)
    return "1 minute's walk" if minutes == 1 else f"{minutes} minutes' walk"


WALK_SHOWN_UP_TO_MINUTES = 60  # beyond an hour on foot, "minutes' walk" stops helping anyone


def distance_label(km: float) -> str:
    """ "0.4 miles away, about 8 minutes' walk"; just the miles when it is over an hour's walk."""
    if walk_minutes(km) > WALK_SHOWN_UP_TO_MINUTES:
        return f"{miles_label(km)} away"
    return f"{miles_label(km)} away, about {walk_label(km)}"


def directions_url(venue: Venue) -> str:
    """A plain OpenStreetMap directions link to the venue, or "" when its position is not known.
    Directions to the venue only: the person's own position is never put in the link, and nothing
    in it tracks who follows it."""
    if venue.latitude is None or venue.longitude is None:
        return ""
    return f"https://www.openstreetmap.org/directions?to={venue.latitude},{venue.longitude}"


def day_and_time(moment: datetime.datetime, *, now: datetime.datetime) -> str:
    """ "today at 5pm", "tomorrow at 9am", "Monday at 9:30am" within the week, else with the date.
    Both are local wall-clock times on the partner's clock."""
    at = plain_time(moment, moment.tzinfo)
    days = (moment.date() - now.date()).days
    if days == 0:
        return f"today at {at}"
    if days == 1:
        return f"tomorrow at {at}"
    if days < 7:
        return f"{moment:%A} at {at}"
    return f"{moment:%A} {moment.day} {moment:%B} at {at}"


@dataclass(frozen=True)
class NearbyVenue:
    venue: Venue
    distance_km: float
    local: datetime.datetime  # now, on the partner's clock
    closes: datetime.datetime | None = None  # open now: when it closes (None when open round the clock)
    opens: datetime.datetime | None = None  # closed now: when it next opens

    @property
    def miles(self) -> str:
        return miles_label(self.distance_km)

    @property
    def walk(self) -> str:
        return walk_label(self.distance_km)

    @property
    def url(self) -> str:
        return reverse("certificates:venue", kwargs={"slug": self.venue.slug})

    @property
    def directions_url(self) -> str:
        return directions_url(self.venue)

    @property
    def closes_label(self) -> str:
        """ "5pm", or "1am" for a late night; the day only when it stays open beyond a day."""
        if self.closes is None:
            return ""
        if self.closes - self.local < datetime.timedelta(hours=24):
            return plain_time(self.closes, self.closes.tzinfo)
        return day_and_time(self.closes, now=self.local)

    @property
    def opens_label(self) -> str:
        return day_and_time(self.opens, now=self.local) if self.opens else ""


@dataclass(frozen=True)
class NearbySafeHavens:
    local: datetime.datetime  # now, on the partner's clock
    reach_km: float
    open_now: list[NearbyVenue]
    next_to_open: NearbyVenue | None
    within_reach: int  # listed Safe Havens within reach, open or not

    @property
    def reach_miles(self) -> str:
        return miles_label(self.reach_km)

    @property
    def reach_walk(self) -> str:
        return walk_label(self.reach_km)


def _periods(venue: Venue, local: datetime.datetime) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """The venue's opening periods as local datetimes, from yesterday (one may run past midnight
    into today) to a week ahead, in order. Uses the prefetched hours."""
    zone, today = local.tzinfo, local.date()
    periods = []
    for offset in range(-1, 8):
        day = today + datetime.timedelta(days=offset)
        for hours in venue.opening_hours.all():
            if hours.weekday != day.weekday():
                continue
            overnight = hours.closes <= hours.opens
            start = datetime.datetime.combine(day, hours.opens, tzinfo=zone)
            end = datetime.datetime.combine(day + datetime.timedelta(days=overnight), hours.closes, tzinfo=zone)
            periods.append((start, end))
    return sorted(periods)


def _closes(periods, local: datetime.datetime) -> datetime.datetime | None:
    """When the venue open at `local` closes; periods that meet or overlap run on into each other."""
    closes = None
    for start, end in periods:
        if closes is None and start <= local < end:
            closes = end
        elif closes is not None and start <= closes:
            closes = max(closes, end)
    if closes is None or closes >= periods[-1][1]:
        return None  # not found, or open as far ahead as the week's hours go
    return closes


def _next_opening(periods, local: datetime.datetime) -> datetime.datetime | None:
    return next((start for start, _ in periods if start > local), None)


def _box(lat: float, lng: float, km: float) -> dict:
    """A latitude/longitude box a little larger than the circle, so the database narrows the
    register to the neighbourhood before distances are worked out."""
    dlat = km / KM_PER_DEGREE + 0.001
    dlng = km / (KM_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01)) + 0.001
    return {
        "latitude__range": (Decimal(f"{lat - dlat:.5f}"), Decimal(f"{lat + dlat:.5f}")),
        "longitude__range": (Decimal(f"{lng - dlng:.5f}"), Decimal(f"{lng + dlng:.5f}")),
    }


def nearby_safe_havens(
    *, partner, origin: tuple[float, float], now: datetime.datetime | None = None
) -> NearbySafeHavens:
    """Listed Safe Havens within the partner's walking distance of `origin` (latitude, longitude):
    those open now, nearest first, and, when none is, the one that opens soonest.

    Three queries however large the register: the venues near by (with "open now" decided by
    `open_at`), then their hours and their help. `now` is injectable for tests.
    """
    now = now or timezone.now()
    local = now.astimezone(partner.zone)
    lat, lng = origin
    reach = float(partner.nearby_km)
    venues = (
        register_queryset(partner=partner, today=local.date())
        .filter(**_box(lat, lng, reach))
        .annotate(open_now=open_at(local))
        .prefetch_related("opening_hours", "help_items")
    )
    within = []
    for venue in venues:
        distance = distance_km(lat, lng, float(venue.latitude), float(venue.longitude))
        if distance <= reach:
            within.append((venue, distance))
    within.sort(key=lambda pair: (pair[1], pair[0].name))
    open_now = [
        NearbyVenue(venue, distance, local, closes=_closes(_periods(venue, local), local))
        for venue, distance in within
        if venue.open_now
    ]
    next_to_open = None
    if not open_now:
        upcoming = []
        for venue, distance in within:
            opens = _next_opening(_periods(venue, local), local)
            if opens is not None:
                upcoming.append(NearbyVenue(venue, distance, local, opens=opens))
        next_to_open = min(upcoming, key=lambda n: (n.opens, n.distance_km), default=None)
    return NearbySafeHavens(
        local=local, reach_km=reach, open_now=open_now, next_to_open=next_to_open, within_reach=len(within)
    )
