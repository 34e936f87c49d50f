"""Page titles the GOV.UK way, "Page – Service", naming the council once; and a favicon."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.db import OperationalError, connection
from django.template import Context, Template
from django.test import Client

from tests.conftest import TW_HOST

PARTNERS = [("localhost", "Barking and Dagenham"), (TW_HOST, "Tunbridge Wells")]


def title_of(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)


@pytest.mark.parametrize(("host", "name"), PARTNERS)
@pytest.mark.parametrize(
    ("path", "page"),
    [
        ("/training/", "Training"),
        ("/safe-havens/", "Find a Safe Haven"),
        ("/what-is-a-safe-haven/", "What is a Safe Haven?"),
        ("/staying-safe-online/", "Staying safe online"),
        ("/accessibility-statement/", "Accessibility statement"),
        ("/certificates/verify/", "Check a Safe Haven certificate"),
        ("/no-such-page/", "Page not found"),
    ],
)
def test_a_page_title_is_the_page_then_the_service(demo, client, host, name, path, page):
    title = title_of(client.get(path, HTTP_HOST=host))
    assert title == f"{page} – {name} Safe Havens"
    assert title.count(name) == 1


@pytest.mark.parametrize(("host", "name"), PARTNERS)
def test_the_home_page_whose_title_is_the_service_name_is_not_named_twice(demo, client, host, name):
    assert title_of(client.get("/", HTTP_HOST=host)) == f"{name} Safe Havens"


def test_a_form_with_errors_says_so_first(demo, client):
    response = client.get("/safe-havens/", {"postcode": "not a postcode"}, HTTP_HOST="localhost")
    assert title_of(response) == "Error: Find a Safe Haven – Barking and Dagenham Safe Havens"


def test_an_editors_seo_title_is_used(demo, client, barking):
    page = barking.site.root_page.get_children().get(slug="training").specific
    page.seo_title = "Free Safe Haven training"
    page.save_revision().publish()
    assert title_of(client.get("/training/", HTTP_HOST="localhost")) == (
        "Free Safe Haven training – Barking and Dagenham Safe Havens"
    )


def test_the_500_page_without_a_database_names_the_service(demo):
    def database_down(execute, sql, params, many, context):
        raise OperationalError("could not connect to server")

    with connection.execute_wrapper(database_down):
        response = Client(raise_request_exception=False).get("/safe-havens/", HTTP_HOST="localhost")
    assert title_of(response) == "Sorry, there is a problem with the service – Safe Haven Training"


@pytest.mark.parametrize(
    ("inner", "expected"),
    [
        ("", "Service"),
        ("  Book a place  ", "Book a place – Service"),
        ("service", "Service"),
        ("Help – Service", "Help – Service"),
        ("Fish &amp; chips", "Fish &amp; chips – Service"),
    ],
)
def test_page_title_tag(inner, expected):
    template = Template("{% load page_titles %}{% page_title service %}" + inner + "{% endpage_title %}")
    assert template.render(Context({"service": "Service"})) == expected


def test_the_service_name_is_escaped():
    template = Template("{% load page_titles %}{% page_title service %}Page{% endpage_title %}")
    assert template.render(Context({"service": "<b>"})) == "Page – &lt;b&gt;"


def test_every_page_links_the_favicon_and_the_files_exist(demo, client):
    html = client.get("/", HTTP_HOST="localhost").content.decode()
    for name, kind in [("favicon.svg", 'type="image/svg+xml"'), ("favicon.ico", 'sizes="48x48"')]:
        assert re.search(rf'<link rel="icon" href="/static/images/{re.escape(name)}"[^>]*{re.escape(kind)}', html)
        assert finders.find(f"images/{name}")
    assert finders.find("images/apple-touch-icon.png")
    not_found = client.get("/no-such-page/", HTTP_HOST=TW_HOST).content.decode()
    assert 'href="/static/images/favicon.svg"' in not_found


def test_favicon_ico_at_the_root_redirects_to_the_static_icon(demo, client):
    response = client.get("/favicon.ico", HTTP_HOST=TW_HOST)
    assert response.status_code == 302
    assert response["Location"] == "/static/images/favicon.ico"
    assert "max-age=86400" in response["Cache-Control"]


@pytest.mark.parametrize(("host", "name"), PARTNERS)
def test_the_header_names_the_service_as_the_title_does(demo, client, host, name):
    html = client.get("/training/", HTTP_HOST=host).content.decode()
    header = re.search(r'<a href="/" class="sh-header__link">(.*?)</a>', html, re.S).group(1)
    assert re.sub(r"<span.*?</span>", "", header, flags=re.S).split() == f"{name} Safe Havens".split()
