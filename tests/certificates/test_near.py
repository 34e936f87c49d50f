"""`/safe-havens/near/`: open Safe Havens within walking distance, else 999/101 and the next to open."""

import datetime
import html as html_lib
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import strip_tags

from certificates.models import OpeningHours
from certificates.nearby import day_and_time, miles_label, nearby_safe_havens, walk_minutes
from cms.models import Partner
from tests.factories import PartnerFactory, certify

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
IG11 = (51.5365, 0.0810)  # where certificates.postcodes puts "IG11 7AA": the district's centre


def local(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LONDON)


# Monday 7 June 2027 (the `clock` fixture's MONDAY_MORNING is 10am that day); Friday is the 11th.
MONDAY_10AM = local(2027, 6, 7, 10, 0)
MONDAY_10PM = local(2027, 6, 7, 22, 0)
FRIDAY_11PM = local(2027, 6, 11, 23, 0)


@pytest.fixture
def partner(clock):
    partner = PartnerFactory(name="Near Borough")
    Partner.objects.filter(pk=partner.pk).update(example_postcode="IG11 7AA")
    partner.refresh_from_db()
    return partner


def venue(partner, name, *, north_m, hours=((0, 1, 2, 3, 4), "09:00", "17:00"), **kwargs):
    """A listed Safe Haven `north_m` metres due north of IG11's centre."""
    lat = round(IG11[0] + north_m / 1000 / 111.195, 5)
    return certify(partner, organisation=name, postcode="IG11 7AA", latitude=lat, longitude=IG11[1], hours=hours,
                   holder_email=f"{name.split()[0].lower()}@example.org", **kwargs).venue  # fmt: skip


def page(client, partner, query):
    response = client.get(f"/safe-havens/near/?{query}", HTTP_HOST=partner.site.hostname)
    assert response.status_code == 200
    return response


def text(response) -> str:
    return " ".join(html_lib.unescape(strip_tags(response.content.decode())).split())


@pytest.fixture
def street(partner):
    """Two open Safe Havens near by, one too far, one closed on weekdays, and one from another council."""
    venue(partner, "Corner Pharmacy", north_m=1000)
    venue(partner, "Library Next Door", north_m=120, help_offered=("let_in", "phone_charging"))
    venue(partner, "Far Away Café", north_m=2000)  # beyond the 1.5 km walking distance
    venue(partner, "Weekend Market Hall", north_m=300, hours=((5, 6), "10:00", "16:00"))
    other = PartnerFactory(name="Other Borough")
    venue(other, "Other Council Hub", north_m=50)
    return partner


def test_open_safe_havens_within_walking_distance_nearest_first(client, street):
    response = page(client, street, "postcode=ig11+7aa")
    html, seen = response.content.decode(), text(response)
    assert "Open now near IG11 7AA" in seen
    names = re.findall(r'<h3 class="govuk-heading-m[^"]*"><a class="govuk-link" href="([^"]+)">([^<]+)</a>', html)
    assert names == [("/safe-havens/library-next-door/", "Library Next Door"),
                     ("/safe-havens/corner-pharmacy/", "Corner Pharmacy")]  # fmt: skip
    # 120 m: 0.07 miles, 92 seconds at 1.3 m/s; 1 km: 0.62 miles, 12.8 minutes.
    assert "Less than 0.1 miles away, about 2 minutes' walk" in seen
    assert "0.6 miles away, about 13 minutes' walk" in seen
    assert seen.count("Open now until 5pm") == 2
    assert "Help: Let people in, Phone charging" in seen
    lat = street.venues.get(name="Library Next Door").latitude
    assert f'href="https://www.openstreetmap.org/directions?to={lat},0.08100"' in html
    assert "Far Away Café" not in seen  # too far to walk
    assert "Weekend Market Hall" not in seen  # closed on a Monday
    assert "Other Council Hub" not in seen  # another council's Safe Haven, however close
    assert 'href="tel:999"' not in html and "No Safe Haven near" not in seen


