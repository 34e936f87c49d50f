"""The shared-cache behaviours again on a real Redis (the suite otherwise runs on LocMem): what one
app server stores, counts or retires, every other server sees. A second "server" here is a second
cache client of its own (caches["default"] swapped for a new instance); tests/stack runs the real thing."""

import contextlib

import redis
from django.core.cache import caches
from django.test import Client

from cms.content_version import bump_content_version, content_version
from tests import redis_fixtures
from tests.factories import session_for

from ..bookings.conftest import FORM
from . import test_page_cache

HOST = "localhost"
# Shared fixtures, used by name below.
redis_server = redis_fixtures.redis_server
redis_cache = redis_fixtures.redis_cache
page_cache_on = test_page_cache.page_cache_on


@contextlib.contextmanager
def server():
    """Run the block as another app server would: with a cache client of its own."""
    previous = caches["default"]
    caches["default"] = caches.create_connection("default")
    try:
        yield
    finally:
        caches["default"].close()
        caches["default"] = previous


def test_the_cache_is_redis(redis_cache, db):
    assert Client().get("/healthz/").json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert type(caches["default"]).__module__.startswith("django_redis")


def test_a_page_stored_by_one_server_is_served_by_the_other_until_a_change(redis_cache, barking, page_cache_on):
    with server():
        first = Client().get("/", HTTP_HOST=HOST)
    with server():
        second = Client().get("/", HTTP_HOST=HOST)
    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert "Exit this page" in second.text

    with server():
        home = barking.site.root_page.specific
        home.intro = "Changed on one server, seen on the other."
        home.save_revision().publish()
    with server():
        after = Client().get("/", HTTP_HOST=HOST)
    assert after["X-Page-Cache"] == "miss"
    assert "Changed on one server, seen on the other." in after.text


def test_the_stored_page_lives_in_redis_not_in_the_process(redis_cache, demo, page_cache_on):
    client = Client()
    client.get("/safe-havens.geojson", HTTP_HOST=HOST)
    assert client.get("/safe-havens.geojson", HTTP_HOST=HOST)["X-Page-Cache"] == "hit"

    redis.Redis.from_url(redis_cache.url).flushdb()  # emptied from outside the app

    assert client.get("/safe-havens.geojson", HTTP_HOST=HOST)["X-Page-Cache"] == "miss"


def test_the_content_version_is_shared(redis_cache, db):
    with server():
        before = content_version()
    with server():
        assert content_version() == before
        bump_content_version()
    with server():
        assert content_version() != before


def test_the_rate_limit_counts_across_servers(redis_cache, barking, settings, frozen_window):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "booking": "3/m"}
    session = session_for(barking, capacity=10)
    url = f"/bookings/sessions/{session.pk}/book/"

    statuses = []
    for i in range(4):
        with server():
            form = {**FORM, "email": f"person{i}@example.org"}
            statuses.append(Client().post(url, form, HTTP_HOST=HOST).status_code)

    assert statuses == [302, 302, 302, 429]
