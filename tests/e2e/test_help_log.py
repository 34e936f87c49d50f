"""A venue's lead records help given on a phone-sized screen, in Chromium, with axe on the form, its
error state and the thank-you page; then shares a link a colleague on shift uses."""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from playwright.sync_api import expect

from certificates.models import Venue
from helplog.models import HelpGiven
from venues.models import SignInLink

from .conftest import assert_accessible, site_url

LONDON = zoneinfo.ZoneInfo("Europe/London")
FRIDAY_NIGHT = datetime.datetime(2027, 6, 11, 23, 15, tzinfo=LONDON)
LEAD = "grace.5@example.org"  # the demo's Heathway Books certificate holder
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def venue_site(demo_site):
    with time_machine.travel(FRIDAY_NIGHT, tick=True):
        yield demo_site


def sign_in(page, venue_site, venue, next_path):
    token = SignInLink.objects.mint(partner=venue.partner, email=LEAD, next_path=next_path)
    page.goto(site_url(venue_site, "localhost", f"/venue/sign-in/{token}/"))
    page.get_by_role("button", name="Continue").click()


def test_lead_records_help_given_on_a_phone(page, venue_site):
    venue = Venue.objects.get(name="Heathway Books", partner__site__hostname="localhost")
    page.set_viewport_size(PHONE)
    sign_in(page, venue_site, venue, "/venue/account/")
    page.get_by_role("link", name="Record help given at Heathway Books").click()
    expect(page.locator("h1")).to_have_text("Record help given")
    expect(page.get_by_label("Day", exact=True)).to_have_value("11")
    assert_accessible(page)

    # Nothing ticked, and a note with a phone number in it: both refused, saying why.
    page.get_by_label("Anything else the council should know? (optional)").fill("Rang her brother on 07700 900123")
    page.get_by_role("button", name="Record help given").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select the time of day you helped")
    expect(summary).to_contain_text("Select the help you gave")
    expect(summary).to_contain_text(
        "Remove the phone number: the log must not hold anything that could identify someone"
    )
    assert_accessible(page)
    assert not HelpGiven.objects.exists()

    page.get_by_label("Evening (6pm to midnight)").check()
    page.get_by_label("Let them in").check()
    page.get_by_label("Called a friend, family or a taxi").check()
    page.get_by_label("Anything else the council should know? (optional)").fill("Rang her brother to collect her.")
    page.get_by_role("button", name="Record help given").click()
    expect(page.locator("h1")).to_have_text("Thank you. The help is recorded")
    assert_accessible(page)
    row = HelpGiven.objects.get()
    assert (row.venue_id, row.day, row.time_band) == (venue.pk, FRIDAY_NIGHT.date(), "evening")
    assert sorted(kind.code for kind in row.kinds.all()) == ["called_someone", "let_in"]

    # The link for staff on shift: made, copied once, used without signing in.
    page.goto(site_url(venue_site, "localhost", f"/venue/help/{venue.pk}/share/"))
    assert_accessible(page)
    page.get_by_role("button", name="Create a link").click()
    link = page.get_by_label("Copy this link now").input_value()
    assert re.search(r"/venue/help/record/[A-Za-z0-9_\-]+/$", link)
    assert_accessible(page)
    colleague = page.context.browser.new_context(viewport=PHONE).new_page()
    colleague.goto(link)
    expect(colleague.locator("h1")).to_have_text("Record help given")
    expect(colleague.locator("main")).not_to_contain_text(LEAD)
    colleague.get_by_label("Night (midnight to 6am)").check()
    colleague.get_by_label("Phone charging").check()
    colleague.get_by_role("button", name="Record help given").click()
    expect(colleague.locator("h1")).to_have_text("Thank you. The help is recorded")
    assert HelpGiven.objects.filter(venue=venue, via="shared_link").count() == 1
    colleague.context.close()
