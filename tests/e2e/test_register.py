"""The public Safe Haven register in Chromium: list, map, filters, near me, a venue, a verification."""

import base64
import re

import pytest
from playwright.sync_api import expect

from certificates.models import Certificate

from .conftest import assert_accessible, site_url

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
# A 1×1 transparent PNG: the sandbox has no internet, so map tiles are answered locally.
TILE = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")


@pytest.fixture
def register_page(page, demo_site):
    page.route(re.compile(r"https://tile\.openstreetmap\.org/.*"), lambda route: route.fulfill(
        status=200, content_type="image/png", body=TILE))  # fmt: skip
    return page


def list_names(page) -> list[str]:
    return page.locator(".sh-venue-list h3 a").all_inner_texts()


def test_register_list_and_map_show_the_same_safe_havens(register_page, demo_site):
    page = register_page
    page.goto(site_url(demo_site, "localhost", "/safe-havens/"))
    expect(page.locator("h1")).to_have_text("Find a Safe Haven")
    expect(page.get_by_role("heading", name="9 Safe Havens")).to_be_visible()
    names = list_names(page)
    assert set(names) == BARKING_LISTED
    assert "Station Parade Newsagent" not in page.content()  # lapsed
    assert "Heathway Grill" not in page.content()  # suspended

    map_region = page.get_by_role("region", name="Map of the Safe Havens listed below")
    expect(map_region).to_be_visible()
    markers = map_region.locator(".leaflet-marker-icon")
    expect(markers).to_have_count(9)
    assert {marker.get_attribute("alt") for marker in markers.all()} == set(names)
    expect(map_region.locator(".leaflet-tile-loaded").first).to_be_attached()

    # Heathway's two pins overlap at this zoom, so click the pin itself rather than the point on screen.
    map_region.locator('.leaflet-marker-icon[alt="Heathway Books"]').dispatch_event("click")
    popup_link = map_region.locator(".leaflet-popup-content a")
    expect(popup_link).to_have_text("Heathway Books")
    assert_accessible(page)

    popup_link.click()
    expect(page).to_have_url(re.compile(r"/safe-havens/heathway-books/$"))
    expect(page.locator("h1")).to_have_text("Heathway Books")


def test_filters_narrow_the_list_and_the_map(register_page, demo_site):
    page = register_page
    page.goto(site_url(demo_site, "localhost", "/safe-havens/"))
    page.get_by_label("Area").select_option(label="Parks")
    page.get_by_role("button", name="Show Safe Havens").click()
    expect(page.get_by_role("heading", name="3 Safe Havens")).to_be_visible()
    assert set(list_names(page)) == {"Barking Park Café", "Parsloes Park Pavilion", "Valence House Museum"}
    expect(page.locator("#register-map .leaflet-marker-icon")).to_have_count(3)
    assert_accessible(page)

    page.get_by_role("link", name="Clear filters").click()
    page.get_by_label("Step-free access").check()
    page.get_by_label("Accessible toilet").check()
    page.get_by_label("Type of place").select_option(label="Library")
    page.get_by_role("button", name="Show Safe Havens").click()
    expect(page.get_by_role("heading", name="2 Safe Havens")).to_be_visible()  # the new page has loaded
    assert set(list_names(page)) == {"Barking Learning Centre", "Valence House Museum"}
    expect(page.get_by_label("Step-free access")).to_be_checked()
    assert_accessible(page)


def test_near_me_by_postcode_and_by_location(register_page, demo_site):
    page = register_page
    page.goto(site_url(demo_site, "localhost", "/safe-havens/"))
    page.get_by_label("Postcode").fill("rm10 8aa")
    page.get_by_role("button", name="Show Safe Havens").click()
    expect(page.get_by_role("heading", name="9 Safe Havens, nearest to RM10 8AA first")).to_be_visible()
    assert set(list_names(page)[:2]) == {"Heathway Books", "Heathway Community Centre"}
    assert_accessible(page)

    page.get_by_label("Postcode").fill("SW1A 1AA")
    page.get_by_role("button", name="Show Safe Havens").click()
    expect(page).to_have_title(re.compile(r"^Error: Find a Safe Haven"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("We do not recognise that postcode")
    assert_accessible(page)

    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 51.5452, "longitude": 0.0880})  # Barking Park
    page.goto(site_url(demo_site, "localhost", "/safe-havens/"))
    page.get_by_role("button", name="Use my location").click()
    expect(page.get_by_role("heading", name=re.compile("nearest to your location first"))).to_be_visible()
    assert list_names(page)[0] == "Barking Park Café"
    assert_accessible(page)


def test_venue_page(register_page, demo_site):
    page = register_page
    page.goto(site_url(demo_site, "localhost", "/safe-havens/barking-learning-centre/"))
    expect(page.locator("h1")).to_have_text("Barking Learning Centre")
    expect(page.get_by_text("2 Town Square, Barking")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Monday"))).to_contain_text("9am to 8pm")
    expect(page.get_by_role("row", name=re.compile("Sunday"))).to_contain_text("Closed")
    expect(page.locator("#register-map .leaflet-marker-icon")).to_have_count(1)
    assert_accessible(page)


def test_verification_pages(page, demo_site):
    certificate = Certificate.objects.filter(partner__name="Barking and Dagenham", status="valid").first()
    page.goto(site_url(demo_site, "localhost", f"/certificates/verify/{certificate.display_code}/"))
    expect(page.locator(".govuk-panel__title")).to_have_text("This certificate is valid")
    assert certificate.holder_name not in page.content()
    assert certificate.holder_email not in page.content()
    assert_accessible(page)

    expired = Certificate.objects.get(venue__name="Station Parade Newsagent")
    page.goto(site_url(demo_site, "localhost", f"/certificates/verify/{expired.code.lower()}/"))
    expect(page.get_by_text("This certificate has expired")).to_be_visible()
    assert_accessible(page)

    response = page.goto(site_url(demo_site, "localhost", "/certificates/verify/ABCD-EFGH-JK/"))
    assert response.status == 404
