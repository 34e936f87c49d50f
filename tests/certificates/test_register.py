import datetime
import json
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from certificates.models import Certificate, Venue
from certificates.selectors import RegisterFilters, register_venues
from certificates.services import refresh_accreditation
from tests.conftest import TW_HOST
from tests.factories import PartnerFactory, certify

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
BARKING_LISTED = {
    "Barking Learning Centre",
    "Ripple Road Café",
    "East Street Pharmacy",
    "The Barking Dog",
    "Heathway Community Centre",
    "Heathway Books",
    "Barking Park Café",
    "Parsloes Park Pavilion",
    "Valence House Museum",
}


def names(venues):
    return [venue.name for venue in venues]


def listed_names(client, query="", host="localhost"):
    response = client.get(f"/safe-havens/{query}", HTTP_HOST=host)
    assert response.status_code == 200
    return {name for name in BARKING_LISTED | {"Station Parade Newsagent", "Heathway Grill"} if name in response.text}


def test_register_lists_accredited_listed_venues_only(barking, client):
    assert listed_names(client) == BARKING_LISTED
    html = client.get("/safe-havens/", HTTP_HOST="localhost").text
    assert "9 Safe Havens" in html
    assert 'id="register-map"' in html and 'id="register-map-data"' in html


def test_register_is_scoped_to_the_partner_of_the_site(barking, tunbridge_wells, client):
    html = client.get("/safe-havens/", HTTP_HOST=TW_HOST).text
    assert "The Amelia Scott" in html
    assert not any(name in html for name in BARKING_LISTED)
    assert client.get("/safe-havens/heathway-books/", HTTP_HOST=TW_HOST).status_code == 404
    geojson = client.get("/safe-havens.geojson", HTTP_HOST=TW_HOST).text
    assert "Heathway" not in geojson


def test_venue_page_shows_details_and_hides_venues_not_in_the_register(barking, client):
    page = client.get("/safe-havens/barking-learning-centre/", HTTP_HOST="localhost")
    assert page.status_code == 200
    assert "2 Town Square, Barking" in page.text
    assert "9am to 8pm" in page.text
    assert "Step-free access" in page.text
    for slug in ("heathway-grill", "station-parade-newsagent", "no-such-venue"):
        assert client.get(f"/safe-havens/{slug}/", HTTP_HOST="localhost").status_code == 404
    Venue.objects.filter(slug="heathway-books").update(agreed_to_be_listed=False)
    assert client.get("/safe-havens/heathway-books/", HTTP_HOST="localhost").status_code == 404


def test_expired_certificate_drops_the_venue_before_and_after_the_command(barking, client):
    venue = Venue.objects.get(partner=barking, name="Heathway Books")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Certificate.objects.filter(venue=venue).update(expires_on=yesterday)
    refresh_accreditation(venue=venue)
    assert "Heathway Books" not in listed_names(client)

    call_command("expire_accreditations", stdout=open("/dev/null", "w"))  # noqa: SIM115
    venue.refresh_from_db()
    assert venue.certificates.get().status == Certificate.Status.EXPIRED
    assert venue.accredited_until is None
    assert "Heathway Books" not in listed_names(client)
    assert len(listed_names(client)) == 8


def test_expiry_reminder_is_sent_once(barking, mailoutbox, django_capture_on_commit_callbacks):
    certificate = certify(barking, organisation="Gascoigne Café", postcode="IG11 7AA", holder_email="sam@example.org")
    Certificate.objects.filter(pk=certificate.pk).update(expires_on=timezone.localdate() + datetime.timedelta(days=20))
    refresh_accreditation(venue=certificate.venue)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("expire_accreditations", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert [m.to for m in mailoutbox] == [["sam@example.org"]]
    assert "Gascoigne Café" in mailoutbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        call_command("expire_accreditations", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mailoutbox) == 1


def test_suspending_removes_a_venue_and_unsuspending_restores_it(barking, client):
    from certificates.services import suspend_venue, unsuspend_venue

    venue = Venue.objects.get(partner=barking, name="Ripple Road Café")
    suspend_venue(venue=venue, reason="Complaint under review", actor=None)
    assert "Ripple Road Café" not in listed_names(client)
    unsuspend_venue(venue=venue, actor=None)
    assert "Ripple Road Café" in listed_names(client)


def test_filters_by_area_type_and_all_chosen_help(barking, client):
    assert listed_names(client, "?area=parks") == {
        "Barking Park Café",
        "Parsloes Park Pavilion",
        "Valence House Museum",
    }
    assert listed_names(client, "?type=library") == {"Barking Learning Centre", "Valence House Museum"}
    assert listed_names(client, "?help=step_free&help=accessible_toilet") == {
        "Barking Learning Centre",
        "Heathway Community Centre",
        "Barking Park Café",
        "Valence House Museum",
    }
    assert listed_names(client, "?area=parks&type=cafe") == {"Barking Park Café"}


def test_near_me_sorts_by_distance_from_a_postcode_or_a_location(barking, client):
    heathway = register_venues(partner=barking, filters=RegisterFilters(origin=(51.5430, 0.1580)))
    assert set(names(heathway[:2])) == {"Heathway Community Centre", "Heathway Books"}
    distances = [venue.distance_km for venue in heathway]
    assert distances == sorted(distances)

    html = client.get("/safe-havens/?postcode=rm10+8aa", HTTP_HOST="localhost").text
    assert "nearest to RM10 8AA first" in html
    assert html.index("Heathway Books") < html.index("Barking Learning Centre")

    html = client.get("/safe-havens/?lat=51.5452&lng=0.0880", HTTP_HOST="localhost").text
    assert "nearest to your location first" in html
    assert html.index("Barking Park Café") < html.index("Ripple Road Café") < html.index("Parsloes Park Pavilion")


def test_unknown_postcode_is_explained(barking, client):
    response = client.get("/safe-havens/?postcode=SW1A+1AA", HTTP_HOST="localhost")
    assert response.status_code == 200
    assert "<title>Error: Find a Safe Haven" in response.text
    assert "We do not recognise that postcode" in response.text


def at(year, month, day, hour, minute, tz="UTC"):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(tz))


