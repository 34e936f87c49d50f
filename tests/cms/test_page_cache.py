"""The public page cache: fast repeat pages that are never stale, never personal, never unsafe."""

import gzip
import re

import pytest

from bookings.services import book_place
from tests.factories import UserFactory, attendee, session_for, training_page_for

NONCE = re.compile(r'nonce="([^"]+)"')


@pytest.fixture
def page_cache_on(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 600
    settings.PUBLIC_LIST_CACHE_SECONDS = 60


def test_a_repeat_page_comes_from_the_cache_with_its_own_nonce(client, demo, page_cache_on, django_assert_num_queries):
    first = client.get("/")
    with django_assert_num_queries(0):
        second = client.get("/")

    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    first_nonce, second_nonce = NONCE.search(first.text)[1], NONCE.search(second.text)[1]
    assert first_nonce != second_nonce
    assert f"'nonce-{second_nonce}'" in second["Content-Security-Policy"]
    assert "__CSP_NONCE__" not in second.text
    assert second.text.replace(second_nonce, "N") == first.text.replace(first_nonce, "N")


def test_open_data_is_replayed_byte_for_byte(client, demo, page_cache_on, django_assert_num_queries):
    first = client.get("/safe-havens.geojson")
    with django_assert_num_queries(0):
        second = client.get("/safe-havens.geojson")

    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == "application/geo+json"
    assert second["Access-Control-Allow-Origin"] == "*"
    assert "Accept-Encoding" in second["Vary"] and not second.has_header("Content-Encoding")


def test_open_data_is_compressed_for_clients_that_accept_gzip(client, demo, page_cache_on):
    plain = client.get("/safe-havens.geojson")
    compressed = client.get("/safe-havens.geojson", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    page = client.get("/", HTTP_ACCEPT_ENCODING="gzip")
    page = client.get("/", HTTP_ACCEPT_ENCODING="gzip")

    assert compressed["X-Page-Cache"] == "hit" and compressed["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.content) == plain.content
    assert len(compressed.content) < len(plain.content) / 3
    # HTML pages carry CSRF tokens and nonces: never compressed (BREACH).
    assert page["X-Page-Cache"] == "hit" and not page.has_header("Content-Encoding")


def test_open_data_is_stored_compressed_only(client, demo, page_cache_on):
    """Every hit reads the whole entry from the shared cache: a 3 MB GeoJSON kept beside its gzip
    made each 90 KB answer read 3 MB from Redis (0.3× /healthz/ in the bench)."""
    from django.core.cache import cache

    from cms.content_version import content_version

    plain = client.get("/safe-havens.geojson")
    request = plain.wsgi_request
    version, stored = cache.get(f"public-page:2:http://{request.get_host()}/safe-havens.geojson")
    assert version == content_version()

    assert set(stored) == {"gzip", "headers"}
    assert gzip.decompress(stored["gzip"]) == plain.content
    # A client that does not accept gzip still gets the plain body from the compressed entry.
    again = client.get("/safe-havens.geojson", HTTP_ACCEPT_ENCODING="identity")
    assert again["X-Page-Cache"] == "hit" and again.content == plain.content


def test_publishing_a_change_shows_at_once(client, barking, page_cache_on):
    client.get("/")
    assert client.get("/")["X-Page-Cache"] == "hit"
    home = barking.site.root_page.specific
    home.intro = "Updated intro for the cache test."
    home.save_revision().publish()

    response = client.get("/")

    assert response["X-Page-Cache"] == "miss"
    assert "Updated intro for the cache test." in response.text


def test_places_left_are_live_on_a_cached_course_page(client, barking, page_cache_on):
    page = training_page_for(barking, slug="cache-test-course", title="Cache test course")
    session = session_for(barking, page=page, capacity=3)
    path = page.relative_url(barking.site)

    client.get(path)
    before = client.get(path)
    book_place(session=session, attendee=attendee(1))
    after = client.get(path)

    assert before["X-Page-Cache"] == "hit" and after["X-Page-Cache"] == "hit"
    assert re.search(r'<td class="govuk-table__cell">3</td>', before.text)
    assert re.search(r'<td class="govuk-table__cell">2</td>', after.text)


def test_signed_in_staff_always_get_a_live_page(client, demo, page_cache_on):
    client.get("/")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    response = client.get("/")

    assert "X-Page-Cache" not in response or response["X-Page-Cache"] != "hit"


def test_pages_with_forms_are_never_stored(client, demo, page_cache_on):
    for _ in range(2):
        response = client.get("/register-interest/")
        assert response.status_code == 200
        assert "X-Page-Cache" not in response
        assert "csrfmiddlewaretoken" in response.text


def test_the_cache_is_off_when_its_lifetime_is_zero(client, demo):
    client.get("/")
    assert "X-Page-Cache" not in client.get("/")
