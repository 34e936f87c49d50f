import datetime
import re

import pytest
import time_machine
from django.core import mail

from tests.conftest import LONDON
from tests.factories import PartnerFactory, certify

HOST = "venuetown.localhost"
OTHER_HOST = "otherborough.localhost"
LEAD = "asha.patel@example.org"


# A Monday evening in June: the venues' 9-to-5 hours are over, so "open now" shows any change.
MONDAY_9PM = datetime.datetime(2027, 6, 7, 21, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def clock():
    """Every venue test runs on a held clock; `clock.move_to(when)` moves it."""
    with time_machine.travel(MONDAY_9PM, tick=False) as traveller:
        yield traveller


@pytest.fixture
def partner(db):
    return PartnerFactory(name="Venuetown", host=HOST, contact_email="team@venuetown.example")


@pytest.fixture
def other_partner(db):
    return PartnerFactory(name="Otherborough", host=OTHER_HOST, contact_email="team@otherborough.example")


@pytest.fixture
def certificate(partner):
    """Heathway Books: accredited and listed, its lead Asha Patel."""
    return certify(partner, holder_email=LEAD)


@pytest.fixture
def venue(certificate):
    return certificate.venue


LINK = re.compile(r"https?://[^\s]+/venue/sign-in/([A-Za-z0-9_\-]+)/")


def link_token(message) -> str:
    found = LINK.search(message.body)
    assert found, message.body
    return found.group(1)


def ask_for_link(client, email=LEAD, host=HOST, next_path=""):
    data = {"email": email}
    if next_path:
        data["next"] = next_path
    return client.post("/venue/", data, HTTP_HOST=host)


def sign_in(client, django_capture_on_commit_callbacks, email=LEAD, host=HOST):
    """Ask for a link, read it from the email, and use it. Returns the final response."""
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = ask_for_link(client, email=email, host=host)
    assert response.status_code == 200
    (message,) = mail.outbox
    assert "Safe Havens <" in message.from_email  # the partner's own name, not "Safe Haven Training"
    token = link_token(message)
    mail.outbox.clear()
    return client.post(f"/venue/sign-in/{token}/", HTTP_HOST=host)


@pytest.fixture
def lead_client(client, venue, django_capture_on_commit_callbacks):
    response = sign_in(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == "/venue/account/"
    return client
