"""Reads shared by the register page, venue pages, the GeoJSON feed and the map."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

import orjson
from django.db.models import CharField, Exists, F, FloatField, OuterRef, Prefetch, Q
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from cms.choices import HelpOffered, VenueType
from cms.content_version import content_version, once_per_change

from .models import (
    WEEKDAYS,
    Certificate,
    OpeningHours,
    PublicStatus,
    Venue,
    VenueHelp,
    booking_completion_key,
    normalise_code,
)
from .postcodes import distance_km


@dataclass
class RegisterFilters:
    area_slug: str = ""
    venue_type: str = ""
    help_offered: list[str] = field(default_factory=list)
    open_now: bool = False
    origin: tuple[float, float] | None = None  # (latitude, longitude) for "near me"


def register_queryset(*, partner, today: datetime.date):
    """Listed, accredited venues of one partner, in register order."""
    return Venue.objects.listed(today=today).filter(partner=partner).order_by("name", "pk")


def open_at(local: datetime.datetime) -> Exists:
    """Venues open at this local wall-clock time, decided in the database: the one statement of the
    rule, used to filter and to label. A period whose closing time is not after its opening time
    runs past midnight, so Friday 18:00–01:00 is open at 00:30 on Saturday."""
    weekday, moment = local.weekday(), local.time()
    overnight = Q(closes__lte=F("opens"))
    today = Q(weekday=weekday, opens__lte=moment) & (overnight | Q(closes__gt=moment))
    from_yesterday = Q(weekday=(weekday - 1) % 7, closes__gt=moment) & overnight
    return Exists(OpeningHours.objects.filter(today | from_yesterday, venue=OuterRef("pk")))


def open_during(periods, local: datetime.datetime) -> bool:
    """`open_at`'s rule in Python, for hours already in hand (the register's cards,
    certificates/cards.py): `periods` are (weekday, opens, closes). The two are checked against each
    other at every quarter hour of a week (tests/certificates/test_open_now_rule.py)."""
    weekday, moment = local.weekday(), local.time()
    yesterday = (weekday - 1) % 7
    for day, opens, closes in periods:
        overnight = closes <= opens
        if day == weekday and opens <= moment and (overnight or closes > moment):
            return True
        if day == yesterday and overnight and closes > moment:
            return True
    return False


def open_now_annotations(local: datetime.datetime) -> dict:
    """`open_now` and `hours_known` for a venue queryset, as every public page labels a venue:
    "Open now", "Closed now" or "Opening hours not known" (templates: `_open_now.html`)."""
    return {"open_now": open_at(local), "hours_known": Exists(OpeningHours.objects.filter(venue=OuterRef("pk")))}


class RegisterResults:
    """The filtered register, Paginator-friendly (count and slicing), so a register of thousands
    costs the same few queries as one of ten. Filtered by "open now" (which moves with the clock)
    the database counts and slices it; otherwise it is an ordered list of ids: nearest first, or
    the order kept once per change and day (`listed_ids`).
    Slices are venues, loaded with their hours and help; the register page builds its rows from
    `page_ids` and cards rendered once per change instead (certificates/cards.py)."""

    def __init__(self, queryset, *, local: datetime.datetime, distances=None, ids: list[int] | None = None):
        self._queryset = queryset
        self._local = local
        self._distances = distances or {}
        self.ids = ids
        self._count = None

    def count(self) -> int:
        if self.ids is not None:
            return len(self.ids)
        if self._count is None:
            self._count = self._queryset.count()
        return self._count

    __len__ = count

    def distance_km(self, pk: int) -> float | None:
        return self._distances.get(pk)

    @property
    def local(self) -> datetime.datetime:
        return self._local

    def page_ids(self, index: slice) -> list[int]:
        if self.ids is not None:
            return self.ids[index]
        return list(self._queryset.values_list("pk", flat=True)[index])

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1 or None][0]
        ids = self.page_ids(index)
        by_id = (
            self._queryset.select_related("area")
            .prefetch_related("help_items")
            .annotate(**open_now_annotations(self._local))
            .in_bulk(ids)
        )
        venues = [by_id[pk] for pk in ids]
        for venue in venues:
            venue.distance_km = self._distances.get(venue.pk)
        return venues

    def __iter__(self):
        return iter(self[:])


def listed_ids(queryset, *, partner, filters: RegisterFilters, today: datetime.date) -> list[int]:
    """The register's venues for these filters, in order, read once per content change and day:
    which venues are listed moves only with a change of content (which moves the version in the
    key) or at midnight (accreditations lapse). Not for "open now", which moves with the clock."""
    key = ":".join(
        (
            "register-ids",
            str(content_version()),
            str(partner.pk),
            today.isoformat(),
            filters.area_slug,
            filters.venue_type,
            ",".join(sorted(filters.help_offered)),
        )
    )
    return once_per_change(key, lambda: list(queryset.values_list("pk", flat=True)))


def register_venues(
    *, partner, filters: RegisterFilters | None = None, now: datetime.datetime | None = None
) -> RegisterResults:
    """The public register, filtered; sorted by distance when there is an origin.

    "Open now" is judged on the partner's local wall clock (Europe/London), so opening hours
    stay right across the clock changes. `now` is injectable for tests.
    """
    filters = filters or RegisterFilters()
    now = now or timezone.now()
    local = now.astimezone(partner.zone)
    queryset = register_queryset(partner=partner, today=local.date())
    if filters.area_slug:
        queryset = queryset.filter(area__slug=filters.area_slug)
    if filters.venue_type:
        queryset = queryset.filter(venue_type=filters.venue_type)
    for code in filters.help_offered:  # every chosen kind of help, not any one of them
        queryset = queryset.filter(help_items__code=code)
    if filters.open_now:
        queryset = queryset.filter(open_at(local))
    if not filters.origin and not filters.open_now:
        return RegisterResults(
            queryset, local=local, ids=listed_ids(queryset, partner=partner, filters=filters, today=local.date())
        )
    if not filters.origin:
        return RegisterResults(queryset, local=local)
    distances: dict[int, float | None] = {}
    lat, lng = filters.origin
    rows = list(queryset.values_list("pk", "latitude", "longitude"))  # already in name order
    for pk, venue_lat, venue_lng in rows:
        known = venue_lat is not None and venue_lng is not None
        distances[pk] = distance_km(lat, lng, float(venue_lat), float(venue_lng)) if known else None
    ids = [pk for pk, _, _ in rows]
    ids.sort(key=lambda pk: (distances[pk] is None, distances[pk] or 0))  # stable: ties keep name order
    return RegisterResults(queryset, local=local, distances=distances, ids=ids)


def listed_venue(*, partner, slug: str, now: datetime.datetime | None = None) -> Venue | None:
    """A venue page's venue, labelled open or closed at `now` on the partner's clock, as the list is."""
    local = (now or timezone.now()).astimezone(partner.zone)
    return (
        register_queryset(partner=partner, today=local.date())
        .select_related("area")
        .prefetch_related("opening_hours", "help_items")
        .annotate(**open_now_annotations(local))
        .filter(slug=slug)
        .first()
    )


def feature_collection(venues, *, base_url: str) -> dict:
    """GeoJSON (RFC 7946) for a venue queryset: public details only, never a certificate holder."""
    return {
        "type": "FeatureCollection",
        "features": [feature for _, feature in venue_features(venues, base_url=base_url)],
    }


def venue_features(venues, *, base_url: str) -> list[tuple[int, dict]]:
    """Each located venue's GeoJSON Feature with its id, in register order.

    Built from three flat queries of plain values rather than model instances, so the whole
    register of thousands of venues is a fraction of a second. Times, dates and coordinates are
    cast in the database: converting 30,000 opening times to `datetime.time` and back to text
    cost more than everything else put together.
    """
    venues = venues.filter(latitude__isnull=False, longitude__isnull=False).order_by("name", "pk")
    rows = venues.values_list(
        "pk", "name", "venue_type", "address", "postcode", "area__name", "slug",
        Cast("latitude", FloatField()), Cast("longitude", FloatField()), Cast("accredited_until", CharField()),
    )  # fmt: skip
    hours = defaultdict(lambda: [[] for _ in WEEKDAYS])
    for venue_id, weekday, opens, closes in (
        OpeningHours.objects.filter(venue__in=venues.values("pk"))
        .order_by("weekday", "opens")
        .values_list("venue_id", "weekday", Cast("opens", CharField()), Cast("closes", CharField()))
    ):
        hours[venue_id][weekday].append([opens[:5], closes[:5]])
    help_codes = defaultdict(set)
    for venue_id, code in VenueHelp.objects.filter(venue__in=venues.values("pk")).values_list("venue_id", "code"):
        help_codes[venue_id].add(code)
    type_labels = dict(VenueType.choices)
    help_order = HelpOffered.values
    url_prefix, url_suffix = (base_url + reverse("certificates:venue", kwargs={"slug": "__slug__"})).split("__slug__")
    no_hours = [[] for _ in WEEKDAYS]
    features = []
    for pk, name, venue_type, address, postcode, area, slug, latitude, longitude, until in rows:
        venue_help = help_codes.get(pk, ())
        features.append(
            (
                pk,
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
                    "properties": {
                        "name": name,
                        "type": venue_type,
                        "type_label": type_labels.get(venue_type, venue_type),
                        "address": address,
                        "postcode": postcode,
                        "area": area,
                        "help_offered": [code for code in help_order if code in venue_help],
                        "opening_hours": dict(zip(WEEKDAYS, hours.get(pk, no_hours), strict=True)),
                        "url": f"{url_prefix}{slug}{url_suffix}",
                        "accredited_until": until[:10] if until else None,
                    },
                },
            ),
        )
    return features


def register_geojson_body(*, partner, today: datetime.date, base_url: str) -> bytes:
    """`/safe-havens.geojson`'s body: the listed register as compact UTF-8 JSON (orjson: a tenth of
    the stdlib's time for the same bytes). Built through cms/prebuilt.py, which pauses the garbage
    collector meanwhile."""
    return orjson.dumps(feature_collection(register_queryset(partner=partner, today=today), base_url=base_url))


def certificate_for_verification(*, partner, code: str) -> Certificate | None:
    return (
        Certificate.objects.filter(partner=partner, code=normalise_code(code))
        .select_related("venue", "course_page")
        .first()
    )


def certificate_for_booking(booking) -> Certificate | None:
    """The certificate a completed booking earned (the key `certificates.signals` issues it under)."""
    return (
        Certificate.objects.filter(partner_id=booking.partner_id, completion_key=booking_completion_key(booking))
        .select_related("venue", "course_page", "partner__site")
        .first()
    )


MERGE_HOPS = 5  # a chain of merges longer than this is a data error, not a sticker to follow


def venue_for_sticker(*, partner, code: str, now: datetime.datetime) -> Venue | None:
    """The venue a sticker's code names, on this partner's site only, with its help and whether it
    is open at `now`. A merged duplicate's sticker may still be in a window: it answers with the
    venue it was merged into."""
    venue_id = Venue.objects.filter(partner=partner, sticker_code=normalise_code(code)).values_list("pk", flat=True)
    venue_id = venue_id.first()
    if venue_id is None:
        return None
    for _hop in range(MERGE_HOPS):
        survivor = Venue.objects.filter(pk=venue_id).values_list("merged_into_id", flat=True).first()
        if survivor is None:
            break
        venue_id = survivor
    local = now.astimezone(partner.zone)
    ended = Certificate.objects.exclude(status=Certificate.Status.VALID).only("venue_id", "status", "expires_on",
                                                                               "revoked_at")  # fmt: skip
    return (
        Venue.objects.filter(partner=partner, pk=venue_id)
        .select_related("partner")
        .prefetch_related("help_items", Prefetch("certificates", queryset=ended, to_attr="ended_certificates"))
        .annotate(**open_now_annotations(local))
        .first()
    )


def sticker_status(venue: Venue, *, today: datetime.date) -> PublicStatus:
    """`Venue.public_status`, and a venue whose certificates have all expired or been revoked is
    "no longer" a Safe Haven (since the day after the last one ended), not "not yet": once
    `expire_accreditations` has run its `accredited_until` is empty, which alone reads as never
    accredited. Needs `venue_for_sticker`'s `ended_certificates`."""
    status = venue.public_status(today)
    if status.state != PublicStatus.NOT_YET or not venue.pledge_agreed_on:
        return status
    ends = [
        certificate.revoked_at.astimezone(venue.partner.zone).date()
        if certificate.status == Certificate.Status.REVOKED and certificate.revoked_at
        else certificate.expires_on + datetime.timedelta(days=1)
        for certificate in venue.ended_certificates
    ]
    ends = [day for day in ends if day <= today]
    return PublicStatus(PublicStatus.NO_LONGER, since=max(ends)) if ends else status


def nearest_open_venues(*, venue: Venue, now: datetime.datetime, limit: int = 3) -> list[Venue]:
    """Up to `limit` Safe Havens open at `now`, nearest to `venue` first, each with `distance_km`;
    none when the venue's location is not known (nearest to nowhere means nothing)."""
    if venue.latitude is None or venue.longitude is None:
        return []
    origin = (float(venue.latitude), float(venue.longitude))
    results = register_venues(partner=venue.partner, filters=RegisterFilters(open_now=True, origin=origin), now=now)
    results.ids = [pk for pk in results.ids if pk != venue.pk]
    return [found for found in results[:limit] if found.distance_km is not None]


RENEWAL_NOTICE_DAYS = 30


def renewals_due(venues, *, today: datetime.date, days: int = RENEWAL_NOTICE_DAYS):
    """Venues to chase about renewal: accredited with a renewal date in the next `days` days, or
    overdue (accredited but for the renewal). Soonest, then most overdue, first."""
    return venues.filter(
        renewal_due_on__lte=today + datetime.timedelta(days=days),
        accredited_until__gte=today,
        agreed_to_pledge=True,
        suspended=False,
        merged_into__isnull=True,
    ).order_by("renewal_due_on", "pk")
