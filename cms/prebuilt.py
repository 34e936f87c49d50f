"""Public open data built once per change and shared by every app server.

The register's GeoJSON and the calendar feed are each one body built from thousands of rows. If
every server rendered them itself whenever the page cache let go (every change retires it), a busy
minute after a change would be a stampede of the same multi-megabyte render. So the body is kept
in the shared cache (Redis in production, so across all servers), with the *stamp* of what it was
built from: the content version (cms/content_version.py), the partner's date and, for the feed,
a fingerprint of its sessions. The rule:

- A request whose stamp matches the stored body's, built less than `max_age` seconds ago, serves
  it: nothing is built. (`max_age` is PUBLIC_LIST_CACHE_SECONDS, as long as the page cache keeps
  a list: a write that does not move the content version, a queryset `.update()`, shows within it,
  as it always has. 0 means every request builds, one at a time.)
- Otherwise exactly one request builds: it takes a lock with `cache.add` (atomic in Redis). Every
  other request meanwhile serves the previous body (the partner's "last good" one, kept whatever
  its stamp), flagged `current=False` so the view keeps it out of the page cache and the new body
  is served as soon as it is stored. Never a stampede of builds.
- Only a cold start (nothing stored at all: an empty cache after a deploy) makes a request wait:
  the lock holder builds while the others poll the cache every `POLL_SECONDS` for up to
  `COLD_WAIT_SECONDS`, then build it themselves, so a builder that died cannot stall the site.
  With the cache not answering (Redis down) no lock is seen and each request builds its own.
- A lock lapses after `LOCK_SECONDS`, so a builder that crashed lets the next request try.
- `rebuild` builds unconditionally.

And so that no request waits for a build after a change, the bodies are also rebuilt in the
background: a committed change to anything the open data is built from (a tracked model of the
content version, or a session) queues `cms.tasks.rebuild_open_data` once (a flag in the cache
debounces a burst of saves), and the task rebuilds every registered source (`Source`) whose stamp
has moved, for each address it has been asked for recently (kept per source and partner when a
request is served). The request path above stays as it was, so a body the task has not reached is
still built by one request at a time.
"""

import functools
import gc
import hashlib
import logging
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

LOCK_SECONDS = 30
COLD_WAIT_SECONDS = 2.0
POLL_SECONDS = 0.05
# Kept well past any change: a stale body is better than a cold start. Entries of a host that no
# longer answers lapse on their own.
KEEP_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True)
class Prebuilt:
    body: bytes
    current: bool  # built from the stamp asked for (False: the previous body, while one is built)


def _digest(text: str) -> str:
    """Keys safe for any cache backend (no spaces, short), whatever the scope or stamp holds."""
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _key(name: str, scope: str) -> str:
    return f"prebuilt:{name}:{_digest(scope)}"


def _lock_key(name: str, scope: str, stamp: str) -> str:
    return f"prebuilt-lock:{name}:{_digest(scope)}:{_digest(stamp)}"


def _stored(name: str, scope: str) -> dict | None:
    stored = cache.get(_key(name, scope))
    return stored if isinstance(stored, dict) and {"stamp", "body", "built_at"} <= stored.keys() else None


