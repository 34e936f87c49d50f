"""`make bench`: production settings on one machine without Redis or TLS in front.

Everything a production request does (DEBUG off, WhiteNoise, CSP, CONN_MAX_AGE, tasks queued in
PostgreSQL rather than run inline) stays; only what this machine lacks is swapped: a per-process
cache instead of Redis, plain HTTP instead of TLS, and emails written nowhere.
"""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-key-not-secret")
os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1,tunbridgewells.localhost")
os.environ.setdefault("REDIS_URL", "redis://unused-by-the-benchmark")

from .production import *  # noqa: E402, F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "bench"}}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
STAFF_2FA_REQUIRED = False
# The load generator is one address; the limits are measured by the test suite, not here.
RATE_LIMITS = dict.fromkeys(RATE_LIMITS, "1000000/m")  # noqa: F405
