import datetime

import pytest
import time_machine
from django.utils import timezone

from cms.models import Area, SupportService
from tests.conftest import LONDON
from tests.factories import PartnerFactory, certify, coordinator_of
from venues.views import SESSION_KEY

HOST = "helpton.localhost"
OTHER_HOST = "elsewhere.localhost"
LEAD = "asha.patel@example.org"
# A Wednesday evening in November 2027.
WEDNESDAY_EVENING = datetime.datetime(2027, 11, 17, 20, 30, tzinfo=LONDON)
TODAY = WEDNESDAY_EVENING.date()


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(WEDNESDAY_EVENING, tick=False) as traveller:
        yield traveller


@pytest.fixture
def partner(db):
    return PartnerFactory(name="Helpton", host=HOST, contact_email="team@helpton.example")


@pytest.fixture
def other_partner(db):
    return PartnerFactory(name="Elsewhere", host=OTHER_HOST, contact_email="team@elsewhere.example")


@pytest.fixture
def venue(partner):
    area = Area.objects.create(partner=partner, name="Town centre", slug="town-centre")
    return certify(partner, organisation="Heathway Books", holder_email=LEAD, area=area).venue


@pytest.fixture
def other_venue(partner):
    """Same council, someone else's venue."""
    return certify(partner, organisation="Corner Café", venue_type="cafe", holder_email="sam@example.org").venue


@pytest.fixture
def far_venue(other_partner):
    """Another council's venue, led by the same address."""
    return certify(other_partner, organisation="Faraway Library", venue_type="library", holder_email=LEAD).venue


@pytest.fixture
def services(partner, other_partner):
    return {
        "ours": SupportService.objects.create(partner=partner, name="Helpton Crisis Line", helps_with="Mental health"),
        "theirs": SupportService.objects.create(
            partner=other_partner, name="Elsewhere Housing Advice", helps_with="Housing"
        ),
    }


def signed_in(client, partner, email=LEAD, host=HOST):
    """A lead's session as `venues.views.use_link` leaves it (the sign-in itself is tested in tests/venues)."""
    client.defaults["HTTP_HOST"] = host
    session = client.session
    session[SESSION_KEY] = {"email": email, "partner": partner.pk, "at": timezone.now().isoformat()}
    session.save()
    return client


@pytest.fixture
def lead_client(client, partner, venue):
    return signed_in(client, partner)


@pytest.fixture
def coordinator(partner):
    return coordinator_of(partner, username="helpton-coordinator")


@pytest.fixture
def other_coordinator(other_partner):
    return coordinator_of(other_partner, username="elsewhere-coordinator")


def form_data(**overrides):
    data = {
        "when_day": TODAY.day,
        "when_month": TODAY.month,
        "when_year": TODAY.year,
        "time_band": "evening",
        "kinds": ["let_in", "safe_space"],
        "note": "",
    }
    data.update(overrides)
    return data
