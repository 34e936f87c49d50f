"""Error pages keep a person safe: partner layout, Exit this page, 999/101, a way on."""

import pytest
from django.db import OperationalError, connection
from django.test import Client

from tests.conftest import TW_HOST

EMERGENCY = "In an emergency call 999. If it is not an emergency call 101."


def assert_safe_error_page(response, status: int):
    assert response.status_code == status
    html = response.content.decode()
    assert "govuk-js-exit-this-page-button" in html
    assert "govuk-js-exit-this-page-skiplink" in html
    assert EMERGENCY in html
    assert 'href="/safe-havens/"' in html and 'href="/"' in html
    return html


@pytest.mark.parametrize(("host", "name"), [("localhost", "Barking and Dagenham"), (TW_HOST, "Tunbridge Wells")])
def test_page_not_found_has_the_partners_layout(demo, client, host, name):
    html = assert_safe_error_page(client.get("/no-such-page/", HTTP_HOST=host), 404)
    assert "Page not found" in html
    assert f"{name} Safe Haven" in html  # the partner's own title and header


@pytest.mark.parametrize(
    "path",
    [
        "/certificates/verify/%00/",
        "/safe-havens/?postcode=%00",
        "/safe-havens/%00/",
        "/bookings/%00/",
        "/safe-havens/?q%00=1",
    ],
)
def test_a_nul_byte_in_the_address_is_a_bad_request_not_a_server_error(demo, client, path):
    html = assert_safe_error_page(client.get(path, HTTP_HOST="localhost"), 400)
    assert "characters this website cannot read" in html


def test_a_nul_byte_in_a_form_is_a_bad_request_and_saves_nothing(demo, client):
    from cms.models import InterestSubmission
    from tests.cms.test_interest_form import VALID

    response = client.post("/register-interest/", {**VALID, "name": "Asha\x00"}, HTTP_HOST="localhost")
    assert_safe_error_page(response, 400)
    assert not InterestSubmission.objects.exists()


def test_a_form_without_its_csrf_token_gets_the_safe_403_page(demo):
    client = Client(enforce_csrf_checks=True)
    from tests.cms.test_interest_form import VALID

    response = client.post("/register-interest/", VALID, HTTP_HOST="localhost")
    html = assert_safe_error_page(response, 403)
    assert "Sorry, your form timed out" in html
    assert "Barking and Dagenham Safe Haven" in html


def test_the_500_page_renders_even_when_the_database_is_down(demo):
    client = Client(raise_request_exception=False)

    def database_down(execute, sql, params, many, context):
        raise OperationalError("could not connect to server")

    with connection.execute_wrapper(database_down):
        response = client.get("/safe-havens/", HTTP_HOST="localhost")
    html = assert_safe_error_page(response, 500)
    assert "Sorry, there is a problem with the service" in html


def test_the_500_page_has_the_partners_layout_when_the_database_is_up(demo, monkeypatch):
    from certificates import views

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(views, "register_venues", broken)
    response = Client(raise_request_exception=False).get("/safe-havens/", HTTP_HOST=TW_HOST)
    html = assert_safe_error_page(response, 500)
    assert "Tunbridge Wells Safe Haven" in html
