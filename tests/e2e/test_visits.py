"""A coordinator records a mystery visit from the admin menu, on a desk screen and on a phone, with axe
on the form and on the visit it records."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail
from playwright.sync_api import expect

from certificates.models import Venue
from cms.models import Partner
from tests.factories import coordinator_of
from visits.models import Visit

from .conftest import assert_accessible, site_url

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2027, 4, 20, 10, 20, tzinfo=LONDON)
PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


def checked(page):
    page.wait_for_load_state()
    page.wait_for_function(
        "document.getAnimations().every(a => a.playState !== 'running' || a.animationName === 'ping-warning')"
    )
    assert_accessible(page)


def sign_in(page, demo_site, user):
    page.goto(site_url(demo_site, "localhost", "/admin/login/"))
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/")


def answer(page, question, value):
    page.get_by_role("group", name=question).get_by_label(value, exact=True).check()


@pytest.mark.parametrize("width", [1280, 390])
def test_coordinator_records_a_mystery_visit(page, demo_site, clock, settings, width):
    settings.PUBLIC_URL_PORT = int(demo_site.url.rsplit(":", 1)[1])
    page.set_viewport_size({"width": width, "height": 900})
    partner = Partner.objects.get(name="Barking and Dagenham")
    user = coordinator_of(partner, username="visitor", password=PASSWORD, first_name="Mo", last_name="Ahmed")
    venue = Venue.objects.accredited(today=NOW.date()).get(partner=partner, name="Ripple Road Café")
    sign_in(page, demo_site, user)

    expect(page.get_by_role("heading", name="Barking and Dagenham: spot checks and visits")).to_be_visible()
    page.goto(site_url(demo_site, "localhost", "/admin/visits/"))
    checked(page)
    page.get_by_role("link", name="Record a visit").first.click()
    page.wait_for_url("**/admin/visits/new/")
    checked(page)

    page.get_by_label("Venue").select_option(label=str(venue))
    page.get_by_label("Mystery visit").check()
    page.get_by_label("Me (Mo Ahmed)").check()
    for question in ["Staff knew what a Safe Haven is", "Offered a seat and somewhere calm",
                     "Offered to call someone or use the phone"]:  # fmt: skip
        answer(page, question, "Yes")
    answer(page, "Safe Haven sticker visible from outside", "No")
    answer(page, "Knew to call 999 in an emergency and 101 otherwise", "No")
    page.get_by_label("Fail").check()
    page.get_by_label("Notes (optional)").fill("Sticker was behind a poster.")
    page.get_by_role("button", name="Record the visit").click()

    expect(page.get_by_role("heading", name="Visit to Ripple Road Café")).to_be_visible()
    expect(page.get_by_text("Refresher needed by Thursday 20 May 2027.")).to_be_visible()
    expect(page.get_by_text("Sticker was behind a poster.")).to_be_visible()
    checked(page)
    visit = Visit.objects.get(venue=venue)
    assert (visit.kind, visit.outcome, visit.visited_by_user_id) == ("mystery", "fail", user.pk)
    assert [a.answer for a in visit.answers.all()] == [True, False, True, True, False]
    assert any("refresher training needed by 20 May 2027" in message.subject for message in mail.outbox)
