"""Page routes remembered across requests (cms/routing.py): fewer queries, never a wrong page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

TW_HOST = "tunbridgewells.localhost"
PATH = "/what-is-a-safe-haven/"


def tables_read(client, path, host="localhost"):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, HTTP_HOST=host)
    sql = [q["sql"] for q in captured.captured_queries]
    return response, {
        "site": sum('FROM "wagtailcore_site"' in q for q in sql),
        "page": sum('"wagtailcore_page"' in q for q in sql),  # a page, its ancestors, a specific type
    }


def test_a_repeat_request_finds_the_page_without_walking_the_tree(client, demo):
    first, cold = tables_read(client, PATH)
    second, warm = tables_read(client, PATH)

    assert first.status_code == second.status_code == 200
    assert second.text.count("What is a Safe Haven?") == first.text.count("What is a Safe Haven?") > 0
    # Walking the tree costs the site lookup and a query per path segment and per specific page;
    # remembered, the page is one query (whether it has view restrictions is remembered with it).
    assert cold["site"] >= 1 and cold["page"] >= 4
    assert warm == {"site": 0, "page": 1}


def test_each_partner_gets_its_own_page_at_the_same_path(client, demo):
    for _ in range(2):  # the second round comes from the remembered routes
        barking = client.get(PATH, HTTP_HOST="localhost").text
        tunbridge = client.get(PATH, HTTP_HOST=TW_HOST).text
        assert "Barking and Dagenham" in barking and "Barking and Dagenham" not in tunbridge
        assert "Tunbridge Wells" in tunbridge


def test_an_unpublished_page_is_gone_at_once(client, barking):
    assert client.get(PATH, HTTP_HOST="localhost").status_code == 200
    page = Page.objects.descendant_of(barking.site.root_page).get(slug="what-is-a-safe-haven")

    page.unpublish()

    assert client.get(PATH, HTTP_HOST="localhost").status_code == 404


def test_a_renamed_page_moves_with_its_slug(client, barking):
    assert client.get(PATH, HTTP_HOST="localhost").status_code == 200
    page = Page.objects.descendant_of(barking.site.root_page).get(slug="what-is-a-safe-haven").specific
    page.slug = "about-safe-havens"
    page.save_revision().publish()

    assert client.get(PATH, HTTP_HOST="localhost").status_code == 404
    assert client.get("/about-safe-havens/", HTTP_HOST="localhost").status_code == 200


@pytest.mark.parametrize("round_trip", [1, 2])
def test_a_private_page_still_asks_for_sign_in(client, barking, round_trip):
    page = Page.objects.descendant_of(barking.site.root_page).get(slug="what-is-a-safe-haven")
    for _ in range(round_trip):
        client.get(PATH, HTTP_HOST="localhost")  # remembered while public
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)

    response = client.get(PATH, HTTP_HOST="localhost")

    assert response.status_code == 302 and "login" in response["Location"]