def test_a_position_from_use_my_location_works_like_a_postcode(client, street):
    seen = text(page(client, street, "lat=51.5365&lng=0.081"))
    assert "Open now near you" in seen
    assert seen.index("Library Next Door") < seen.index("Corner Pharmacy")
    assert "Far Away Café" not in seen


def test_at_night_it_says_none_is_open_gives_999_and_101_and_the_next_to_open(client, street, clock):
    clock.move_to(MONDAY_10PM)
    response = page(client, street, "postcode=IG11+7AA")
    html, seen = response.content.decode(), text(response)
    assert "No Safe Haven near IG11 7AA is open now." in seen
    assert '<a class="govuk-link" href="tel:999">In an emergency call 999</a>' in html
    assert '<a class="govuk-link" href="tel:101">If it is not an emergency call 101</a>' in html
    # Both weekday venues open at 9am tomorrow: the nearer one is named.
    assert "The next Safe Haven to open near you: Library Next Door, opens tomorrow at 9am." in seen
    assert "Open now" not in seen


def test_the_next_to_open_is_the_soonest_even_when_further_away(client, street, clock):
    clock.move_to(FRIDAY_11PM)
    seen = text(page(client, street, "postcode=IG11+7AA"))
    assert "The next Safe Haven to open near you: Weekend Market Hall, opens tomorrow at 10am." in seen


def test_hours_past_midnight_count_as_open(client, partner, clock):
    venue(partner, "Late Bar", north_m=400, hours=((4,), "18:00", "02:00"))  # Friday night into Saturday
    clock.move_to(local(2027, 6, 12, 1, 30))  # Saturday 1:30am
    seen = text(page(client, partner, "postcode=IG11+7AA"))
    assert "Late Bar" in seen and "Open now until 2am" in seen

    clock.move_to(local(2027, 6, 12, 2, 30))
    seen = text(page(client, partner, "postcode=IG11+7AA"))
    assert "No Safe Haven near IG11 7AA is open now." in seen
    assert "The next Safe Haven to open near you: Late Bar, opens Friday at 6pm." in seen


def test_nothing_within_walking_distance_says_so_and_links_to_the_register(client, partner):
    venue(partner, "Far Away Café", north_m=2000)
    response = page(client, partner, "postcode=IG11+7AA")
    seen = text(response)
    assert "No Safe Haven near IG11 7AA is open now." in seen
    assert "There is no Safe Haven within 0.9 miles (about 20 minutes' walk) of IG11 7AA." in seen
    assert 'href="/safe-havens/">See every Safe Haven in Near Borough</a>' in response.content.decode()
    assert "tel:999" in response.content.decode()


def test_walking_distance_is_the_partners_setting(client, street):
    Partner.objects.filter(pk=street.pk).update(nearby_km="2.5")
    assert "Far Away Café" in text(page(client, street, "postcode=IG11+7AA"))


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("postcode=", "Enter a postcode"),
        ("postcode=banana", "Enter a real postcode, like IG11 7AA"),
        (
            "postcode=SW1A+1AA",
            "We could not find that postcode. Enter a postcode in this council's area, like IG11 7AA",
        ),
        ("lat=95&lng=0.08", "We could not use your location. Enter a postcode instead"),
        ("lat=51.5", "We could not use your location. Enter a postcode instead"),
    ],
)
def test_a_postcode_that_cannot_be_used_is_explained(client, street, query, error):
    response = page(client, street, query)
    seen = text(response)
    assert response.content.decode().count("<title>Error: Safe Havens open near you") == 1
    assert "There is a problem" in seen and error in seen
    assert "Library Next Door" not in seen


def test_the_page_without_a_search_is_just_the_form(client, street):
    response = page(client, street, "")
    seen = text(response)
    assert "Safe Havens open near you" in seen and "There is a problem" not in seen
    assert "Library Next Door" not in seen


