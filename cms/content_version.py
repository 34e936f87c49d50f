"""One number that moves whenever public content changes.

Caches of things read from content (stored public pages, the partner for a host, the site menu)
put it in their keys, so a change retires every entry at once instead of each cache tracking what
it depends on; with Redis as the cache (production) that holds across all app servers. Any
saved or deleted model of a tracked app (pages, sites, settings, venues, certificates) bumps it,
except writes that never change what a public page shows.
"""

import contextlib
import secrets
from collections.abc import Callable, Hashable
from contextvars import ContextVar
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "content-version"
# Writes that never change what a public page shows (and happen with every booking or sign-in).
UNTRACKED_MODELS = {
    "cms.interestsubmission",
    "cms.user",
    # Made while pages render (a rendition on first view) or only for the admin: no page changes.
    "cms.customrendition",
    "wagtailimages.rendition",
    "wagtailcore.referenceindex",
    "wagtailcore.uploadedfile",
    "wagtailcore.comment",
    "wagtailcore.commentreply",
    "wagtailcore.pagesubscription",
    "wagtailcore.modellogentry",
    "wagtailcore.pagelogentry",
    "wagtailcore.revision",
    "wagtailcore.workflowstate",
    "wagtailcore.taskstate",
    "wagtailusers.userprofile",
}
TRACKED_APPS = {
    "cms",
    "courses",
    "certificates",
    "wagtailcore",
    "wagtailimages",
    "wagtaildocs",
    "wagtailsettings",
    "wagtailredirects",
}


# Within a request (cms.page_cache's middleware opens the scope) the version is read from the cache
# once: every read is a Redis round trip, and one page read it up to four times (page cache, route,
# rendered-once fragments, the host's partner). A change the request makes itself forgets it at once.
_this_request: ContextVar[list | None] = ContextVar("content_version_this_request", default=None)


@contextlib.contextmanager
def read_once_per_request():
    token = _this_request.set([None])
    try:
        yield
    finally:
        _this_request.reset(token)


def content_version() -> int:
    memo = _this_request.get()
    if memo is not None and memo[0] is not None:
        return memo[0]
    value = read_counter(VERSION_KEY)
    if memo is not None:
        memo[0] = value
    return value


def read_counter(key: str) -> int:
    """A number in the cache that only moves forward (this version, the places version of
    bookings/places.py), started when missing."""
    value = cache.get(key)
    if value is None:
        # Random, not 1: if the counter is evicted, entries kept under the old number stay retired.
        value = secrets.randbelow(2**31)
        cache.add(key, value, timeout=None)
        value = cache.get(key, value)
    return value


def move_counter(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:
        read_counter(key)


def bump_content_version(**kwargs) -> None:
    """Retire everything cached under the current version (also a post_page_move receiver)."""
    memo = _this_request.get()
    if memo is not None:
        memo[0] = None
    move_counter(VERSION_KEY)


def read_current(keys: list[str]) -> dict:
    """Entries kept with `keep_current`, read together with the content version in one round trip
    (a page-cache hit, a page route and the host's entry are read on every request, and each round
    trip to Redis was a large part of a hit). Only entries kept under the current version are
    returned; an older one is a miss. Within a request, later reads use the version read here."""
    memo = _this_request.get()
    known = memo[0] if memo is not None else None
    found = cache.get_many(keys if known is not None else [VERSION_KEY, *keys])
    version = known
    if version is None:
        version = found.pop(VERSION_KEY, None)
        if version is None:
            version = content_version()  # not set yet (or evicted): starts it
        elif memo is not None:
            memo[0] = version
    return {
        key: entry[1]
        for key, entry in found.items()
        if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == version
    }


def keep_current(key: str, value, timeout: int) -> None:
    """Keep `value` under `key` (which does not hold the version) for `read_current`, tagged with
    the version this request read: if content changed meanwhile, readers see it as a miss."""
    cache.set(key, (content_version(), value), timeout)


T = TypeVar("T")
K = TypeVar("K", bound=Hashable)


def once_per_change(key: str, build: Callable[[], T]) -> T:
    """`build()`, built once per content change and shared by every server through the cache under
    `key`, which must hold the content version (a change retires it). RENDERED_ONCE_SECONDS is how
    long it is kept otherwise; at 0 nothing is read or kept, so every call builds."""
    if not settings.RENDERED_ONCE_SECONDS:
        return build()
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, settings.RENDERED_ONCE_SECONDS)
    return value


def many_once_per_change(keys: dict[K, str], build: Callable[[list[K]], dict[K, T]]) -> dict[K, T]:
    """`once_per_change` for many items in one round trip: `build` gets the missing ones."""
    if not settings.RENDERED_ONCE_SECONDS:
        return build(list(keys))
    stored = cache.get_many(keys.values())
    found = {item: stored[key] for item, key in keys.items() if key in stored}
    missing = [item for item in keys if item not in found]
    if missing:
        built = build(missing)
        cache.set_many({keys[item]: value for item, value in built.items()}, settings.RENDERED_ONCE_SECONDS)
        found.update(built)
    return found


def is_tracked(model) -> bool:
    """Whether a write to this model can change what a public page shows."""
    meta = model._meta
    return meta.app_label in TRACKED_APPS and meta.label_lower not in UNTRACKED_MODELS


def bump_on_change(sender, **kwargs) -> None:
    """post_save/post_delete receiver: content changed, so nothing cached from it may be used again.

    Moved at once (this request sees its change) and again when the transaction commits: another
    server reading the database between the two would otherwise keep what it read before the
    commit under the new version."""
    if is_tracked(sender):
        content_changed()


def content_changed() -> None:
    """Public content changed: move the version now (this request and a test's transaction see it)
    and again on commit. Also for writes that send no save signal (`.update()`)."""
    bump_content_version()
    bump_after_commit()


def _bump_when_committed() -> None:
    bump_content_version()


def bump_after_commit() -> None:
    """Move the version again when the current transaction commits (once, however many writes it
    made). Outside a transaction the write is already committed: the bump made at once is enough."""
    once_after_commit(_bump_when_committed)


def once_after_commit(callback) -> None:
    """Run `callback` (a module-level function) when the current transaction commits, once however
    often asked within it; nothing outside a transaction."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return
    if any(queued is callback for _, queued, _ in connection.run_on_commit):
        return
    transaction.on_commit(callback)
