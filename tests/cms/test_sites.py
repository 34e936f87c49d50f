import json

import pytest
from django.core.management import call_command
from wagtail.models import Page, Site

from cms.models import Partner
from tests.conftest import TW_HOST

pytestmark = pytest.mark.django_db


def test_host_header_picks_the_partner(client, demo):
    barking = client.get("/", HTTP_HOST="localhost")
    assert barking.status_code == 200
    assert '<h1 class="govuk-heading-xl">Barking and Dagenham Safe Havens</h1>' in barking.text
    assert "Studio 3 Arts" in barking.text

    by_ip = client.get("/", HTTP_HOST="127.0.0.1")
    assert "Barking and Dagenham Safe Havens" in by_ip.text

    tunbridge = client.get("/", HTTP_HOST=TW_HOST)
    assert tunbridge.status_code == 200
    assert "Tunbridge Wells Safe Havens" in tunbridge.text
    assert "#TogetherAsAllies" in tunbridge.text
    assert "Barking" not in tunbridge.text


def test_each_partner_has_its_public_pages(client, demo):
    for host in ("localhost", TW_HOST):
        for path in ("/", "/what-is-a-safe-haven/", "/training/", "/register-interest/", "/staying-safe-online/"):
            assert client.get(path, HTTP_HOST=host).status_code == 200, (host, path)


def test_exit_this_page_is_on_every_public_page(client, demo):
    pages = Page.objects.live().filter(depth__gt=1).specific()
    assert pages.count() >= 10
    for page in pages:
        site_host = page.get_site().hostname
        response = client.get(page.get_url(), HTTP_HOST=site_host)
        assert response.status_code == 200, page
        html = response.text
        assert "govuk-js-exit-this-page-button" in html, page
        assert "govuk-js-exit-this-page-skiplink" in html, page
        assert 'href="https://www.bbc.co.uk/weather"' in html
        assert 'href="/staying-safe-online/"' in html


def test_what_is_a_safe_haven_describes_the_help(client, demo):
    barking = client.get("/what-is-a-safe-haven/", HTTP_HOST="localhost").text
    for help_text in (
        "let in someone who is being threatened",
        "a space to feel safe and calm",
        "call an emergency service, a friend or a family member",
        "directions or public-transport information",
    ):
        assert help_text in barking
    assert "call a taxi" not in barking

    tunbridge = client.get("/what-is-a-safe-haven/", HTTP_HOST=TW_HOST).text
    assert "call a taxi" in tunbridge
    assert "charge their phone" in tunbridge


def test_healthz_pings_the_database_without_a_session(client, db, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz/")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "Set-Cookie" not in response.headers
    assert "no-store" in response.headers["Cache-Control"]


def test_seed_demo_is_idempotent(demo):
    counts = (Partner.objects.count(), Site.objects.count(), Page.objects.count())
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Partner.objects.count(), Site.objects.count(), Page.objects.count()) == counts
    assert counts[:2] == (2, 2)


def test_seed_demo_makes_a_demo_admin(demo, client):
    assert client.login(username="admin", password="safehaven-demo")
    assert client.get("/admin/").status_code == 200


def test_create_partner_command_starts_a_new_council(db, client):
    call_command(
        "create_partner",
        name="Hastings",
        host="hastings.example.org",
        organisation="Hastings Voluntary Action",
        email="havens@hastings.example.org",
        area=["Old Town", "Seafront"],
        example_postcode="tn34 1aa",
        knowledge_check_reminder_days=5,
        stdout=open("/dev/null", "w"),  # noqa: SIM115
    )
    partner = Partner.objects.get(name="Hastings")
    assert (partner.example_postcode, partner.knowledge_check_nudge_days) == ("TN34 1AA", 5)
    assert partner.site.hostname == "hastings.example.org"
    assert partner.coordinators.name == "Hastings coordinators"
    assert sorted(partner.areas.values_list("name", flat=True)) == ["Old Town", "Seafront"]
    response = client.get("/", HTTP_HOST="hastings.example.org")
    assert "Hastings Safe Havens" in response.text
    # A second run changes nothing.
    call_command("create_partner", name="Hastings", host="x", email="x@example.org", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Partner.objects.filter(name="Hastings").count() == 1


def test_create_partner_refuses_an_example_postcode_that_is_not_one(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Enter a real UK postcode"):
        call_command("create_partner", name="Rye", host="rye.example.org", email="r@example.org",
                     example_postcode="Rye High St")  # fmt: skip
    assert not Partner.objects.filter(name="Rye").exists()


def test_healthz_is_not_fooled_by_a_probe_arriving_between_its_write_and_its_read(client, db, monkeypatch):
    """Load balancers probe every server at once: one probe's write must not make another report
    a healthy cache as down."""
    from django.core.cache import cache

    real_set = cache.set
    interleaved = []

    def set_then_let_another_probe_in(key, value, *args, **kwargs):
        real_set(key, value, *args, **kwargs)
        if not interleaved:
            interleaved.append(None)
            interleaved[0] = client.get("/healthz/").status_code

    monkeypatch.setattr(cache, "set", set_then_let_another_probe_in)
    response = client.get("/healthz/")
    assert interleaved == [200]
    assert response.status_code == 200, response.json()
