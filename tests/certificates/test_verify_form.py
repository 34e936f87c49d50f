"""`/certificates/verify/`: type the code from a paper certificate instead of scanning its QR code."""

import re

import pytest
from django.utils.html import strip_tags

from tests.factories import PartnerFactory, certify

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner(db):
    return PartnerFactory(name="Verifyborough", host="verify.localhost")


def ask(client, partner, query=""):
    return client.get(f"/certificates/verify/{query}", HTTP_HOST=partner.site.hostname)


def text_of(response) -> str:
    return re.sub(r"\s+", " ", strip_tags(response.text))


def test_form_asks_for_the_code(client, partner):
    response = ask(client, partner)
    assert response.status_code == 200
    text = text_of(response)
    assert "Check a Safe Haven certificate" in text
    assert "Certificate code" in text
    assert "There is a problem" not in text


def test_empty_code_is_an_error_in_the_summary_and_by_the_field(client, partner):
    response = ask(client, partner, "?code=")
    assert response.status_code == 200
    text = text_of(response)
    assert "There is a problem" in text
    assert text.count("Enter the certificate code") == 2
    assert 'href="#id_code"' in response.text
    assert "<title>Error: Check a Safe Haven certificate" in response.text


@pytest.mark.parametrize("typed", ["ABCD", "ABCD-EFGH-JK-12", "ABCD-EFGH-J!"])
def test_malformed_code_says_how_to_type_it(client, partner, typed):
    response = ask(client, partner, f"?code={typed}")
    assert response.status_code == 200
    assert "Enter the code as it is printed on the certificate, for example ABCD-EFGH-JK" in text_of(response)


@pytest.mark.parametrize("shape", ["printed", "lower", "spaced"])
def test_good_code_redirects_to_its_verification_page(client, partner, shape):
    certificate = certify(partner)
    code = certificate.display_code
    typed = {"printed": code, "lower": code.lower(), "spaced": f" {code.replace('-', ' ')} "}[shape]
    response = ask(client, partner, "?" + f"code={typed}".replace(" ", "+"))
    assert response.status_code == 302
    assert response["Location"] == f"/certificates/verify/{code}/"
    page = client.get(response["Location"], HTTP_HOST=partner.site.hostname)
    assert "This certificate is valid" in page.text


def test_rate_limited_like_verification(client, partner, settings, frozen_window):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "verify": "2/m"}
    assert ask(client, partner, "?code=ABCD-EFGH-JK").status_code == 302
    assert ask(client, partner, "?code=ABCD-EFGH-JK").status_code == 302
    assert ask(client, partner, "?code=ABCD-EFGH-JK").status_code == 429