@pytest.mark.parametrize(
    ("now", "expected_open"),
    [
        # British Summer Time starts 01:00 UTC on Sunday 30 March 2025.
        (at(2025, 3, 30, 8, 30), True),  # 09:30 BST: open (08:30 if the clock change were missed)
        (at(2025, 3, 30, 16, 30), False),  # 17:30 BST: closed
        (at(2025, 3, 30, 7, 59), False),  # 08:59 BST
        # ...and ends 01:00 UTC on Sunday 26 October 2025.
        (at(2025, 10, 26, 8, 30), False),  # 08:30 GMT: closed (09:30 if BST were assumed)
        (at(2025, 10, 26, 16, 30), True),  # 16:30 GMT: open
        (at(2025, 10, 25, 12, 0), False),  # Saturday
    ],
)
def test_open_now_uses_the_london_wall_clock_across_clock_changes(db, now, expected_open):
    partner = PartnerFactory()
    certify(partner, organisation="Sunday Café", hours=((6,), "09:00", "17:00"))
    venues = register_venues(partner=partner, filters=RegisterFilters(open_now=True), now=now)
    assert names(venues) == (["Sunday Café"] if expected_open else [])


def test_open_now_counts_hours_that_run_past_midnight(db):
    partner = PartnerFactory()
    certify(partner, organisation="Late Bar", venue_type="pub", hours=((4,), "18:00", "01:00"))  # Friday
    saturday_half_past_midnight = at(2025, 6, 7, 0, 30, "Europe/London")
    assert saturday_half_past_midnight.weekday() == 5
    filters = RegisterFilters(open_now=True)
    assert names(register_venues(partner=partner, filters=filters, now=saturday_half_past_midnight)) == ["Late Bar"]
    assert names(register_venues(partner=partner, filters=filters, now=at(2025, 6, 7, 1, 30, "Europe/London"))) == []
    assert names(register_venues(partner=partner, filters=filters, now=at(2025, 6, 6, 20, 0, "Europe/London"))) == [
        "Late Bar"
    ]


def test_open_now_filter_in_the_page(clock, barking, client):
    open_now = listed_names(client, "?open_now=on")
    assert "Barking Learning Centre" in open_now  # Monday 09:00–20:00
    assert "Valence House Museum" not in open_now  # Tuesday to Saturday
    assert "The Barking Dog" not in open_now  # from 11:00


def test_geojson_is_valid_and_free_of_personal_data(barking, client):
    response = client.get("/safe-havens.geojson", HTTP_HOST="localhost")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    assert {f["properties"]["name"] for f in data["features"]} == BARKING_LISTED
    for feature in data["features"]:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] == "Point"
        lng, lat = feature["geometry"]["coordinates"]
        assert 51.4 < lat < 51.7 and -0.1 < lng < 0.3, "coordinates are [longitude, latitude]"
        props = feature["properties"]
        assert set(props) == {
            "name", "type", "type_label", "address", "postcode", "area", "help_offered",
            "opening_hours", "url", "accredited_until",
        }  # fmt: skip
        assert props["url"].startswith("http://localhost/safe-havens/")
        assert set(props["opening_hours"]) == {
            "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
        }  # fmt: skip
        datetime.date.fromisoformat(props["accredited_until"])
    body = response.content.decode()
    assert "@" not in body
    for holder_name, holder_email in Certificate.objects.values_list("holder_name", "holder_email"):
        assert holder_name not in body
        assert holder_email not in body


