import pytest
from django.core import mail

from cms.models import InterestSubmission
from tests.conftest import TW_HOST
from tests.factories import coordinator_of

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Asha Patel",
    "organisation": "Heathway Books",
    "venue_type": "Shop",
    "postcode": "RM10 8AB",
    "email": "asha@heathwaybooks.example",
    "phone": "020 7946 0000",
    "message": "We are open late on Fridays.",
    "consent": "on",
}


def test_form_shows_labelled_fields(client, demo):
    html = client.get("/register-interest/", HTTP_HOST="localhost").text
    for label in ("Your name", "Organisation or venue name", "Venue type", "Postcode", "Email address"):
        assert label in html
    assert "Phone number (optional)" in html
    assert 'for="id_consent"' in html


def test_missing_fields_show_an_error_summary_and_store_nothing(client, demo):
    response = client.post("/register-interest/", {"name": "Asha"}, HTTP_HOST="localhost")
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert 'href="#id_email"' in response.text
    assert "<title>Error:" in response.text
    assert InterestSubmission.objects.count() == 0
    assert mail.outbox == []


def test_submission_is_stored_for_the_partner_and_its_team_is_emailed(
    client, barking, tunbridge_wells, django_capture_on_commit_callbacks
):
    coordinator = coordinator_of(barking, email="coordinator@lbbd.example")
    coordinator_of(tunbridge_wells, email="someone@tw.example")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/register-interest/", VALID, HTTP_HOST="localhost")

    assert response.status_code == 200
    assert "Thank you" in response.text
    submission = InterestSubmission.objects.get()
    assert submission.partner == barking
    assert submission.status == "new"
    assert submission.form_data["organisation"] == "Heathway Books"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert set(message.to) == {"safehavens@lbbd.example", coordinator.email}
    assert "Heathway Books" in message.body
    assert message.reply_to == ["asha@heathwaybooks.example"]


def test_tunbridge_wells_submissions_belong_to_tunbridge_wells(
    client, barking, tunbridge_wells, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/register-interest/", VALID, HTTP_HOST=TW_HOST)
    assert InterestSubmission.objects.get().partner == tunbridge_wells
    assert mail.outbox[0].to == ["safehavens@tunbridgewells.example"]


def test_markup_in_a_submission_is_stripped_before_it_is_stored(client, demo, django_capture_on_commit_callbacks):
    hostile = dict(VALID, organisation='<script>alert(1)</script>Caf<b onmouseover="x()">é</b> Nova',
                   message='<img src=x onerror=alert(1)>Hello <a href="javascript:alert(1)">there</a>')  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/register-interest/", hostile, HTTP_HOST="localhost")
    data = InterestSubmission.objects.get().form_data
    assert data["organisation"] == "Café Nova"
    assert data["message"] == "Hello there"
    assert "<" not in mail.outbox[0].body
