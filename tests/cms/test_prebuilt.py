"""cms/prebuilt.py: a body is built once per stamp, the previous one is served while it is rebuilt,
and only one of many simultaneous requests builds on a cold start."""

import threading
import time

import pytest
from django.core.cache import cache

from cms import prebuilt


class Builder:
    """A build that counts its calls; `gate` (if set) holds it until the test lets it finish."""

    def __init__(self, body=b"new", gate=None, seconds=0.0):
        self.body, self.gate, self.seconds = body, gate, seconds
        self.calls = 0
        self.started = threading.Event()
        self._lock = threading.Lock()

    def __call__(self):
        with self._lock:
            self.calls += 1
        self.started.set()
        if self.gate is not None:
            assert self.gate.wait(5), "the test never let the build finish"
        time.sleep(self.seconds)
        return self.body


def serve(stamp, build, **kwargs):
    kwargs.setdefault("max_age", 60)
    return prebuilt.serve("thing", scope="partner-1:http://localhost", stamp=stamp, build=build, **kwargs)


def test_a_second_request_for_the_same_stamp_does_not_build():
    build = Builder(b"v1")
    first, second = serve("v1", build), serve("v1", build)
    assert first == second == prebuilt.Prebuilt(b"v1", current=True)
    assert build.calls == 1


def test_a_new_stamp_is_built_once_then_served():
    serve("v1", Builder(b"old"))
    build = Builder(b"new")
    assert serve("v2", build).body == b"new"
    assert serve("v2", build).body == b"new"
    assert build.calls == 1


def test_a_body_older_than_max_age_is_rebuilt():
    serve("v1", Builder(b"old"))
    stored = cache.get(prebuilt._key("thing", "partner-1:http://localhost"))
    stored["built_at"] -= 61
    cache.set(prebuilt._key("thing", "partner-1:http://localhost"), stored)
    build = Builder(b"fresh")
    assert serve("v1", build).body == b"fresh"
    assert build.calls == 1


def test_max_age_zero_builds_every_time():
    build = Builder(b"v1")
    serve("v1", build, max_age=0)
    serve("v1", build, max_age=0)
    assert build.calls == 2


def test_while_one_request_rebuilds_the_others_get_the_previous_body():
    serve("v1", Builder(b"previous"))
    gate = threading.Event()
    slow = Builder(b"next", gate=gate)
    results = {}
    builder = threading.Thread(target=lambda: results.update(builder=serve("v2", slow)))
    builder.start()
    assert slow.started.wait(5)
    others = Builder(b"should not be built")
    during = [serve("v2", others) for _ in range(5)]
    gate.set()
    builder.join(5)
    assert during == [prebuilt.Prebuilt(b"previous", current=False)] * 5
    assert others.calls == 0
    assert results["builder"] == prebuilt.Prebuilt(b"next", current=True)
    assert serve("v2", others) == prebuilt.Prebuilt(b"next", current=True)  # the next request after the rebuild


def test_on_a_cold_start_one_of_many_simultaneous_requests_builds():
    build = Builder(b"first", seconds=0.2)
    start = threading.Barrier(8)
    results = []

    def request():
        start.wait(5)
        results.append(serve("v1", build))

    threads = [threading.Thread(target=request) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert build.calls == 1
    assert results == [prebuilt.Prebuilt(b"first", current=True)] * 8


def test_on_a_cold_start_a_request_builds_itself_when_the_builder_never_finishes(monkeypatch):
    monkeypatch.setattr(prebuilt, "COLD_WAIT_SECONDS", 0.1)
    cache.add(prebuilt._lock_key("thing", "partner-1:http://localhost", "v1"), 1, 30)  # a builder that died
    build = Builder(b"built anyway")
    assert serve("v1", build) == prebuilt.Prebuilt(b"built anyway", current=True)
    assert build.calls == 1


def test_a_failed_build_releases_the_lock():
    def broken():
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        serve("v1", broken)
    build = Builder(b"second try")
    assert serve("v1", build).body == b"second try"


def test_scopes_are_kept_apart():
    serve("v1", Builder(b"partner one"))
    other = prebuilt.serve("thing", scope="partner-2:http://localhost", stamp="v1", build=Builder(b"two"), max_age=60)
    assert other.body == b"two"


def test_with_the_cache_not_answering_a_request_builds_at_once(monkeypatch):
    """Redis down (reads miss, writes dropped): no lock to wait for, so no two-second wait."""
    monkeypatch.setattr(cache, "get", lambda *args, **kwargs: None)
    monkeypatch.setattr(cache, "add", lambda *args, **kwargs: False)
    monkeypatch.setattr(prebuilt, "COLD_WAIT_SECONDS", 5)
    build = Builder(b"built here")
    started = time.monotonic()
    assert serve("v1", build) == prebuilt.Prebuilt(b"built here", current=True)
    assert time.monotonic() - started < 1