def test_register_has_no_personal_data(barking, client):
    html = (
        client.get("/safe-havens/", HTTP_HOST="localhost").text
        + client.get("/safe-havens/heathway-books/", HTTP_HOST="localhost").text
    )
    for holder_name, holder_email in Certificate.objects.values_list("holder_name", "holder_email"):
        assert holder_name not in html
        assert holder_email not in html


@pytest.mark.parametrize("path", ["/safe-havens/", "/safe-havens.geojson", "/safe-havens/?help=let_in&type=shop"])
def test_query_count_stays_flat_as_venues_grow(db, client, django_assert_num_queries, path):
    partner = PartnerFactory()
    host = partner.site.hostname

    def add_venues(start, stop):
        for n in range(start, stop):
            certify(partner, organisation=f"Venue {n}", postcode="IG11 7AA", latitude=51.53 + n / 1000, longitude=0.08)

    add_venues(0, 3)
    client.get(path, HTTP_HOST=host)  # warm Wagtail's site cache
    with CaptureQueriesContext(connection) as few:
        assert client.get(path, HTTP_HOST=host).status_code == 200
    few_queries = len(few)  # now: the captured list is a view of a log the next request resets
    add_venues(3, 30)
    client.get(path, HTTP_HOST=host)  # saving venues retires cached lookups: measure the steady state
    with django_assert_num_queries(few_queries):
        response = client.get(path, HTTP_HOST=host)
    assert "Venue 29" in response.text


def test_navigation_links_to_the_register(barking, client):
    assert 'href="/safe-havens/"' in client.get("/", HTTP_HOST="localhost").text


# --- issue 5's checks, end to end ------------------------------------------------------------------


def test_expire_accreditations_is_idempotent(barking, client):
    from certificates.services import expire_accreditations

    venue = Venue.objects.get(partner=barking, name="Heathway Books")
    today = timezone.localdate()
    Certificate.objects.filter(venue=venue).update(expires_on=today - datetime.timedelta(days=1))
    first = expire_accreditations(today=today)
    assert first["certificates_expired"] == 1 and first["venues_refreshed"] == 1
    again = expire_accreditations(today=today)
    assert again == {"certificates_expired": 0, "venues_refreshed": 0, "reminders": 0}
    assert "Heathway Books" not in listed_names(client)
    assert len(listed_names(client)) == 8


def test_expiry_reminder_goes_30_days_before_and_not_earlier(db, mailoutbox, django_capture_on_commit_callbacks):
    from certificates.services import expire_accreditations

    partner = PartnerFactory()
    certificate = certify(partner, organisation="Longbridge Deli", holder_email="kim@example.org")
    today = timezone.localdate()
    expires_on = today + datetime.timedelta(days=30)
    Certificate.objects.filter(pk=certificate.pk).update(expires_on=expires_on)
    refresh_accreditation(venue=certificate.venue)
    for day, reminded in ((today - datetime.timedelta(days=1), 0), (today, 1), (today, 0), (expires_on, 0)):
        with django_capture_on_commit_callbacks(execute=True):
            assert expire_accreditations(today=day)["reminders"] == reminded, day
    assert [m.to for m in mailoutbox] == [["kim@example.org"]]
    assert "Longbridge Deli" in mailoutbox[0].subject


def test_register_geojson_and_venue_page_never_show_attendees(db, client, django_capture_on_commit_callbacks):
    """Venues made by real completions (bookings marked attended) appear with no trace of the people."""
    from bookings.attendance import record_attendance
    from tests.factories import attended_session, booked_with_link

    partner = PartnerFactory(name="Open Data Borough", host="opendata.localhost")
    session = attended_session(partner)
    people = [
        booked_with_link(session, n, name=f"Private Person {n}", email=f"private{n}@example.net",
                         organisation="Longbridge Library", postcode="IG11 8UA")[0]
        for n in range(3)
    ]  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        for booking in people:
            record_attendance(booking=booking, attended=True)
    venue = Venue.objects.get(partner=partner)
    assert venue.certificates.count() == 3
    Venue.objects.filter(pk=venue.pk).update(
        agreed_to_pledge=True, agreed_to_be_listed=True, latitude=51.5401, longitude=0.0851
    )
    refresh_accreditation(venue=venue)

    geojson = client.get("/safe-havens.geojson", HTTP_HOST="opendata.localhost")
    data = json.loads(geojson.content)
    assert data["type"] == "FeatureCollection"
    assert [f["properties"]["name"] for f in data["features"]] == ["Longbridge Library"]
    assert data["features"][0]["geometry"] == {"type": "Point", "coordinates": [0.0851, 51.5401]}
    pages = {
        "geojson": geojson.content.decode(),
        "register": client.get("/safe-havens/", HTTP_HOST="opendata.localhost").text,
        "venue": client.get(f"/safe-havens/{venue.slug}/", HTTP_HOST="opendata.localhost").text,
    }
    assert all("Longbridge Library" in text for text in pages.values())
    assert "@" not in pages["geojson"]
    for booking in people:
        for where, text in pages.items():
            assert booking.name not in text, where
            assert booking.email not in text, where


