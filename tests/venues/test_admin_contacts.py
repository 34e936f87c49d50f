"""Coordinators add and remove who may sign in for their own venues, and nobody else's."""

import pytest
from django.core import mail
from wagtail.models import ModelLogEntry

from tests.factories import UserFactory, certify, coordinator_of, editor_of
from venues.models import VenueContact

from .conftest import HOST, ask_for_link

pytestmark = pytest.mark.django_db

URL = "/admin/venue-contacts/"


@pytest.fixture
def coordinator(partner):
    return coordinator_of(partner)


@pytest.fixture
def others_venue(other_partner):
    return certify(other_partner, organisation="Faraway Books", holder_email="far@example.org").venue


def test_coordinator_adds_a_contact_who_can_then_sign_in(
    client, coordinator, venue, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    page = client.get(f"{URL}?venue={venue.pk}")
    assert page.status_code == 200 and "Venue sign-in contacts" in page.text
    response = client.post(URL, {"action": "add", "venue": venue.pk, "email": "Manager@Heathway.example"})
    assert response.status_code == 302
    contact = VenueContact.objects.get()
    assert contact.email == "manager@heathway.example" and contact.added_by == coordinator
    assert "manager@heathway.example" in client.get(URL).text
    assert ModelLogEntry.objects.filter(action="venues.contact_added", user=coordinator).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        ask_for_link(client.__class__(), email="manager@heathway.example", host=HOST)
    assert [m.to for m in mail.outbox] == [["manager@heathway.example"]]

    client.post(URL, {"action": "remove", "contact": contact.pk})
    assert not VenueContact.objects.exists()


def test_coordinator_cannot_touch_another_partners_venues(client, coordinator, venue, others_venue):
    theirs = VenueContact.objects.create(venue=others_venue, email="theirs@example.org")
    client.force_login(coordinator)
    page = client.get(URL).text
    assert "Faraway Books" not in page and "theirs@example.org" not in page
    added = client.post(URL, {"action": "add", "venue": others_venue.pk, "email": "x@example.org"})
    assert added.status_code == 200 and "Select a valid choice" in added.text
    assert client.post(URL, {"action": "remove", "contact": theirs.pk}).status_code == 404
    assert VenueContact.objects.filter(pk=theirs.pk).exists()
    assert VenueContact.objects.count() == 1


@pytest.mark.parametrize("who", ["editor", "nobody"])
def test_only_coordinators_get_in(client, partner, venue, who):
    user = editor_of(partner) if who == "editor" else UserFactory()
    client.force_login(user)
    assert client.get(URL).status_code in (302, 403)
    assert client.post(URL, {"action": "add", "venue": venue.pk, "email": "x@example.org"}).status_code in (302, 403)
    assert not VenueContact.objects.exists()
