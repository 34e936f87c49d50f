"""Settings shared by every environment. Environment-specific files import from here."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h]

INSTALLED_APPS = [
    # Project apps, lowest first: certificates → bookings → courses → cms.
    "cms",
    "courses",
    "bookings",
    "certificates",
    "venues",  # a venue's own account: depends on certificates, nothing depends on it
    "visits",  # spot checks and mystery visits: depends on certificates
    "helplog",  # the "help given" log (no personal data): depends on venues and certificates
    "demo",  # seed_demo only, no models: it imports the apps above, never the reverse
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "schedule",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cms.security.ContentSecurityPolicyMiddleware",
    "cms.security.RejectUnreadableInputMiddleware",
    "cms.page_cache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "cms.two_factor.RequireSecondFactorMiddleware",
    "cms.admin_guard.AdminObjectGuardMiddleware",
    "cms.security.UnreadableFormMiddleware",
    "cms.security.StaffLoginRateLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
CSRF_FAILURE_VIEW = "cms.views.csrf_failure"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "cms.context_processors.site_chrome",
            ],
        },
    },
]


def database_from_env(default_url: str) -> dict:
    """Read DATABASE_URL; SQLite gets IMMEDIATE transactions so writers queue instead of failing."""
    config = dj_database_url.parse(os.environ.get("DATABASE_URL", default_url), conn_max_age=0)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config.setdefault("OPTIONS", {})
        config["OPTIONS"].update({"transaction_mode": "IMMEDIATE", "timeout": 20})
    return config


DATABASES = {"default": database_from_env(f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# PostgreSQL prepares a booking's statements after this many runs on a connection
# (cms/database.py); "off" (or empty) behind a transaction-mode PgBouncer that cannot keep them.
_prepare = os.environ.get("DATABASE_PREPARE_THRESHOLD", "5").strip().lower()
DATABASE_PREPARE_THRESHOLD = None if _prepare in ("off", "") else int(_prepare)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "cms.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# static/ holds our own scripts; static_build/ is compiled by `npm run build` (GOV.UK Frontend, Leaflet).
STATICFILES_DIRS = [BASE_DIR / "static", BASE_DIR / "static_build"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Background work (emails, PDFs, calendar invites) goes through django-tasks. Services enqueue
# after commit with transaction.on_commit; production swaps in the database backend and a worker.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Safe Haven Training <no-reply@safehaven.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

WAGTAIL_SITE_NAME = "Safe Haven Training"
# Wagtail's Draftail editor, with a form error instead of a 500 for a post that is not its JSON.
WAGTAILADMIN_RICH_TEXT_EDITORS = {"default": {"WIDGET": "cms.rich_text.DraftailRichTextArea"}}
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
# Links that leave a request (emails, the certificate's QR code) are built from the partner's Site
# with this scheme, and this port when set (`make run PORT=` sets it); see cms.tenancy.site_root_url.
PUBLIC_URL_SCHEME = os.environ.get("PUBLIC_URL_SCHEME", "http")
PUBLIC_URL_PORT = int(os.environ.get("PUBLIC_URL_PORT") or 0)
WAGTAILIMAGES_IMAGE_MODEL = "cms.CustomImage"
WAGTAILDOCS_DOCUMENT_MODEL = "cms.CustomDocument"
# Documents go through Django (never a direct file URL), so the privacy rule in
# cms.admin_guard.document_may_be_served is applied to every download.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILEMBEDS_RESPONSIVE_HTML = True

# Where "Exit this page" sends someone: a neutral site that looks ordinary on a shared screen.
QUICK_EXIT_URL = os.environ.get("QUICK_EXIT_URL", "https://www.bbc.co.uk/weather")

# Staff two-factor sign-in (authenticator app). Off for the local demo; on by default in production.
STAFF_2FA_REQUIRED = os.environ.get("STAFF_2FA_REQUIRED", "false").lower() == "true"
OTP_TOTP_ISSUER = "Safe Haven Training"

# Per-client limits on public writes and staff sign-in ("N/s", "N/m" or "N/h").
RATE_LIMITS = {
    "booking": os.environ.get("RATE_LIMIT_BOOKING", "10/m"),
    "cancel": os.environ.get("RATE_LIMIT_CANCEL", "10/m"),
    "check-in": os.environ.get("RATE_LIMIT_CHECK_IN", "10/m"),
    "check-in-booking": os.environ.get("RATE_LIMIT_CHECK_IN_BOOKING", "20/h"),
    "verify": os.environ.get("RATE_LIMIT_VERIFY", "30/m"),
    "interest-form": os.environ.get("RATE_LIMIT_INTEREST_FORM", "5/m"),
    "unsubscribe": os.environ.get("RATE_LIMIT_UNSUBSCRIBE", "10/m"),
    "staff-login": os.environ.get("RATE_LIMIT_STAFF_LOGIN", "20/m"),
    "staff-login-user": os.environ.get("RATE_LIMIT_STAFF_LOGIN_USER", "5/m"),
    "venue-sign-in": os.environ.get("RATE_LIMIT_VENUE_SIGN_IN", "5/m"),
    "help-log": os.environ.get("RATE_LIMIT_HELP_LOG", "20/m"),
}
# How many reverse proxies (load balancer, CDN) sit in front and append to X-Forwarded-For.
# One framing rule everywhere: nothing frames our pages (Content-Security-Policy frame-ancestors
# says the same as X-Frame-Options); Wagtail's own preview frames mark themselves SAMEORIGIN.
X_FRAME_OPTIONS = "DENY"

RATE_LIMIT_TRUSTED_PROXIES = int(os.environ.get("RATE_LIMIT_TRUSTED_PROXIES", "0"))

# Embedded videos in training content; the strict public CSP allows frames from these only.
CSP_FRAME_SRC = ["https://www.youtube-nocookie.com", "https://www.youtube.com", "https://player.vimeo.com"]
# A paid booking's form post redirects to Stripe Checkout; form-action governs that redirect.
CSP_FORM_ACTION_EXTRA = ["https://checkout.stripe.com"] if os.environ.get("STRIPE_SECRET_KEY") else []

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "safehaven"}}
# The production cache's options (django-redis; config/settings/production.py), here so the tests
# that stop a real Redis use the same ones. Redis down must not mean every page a 500: reads miss,
# writes are dropped, each failure is logged, and /healthz/ answers 503 naming the cache.
REDIS_CACHE_OPTIONS = {"SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 2, "IGNORE_EXCEPTIONS": True}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# Public page cache (cms/page_cache.py): how long a page, and a register/feed listing, may be reused
# for people not signed in. Content changes retire stored pages at once; 0 turns the cache off.
PUBLIC_PAGE_CACHE_SECONDS = int(os.environ.get("PUBLIC_PAGE_CACHE_SECONDS", "600"))
PUBLIC_LIST_CACHE_SECONDS = int(os.environ.get("PUBLIC_LIST_CACHE_SECONDS", "60"))
# What is rendered or read once per content change and shared through the cache (a course's
# modules, the register's cards and its order): kept this long unless a change retires it first.
# 0 keeps nothing, so every request renders it (`make bench` measures cold costs that way).
RENDERED_ONCE_SECONDS = int(os.environ.get("RENDERED_ONCE_SECONDS", str(24 * 3600)))
# After a committed change, rebuild the open data (GeoJSON, calendar feeds) in a background task so
# no request waits for it (cms/prebuilt.py). Off in the test suite, whose tests turn it on.
OPEN_DATA_REBUILD_ON_CHANGE = os.environ.get("OPEN_DATA_REBUILD_ON_CHANGE", "1") == "1"

# Largest course package (JSON, images embedded) that import_course and the admin import accept.
COURSE_PACKAGE_MAX_BYTES = int(os.environ.get("COURSE_PACKAGE_MAX_BYTES", 5 * 1024 * 1024))

# The register map's background tiles (Leaflet). Self-host or choose a provider whose terms suit.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = os.environ.get(
    "MAP_TILE_ATTRIBUTION", '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "cms.logging.RedactFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Wagtail and django-tasks log every page save and task run at INFO.
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}

# Bookings: the waiting list stops promoting this many hours before a session starts.
WAITING_LIST_CUTOFF_HOURS = int(os.environ.get("WAITING_LIST_CUTOFF_HOURS", "2"))
# Stripe, for paid courses only (price > 0). Free sessions never touch Stripe, so no keys are needed.
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "")  # a local fake in tests; empty = Stripe itself
CHECKOUT_HOLD_MINUTES = int(os.environ.get("CHECKOUT_HOLD_MINUTES", "30"))
# A paid place offered from the waiting list is held this long (at most until the cut-off) for payment.
PROMOTED_PAYMENT_HOURS = int(os.environ.get("PROMOTED_PAYMENT_HOURS", "24"))


# Personal data retention: the schedule (days per kind of record) is cms.privacy.DEFAULT_RETENTION,
# applied daily by `manage.py purge_personal_data`; set only the kinds to change here, e.g.
# {"attended_bookings_days": 1095}. Rows are anonymised, never deleted, so counts stay right.
PERSONAL_DATA_RETENTION: dict[str, int] = {}

# No Gravatar in the admin: it would send staff email hashes to a third party (and the CSP blocks it).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