def _lists_all(response, count: int) -> bool:
    """Every venue is in the GeoJSON; the register says how many match and pages through them."""
    if response["Content-Type"].startswith("application/geo+json"):
        return len(response.json()["features"]) == count
    return f"{count} Safe Havens" in response.text


@pytest.mark.parametrize(
    "path",
    [
        "/safe-havens/",
        "/safe-havens.geojson",
        "/safe-havens/?open_now=on&help=let_in&help=call_help",
        "/safe-havens/?postcode=IG11+7AA",
        "/safe-havens/?lat=51.54&lng=0.1",
    ],
)
def test_query_count_is_the_same_for_10_and_200_venues(clock, db, client, path):
    """Measured cold (just after a change: nothing rendered once is kept), so the venues' cards are
    built by the request, with the same queries for 10 venues as for 200."""
    from bench.volume import create_benchmark_venues
    from cms.content_version import bump_content_version
    from tests.factories import safe_haven_course

    partner = PartnerFactory()
    safe_haven_course(partner)
    host = partner.site.hostname
    today = timezone.localdate()
    create_benchmark_venues(partner=partner, count=10, today=today)
    client.get(path, HTTP_HOST=host)  # warm Wagtail's site cache
    bump_content_version()
    with CaptureQueriesContext(connection) as ten:
        first = client.get(path, HTTP_HOST=host)
    assert first.status_code == 200 and _lists_all(first, 10)
    create_benchmark_venues(partner=partner, count=190, today=today, start=10)
    bump_content_version()
    with CaptureQueriesContext(connection) as two_hundred:
        response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200 and _lists_all(response, 200)
    assert len(two_hundred.captured_queries) == len(ten.captured_queries)


def test_the_register_pages_through_many_venues_keeping_the_filters(db, client):
    import re

    from bench.volume import create_benchmark_venues
    from tests.factories import safe_haven_course

    partner = PartnerFactory()
    safe_haven_course(partner)
    create_benchmark_venues(partner=partner, count=60, today=timezone.localdate())
    host = partner.site.hostname

    every = client.get("/safe-havens/", HTTP_HOST=host)
    last = client.get("/safe-havens/?page=3", HTTP_HOST=host)
    assert "60 Safe Havens" in every.text and "Showing 1 to 25 of 60." in every.text
    assert every.text.count('class="sh-card"') == 25
    assert last.text.count('class="sh-card"') == 10 and "Showing 51 to 60 of 60." in last.text
    map_data = json.loads(re.search(r'id="register-map-data" type="application/json">(.*?)</script>', last.text)[1])
    map_names = {f["properties"]["name"] for f in map_data["features"]}
    assert map_names == {row.card.name for row in last.context["venues"]}

    # Every benchmark venue is a shop in IG11 7AA: the filtered list still has three pages.
    filtered = client.get("/safe-havens/?type=shop&postcode=IG11+7AA&page=2", HTTP_HOST=host)
    assert "Showing 26 to 50 of 60." in filtered.text
    links = re.findall(r'class="govuk-link govuk-pagination__link" href="([^"]+)"', filtered.text)
    assert len(links) >= 4, links  # previous, pages 1-3, next
    for link in links:
        assert link.startswith("?type=shop&amp;postcode=IG11+7AA&amp;page="), link
    assert {link.rsplit("=", 1)[1] for link in links} == {"1", "2", "3"}


def test_a_venue_without_opening_hours_says_they_are_not_known(clock, db, client):
    partner = PartnerFactory()
    certify(partner, organisation="No Hours Café", hours=None)
    certify(partner, organisation="Weekend Shop", holder_email="w@example.org", hours=((5, 6), "09:00", "17:00"))
    host = partner.site.hostname
    listing = client.get("/safe-havens/", HTTP_HOST=host).text
    assert listing.count("Opening hours not known") == 1  # the Weekend Shop is "Closed now" on a Monday
    assert "Closed now" in listing
    slug = Venue.objects.get(name="No Hours Café").slug
    detail = client.get(f"/safe-havens/{slug}/", HTTP_HOST=host).text
    assert "Opening hours not known." in detail and ">Closed<" not in detail
    weekend = client.get(f"/safe-havens/{Venue.objects.get(name='Weekend Shop').slug}/", HTTP_HOST=host).text
    assert "Opening hours not known" not in weekend and "Closed" in weekend
