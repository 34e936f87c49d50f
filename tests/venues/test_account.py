"""The signed-in lead sees and changes only their own venue; changes show in the register at once."""

import datetime

import pytest
from django.core import mail
from wagtail.models import ModelLogEntry

from certificates.models import OpeningHours, Venue
from tests.conftest import LONDON
from tests.factories import certify

from .conftest import HOST, LEAD, OTHER_HOST, sign_in

pytestmark = pytest.mark.django_db

MONDAY_10PM = datetime.datetime(2027, 6, 7, 22, 0, tzinfo=LONDON)


def week(mode="hours", opens="09:00", closes="17:00", **days):
    data = {}
    for index in range(7):
        day_mode, day_opens, day_closes = days.get(f"day{index}", (mode, opens, closes))
        data.update({f"day{index}": day_mode, f"day{index}_opens": day_opens, f"day{index}_closes": day_closes})
    return data


def details_form(**overrides):
    data = {**week(), "help_offered": ["let_in", "safe_space"], "phone": "020 8227 2000",
            "website": "https://heathwaybooks.example", "address": "1 Heathway, Dagenham"}  # fmt: skip
    data.update(overrides)
    return data


def test_account_lists_the_venue_with_status_and_people_as_initials(lead_client, venue, certificate):
    response = lead_client.get("/venue/account/", HTTP_HOST=HOST)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    text = response.text
    assert "Heathway Books" in text
    assert f"is a Safe Haven until {venue.safe_haven_until():%A %-d %B %Y}" in text
    assert "A.P." in text and certificate.expires_on.strftime("%-d %B %Y") in text
    assert "Asha Patel" not in text.replace(f"Signed in as {LEAD}", "")
    assert "Sign out" in text


def test_not_yet_a_safe_haven_says_what_is_needed(client, partner, django_capture_on_commit_callbacks):
    certify(partner, holder_email=LEAD, pledge=False, listed=False)
    sign_in(client, django_capture_on_commit_callbacks)
    text = client.get("/venue/account/", HTTP_HOST=HOST).text
    assert "Not yet a Safe Haven" in text
    assert "agree to the Safe Haven pledge" in text
    assert "agree to be listed in the public register and map" in text


def test_lead_cannot_open_another_venue_or_another_partners(lead_client, partner, other_partner, venue):
    neighbour = certify(partner, organisation="Ripple Road Café", holder_email="someone@else.example").venue
    elsewhere = certify(other_partner, organisation="Far Away", holder_email=LEAD).venue
    missing = Venue.objects.order_by("-pk").first().pk + 100
    for screen in ("details", "pledge", "renew", "withdraw", "invite"):
        assert lead_client.get(f"/venue/{venue.pk}/{screen}/", HTTP_HOST=HOST).status_code == 200
        for other in (neighbour.pk, elsewhere.pk, missing):
            assert lead_client.get(f"/venue/{other}/{screen}/", HTTP_HOST=HOST).status_code == 404
            assert lead_client.post(f"/venue/{other}/{screen}/", details_form(), HTTP_HOST=HOST).status_code == 404
    assert "Ripple Road" not in lead_client.get("/venue/account/", HTTP_HOST=HOST).text
    # The same address leads a venue of the other partner, but this session is for this site only.
    assert lead_client.get(f"/venue/{elsewhere.pk}/details/", HTTP_HOST=OTHER_HOST).status_code == 302


def test_signed_out_visitors_are_sent_to_sign_in(client, venue):
    for url in ("/venue/account/", f"/venue/{venue.pk}/details/", f"/venue/{venue.pk}/pledge/"):
        response = client.get(url, HTTP_HOST=HOST)
        assert response.status_code == 302 and response["Location"] == "/venue/"


def test_a_lead_is_not_an_admin_user(lead_client):
    response = lead_client.get("/admin/", HTTP_HOST=HOST)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_lead_edits_hours_and_the_register_shows_them(lead_client, venue, clock):
    clock.move_to(MONDAY_10PM, tick=False)
    register = lead_client.get("/safe-havens/?open_now=on", HTTP_HOST=HOST)
    assert "Heathway Books" not in register.text  # 9 to 5: closed at 10pm
    response = lead_client.post(
        f"/venue/{venue.pk}/details/",
        details_form(**week(day0=("hours", "18:00", "01:00"))),
        HTTP_HOST=HOST,
    )
    assert response.status_code == 302 and response["Location"] == "/venue/account/"
    assert "Heathway Books" in lead_client.get("/safe-havens/?open_now=on", HTTP_HOST=HOST).text
    page = lead_client.get(f"/safe-havens/{venue.slug}/", HTTP_HOST=HOST).text
    assert "6pm to 1am (next day)" in page
    assert "020 8227 2000" in page and "1 Heathway, Dagenham" in page
    assert "Your changes are saved" in lead_client.get("/venue/account/", HTTP_HOST=HOST).text

    entry = ModelLogEntry.objects.filter(action="venues.details_changed").get()
    assert entry.user_id is None
    assert entry.data["by"] == LEAD
    assert set(entry.data["changed"]) == {"opening_hours", "phone", "website", "address"}


