"""A signed-in lead records help given at their own venue, and only there."""

import datetime
import html

import pytest
from wagtail.models import ModelLogEntry

from helplog.models import HelpGiven, Via

from .conftest import HOST, TODAY, form_data, signed_in

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_a_lead_records_help_and_sees_the_thank_you(lead_client, venue):
    page = lead_client.get(f"/venue/help/{venue.pk}/")
    assert page.status_code == 200
    assert "Record help given" in text(page) and "Heathway Books" in text(page)
    assert page["Cache-Control"] == "no-store"

    response = lead_client.post(f"/venue/help/{venue.pk}/", form_data(note="Waited with them for a taxi."))
    assert response.status_code == 302 and response["Location"] == f"/venue/help/{venue.pk}/done/"
    done = lead_client.get(response["Location"])
    assert "Thank you. The help is recorded" in text(done)
    assert f'href="/venue/help/{venue.pk}/"' in done.content.decode() and "Record another" in text(done)

    (row,) = HelpGiven.objects.all()
    assert (row.partner_id, row.venue_id, row.day, row.time_band, row.via) == (
        venue.partner_id, venue.pk, TODAY, "evening", Via.ACCOUNT,
    )  # fmt: skip
    assert sorted(kind.code for kind in row.kinds.all()) == ["let_in", "safe_space"]
    assert row.note == "Waited with them for a taxi."
    assert row.created_on == TODAY


def test_recording_is_logged_without_the_note(lead_client, venue):
    lead_client.post(f"/venue/help/{venue.pk}/", form_data(kinds=["called_999"], note="Stayed until the ambulance."))
    entry = ModelLogEntry.objects.get(action="helplog.recorded")
    assert entry.object_id == str(venue.pk) and entry.user_id is None
    assert entry.data == {"kinds": ["called_999"], "via": "account"}
    assert "ambulance" not in str(entry.data)


WHY = "the log must not hold anything that could identify someone"


@pytest.mark.parametrize(
    "note,message",
    [
        ("Her email is jo@example.com", f"Remove the email address: {WHY}"),
        ("Called his dad on 07700 900123", f"Remove the phone number: {WHY}"),
        ("Called his dad on +44 20 8227 2000", f"Remove the phone number: {WHY}"),
        ("Walked her home to TN2 3PQ", f"Remove the postcode: {WHY}"),
    ],
)
def test_a_note_holding_personal_data_is_refused_with_the_reason(lead_client, venue, note, message):
    response = lead_client.post(f"/venue/help/{venue.pk}/", form_data(note=note))
    assert response.status_code == 400
    page = text(response)
    assert "There is a problem" in page and message in page
    assert "Error: Record help given" in page  # the title says so too
    assert note in page  # the note is given back to correct, not lost
    assert not HelpGiven.objects.exists()


def test_at_least_one_kind_of_help_and_a_time_of_day(lead_client, venue):
    response = lead_client.post(f"/venue/help/{venue.pk}/", form_data(kinds=[], time_band=""))
    assert response.status_code == 400
    assert "Select the help you gave" in text(response) and "Select the time of day you helped" in text(response)
    assert not HelpGiven.objects.exists()


@pytest.mark.parametrize(
    "day,message",
    [
        (TODAY + datetime.timedelta(days=1), "The date you helped must be today or in the past"),
        (TODAY - datetime.timedelta(days=32), "The date must be in the last 31 days"),
        (None, "Enter the date you helped"),
    ],
)
def test_the_day_is_today_or_in_the_last_31_days(lead_client, venue, day, message):
    parts = {"when_day": day.day, "when_month": day.month, "when_year": day.year} if day else {"when_day": ""}
    response = lead_client.post(f"/venue/help/{venue.pk}/", form_data(**parts))
    assert response.status_code == 400 and message in text(response)
    assert not HelpGiven.objects.exists()


def test_the_oldest_day_allowed_is_31_days_back(lead_client, venue):
    day = TODAY - datetime.timedelta(days=31)
    lead_client.post(f"/venue/help/{venue.pk}/", form_data(when_day=day.day, when_month=day.month, when_year=day.year))
    assert HelpGiven.objects.get().day == day


def test_signposting_offers_only_the_councils_own_directory(lead_client, venue, services):
    page = text(lead_client.get(f"/venue/help/{venue.pk}/"))
    assert "Helpton Crisis Line" in page and "Elsewhere Housing Advice" not in page

    response = lead_client.post(f"/venue/help/{venue.pk}/", form_data(signposted_to=[services["theirs"].pk]))
    assert response.status_code == 400 and "Choose a service from the council" in text(response)
    assert not HelpGiven.objects.exists()

    lead_client.post(f"/venue/help/{venue.pk}/", form_data(kinds=["let_in"], signposted_to=[services["ours"].pk]))
    row = HelpGiven.objects.get()
    assert list(row.signposted_to.all()) == [services["ours"]]
    # Choosing a service is signposting, even if the box was not ticked.
    assert sorted(kind.code for kind in row.kinds.all()) == ["let_in", "signposted"]


def test_without_a_directory_no_services_are_offered(lead_client, venue):
    page = text(lead_client.get(f"/venue/help/{venue.pk}/"))
    assert "Who did you signpost them to?" not in page


def test_a_lead_cannot_record_for_a_venue_they_do_not_lead(lead_client, venue, other_venue, far_venue):
    for target in (other_venue, far_venue):  # same council, someone else's; another council's (even if led there)
        assert lead_client.get(f"/venue/help/{target.pk}/").status_code == 404
        assert lead_client.post(f"/venue/help/{target.pk}/", form_data()).status_code == 404
        assert lead_client.get(f"/venue/help/{target.pk}/share/").status_code == 404
        assert lead_client.post(f"/venue/help/{target.pk}/share/", {"action": "create"}).status_code == 404
    assert lead_client.get("/venue/help/999999/").status_code == 404
    assert not HelpGiven.objects.exists()


def test_signed_out_the_form_asks_to_sign_in(client, venue):
    response = client.get(f"/venue/help/{venue.pk}/", HTTP_HOST=HOST)
    assert response.status_code == 302 and response["Location"] == "/venue/"
    client.post(f"/venue/help/{venue.pk}/", form_data(), HTTP_HOST=HOST)
    assert not HelpGiven.objects.exists()


def test_the_account_offers_recording_and_sharing(lead_client, venue):
    page = lead_client.get("/venue/account/").content.decode()
    assert f'href="/venue/help/{venue.pk}/"' in page and f'href="/venue/help/{venue.pk}/share/"' in page
    assert "Record help given" in page and "Share a link for staff on shift" in page


def test_the_other_council_lead_session_does_not_carry_over(client, partner, other_partner, venue):
    signed_in(client, other_partner)  # signed in on the other council's site
    assert client.get(f"/venue/help/{venue.pk}/").status_code == 302
