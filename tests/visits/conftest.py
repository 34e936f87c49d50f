"""Two councils, each with an accredited venue (lead Asha Patel) and a coordinator, on a held clock."""

import datetime

import pytest
import time_machine
from django.test import Client

from tests.conftest import LONDON
from tests.factories import PartnerFactory, certify, coordinator_of

# A Monday morning in June 2027.
NOW = datetime.datetime(2027, 6, 7, 10, 0, tzinfo=LONDON)
TODAY = NOW.date()
LEAD = "asha.patel@example.org"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def partner(db):
    return PartnerFactory(name="Visitshire", host="visitshire.localhost", contact_email="team@visitshire.example")


@pytest.fixture
def other_partner(db):
    return PartnerFactory(name="Otherford", host="otherford.localhost", contact_email="team@otherford.example")


@pytest.fixture
def venue(partner):
    return certify(partner, organisation="Heathway Books", holder_email=LEAD).venue


@pytest.fixture
def other_venue(other_partner):
    return certify(other_partner, organisation="Otherford Secret Café", postcode="TN1 1AA",
                   holder_email="other.lead@example.org").venue  # fmt: skip


@pytest.fixture
def coordinator(partner):
    return coordinator_of(partner, first_name="Cara", last_name="Checker")


@pytest.fixture
def staff(coordinator):
    client = Client()
    client.force_login(coordinator)
    client.user = coordinator
    return client


@pytest.fixture
def other_staff(other_partner):
    client = Client()
    client.force_login(coordinator_of(other_partner))
    return client


def record(venue, *, outcome="fail", visited_on=None, today=None, actor=None, answers=None, notes="",
           kind="mystery", visited_by_name="Kent Police"):  # fmt: skip
    """Record a visit through the service; every checklist answer is Yes unless `answers` says otherwise."""
    from visits import services

    questions = services.checklist(partner=venue.partner)
    given = {q.pk: True for q in questions}
    for text, value in (answers or {}).items():
        given[next(q.pk for q in questions if q.text == text)] = value
    today = today or datetime.date.today()
    return services.record_visit(
        venue=venue, visited_on=visited_on or today, kind=kind, outcome=outcome, answers=given, notes=notes,
        visited_by_user=None, visited_by_name=visited_by_name, actor=actor, today=today,
    )  # fmt: skip