def test_open_24_hours_counts_as_open_at_night_and_closed_days_as_closed(lead_client, venue, clock):
    clock.move_to(MONDAY_10PM, tick=False)
    hours = week(day0=("all_day", "", ""), day1=("closed", "", ""))
    lead_client.post(f"/venue/{venue.pk}/details/", details_form(**hours), HTTP_HOST=HOST)
    assert OpeningHours.objects.filter(venue=venue, weekday=1).count() == 0
    assert "Heathway Books" in lead_client.get("/safe-havens/?open_now=on", HTTP_HOST=HOST).text
    clock.move_to(MONDAY_10PM + datetime.timedelta(hours=3), tick=False)  # Tuesday 1am: closed all day
    assert "Heathway Books" not in lead_client.get("/safe-havens/?open_now=on", HTTP_HOST=HOST).text
    form = lead_client.get(f"/venue/{venue.pk}/details/", HTTP_HOST=HOST).text
    assert 'id="id_day0_1" name="day0" type="radio" value="all_day" checked' in form


def test_details_are_validated_and_sanitised(lead_client, venue):
    response = lead_client.post(
        f"/venue/{venue.pk}/details/",
        details_form(
            **week(day2=("hours", "09:00", "09:00"), day3=("hours", "", "17:00"), day4=("hours", "9am", "17:00"))
        ),
        HTTP_HOST=HOST,
    )
    assert response.status_code == 400
    text = response.text
    assert "There is a problem" in text
    assert "The closing time on Wednesday must be different from the opening time" in text
    assert "Enter the time you open on Thursday" in text
    assert "Enter the opens time in 24-hour format" in text
    lead_client.post(f"/venue/{venue.pk}/details/",
                     details_form(address='<script>alert(1)</script>1 <b>High</b> St'), HTTP_HOST=HOST)  # fmt: skip
    venue.refresh_from_db()
    assert venue.address == "1 High St"


def test_help_offered_and_accessibility(lead_client, venue):
    lead_client.post(f"/venue/{venue.pk}/details/",
                     details_form(help_offered=["phone_charging"], step_free="on"), HTTP_HOST=HOST)  # fmt: skip
    venue = Venue.objects.get(pk=venue.pk)
    assert venue.help_offered == ["phone_charging", "step_free"]
    page = lead_client.get(f"/safe-havens/{venue.slug}/", HTTP_HOST=HOST).text
    assert "Phone charging" in page and "Step-free access" in page and "A safe, calm space" not in page


def test_invite_a_colleague(lead_client, venue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = lead_client.post(f"/venue/{venue.pk}/invite/", {"email": "new.starter@example.org"},
                                    HTTP_HOST=HOST)  # fmt: skip
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["new.starter@example.org"]
    assert f"http://{HOST}/training/" in message.body
    entry = ModelLogEntry.objects.filter(action="venues.colleague_invited").get()
    assert "new.starter" not in str(entry.data)


def test_invites_are_rate_limited(lead_client, venue, settings, frozen_window):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "venue-sign-in": "2/m"}
    for _ in range(2):
        lead_client.post(f"/venue/{venue.pk}/invite/", {"email": "a@example.org"}, HTTP_HOST=HOST)
    assert lead_client.post(f"/venue/{venue.pk}/invite/", {"email": "a@example.org"},
                            HTTP_HOST=HOST).status_code == 429  # fmt: skip


def test_a_change_retires_the_cached_register_at_once(client, partner, clock, settings,
                                                      django_capture_on_commit_callbacks):  # fmt: skip
    """Hours added where there were none are bulk writes (no model signal): the service itself must
    retire the cached public register, or visitors would see the old answer for a minute."""
    from venues.services import update_venue_details

    settings.PUBLIC_PAGE_CACHE_SECONDS, settings.PUBLIC_LIST_CACHE_SECONDS = 600, 60
    venue = certify(partner, holder_email=LEAD, hours=None).venue
    clock.move_to(MONDAY_10PM, tick=False)
    assert "Heathway Books" not in client.get("/safe-havens/?open_now=on", HTTP_HOST=HOST).text
    cached = client.get("/safe-havens/?open_now=on", HTTP_HOST=HOST)
    assert cached["X-Page-Cache"] == "hit"  # the control: the register is being served from the cache
    with django_capture_on_commit_callbacks(execute=True):
        update_venue_details(venue=venue, lead_email=LEAD, hours=[(datetime.time(0), datetime.time(0))] * 7,
                             help_offered=["let_in", "safe_space"], phone="", website="", address="")  # fmt: skip
    assert "Heathway Books" in client.get("/safe-havens/?open_now=on", HTTP_HOST=HOST).text
