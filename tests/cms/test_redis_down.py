"""With the production cache (Redis) unreachable, the public still gets pages and places."""

from django.core import mail
from django.test import Client

from bookings.models import Booking
from tests import redis_fixtures
from tests.factories import session_for
from tests.redis_fixtures import redis_caches

from ..bookings.conftest import FORM

redis_server = redis_fixtures.redis_server  # a fixture, used by name below


def test_pages_and_bookings_carry_on_when_redis_stops(
    redis_server, barking, settings, caplog, django_capture_on_commit_callbacks
):
    settings.CACHES = redis_caches(redis_server.url, settings.REDIS_CACHE_OPTIONS)  # as in production
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "booking": "5/m"}
    settings.PUBLIC_PAGE_CACHE_SECONDS = 600
    client = Client()
    session = session_for(barking, capacity=5)
    assert client.get("/healthz/").json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert client.get("/safe-havens/", HTTP_HOST="localhost").status_code == 200

    redis_server.stop()

    for path in ("/", "/safe-havens/", "/what-is-a-safe-haven/", "/no-such-page/"):
        response = client.get(path, HTTP_HOST="localhost")
        assert response.status_code == (404 if path == "/no-such-page/" else 200), path
        assert "Exit this page" in response.text
    with django_capture_on_commit_callbacks(execute=True):
        booked = client.post(f"/bookings/sessions/{session.pk}/book/", FORM, HTTP_HOST="localhost")
    assert booked.status_code == 302
    assert Booking.objects.filter(session=session, status="confirmed").count() == 1
    assert any("Your place is booked" in m.body for m in mail.outbox)
    assert client.get(booked["Location"], HTTP_HOST="localhost").status_code == 200

    health = client.get("/healthz/")
    assert health.status_code == 503
    assert health.json() == {"status": "error", "database": "ok", "cache": "unavailable"}
    assert any("django_redis" in record.name or "Redis" in record.getMessage() for record in caplog.records)
