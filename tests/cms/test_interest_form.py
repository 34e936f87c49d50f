import pytest
from django.core import mail
from django.urls import reverse

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


# --- speaks like the booking form, with the partner's own postcode example ---------------------


def test_errors_read_as_the_booking_form_does(client, demo):
    response = client.post("/register-interest/", {"email": "not an address"}, HTTP_HOST="localhost")
    assert "Enter your full name" in response.text
    assert "Enter the name of your organisation or venue" in response.text
    assert "Select the type of venue" in response.text
    assert "Enter the venue postcode" in response.text
    assert "Enter an email address in the correct format, like name@example.com" in response.text
    assert "Agree to be contacted about the Safe Haven scheme" in response.text
    assert "This field is required" not in response.text
    empty = client.post("/register-interest/", {"name": "Asha"}, HTTP_HOST="localhost")
    assert "Enter your email address" in empty.text


@pytest.mark.parametrize(
    "host,example,other",
    [("localhost", "RM10 8AB", "TN1 1YS"), (TW_HOST, "TN1 1YS", "RM10 8AB")],
    ids=["barking", "tunbridge-wells"],
)
def test_postcode_hint_and_error_use_the_partners_own_example(client, demo, host, example, other):
    form = client.get("/register-interest/", HTTP_HOST=host).text
    assert f'<div id="id_postcode-hint" class="govuk-hint">For example, {example}</div>' in form
    response = client.post("/register-interest/", dict(VALID, postcode="NOT A POSTCODE"), HTTP_HOST=host)
    assert f"Enter a real postcode, like {example}" in response.text
    assert other not in response.text
    assert InterestSubmission.objects.count() == 0
    booking_page = client.get(reverse("bookings:book", args=[_open_session(host).pk]), HTTP_HOST=host).text
    assert f"For example, {example}" in booking_page and other not in booking_page
    refused = client.post(reverse("bookings:book", args=[_open_session(host).pk]), {"postcode": "NOPE"}, HTTP_HOST=host)
    assert f"Enter a real postcode, like {example}" in refused.text


def _open_session(host):
    from bookings.models import Session

    partner_name = "Tunbridge Wells" if host == TW_HOST else "Barking and Dagenham"
    return Session.objects.filter(partner__name=partner_name, status="scheduled").order_by("starts_at").last()


def test_postcode_and_email_are_stored_normalised(client, demo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/register-interest/", dict(VALID, postcode=" tn1  1ys ", email=" Asha@Example.ORG "), HTTP_HOST=TW_HOST
        )
    data = InterestSubmission.objects.get().form_data
    assert (data["postcode"], data["email"]) == ("TN1 1YS", "asha@example.org")
    assert "Postcode: TN1 1YS" in mail.outbox[0].body


def test_a_bad_phone_number_is_refused_with_the_booking_forms_message(client, demo):
    response = client.post("/register-interest/", dict(VALID, phone="call me maybe"), HTTP_HOST="localhost")
    assert "Enter a phone number, like 020 7946 0000 or +44 7700 900 982" in response.text
    assert InterestSubmission.objects.count() == 0
