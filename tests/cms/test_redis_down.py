"""With the production cache (Redis) unreachable, the public still gets pages and places."""

import os
import shutil
import socket
import subprocess
import tempfile
import time

import pytest
from django.core import mail
from django.test import Client

from bookings.models import Booking
from tests.factories import session_for

from ..bookings.conftest import FORM

REDIS_SERVER = shutil.which("redis-server")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _real_clock_env() -> dict:
    """The server keeps the real clock even when the suite runs under libfaketime (make test-sunday-night)."""
    return {k: v for k, v in os.environ.items() if k != "LD_PRELOAD" and not k.startswith("FAKETIME")}


@pytest.fixture
def redis_server():
    """A real redis-server on a free loopback port, for this test alone; stop() kills it mid-test."""
    if REDIS_SERVER is None:
        if os.environ.get("CI") == "true":
            pytest.fail("redis-server not found; CI installs it with apt-get install redis-server.")
        pytest.skip("redis-server not found (apt-get install redis-server)")
    port = free_port()
    workdir = tempfile.mkdtemp(prefix="safehaven-redis-")
    process = subprocess.Popen(
        [
            REDIS_SERVER,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            workdir,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=_real_clock_env(),
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    else:
        process.kill()
        pytest.fail("redis-server did not start")

    class Server:
        url = f"redis://127.0.0.1:{port}/0"

        @staticmethod
        def stop():
            process.terminate()
            process.wait(timeout=10)

    yield Server
    if process.poll() is None:
        process.kill()
        process.wait(timeout=10)
    shutil.rmtree(workdir, ignore_errors=True)


def test_pages_and_bookings_carry_on_when_redis_stops(
    redis_server, barking, settings, caplog, django_capture_on_commit_callbacks
):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": redis_server.url,
            "OPTIONS": settings.REDIS_CACHE_OPTIONS,  # as in production
        }
    }
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
