"""A venue's lead signs in by emailed link and changes the venue's hours, in Chromium, with axe on
every page state at desktop width and at 390 px."""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.core import mail
from playwright.sync_api import expect

from .conftest import assert_accessible, site_url

LONDON = zoneinfo.ZoneInfo("Europe/London")
MONDAY_MORNING = datetime.datetime(2027, 6, 7, 10, 0, tzinfo=LONDON)
LEAD = "grace.5@example.org"  # the demo's Heathway Books certificate holder
LINK = re.compile(r"https?://[^\s]+(/venue/sign-in/[A-Za-z0-9_\-]+/)")


@pytest.fixture
def frozen():
    with time_machine.travel(MONDAY_MORNING, tick=True) as traveller:
        yield traveller


@pytest.fixture
def venue_site(frozen, demo_site):
    return demo_site


def accessible_at_both_widths(page):
    assert_accessible(page)
    page.set_viewport_size({"width": 390, "height": 844})
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_lead_signs_in_and_changes_opening_hours(page, venue_site):
    mail.outbox.clear()
    page.goto(site_url(venue_site, "localhost", "/venue/"))
    expect(page.locator("h1")).to_have_text("Sign in to your Safe Haven venue account")
    accessible_at_both_widths(page)

    page.get_by_role("button", name="Email me a sign-in link").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your email address")
    accessible_at_both_widths(page)

    page.get_by_label("Email address").fill(LEAD)
    page.get_by_role("button", name="Email me a sign-in link").click()
    expect(page.locator("h1")).to_have_text("Check your email")
    accessible_at_both_widths(page)

    (message,) = [m for m in mail.outbox if m.to == [LEAD]]
    path = LINK.search(message.body).group(1)
    page.goto(site_url(venue_site, "localhost", path))
    expect(page.get_by_role("button", name="Continue")).to_be_visible()
    accessible_at_both_widths(page)
    page.get_by_role("button", name="Continue").click()

    expect(page.locator("h1")).to_have_text("Your Safe Haven venue account")
    expect(page.locator("main")).to_contain_text("Heathway Books")
    expect(page.locator("main")).to_contain_text("G.A.")  # the trained person, as initials only
    assert "Grace" not in page.locator("main").inner_text()
    accessible_at_both_widths(page)

    page.get_by_role("link", name="Change opening hours and details for Heathway Books").click()
    expect(page.locator("h1")).to_have_text("Opening hours and details")
    accessible_at_both_widths(page)

    sunday = page.get_by_role("group", name="Sunday")
    sunday.get_by_label("Open at set times").check()
    sunday.get_by_label("Opens on Sunday").fill("10:00")
    sunday.get_by_label("Closes on Sunday").fill("10:00")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The closing time on Sunday must be different from the opening time"
    )
    accessible_at_both_widths(page)

    page.get_by_role("group", name="Sunday").get_by_label("Closes on Sunday").fill("16:00")
    page.get_by_role("group", name="Monday").get_by_label("Open 24 hours").check()
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your changes are saved")
    expect(page.locator("main")).to_contain_text("Open 24 hours")
    accessible_at_both_widths(page)

    page.goto(site_url(venue_site, "localhost", "/safe-havens/heathway-books/"))
    expect(page.get_by_role("row", name=re.compile("Sunday"))).to_contain_text("10am to 4pm")

    page.goto(site_url(venue_site, "localhost", "/venue/account/"))
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("h1")).to_have_text("You have signed out")
    page.goto(site_url(venue_site, "localhost", "/venue/account/"))
    expect(page.locator("h1")).to_have_text("Sign in to your Safe Haven venue account")
