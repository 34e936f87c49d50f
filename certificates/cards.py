"""The register's rows, each venue's part rendered once per content change.

A venue's card (its name and link, kind, area, address and help), its map feature and its opening
hours depend on published content alone. They are built once per change (the content version is in
the key, cms/content_version.py) and shared by every server through the cache, so a page of 25
venues is one cache read instead of three queries and 25 template renders. What depends on the
clock or the search is added per request: "Open now" (judged from the card's hours by the
register's rule, `open_during`) and the distance.
"""

import datetime
import json
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from cms.content_version import content_version, many_once_per_change

from .models import Venue
from .nearby import distance_label
from .selectors import RegisterResults, open_during, venue_features


@dataclass(frozen=True)
class VenueCard:
    """What the register shows of a venue that is the same for everyone, at any hour."""

    name: str
    head: SafeString  # its name as a link, kind and area, address
    help: SafeString  # "Help: …", or "" when it has not said
    feature_json: str  # its GeoJSON Feature as JSON, escaped for a <script> element; "" when its location is not known
    hours: tuple[tuple[int, datetime.time, datetime.time], ...]  # (weekday, opens, closes)


@dataclass(frozen=True)
class RegisterRow:
    """A venue in one person's list: its card, and what depends on the clock and the search."""

    card: VenueCard
    open_now: bool
    hours_known: bool
    distance_label: str = ""


def _key(pk: int, base_url: str, version: int) -> str:
    return f"register-card:{version}:{base_url}:{pk}"


def _build(ids: list[int], *, base_url: str) -> dict[int, VenueCard]:
    venues = Venue.objects.filter(pk__in=ids)
    features = dict(venue_features(venues, base_url=base_url))
    cards = {}
    for venue in venues.select_related("area").prefetch_related("help_items", "opening_hours"):
        context = {"venue": venue}
        cards[venue.pk] = VenueCard(
            name=venue.name,
            head=mark_safe(render_to_string("certificates/_venue_card.html", context)),  # noqa: S308 - a template's output
            help=mark_safe(render_to_string("certificates/_venue_card_help.html", context)),  # noqa: S308 - ditto
            feature_json=_script_json(features[venue.pk]) if venue.pk in features else "",
            hours=tuple((period.weekday, period.opens, period.closes) for period in venue.opening_hours.all()),
        )
    return cards


# What Django's json_script escapes, so the text is safe inside a <script> element.
SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _script_json(value) -> str:
    return json.dumps(value).translate(SCRIPT_ESCAPES)


def map_data_json(rows: list[RegisterRow]) -> SafeString:
    """The map's data for a page of rows: a GeoJSON FeatureCollection of their kept features, joined
    as text (each was encoded once, when its card was built)."""
    features = ", ".join(row.card.feature_json for row in rows if row.card.feature_json)
    return mark_safe(f'{{"type": "FeatureCollection", "features": [{features}]}}')  # noqa: S308 - escaped JSON


def venue_cards(ids: list[int], *, base_url: str) -> dict[int, VenueCard]:
    """The cards of these venues: read in one round trip, the missing ones built and stored."""
    version = content_version()
    keys = {pk: _key(pk, base_url, version) for pk in ids}
    return many_once_per_change(keys, lambda missing: _build(missing, base_url=base_url))


def register_rows(results: RegisterResults, index: slice, *, base_url: str) -> list[RegisterRow]:
    """A page of the register: its venues' cards, each labelled open or closed at the results' time
    and with its distance from the search's origin, if any."""
    ids = results.page_ids(index)
    cards = venue_cards(ids, base_url=base_url)
    rows = []
    for pk in ids:
        card = cards.get(pk)
        if card is None:  # removed since the order was read; the next change retires that order
            continue
        distance = results.distance_km(pk)
        rows.append(
            RegisterRow(
                card=card,
                open_now=open_during(card.hours, results.local),
                hours_known=bool(card.hours),
                distance_label=distance_label(distance) if distance is not None else "",
            )
        )
    return rows


class RegisterPages:
    """The register as the Paginator sees it: counted as the results count, sliced into rows."""

    def __init__(self, results: RegisterResults, *, base_url: str):
        self.results, self.base_url = results, base_url

    def count(self) -> int:
        return self.results.count()

    __len__ = count

    def __getitem__(self, index: slice) -> list[RegisterRow]:
        return register_rows(self.results, index, base_url=self.base_url)
