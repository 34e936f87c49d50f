"""The venue's link for staff on shift: made, seen once, revoked; it records for its venue only."""

import html
import re

import pytest
from django.test import Client
from wagtail.models import ModelLogEntry

from bookings.models import hash_token
from helplog.models import HelpGiven, HelpLogLink, Via

from .conftest import HOST, LEAD, OTHER_HOST, form_data, signed_in

pytestmark = pytest.mark.django_db
LINK = re.compile(r'value="https?://[^"]+/venue/help/record/([A-Za-z0-9_\-]+)/"')


def text(response) -> str:
    return html.unescape(response.content.decode())


def create_link(lead_client, venue) -> str:
    response = lead_client.post(f"/venue/help/{venue.pk}/share/", {"action": "create"})
    assert response.status_code == 200 and "Copy this link now" in text(response)
    assert response["Cache-Control"] == "no-store"
    return LINK.search(response.content.decode()).group(1)


def test_the_link_is_shown_once_and_only_its_hash_is_kept(lead_client, venue):
    assert "There is no link at the moment" in text(lead_client.get(f"/venue/help/{venue.pk}/share/"))
    token = create_link(lead_client, venue)
    (link,) = HelpLogLink.objects.all()
    assert link.token_hash == hash_token(token)
    assert token not in str(HelpLogLink.objects.values().get())
    again = text(lead_client.get(f"/venue/help/{venue.pk}/share/"))
    assert token not in again and "A link has been working since 17 November 2027" in again
    assert ModelLogEntry.objects.filter(action="helplog.link_created", object_id=str(venue.pk)).count() == 1


def test_anyone_with_the_link_records_for_that_venue_without_signing_in(lead_client, venue):
    token = create_link(lead_client, venue)
    staff = Client(HTTP_HOST=HOST)
    page = staff.get(f"/venue/help/record/{token}/")
    assert page.status_code == 200 and "Heathway Books" in text(page)
    assert page["Cache-Control"] == "no-store" and page["Referrer-Policy"] == "strict-origin"
    assert LEAD not in text(page) and "Sign out" not in text(page)  # nothing of the lead's account

    response = staff.post(f"/venue/help/record/{token}/", form_data(kinds=["phone_charging"], venue=999))
    assert response.status_code == 302 and response["Location"] == f"/venue/help/record/{token}/done/"
    done = staff.get(response["Location"])
    assert "Thank you. The help is recorded" in text(done) and done["Referrer-Policy"] == "strict-origin"
    assert f'href="/venue/help/record/{token}/"' in done.content.decode()
    row = HelpGiven.objects.get()
    assert (row.venue_id, row.via) == (venue.pk, Via.SHARED_LINK)
    entry = ModelLogEntry.objects.get(action="helplog.recorded")
    assert entry.data == {"kinds": ["phone_charging"], "via": "shared_link"}


def test_the_shared_form_refuses_personal_data_too(lead_client, venue):
    token = create_link(lead_client, venue)
    response = Client(HTTP_HOST=HOST).post(f"/venue/help/record/{token}/", form_data(note="ring 07700 900123"))
    assert response.status_code == 400 and "Remove the phone number" in text(response)
    assert response["Referrer-Policy"] == "strict-origin"
    assert not HelpGiven.objects.exists()


def test_a_new_link_replaces_the_old_and_a_revoked_link_is_a_404(lead_client, venue):
    old = create_link(lead_client, venue)
    new = create_link(lead_client, venue)
    staff = Client(HTTP_HOST=HOST)
    gone = staff.get(f"/venue/help/record/{old}/")
    assert gone.status_code == 404 and "This link does not work" in text(gone)
    assert gone["Referrer-Policy"] == "strict-origin"
    assert staff.post(f"/venue/help/record/{old}/", form_data()).status_code == 404
    assert staff.get(f"/venue/help/record/{old}/done/").status_code == 404
    assert staff.get(f"/venue/help/record/{new}/").status_code == 200

    response = lead_client.post(f"/venue/help/{venue.pk}/share/", {"action": "revoke"})
    assert response.status_code == 302
    page = text(lead_client.get(f"/venue/help/{venue.pk}/share/"))
    assert "The link is switched off" in page and "There is no link at the moment" in page
    assert staff.get(f"/venue/help/record/{new}/").status_code == 404
    assert staff.post(f"/venue/help/record/{new}/", form_data()).status_code == 404
    assert not HelpGiven.objects.exists()
    assert ModelLogEntry.objects.filter(action="helplog.link_revoked", object_id=str(venue.pk)).count() == 2


def test_an_unknown_link_or_one_for_another_councils_site_is_a_404(lead_client, venue, other_partner):
    token = create_link(lead_client, venue)
    assert Client(HTTP_HOST=HOST).get("/venue/help/record/not-a-real-token/").status_code == 404
    # The same link on another council's site names nothing there.
    assert Client(HTTP_HOST=OTHER_HOST).get(f"/venue/help/record/{token}/").status_code == 404
    assert Client(HTTP_HOST=OTHER_HOST).post(f"/venue/help/record/{token}/", form_data()).status_code == 404
    assert not HelpGiven.objects.exists()


def test_one_venues_link_never_records_for_another(client, partner, venue, other_venue):
    """Venue A's link records at A whatever the form says; B's lead has their own link."""
    token_a = create_link(signed_in(client, partner), venue)
    other = signed_in(Client(), partner, email="sam@example.org")
    token_b = create_link(other, other_venue)
    staff = Client(HTTP_HOST=HOST)
    staff.post(f"/venue/help/record/{token_a}/", form_data(venue=other_venue.pk, venue_id=other_venue.pk))
    staff.post(f"/venue/help/record/{token_b}/", form_data())
    assert sorted(HelpGiven.objects.values_list("venue__name", flat=True)) == ["Corner Café", "Heathway Books"]


def test_the_shared_form_is_rate_limited(lead_client, venue, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "help-log": "2/m"}
    token = create_link(lead_client, venue)
    staff = Client(HTTP_HOST=HOST)
    for _ in range(2):
        assert staff.post(f"/venue/help/record/{token}/", form_data()).status_code == 302
    limited = staff.post(f"/venue/help/record/{token}/", form_data())
    assert limited.status_code == 429 and limited["Referrer-Policy"] == "strict-origin"
    assert HelpGiven.objects.count() == 2


def test_a_venue_that_leaves_the_scheme_stops_its_shared_link(lead_client, venue):
    from venues.services import withdraw_venue

    token = create_link(lead_client, venue)
    staff = Client(HTTP_HOST=HOST)
    assert staff.get(f"/venue/help/record/{token}/").status_code == 200

    withdraw_venue(venue=venue, lead_email=LEAD)

    assert staff.get(f"/venue/help/record/{token}/").status_code == 404
    assert staff.post(f"/venue/help/record/{token}/", form_data()).status_code == 404
    assert not HelpGiven.objects.exists()
