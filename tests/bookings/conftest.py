import pytest

from tests.factories import PartnerFactory, session_for, training_page_for

HOST = "barkingside.localhost"


@pytest.fixture
def partner(db):
    return PartnerFactory(name="Barkingside", host=HOST, contact_email="team@barkingside.example")


@pytest.fixture
def other_partner(db):
    return PartnerFactory(name="Elsewhere", host="elsewhere.localhost", contact_email="team@elsewhere.example")


@pytest.fixture
def course(partner):
    return training_page_for(partner)


@pytest.fixture
def session(partner, course):
    return session_for(partner, page=course, capacity=2)


FORM = {
    "name": "Asha Patel",
    "email": "Asha@Heathway.example",
    "organisation": "Heathway Books",
    "venue_type": "shop",
    "postcode": "rm10 8ab",
    "phone": "",
    "access_needs": "",
    "consent": "on",
}
