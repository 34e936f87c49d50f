"""The venue-account personal-data provider: what it finds, erases and purges."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import ModelLogEntry

from cms.privacy import DEFAULT_RETENTION
from venues.models import SignInLink, VenueContact
from venues.privacy import VenueAccounts
from venues.services import add_contact, update_venue_details

from .conftest import LEAD

pytestmark = pytest.mark.django_db


def test_collect_and_erase_a_lead(partner, other_partner, venue):
    add_contact(venue=venue, email="manager@heathway.example", actor=None)
    SignInLink.objects.mint(partner=partner, email=LEAD)
    SignInLink.objects.mint(partner=other_partner, email=LEAD)
    update_venue_details(venue=venue, lead_email=LEAD, hours=[None] * 7, help_offered=[], phone="", website="",
                         address="")  # fmt: skip
    provider = VenueAccounts()
    found = provider.collect(partner=partner, email=LEAD)
    assert len([row for row in found if "sign_in_link_sent" in row]) == 1
    assert [row["change"] for row in found if "change" in row] == ["venues.details_changed"]
    assert provider.erase(partner=partner, email=LEAD) == 2
    assert provider.erase(partner=partner, email="manager@heathway.example") == 1
    assert not VenueContact.objects.exists()
    assert SignInLink.objects.filter(partner=other_partner).count() == 1  # the other council's is untouched
    assert ModelLogEntry.objects.get(action="venues.details_changed").data["by"] == "Erased"
    assert provider.collect(partner=partner, email=LEAD) == []


def test_purge_removes_old_links_once(partner):
    now = timezone.now()
    SignInLink.objects.mint(partner=partner, email=LEAD, now=now - datetime.timedelta(days=40))
    SignInLink.objects.mint(partner=partner, email=LEAD, now=now)
    assert VenueAccounts().purge(now=now, retention=DEFAULT_RETENTION) == {"venue_sign_in_links": 1}
    assert VenueAccounts().purge(now=now, retention=DEFAULT_RETENTION) == {"venue_sign_in_links": 0}
    assert SignInLink.objects.count() == 1
