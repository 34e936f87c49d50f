"""`/safe-havens.geojson` is built once per change and shared (cms/prebuilt.py), from a constant
number of flat queries, with the documented properties in the documented order."""

import datetime
import json

import pytest
from django.utils import timezone

from bench.volume import create_benchmark_venues
from certificates import open_data
from certificates.selectors import register_geojson_body
from tests.conftest import LONDON
from tests.factories import PartnerFactory, certify, safe_haven_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def reused(settings):
    """Bodies reused for a minute, as in production (the test settings build every request)."""
    settings.PUBLIC_LIST_CACHE_SECONDS = 60


@pytest.fixture
def builds(monkeypatch):
    """Counts GeoJSON builds; `builds.during` (if set) runs inside the next build."""

    class Counter:
        count = 0
        during = None

    def counting(**kwargs):
        Counter.count += 1
        if Counter.during:
            during, Counter.during = Counter.during, None
            during()
        return register_geojson_body(**kwargs)

    monkeypatch.setattr(open_data, "register_geojson_body", counting)
    return Counter


def names(response) -> list[str]:
    return [feature["properties"]["name"] for feature in json.loads(response.content)["features"]]


def test_a_second_request_is_not_rebuilt_and_a_change_is_on_the_next_one(clock, reused, builds, client):
    partner = PartnerFactory()
    host = partner.site.hostname
    certify(partner, organisation="Heathway Books", latitude=51.54, longitude=0.15)
    assert names(client.get("/safe-havens.geojson", HTTP_HOST=host)) == ["Heathway Books"]
    assert names(client.get("/safe-havens.geojson", HTTP_HOST=host)) == ["Heathway Books"]
    assert builds.count == 1
    certify(partner, organisation="Abbey Café", latitude=51.53, longitude=0.08)  # a change: new content version
    assert names(client.get("/safe-havens.geojson", HTTP_HOST=host)) == ["Abbey Café", "Heathway Books"]
    assert builds.count == 2


def test_the_previous_register_is_served_while_the_new_one_is_built(clock, reused, builds, client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 600  # the page cache in front, as in production
    partner = PartnerFactory()
    host = partner.site.hostname
    certify(partner, organisation="Heathway Books", latitude=51.54, longitude=0.15)
    client.get("/safe-havens.geojson", HTTP_HOST=host)
    certify(partner, organisation="Abbey Café", latitude=51.53, longitude=0.08)
    during = {}
    builds.during = lambda: during.update(response=client.get("/safe-havens.geojson", HTTP_HOST=host))
    after = client.get("/safe-havens.geojson", HTTP_HOST=host)  # the one request that rebuilds
    assert names(during["response"]) == ["Heathway Books"]  # another visitor, meanwhile: the previous one
    assert "X-Page-Cache" not in during["response"]  # ...which the page cache did not keep
    assert after["X-Page-Cache"] == "miss"  # (the new one it did)
    assert names(after) == ["Abbey Café", "Heathway Books"]
    assert builds.count == 2
    # The previous body was not kept by the page cache: the next visitor gets the new register.
    assert names(client.get("/safe-havens.geojson", HTTP_HOST=host)) == ["Abbey Café", "Heathway Books"]
    assert builds.count == 2


def test_a_venue_that_stops_being_accredited_leaves_at_midnight(clock, reused, builds, client):
    partner = PartnerFactory()
    host = partner.site.hostname
    venue = certify(partner, organisation="Heathway Books", latitude=51.54, longitude=0.15).venue
    clock.move_to(datetime.datetime(2027, 6, 7, 23, 59, 40, tzinfo=LONDON))
    type(venue).objects.filter(pk=venue.pk).update(accredited_until=datetime.date(2027, 6, 7))  # no version bump
    assert names(client.get("/safe-havens.geojson", HTTP_HOST=host)) == ["Heathway Books"]
    clock.move_to(datetime.datetime(2027, 6, 8, 0, 0, 5, tzinfo=LONDON))  # 25 seconds on, the next day
    assert names(client.get("/safe-havens.geojson", HTTP_HOST=host)) == []


def test_links_follow_the_address_asked_for(clock, reused, client):
    partner = PartnerFactory()
    certify(partner, organisation="Heathway Books", latitude=51.54, longitude=0.15)
    host = partner.site.hostname
    plain = json.loads(client.get("/safe-havens.geojson", HTTP_HOST=host).content)
    secure = json.loads(client.get("/safe-havens.geojson", HTTP_HOST=host, secure=True).content)
    assert plain["features"][0]["properties"]["url"].startswith(f"http://{host}/")
    assert secure["features"][0]["properties"]["url"].startswith(f"https://{host}/")


def test_properties_are_the_documented_ones_in_order(clock, client):
    partner = PartnerFactory()
    certify(partner, organisation="Heathway Books", latitude=51.54, longitude=0.15,
            hours=((0, 4), "09:00", "17:30"), help_offered=("safe_space", "let_in"))  # fmt: skip
    feature = json.loads(client.get("/safe-havens.geojson", HTTP_HOST=partner.site.hostname).content)["features"][0]
    assert list(feature) == ["type", "geometry", "properties"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [0.15, 51.54]}
    props = feature["properties"]
    assert list(props) == [
        "name", "type", "type_label", "address", "postcode", "area", "help_offered", "opening_hours", "url",
        "accredited_until",
    ]  # fmt: skip
    assert props["help_offered"] == ["let_in", "safe_space"]  # the scheme's order, not the order given
    assert props["opening_hours"]["Monday"] == [["09:00", "17:30"]]
    assert props["opening_hours"]["Friday"] == [["09:00", "17:30"]]
    assert props["opening_hours"]["Sunday"] == []


def test_a_build_runs_the_same_queries_for_10_and_200_venues(clock, django_assert_num_queries):
    partner = PartnerFactory()
    safe_haven_course(partner)
    today = timezone.localdate()
    create_benchmark_venues(partner=partner, count=10, today=today)
    with django_assert_num_queries(3):
        ten = register_geojson_body(partner=partner, today=today, base_url="http://localhost")
    create_benchmark_venues(partner=partner, count=190, today=today, start=10)
    with django_assert_num_queries(3):
        two_hundred = register_geojson_body(partner=partner, today=today, base_url="http://localhost")
    assert len(json.loads(ten)["features"]) == 10
    assert len(json.loads(two_hundred)["features"]) == 200