def test_a_location_is_never_cached_nor_sent_on(client, street, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = settings.PUBLIC_LIST_CACHE_SECONDS = 600
    for query in ("postcode=IG11+7AA", "lat=51.5365&lng=0.081"):
        response = page(client, street, query)
        assert response["Cache-Control"] == "no-store, private"
        assert response["Referrer-Policy"] == "no-referrer"
        assert "geolocation=(self)" in response["Permissions-Policy"]
        assert "X-Page-Cache" not in response
        assert "X-Page-Cache" not in page(client, street, query)  # the second request was not served from a cache
    keys = list(getattr(cache, "_cache", {}))
    assert not [key for key in keys if "/safe-havens/near/" in str(key)], keys
    # Control: the register page with a postcode is cached, so the cache was on for this test.
    client.get("/safe-havens/?postcode=IG11+7AA", HTTP_HOST=street.site.hostname)
    assert client.get("/safe-havens/?postcode=IG11+7AA", HTTP_HOST=street.site.hostname)["X-Page-Cache"] == "hit"


def test_the_query_count_does_not_grow_with_the_venues(client, partner):
    for n in range(3):
        venue(partner, f"Shop {n}", north_m=100 * n + 50)
    query = "postcode=IG11+7AA"
    page(client, partner, query)  # warm Wagtail's site cache
    with CaptureQueriesContext(connection) as few:
        page(client, partner, query)
    for n in range(3, 20):
        venue(partner, f"Shop {n}", north_m=50 * n)
    page(client, partner, query)
    with CaptureQueriesContext(connection) as many:
        response = page(client, partner, query)
    assert "Shop 19" in text(response)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_register_links_its_empty_open_now_result_here(client, street, clock):
    clock.move_to(MONDAY_10PM)
    host = street.site.hostname
    html = client.get("/safe-havens/?open_now=on&postcode=ig11+7aa", HTTP_HOST=host).content.decode()
    assert "No Safe Havens match your search" in html
    assert 'href="/safe-havens/near/?postcode=IG11%207AA">Who to call now' in html
    html = client.get("/safe-havens/?open_now=on&lat=51.5365&lng=0.081", HTTP_HOST=host).content.decode()
    assert 'href="/safe-havens/near/?lat=51.5365&amp;lng=0.081">Who to call now' in html
    clock.move_to(MONDAY_10AM)
    html = client.get("/safe-havens/?open_now=on&postcode=ig11+7aa", HTTP_HOST=host).content.decode()
    assert "/safe-havens/near/" not in html  # Safe Havens are open: the list is the answer


# --- the wording and sums on their own ------------------------------------------------------------


def test_distances_read_in_miles_and_whole_minutes_walked():
    assert miles_label(0.05) == "Less than 0.1 miles"
    assert miles_label(0.17) == "0.1 miles"
    assert miles_label(1.5) == "0.9 miles"
    assert walk_minutes(0.0) == 1
    assert walk_minutes(0.078) == 1  # exactly one minute at 1.3 m/s
    assert walk_minutes(0.079) == 2  # rounded up
    assert walk_minutes(1.5) == 20


def test_opening_times_read_the_gov_uk_way():
    now = local(2027, 6, 7, 22, 0)  # Monday
    assert day_and_time(local(2027, 6, 7, 23, 30), now=now) == "today at 11:30pm"
    assert day_and_time(local(2027, 6, 8, 9, 0), now=now) == "tomorrow at 9am"
    assert day_and_time(local(2027, 6, 10, 17, 30), now=now) == "Thursday at 5:30pm"
    assert day_and_time(local(2027, 6, 14, 9, 0), now=now) == "Monday 14 June at 9am"


def test_back_to_back_periods_close_at_the_end_of_the_last(partner):
    shop = venue(partner, "Split Shift Shop", north_m=100, hours=((0,), "09:00", "12:00"))
    OpeningHours.objects.create(venue=shop, weekday=0, opens="12:00", closes="18:00")
    found = nearby_safe_havens(partner=partner, origin=IG11, now=MONDAY_10AM)
    assert [(n.venue.name, n.closes_label) for n in found.open_now] == [("Split Shift Shop", "6pm")]
