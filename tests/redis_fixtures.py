"""A real redis-server for the tests that need the production cache (as scripts/with-postgres.sh
gives the suite a real PostgreSQL). Missing redis-server: a failure in CI, a skip elsewhere."""

import os
import shutil
import socket
import subprocess
import tempfile
import time

import pytest

REDIS_SERVER = shutil.which("redis-server")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def real_clock_env(**extra) -> dict:
    """Servers keep the real clock even when the suite runs under libfaketime (make test-sunday-night)."""
    env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD" and not k.startswith("FAKETIME")}
    env.update(extra)
    return env


def wait_for_port(port: int, *, seconds: float = 10, process: subprocess.Popen | None = None) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            return False
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


def require_redis_server() -> str:
    if REDIS_SERVER is None:
        if os.environ.get("CI") == "true":
            pytest.fail("redis-server not found; CI installs it with apt-get install redis-server.")
        pytest.skip("redis-server not found (apt-get install redis-server)")
    return REDIS_SERVER


class RedisServer:
    """One redis-server process on a free loopback port; stop() kills it mid-test."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.workdir = tempfile.mkdtemp(prefix="safehaven-redis-")
        self.process = subprocess.Popen(
            [require_redis_server(), "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no", "--dir", self.workdir],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=real_clock_env(),
        )
        if not wait_for_port(self.port, process=self.process):
            self.close()
            pytest.fail("redis-server did not start")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def close(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        shutil.rmtree(self.workdir, ignore_errors=True)


def redis_caches(url: str, options: dict) -> dict:
    """CACHES as production sets them (config/settings/production.py), pointed at url."""
    return {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": url, "OPTIONS": options}}


@pytest.fixture
def redis_server():
    """A real redis-server for this test alone."""
    server = RedisServer()
    yield server
    server.close()


@pytest.fixture
def redis_cache(redis_server, settings):
    """The default cache is the real Redis for this test (production's options: errors ignored and logged)."""
    from django.core.cache import cache

    settings.CACHES = redis_caches(redis_server.url, settings.REDIS_CACHE_OPTIONS)
    cache.clear()
    return redis_server
