"""Two partners with sessions, bookings, certificates and interest registrations each."""

import pytest

from bookings.services import book_place
from cms.models import Area, InterestSubmission
from tests.factories import PartnerFactory, attendee, certify, coordinator_of, session_for, training_page_for


def _programme(partner, tag):
    # The course is titled after the partner too, so a session (named after its course) can be told apart.
    course = training_page_for(partner, title=f"{tag} Safe Haven training (90 minutes)")
    session = session_for(partner, page=course, capacity=2)
    booked = [
        book_place(
            session=session,
            attendee=attendee(n, name=f"{tag} Person {n}", email=f"{tag.lower()}{n}@example.org",
                              access_needs=f"{tag} needs a hearing loop"),
        ).booking
        for n in range(3)
    ]  # fmt: skip
    certificate = certify(
        partner, organisation=f"{tag} Books", postcode="RM10 8RB", holder_name=f"{tag} Holder",
        holder_email=f"{tag.lower()}.holder@example.org",
    )  # fmt: skip
    # An area named after the partner: its name must not appear in the other partner's filters.
    Area.objects.create(partner=partner, name=f"{partner.name} Town Centre", slug="town-centre")
    interest = InterestSubmission.objects.create(
        page=partner.site.root_page,
        partner=partner,
        form_data={"name": f"{tag} Enquirer", "email": f"{tag.lower()}.enquirer@example.org", "organisation": "Shop"},
    )
    return {
        "tag": tag,
        "partner": partner,
        "course": course,
        "session": session,
        "bookings": booked,
        "certificate": certificate,
        "venue": certificate.venue,
        "interest": interest,
    }


@pytest.fixture
def alpha(db):
    partner = PartnerFactory(name="Alphaborough", host="alpha.localhost", contact_email="team@alpha.example")
    return _programme(partner, "Alpha")


@pytest.fixture
def beta(db):
    partner = PartnerFactory(name="Betaford", host="beta.localhost", contact_email="team@beta.example")
    return _programme(partner, "Beta")


@pytest.fixture
def coordinator(alpha):
    return coordinator_of(alpha["partner"])


@pytest.fixture
def staff_client(client, coordinator):
    client.force_login(coordinator)
    client.user = coordinator
    return client
