"""Finding a Safe Haven on a phone (issue 18), in Chromium at 390×844 and 1280×800: the search and the
first results on the first screen, the Filter disclosure with JavaScript off, a venue page's "open now"
and directions, and the map marking the person's own position."""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from playwright.sync_api import expect

from .conftest import assert_accessible, site_url
from .test_register import TILE

LONDON = zoneinfo.ZoneInfo("Europe/London")
MONDAY_MORNING = datetime.datetime(2027, 6, 7, 10, 0, tzinfo=LONDON)
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}


@pytest.fixture
def clock():
    """Taken before `demo_site`, so the demo is seeded on the same (frozen, ticking) Monday."""
    with time_machine.travel(MONDAY_MORNING, tick=True) as traveller:
        yield traveller


def new_page(browser, viewport, **options):
    context = browser.new_context(viewport=viewport, **options)
    page = context.new_page()
    # The sandbox has no internet: map tiles are answered locally.
    page.route(re.compile(r"https://tile\.openstreetmap\.org/.*"), lambda route: route.fulfill(
        status=200, content_type="image/png", body=TILE))  # fmt: skip
    return page


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_search_and_first_results_on_the_first_screen(browser, demo_site, viewport):
    page = new_page(browser, viewport)
    try:
        page.goto(site_url(demo_site, "localhost", "/safe-havens/"))
        search = page.get_by_label("Postcode")
        expect(search).to_be_visible()
        assert search.bounding_box()["y"] + search.bounding_box()["height"] <= viewport["height"]
        first = page.locator(".sh-venue-list li").first
        expect(first).to_be_visible()
        filters = page.get_by_label("Area")
        if viewport is PHONE:
            # The first result starts on the first screen, its name readable without scrolling.
            name = first.locator("h3 a")
            assert name.bounding_box()["y"] + name.bounding_box()["height"] <= viewport["height"], name.bounding_box()
            expect(filters).to_be_hidden()  # behind "Filter"
            # The map follows the list on a phone.
            list_box = page.locator("#register-list").bounding_box()
            assert page.locator("#register-map").bounding_box()["y"] > list_box["y"] + list_box["height"]
        else:
            expect(filters).to_be_visible()  # room for them beside the results
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        assert_accessible(page)

        page.get_by_text("Filter", exact=True).click()
        if viewport is PHONE:
            expect(filters).to_be_visible()
        else:
            expect(filters).to_be_hidden()
        assert_accessible(page)
    finally:
        page.context.close()


def test_filters_work_without_javascript(browser, demo_site):
    page = new_page(browser, PHONE, java_script_enabled=False)
    try:
        page.goto(site_url(demo_site, "localhost", "/safe-havens/"))
        expect(page.get_by_role("heading", name="9 Safe Havens")).to_be_visible()
        area = page.get_by_label("Area")
        expect(area).to_be_hidden()
        page.get_by_text("Filter", exact=True).click()
        area.select_option(label="Parks")
        page.get_by_label("Step-free access").check()
        page.get_by_role("button", name="Show Safe Havens").click()

        expect(page.get_by_role("heading", name="2 Safe Havens")).to_be_visible()
        names = set(page.locator(".sh-venue-list h3 a").all_inner_texts())
        assert names == {"Barking Park Café", "Valence House Museum"}
        # The page says it is filtered, and how; the disclosure opens on the filters in use.
        in_use = page.get_by_role("list", name="Filters in use")
        expect(in_use).to_contain_text("Area: Parks")
        expect(in_use).to_contain_text("Help: Step-free access")
        expect(page.get_by_text("Filter (2 in use)")).to_be_visible()
        expect(area).to_be_visible()
        expect(area).to_have_value("parks")

        # The open filters come first on a phone: a link goes straight past them to the results.
        page.get_by_role("link", name="Skip to the results (2 Safe Havens)").click()
        first = page.locator(".sh-venue-list li").first
        expect(first).to_be_in_viewport()

        # One filter off at a time.
        in_use.get_by_role("link", name="Remove this filter: Help: Step-free access").click()
        expect(page.get_by_role("heading", name="3 Safe Havens")).to_be_visible()
        filtered_url = page.url
    finally:
        page.context.close()
    checker = new_page(browser, PHONE)  # axe needs JavaScript: the same GET page, with it on
    try:
        checker.goto(filtered_url)
        assert_accessible(checker)
    finally:
        checker.context.close()


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_venue_page_says_open_now_and_gives_directions(clock, browser, demo_site, viewport):
    page = new_page(browser, viewport)
    try:
        page.goto(site_url(demo_site, "localhost", "/safe-havens/barking-learning-centre/"))
        expect(page.locator("h1")).to_have_text("Barking Learning Centre")
        expect(page.locator(".sh-venue-open-now")).to_contain_text("Open now")  # Monday 10am: 9am to 8pm
        directions = page.get_by_role("link", name="Walking directions to Barking Learning Centre on OpenStreetMap")
        expect(directions).to_have_attribute(
            "href", re.compile(r"^https://www\.openstreetmap\.org/directions\?to=51\.\d+,0\.\d+$")
        )
        assert_accessible(page)
    finally:
        page.context.close()


def test_map_marks_your_location_and_distances_are_in_miles(browser, demo_site):
    page = new_page(browser, PHONE)
    try:
        page.context.grant_permissions(["geolocation"])
        page.context.set_geolocation({"latitude": 51.5452, "longitude": 0.0880})  # Barking Park
        page.goto(site_url(demo_site, "localhost", "/safe-havens/"))
        page.get_by_role("button", name="Use my location").click()
        expect(page.get_by_role("heading", name=re.compile("nearest to your location first"))).to_be_visible()
        first = page.locator(".sh-venue-list li").first
        expect(first).to_contain_text("Less than 0.1 miles away, about 1 minute's walk")
        assert " km" not in page.locator("main").inner_text()
        map_region = page.get_by_role("region", name="Map of the Safe Havens listed above")
        expect(map_region.get_by_role("img", name="Your location")).to_have_count(1)
        expect(page.get_by_text("The blue dot on the map is your location.")).to_be_visible()
        assert_accessible(page)
    finally:
        page.context.close()


def test_home_page_leads_with_find_a_safe_haven(browser, demo_site):
    page = new_page(browser, PHONE)
    try:
        page.goto(site_url(demo_site, "localhost", "/"))
        start = page.locator("main").get_by_role("button", name="Find a Safe Haven")
        expect(start).to_be_visible()
        assert start.bounding_box()["y"] + start.bounding_box()["height"] <= PHONE["height"]
        assert_accessible(page)
        start.click()
        expect(page.locator("h1")).to_have_text("Find a Safe Haven")
    finally:
        page.context.close()
