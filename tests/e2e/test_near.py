"""The nearest open Safe Haven in Chromium: on a 390 px phone with JavaScript off by day (a list) and at night
(999/101 and the next to open), and "Use my location" with JavaScript on."""

import datetime
import zoneinfo

import pytest
import time_machine
from playwright.sync_api import expect

from .conftest import assert_accessible, site_url

LONDON = zoneinfo.ZoneInfo("Europe/London")
MONDAY_MORNING = datetime.datetime(2027, 6, 7, 10, 0, tzinfo=LONDON)
MONDAY_LATE = datetime.datetime(2027, 6, 7, 23, 30, tzinfo=LONDON)  # the Barking Dog closed at 11pm


@pytest.fixture
def clock():
    """Taken before `demo_site`, so the demo is seeded on the same (frozen, ticking) Monday."""
    with time_machine.travel(MONDAY_MORNING, tick=True) as traveller:
        yield traveller


@pytest.fixture
def phone(browser):
    """A 390 px wide phone with JavaScript turned off: the page must work from the postcode alone."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


def search(page, live_server, postcode: str):
    page.goto(site_url(live_server, "localhost", "/safe-havens/near/"))
    expect(page.locator("h1")).to_have_text("Safe Havens open near you")
    expect(page.get_by_role("button", name="Use my location")).to_be_hidden()  # needs JavaScript
    page.get_by_label("Postcode").fill(postcode)
    page.get_by_role("button", name="Find").click()


def assert_accessible_on_a_phone(browser, url: str):
    """axe needs JavaScript, which the phone has turned off: check the same page (a GET, so the same
    markup) at the same width in a second context, with nothing sideways to scroll to."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        assert_accessible(page)
    finally:
        context.close()


def test_open_safe_havens_near_a_postcode_without_javascript(clock, browser, phone, demo_site):
    search(phone, demo_site, "ig11 7aa")
    expect(phone.get_by_role("heading", name="Open now near IG11 7AA")).to_be_visible()
    names = phone.locator(".sh-venue-list h3 a").all_inner_texts()
    # IG11's centre: Ripple Road Café is nearest; Heathway (Dagenham) is far beyond a walk.
    assert names[:2] == ["Ripple Road Café", "Barking Learning Centre"]
    assert "Heathway Books" not in names and "The Barking Dog" not in names  # too far; opens at 11am
    first = phone.locator(".sh-venue-list li").first
    expect(first).to_contain_text("Less than 0.1 miles away, about 2 minutes' walk")
    expect(first).to_contain_text("Open now until 4pm")
    directions = first.get_by_role("link", name="Walking directions to Ripple Road Café on OpenStreetMap")
    expect(directions).to_have_attribute("href", "https://www.openstreetmap.org/directions?to=51.53720,0.08230")
    second = phone.locator(".sh-venue-list li").nth(1)
    expect(second).to_contain_text("0.2 miles away, about 4 minutes' walk")
    expect(second).to_contain_text("Open now until 8pm")
    assert "tel:999" not in phone.content()
    assert_accessible_on_a_phone(browser, phone.url)

    second.get_by_role("link", name="Barking Learning Centre", exact=True).click()
    expect(phone.locator("h1")).to_have_text("Barking Learning Centre")


def test_none_open_at_night_gives_999_101_and_the_next_to_open(clock, browser, phone, demo_site):
    clock.move_to(MONDAY_LATE)
    search(phone, demo_site, "IG11 7AA")
    expect(phone.get_by_role("heading", name="No Safe Haven near IG11 7AA is open now.")).to_be_visible()
    call = phone.get_by_role("region", name="If you need help now")
    expect(call.get_by_role("link", name="In an emergency call 999")).to_have_attribute("href", "tel:999")
    expect(call.get_by_role("link", name="If it is not an emergency call 101")).to_have_attribute("href", "tel:101")
    expect(phone.get_by_text("The next Safe Haven to open near you:")).to_contain_text(
        "Ripple Road Café, opens tomorrow at 7:30am."
    )
    assert_accessible_on_a_phone(browser, phone.url)


def test_a_postcode_that_is_not_one_is_explained(clock, browser, phone, demo_site):
    search(phone, demo_site, "banana")
    summary = phone.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a real postcode, like RM10 8AB")
    assert_accessible_on_a_phone(browser, phone.url)


def test_use_my_location_with_javascript(clock, page, demo_site):
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 51.5452, "longitude": 0.0880})  # Barking Park
    page.goto(site_url(demo_site, "localhost", "/safe-havens/near/"))
    page.get_by_role("button", name="Use my location").click()
    expect(page.get_by_role("heading", name="Open now near you")).to_be_visible()
    assert page.locator(".sh-venue-list h3 a").all_inner_texts()[0] == "Barking Park Café"
    assert page.get_by_label("Postcode").input_value() == ""  # the position is not written back into the page
    assert_accessible(page)
