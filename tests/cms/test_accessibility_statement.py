"""Every partner publishes an accessibility statement (UK public-sector bodies must), linked from
every footer: made by create_partner, seeded for the demo, added to older installations by
`create_accessibility_statements`, and editable as an ordinary page."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test import Client

from cms.models import BrandingSettings, Partner, StandardPage
from cms.services import create_accessibility_statement, create_partner
from tests.conftest import TW_HOST
from tests.factories import PartnerFactory

HOSTS = [("localhost", "Barking and Dagenham", "safehavens@lbbd.example"),
         (TW_HOST, "Tunbridge Wells", "safehavens@tunbridgewells.example")]  # fmt: skip
LINK = '<a class="govuk-footer__link" href="/accessibility-statement/">Accessibility statement</a>'


def statement_of(partner):
    return StandardPage.objects.child_of(partner.site.root_page).filter(slug="accessibility-statement").first()


@pytest.mark.parametrize(("host", "name", "email"), HOSTS)
def test_each_demo_partner_has_a_statement_naming_the_standard_the_problems_and_where_to_complain(
    demo, client, host, name, email
):
    response = client.get("/accessibility-statement/", HTTP_HOST=host)
    assert response.status_code == 200
    text = response.content.decode()
    assert "<title>Accessibility statement – " + name + " Safe Havens</title>" in text
    assert "Web Content Accessibility Guidelines version 2.2</a> AA standard" in text
    assert "partially compliant" in text
    # Honest about what is known not to work, and the alternative.
    assert "certificates and window stickers are PDF documents" in text
    assert "the map of Safe Havens needs a mouse" in text and "also in the list on the same page" in text
    # How to report a problem: the partner's own address, and how soon we answer.
    assert f'<a href="mailto:{email}">{email}</a>' in text
    assert "We will reply within 10 working days." in text
    # Enforcement: EHRC and the Equality Advisory and Support Service; the ECNI in Northern Ireland.
    assert "Equality and Human Rights Commission (EHRC)" in text
    assert 'href="https://www.equalityadvisoryservice.com/">Equality Advisory and Support Service (EASS)' in text
    assert "Equality Commission for Northern Ireland" in text
    assert "This statement was prepared on " in text


def test_create_partner_makes_a_statement_with_the_partners_address_and_the_date(db, clock):
    setup = create_partner(name="Maidstone", host="maidstone.example.org", contact_email="Safe@Maidstone.example")
    page = statement_of(setup.partner)
    assert page is not None and page.live and page.title == "Accessibility statement"
    assert page.latest_revision is not None  # editable in the admin with a history, like any page
    body = str(page.body)
    assert "Safe@Maidstone.example" in body
    assert "This statement was prepared on 7 June 2027." in body  # the clock fixture's Monday
    response = Client().get("/accessibility-statement/", HTTP_HOST="maidstone.example.org")
    assert response.status_code == 200 and "run by Maidstone." in response.content.decode()


def test_create_partner_gives_a_new_partner_the_staying_safe_online_page(db):
    partner = PartnerFactory(starter_pages=True)
    response = Client().get("/staying-safe-online/", HTTP_HOST=partner.site.hostname)
    assert response.status_code == 200
    assert "0808 2000 247" in response.content.decode()


def test_the_statement_is_made_once_and_a_councils_edits_are_kept(db):
    partner = PartnerFactory(starter_pages=True)
    page = statement_of(partner)
    page.intro = "Our own words."
    page.save_revision().publish()
    assert create_accessibility_statement(partner=partner) is None
    create_partner(name=partner.name, host="ignored.example.org", contact_email="x@example.org")
    assert StandardPage.objects.filter(slug="accessibility-statement").count() == 1
    assert statement_of(partner).intro == "Our own words."


def test_the_command_adds_statements_to_partners_made_before_them_and_is_idempotent(db):
    first, second = PartnerFactory(starter_pages=True), PartnerFactory(starter_pages=True)
    statement_of(first).delete()  # as an installation from before statements existed
    statement_of(second).delete()
    out = io.StringIO()
    call_command("create_accessibility_statements", stdout=out)
    assert f"{first.name}: created /accessibility-statement/" in out.getvalue()
    assert statement_of(first).live and statement_of(second).live
    out = io.StringIO()
    call_command("create_accessibility_statements", stdout=out)
    assert "created" not in out.getvalue()
    assert StandardPage.objects.filter(slug="accessibility-statement").count() == 2


def test_the_command_can_be_given_one_partner(db):
    first, second = PartnerFactory(starter_pages=True), PartnerFactory(starter_pages=True)
    statement_of(first).delete()
    statement_of(second).delete()
    call_command("create_accessibility_statements", "--partner", first.name, stdout=io.StringIO())
    assert statement_of(first) is not None and statement_of(second) is None


@pytest.mark.parametrize(("host", "name", "email"), HOSTS)
@pytest.mark.parametrize(
    ("path", "status"),
    [("/", 200), ("/training/", 200), ("/safe-havens/", 200), ("/staying-safe-online/", 200), ("/no-such-page/", 404),
     ("/certificates/verify/", 200), ("/safe-havens/near/", 200), ("/register-interest/", 200)],
)  # fmt: skip
def test_every_public_page_of_both_partners_links_the_statement(demo, client, host, name, email, path, status):
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == status
    assert LINK in response.content.decode()


def test_a_missing_statement_drops_the_link_without_breaking_the_page(demo, client):
    statement_of(Partner.objects.get(name="Tunbridge Wells")).unpublish()
    for path, status in [("/", 200), ("/no-such-page/", 404)]:
        response = client.get(path, HTTP_HOST=TW_HOST)
        assert response.status_code == status
        assert "Accessibility statement" not in response.content.decode()
    assert LINK in client.get("/", HTTP_HOST="localhost").content.decode()  # the other partner's stays


def test_the_500_page_without_a_database_still_links_the_statement(demo):
    def database_down(execute, sql, params, many, context):
        raise OperationalError("could not connect to server")

    with connection.execute_wrapper(database_down):
        response = Client(raise_request_exception=False).get("/safe-havens/", HTTP_HOST="localhost")
    assert response.status_code == 500
    assert LINK in response.content.decode()


def test_a_council_statement_published_elsewhere_overrides_the_page(demo, client, barking):
    BrandingSettings.objects.filter(site=barking.site).update(
        accessibility_statement_url="https://www.lbbd.example/accessibility"
    )
    html = client.get("/", HTTP_HOST="localhost").content.decode()
    assert 'href="https://www.lbbd.example/accessibility">Accessibility statement' in html
    assert LINK not in html


def test_the_statement_date_is_the_day_it_was_prepared(db):
    partner = PartnerFactory(starter_pages=True)
    statement_of(partner).delete()
    page = create_accessibility_statement(partner=partner, today=datetime.date(2027, 3, 1))
    assert "This statement was prepared on 1 March 2027." in str(page.body)
