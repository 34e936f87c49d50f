"""Reads shared by the register page, venue pages, the GeoJSON feed and the map."""

import datetime
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone

from .models import Certificate, Venue, normalise_code
from .postcodes import distance_km


@dataclass
class RegisterFilters:
    area_slug: str = ""
    venue_type: str = ""
    help_offered: list[str] = field(default_factory=list)
    open_now: bool = False
    origin: tuple[float, float] | None = None  # (latitude, longitude) for "near me"


def register_queryset(*, partner, today: datetime.date):
    """Listed, accredited venues of one partner, with everything a list item shows, in three queries."""
    return (
        Venue.objects.listed(today=today)
        .filter(partner=partner)
        .select_related("area")
        .prefetch_related("opening_hours", "help_items")
        .order_by("name", "pk")
    )


def register_venues(
    *, partner, filters: RegisterFilters | None = None, now: datetime.datetime | None = None
) -> list[Venue]:
    """The public register, filtered; sorted by distance when there is an origin.

    "Open now" is judged on the partner's local wall clock (Europe/London), so opening hours
    stay right across the clock changes. `now` is injectable for tests.
    """
    filters = filters or RegisterFilters()
    now = now or timezone.now()
    local = now.astimezone(ZoneInfo(partner.time_zone or "Europe/London"))
    queryset = register_queryset(partner=partner, today=local.date())
    if filters.area_slug:
        queryset = queryset.filter(area__slug=filters.area_slug)
    if filters.venue_type:
        queryset = queryset.filter(venue_type=filters.venue_type)
    for code in filters.help_offered:  # every chosen kind of help, not any one of them
        queryset = queryset.filter(help_items__code=code)
    venues = list(queryset)
    for venue in venues:
        venue.open_now = venue.is_open_at(local)
        venue.distance_km = None
    if filters.open_now:
        venues = [venue for venue in venues if venue.open_now]
    if filters.origin:
        lat, lng = filters.origin
        for venue in venues:
            if venue.latitude is not None and venue.longitude is not None:
                venue.distance_km = distance_km(lat, lng, float(venue.latitude), float(venue.longitude))
        venues.sort(key=lambda v: (v.distance_km is None, v.distance_km or 0, v.name))
    return venues


def listed_venue(*, partner, slug: str, today: datetime.date) -> Venue | None:
    return register_queryset(partner=partner, today=today).filter(slug=slug).first()


def opening_hours_data(venue: Venue) -> dict[str, list[list[str]]]:
    """{"Monday": [["09:00", "17:30"]], "Sunday": []}: an empty list means closed."""
    return {day: [[f"{h.opens:%H:%M}", f"{h.closes:%H:%M}"] for h in hours] for day, hours in venue.weekly_hours()}


def venue_feature(venue: Venue, *, base_url: str) -> dict:
    """A GeoJSON Feature for one venue: public details only, never a certificate holder."""
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [float(venue.longitude), float(venue.latitude)]},
        "properties": {
            "name": venue.name,
            "type": venue.venue_type,
            "type_label": venue.get_venue_type_display(),
            "address": venue.address,
            "postcode": venue.postcode,
            "area": venue.area.name if venue.area else None,
            "help_offered": venue.help_offered,
            "opening_hours": opening_hours_data(venue),
            "url": base_url + reverse("certificates:venue", kwargs={"slug": venue.slug}),
            "accredited_until": venue.accredited_until.isoformat(),
        },
    }


def feature_collection(venues, *, base_url: str) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [
            venue_feature(v, base_url=base_url) for v in venues if v.latitude is not None and v.longitude is not None
        ],
    }


def certificate_for_verification(*, partner, code: str) -> Certificate | None:
    return (
        Certificate.objects.filter(partner=partner, code=normalise_code(code))
        .select_related("venue", "course_page")
        .first()
    )


def certificate_for_booking(booking) -> Certificate | None:
    """The certificate a completed booking earned (see certificates.signals.completion_key)."""
    return (
        Certificate.objects.filter(partner_id=booking.partner_id, completion_key=f"booking:{booking.pk}")
        .select_related("venue", "course_page", "partner__site")
        .first()
    )
