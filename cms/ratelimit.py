"""Fixed-window rate limits kept in the shared cache (Redis in production), so every app server
counts the same hits. Limits are settings: RATE_LIMITS = {"group": "N/s|m|h"}."""

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

PERIODS = {"s": 1, "m": 60, "h": 3600}


def clock() -> float:
    """Seconds since the epoch; its own function so a test can hold the window still without
    patching the standard library's clock for the whole process."""
    return time.time()


def parse_rate(rate: str) -> tuple[int, int]:
    count, period = rate.split("/")
    return int(count), PERIODS[period]


def client_ip(request) -> str:
    """The client address; behind N trusted proxies, the Nth address from the right of X-Forwarded-For."""
    proxies = getattr(settings, "RATE_LIMIT_TRUSTED_PROXIES", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def is_limited(*, group: str, key: str) -> tuple[bool, int]:
    """Count one hit for key in group; return (over the limit?, seconds until the window resets)."""
    rate = settings.RATE_LIMITS.get(group)
    if not rate:
        return False, 0
    limit, period = parse_rate(rate)
    now = clock()
    window = int(now // period)
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    hits = _count_hit(f"ratelimit:{group}:{digest}:{window}", timeout=period + 1)
    if hits is None:  # the shared cache is unreachable (its errors are ignored and logged): let people through
        return False, 0
    return hits > limit, period - int(now % period)


def _count_hit(cache_key: str, *, timeout: int) -> int | None:
    """One more hit in this window, in one round trip once the window has its first (limited
    forms are on the booking path, where each round trip to Redis counts)."""
    try:
        return cache.incr(cache_key)
    except ValueError:  # the window's first hit
        if cache.add(cache_key, 1, timeout=timeout):
            return 1
        try:
            return cache.incr(cache_key)  # another server counted the first hit just before
        except ValueError:  # ...and its window has just ended
            return 1


def rate_limited_response(request, *, group: str, key: str = "", per_client: bool = True):
    """A friendly 429 page when this client (or, with per_client=False, anyone using `key`, such as
    one booking's check-in from many addresses) has gone over the group's limit, else None."""
    limited, retry_after = is_limited(group=group, key=f"{client_ip(request)}|{key}" if per_client else key)
    if not limited:
        return None
    response = render(request, "errors/429.html", {"retry_after": retry_after}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def rate_limit(group: str, methods=("POST",)):
    """View decorator: limit the given methods per client address (GET too for pages that answer
    a guess, like certificate verification)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                limited = rate_limited_response(request, group=group)
                if limited:
                    return limited
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
