"""The pytest suite. DATABASE_URL points at PostgreSQL in CI (scripts/test.sh starts one)."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
STORAGES = {  # no manifest needed; tests never run collectstatic
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"

# Suites post many times from one address; tests of the limits themselves set low values.
RATE_LIMITS = dict.fromkeys(RATE_LIMITS, "100000/m")  # noqa: F405

# Tests see every change at once; tests of the page cache itself turn it on.
PUBLIC_PAGE_CACHE_SECONDS = 0
PUBLIC_LIST_CACHE_SECONDS = 0
OPEN_DATA_REBUILD_ON_CHANGE = False
