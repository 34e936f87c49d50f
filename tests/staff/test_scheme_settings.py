"""A coordinator changes their own scheme's pledge, renewal period and walking distance at
/admin/scheme-settings/; another council's settings are never shown or changed."""

from decimal import Decimal

import pytest
from wagtail.models import ModelLogEntry

from cms.models import Partner

URL = "/admin/scheme-settings/"


def post(client, partner, **changes):
    data = {"partner": partner.pk, "pledge_text": partner.pledge_text, "renewal_months": partner.renewal_months,
            "nearby_km": partner.nearby_km, "visit_every_months": partner.visit_every_months,
            "refresher_days": partner.refresher_days,
            "help_log_retention_months": partner.help_log_retention_months,
            "certificate_signatory_name": partner.certificate_signatory_name,
            "certificate_signatory_role": partner.certificate_signatory_role, **changes}  # fmt: skip
    return client.post(URL, data)


def test_coordinator_changes_the_pledge_and_venues_read_the_new_one(staff_client, alpha):
    partner = alpha["partner"]
    page = staff_client.get(URL)
    assert page.status_code == 200
    assert "Scheme settings: Alphaborough" in page.text
    assert "We will let in anyone who feels unsafe" in page.text

    response = post(staff_client, partner, pledge_text="  We will let people in.\n\n<b>We will call 999.</b>  ",
                    renewal_months=6, nearby_km="2.5")  # fmt: skip

    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.pledge_text == "We will let people in.\nWe will call 999."
    assert (partner.renewal_months, partner.nearby_km) == (6, Decimal("2.5"))
    entry = ModelLogEntry.objects.get(action="cms.scheme_settings")
    assert entry.user_id == staff_client.user.pk
    assert entry.data == {"changed": ["pledge_text", "renewal_months", "nearby_km"]}
    assert "Alphaborough&#x27;s scheme settings are saved." in staff_client.get(response["Location"]).text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"pledge_text": ""}, "Enter the pledge venues agree to"),
        ({"renewal_months": "0"}, "Enter a number of months between 1 and 36"),
        ({"renewal_months": "37"}, "Enter a number of months between 1 and 36"),
        ({"renewal_months": "twelve"}, "Enter a number of months between 1 and 36"),
        ({"nearby_km": "25"}, "Enter a distance between 0.2 and 10 kilometres"),
        ({"nearby_km": "0.1"}, "Enter a distance between 0.2 and 10 kilometres"),
        ({"visit_every_months": "0"}, "Enter a number of months between 1 and 36"),
        ({"refresher_days": "3"}, "Enter a number of days between 7 and 180"),
        ({"help_log_retention_months": "500"}, "Enter a number of months between 1 and 120"),
        ({"certificate_signatory_role": "R" * 121}, "Enter a job title of 120 characters or fewer"),
    ],
)
def test_bad_values_are_explained_and_nothing_changes(staff_client, alpha, changes, message):
    response = post(staff_client, alpha["partner"], **changes)
    assert response.status_code == 200
    assert message in response.text
    assert "Ensure this value" not in response.text  # never Django's default wording
    assert not ModelLogEntry.objects.filter(action="cms.scheme_settings").exists()


def test_another_councils_settings_are_never_shown_or_changed(staff_client, alpha, beta):
    other = beta["partner"]
    Partner.objects.filter(pk=other.pk).update(pledge_text="Betaford's own secret pledge")

    page = staff_client.get(f"{URL}?partner={other.pk}")
    assert "Betaford" not in page.text and "Alphaborough" in page.text

    response = post(staff_client, other, pledge_text="Overwritten")
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    other.refresh_from_db()
    assert other.pledge_text == "Betaford's own secret pledge"


def test_people_without_a_council_are_refused(client, alpha, django_user_model):
    user = django_user_model.objects.create_user(username="nobody", password="x", is_staff=False)
    client.force_login(user)
    assert client.get(URL).status_code in (302, 403)


def test_coordinator_sets_the_visit_period_and_refresher_days(staff_client, alpha):
    partner = alpha["partner"]
    page = staff_client.get(URL)
    assert "Months between spot checks" in page.text and "Days to complete a refresher" in page.text

    response = post(staff_client, partner, visit_every_months=6, refresher_days=14)

    assert response.status_code == 302
    partner.refresh_from_db()
    assert (partner.visit_every_months, partner.refresher_days) == (6, 14)
    entry = ModelLogEntry.objects.get(action="cms.scheme_settings")
    assert entry.data == {"changed": ["visit_every_months", "refresher_days"]}
    assert "Enter the number of days" in post(staff_client, partner, refresher_days="").text


def test_coordinator_sets_how_long_the_help_log_keeps_rows(staff_client, alpha):
    partner = alpha["partner"]

    response = post(staff_client, partner, help_log_retention_months=12)

    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.help_log_retention_months == 12
    assert ModelLogEntry.objects.get(action="cms.scheme_settings").data == {"changed": ["help_log_retention_months"]}
    refused = post(staff_client, partner, help_log_retention_months=500).text
    assert "Enter a number of months between 1 and 120" in refused


def test_coordinator_names_who_signs_the_certificates(staff_client, alpha):
    partner = alpha["partner"]
    page = staff_client.get(URL)
    assert "Certificates" in page.text
    assert "Name of the person who signs certificates" in page.text
    assert "leave it empty to print none" in page.text

    response = post(staff_client, partner, certificate_signatory_name="  Jane   Smith <script>x</script>",
                    certificate_signatory_role="Community Safety Manager ")  # fmt: skip

    assert response.status_code == 302
    partner.refresh_from_db()
    assert (partner.certificate_signatory_name, partner.certificate_signatory_role) == (
        "Jane Smith",
        "Community Safety Manager",
    )
    entry = ModelLogEntry.objects.get(action="cms.scheme_settings")
    assert entry.user_id == staff_client.user.pk
    assert entry.data == {"changed": ["certificate_signatory_name", "certificate_signatory_role"]}
    assert 'value="Jane Smith"' in staff_client.get(URL).text

    # Emptied, the certificates print no signature block.
    assert post(staff_client, partner, certificate_signatory_name="", certificate_signatory_role="").status_code == 302
    partner.refresh_from_db()
    assert partner.certificate_signatory_name == partner.certificate_signatory_role == ""


def test_the_signatory_is_limited_to_what_the_partner_field_holds(staff_client, alpha):
    response = post(staff_client, alpha["partner"], certificate_signatory_name="J" * 121)
    assert response.status_code == 200
    assert "Enter a name of 120 characters or fewer" in response.text
    assert not ModelLogEntry.objects.filter(action="cms.scheme_settings").exists()


def test_another_councils_signatory_is_never_changed(staff_client, alpha, beta):
    other = beta["partner"]
    Partner.objects.filter(pk=other.pk).update(certificate_signatory_name="Betaford's signatory")

    response = post(staff_client, other, certificate_signatory_name="Mallory")

    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    other.refresh_from_db()
    assert other.certificate_signatory_name == "Betaford's signatory"
    assert Partner.objects.get(pk=alpha["partner"].pk).certificate_signatory_name == ""
    assert not ModelLogEntry.objects.filter(action="cms.scheme_settings").exists()