@contextmanager
def paused_gc():
    """Pause the cyclic garbage collector while a body is built: a build makes 100,000 small
    objects, none of them cyclic, and the collector's passes over them took half its time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def rebuild(name: str, *, scope: str, stamp: str, build: Callable[[], bytes]) -> bytes:
    """Build the body now and store it as the last good one, whatever is stored."""
    with paused_gc():
        body = build()
    cache.set(_key(name, scope), {"stamp": stamp, "body": body, "built_at": time.time()}, KEEP_SECONDS)
    return body


def serve(name: str, *, scope: str, stamp: str, build: Callable[[], bytes], max_age: float | None = None) -> Prebuilt:
    """The body for `stamp`, built by at most one request at a time (see the module's rule).

    `scope` separates what must not be shared (a partner, and the address its links are built on).
    """
    max_age = settings.PUBLIC_LIST_CACHE_SECONDS if max_age is None else max_age
    stored = _stored(name, scope)
    if stored is not None and stored["stamp"] == stamp and time.time() - stored["built_at"] < max_age:
        return Prebuilt(stored["body"], current=True)
    lock = _lock_key(name, scope, stamp)
    if cache.add(lock, 1, LOCK_SECONDS):
        try:
            return Prebuilt(rebuild(name, scope=scope, stamp=stamp, build=build), current=True)
        finally:
            cache.delete(lock)
    if stored is not None:
        return Prebuilt(stored["body"], current=False)  # someone is building the new one
    # Cold start: wait briefly for the builder rather than build the same body again. No lock to be
    # seen means no one to wait for: the builder has finished, or the cache is not answering (Redis
    # down: reads miss, writes are dropped), when every request builds its own, as without a cache.
    deadline = time.monotonic() + COLD_WAIT_SECONDS
    while cache.get(lock) is not None and time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
    stored = _stored(name, scope)
    if stored is not None:
        return Prebuilt(stored["body"], current=stored["stamp"] == stamp)
    if time.monotonic() >= deadline:
        logger.warning("Built %s for %s without the lock: its builder took over %ss", name, scope, COLD_WAIT_SECONDS)
    return Prebuilt(rebuild(name, scope=scope, stamp=stamp, build=build), current=True)


# Sources rebuilt in the background after a change ----------------------------------------------

ROOTS_KEEP = 8  # addresses remembered per source and partner (https://host, and a port or two)
ROOTS_SECONDS = 30 * 24 * 3600
QUEUED_KEY = "prebuilt-rebuild-queued"
QUEUED_SECONDS = 300  # a queued task that never ran (no worker) stops blocking new ones after this


@dataclass(frozen=True)
class Source:
    """A body built per partner and address: `stamp(partner, now)` names what it is built from,
    `build(partner, root, now)` builds it. The view and the background task both use these."""

    name: str
    stamp: Callable[..., str]
    build: Callable[..., bytes]


SOURCES: dict[str, Source] = {}


def register_source(name: str, *, stamp: Callable[..., str], build: Callable[..., bytes]) -> Source:
    SOURCES[name] = Source(name, stamp, build)
    return SOURCES[name]


def _roots_key(name: str, partner_id: int) -> str:
    return f"prebuilt-roots:{name}:{partner_id}"


def _remember_root(name: str, partner_id: int, root: str) -> None:
    roots = cache.get(_roots_key(name, partner_id)) or []
    if root not in roots:
        cache.set(_roots_key(name, partner_id), [root, *roots][:ROOTS_KEEP], ROOTS_SECONDS)


def serve_source(name: str, *, partner, root: str, now: datetime | None = None) -> Prebuilt:
    """`serve` for a registered source. A request that builds the body also remembers its address,
    so the background rebuild covers it from then on (one that is served a stored body adds nothing)."""
    source = SOURCES[name]
    now = now or timezone.now()

    def build() -> bytes:
        _remember_root(name, partner.pk, root)
        return source.build(partner, root, now)

    return serve(name, scope=f"{partner.pk}:{root}", stamp=source.stamp(partner, now), build=build)


def rebuild_stale(*, now: datetime | None = None) -> list[tuple[str, int, str]]:
    """Rebuild every source whose stored stamp has moved, for each remembered address of each
    partner; returns what was built. A build another process holds the lock for is left to it."""
    from .models import Partner

    now = now or timezone.now()
    built = []
    for partner in Partner.objects.select_related("site"):
        for source in SOURCES.values():
            stamp = source.stamp(partner, now)
            for root in cache.get(_roots_key(source.name, partner.pk)) or []:
                scope = f"{partner.pk}:{root}"
                stored = _stored(source.name, scope)
                if stored is not None and stored["stamp"] == stamp:
                    continue
                lock = _lock_key(source.name, scope, stamp)
                if not cache.add(lock, 1, LOCK_SECONDS):
                    continue
                try:
                    build = functools.partial(source.build, partner, root, now)
                    rebuild(source.name, scope=scope, stamp=stamp, build=build)
                    built.append((source.name, partner.pk, root))
                finally:
                    cache.delete(lock)
    return built


REBUILT_BY_MODELS = {"bookings.session"}  # the calendar feed's rows; not in the content version


def rebuild_after_change(sender, **kwargs) -> None:
    """post_save/post_delete receiver: once the change is committed, queue one background rebuild."""
    from .content_version import is_tracked

    if not getattr(settings, "OPEN_DATA_REBUILD_ON_CHANGE", False) or kwargs.get("raw"):
        return
    if sender.__module__ == "__fake__":  # a migration's historical model: the task table may not exist yet
        return
    if not (is_tracked(sender) or sender._meta.label_lower in REBUILT_BY_MODELS):
        return
    transaction.on_commit(_queue_rebuild)


def _queue_rebuild() -> None:
    from .tasks import rebuild_open_data

    if not cache.add(QUEUED_KEY, 1, QUEUED_SECONDS):  # one queued at a time; the task clears the flag first
        return
    try:
        rebuild_open_data.enqueue()
    except DatabaseError:
        # No task table (a database being migrated) or no database: the change is committed, and the
        # next request builds the open data itself, as without the background rebuild.
        cache.delete(QUEUED_KEY)
        logger.warning("Could not queue the open data rebuild", exc_info=True)
