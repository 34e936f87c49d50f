"""The sticker's status page and the certificate code form in Chromium, with axe, on a laptop and a phone."""

import pytest
import time_machine
from playwright.sync_api import expect

from certificates.models import Venue
from tests.conftest import MONDAY_MORNING

from .conftest import assert_accessible, site_url

WIDTHS = [1280, 390]


@pytest.fixture
def monday():
    # Ticking, so the browser's waits still see time pass; Monday 10am, when the demo's daytime venues are open.
    with time_machine.travel(MONDAY_MORNING, tick=True):
        yield


@pytest.fixture
def site(monday, demo_site):
    return demo_site


def code_of(name):
    return Venue.objects.get(partner__name="Barking and Dagenham", name=name).sticker_code


@pytest.mark.parametrize("width", WIDTHS)
def test_a_safe_havens_sticker_says_so_with_help_and_open_now(page, site, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site_url(site, "localhost", f"/safe-havens/check/{code_of('Barking Learning Centre')}/"))
    expect(page.locator("h1")).to_have_text("Barking Learning Centre is a Safe Haven")
    expect(page.locator(".govuk-panel__body")).to_contain_text("until ")
    expect(page.get_by_text("Open now")).to_be_visible()
    expect(page.get_by_role("heading", name="Help offered")).to_be_visible()
    expect(page.get_by_role("link", name="Exit this page")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Opening hours, address and phone number for Barking Learning Centre").click()
    expect(page.locator("h1")).to_have_text("Barking Learning Centre")


@pytest.mark.parametrize("width", WIDTHS)
def test_a_suspended_venues_sticker_says_no_longer_with_999_101_and_the_nearest_open(page, site, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site_url(site, "localhost", f"/safe-havens/check/{code_of('Heathway Grill')}/"))
    expect(page.locator("h1")).to_have_text("Heathway Grill is no longer a Safe Haven")
    expect(page.get_by_role("link", name="call 999")).to_have_attribute("href", "tel:999")
    expect(page.get_by_role("link", name="call 101")).to_have_attribute("href", "tel:101")
    nearest = page.locator("main .govuk-list li")
    expect(nearest).to_have_count(3)
    expect(nearest.first).to_contain_text("miles away")
    expect(nearest.first).to_contain_text("Heathway")  # Heathway Books or the Community Centre, a few doors away
    assert_accessible(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_typing_a_certificate_code_finds_the_certificate(page, site, width):
    from certificates.models import Certificate

    certificate = Certificate.objects.filter(partner__name="Barking and Dagenham", status="valid").first()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site_url(site, "localhost", "/certificates/verify/"))
    expect(page.locator("h1")).to_have_text("Check a Safe Haven certificate")
    assert_accessible(page)
    page.get_by_role("button", name="Check certificate").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the certificate code")
    assert_accessible(page)
    page.get_by_label("Certificate code").fill(certificate.display_code.lower().replace("-", " "))
    page.get_by_role("button", name="Check certificate").click()
    expect(page.get_by_role("heading", name="This certificate is valid")).to_be_visible()
    assert page.url.endswith(f"/certificates/verify/{certificate.display_code}/")
