"""`make bench`: production settings on one machine, over plain HTTP and without delivering email.

Everything a production request does stays: DEBUG off, WhiteNoise, CSP, CONN_MAX_AGE, the shared
Redis cache (django-redis, as in production; bench/run.py starts a throwaway redis-server and passes
REDIS_URL), cached_db sessions, tasks queued in PostgreSQL for `db_worker`. Only what this machine
lacks is swapped: plain HTTP instead of TLS behind a proxy, and emails written nowhere.
"""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-key-not-secret")
os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1,tunbridgewells.localhost")

from .production import *  # noqa: E402, F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
STAFF_2FA_REQUIRED = False
# The load generator is one address; the limits are measured by the test suite, not here.
RATE_LIMITS = dict.fromkeys(RATE_LIMITS, "1000000/m")  # noqa: F405
