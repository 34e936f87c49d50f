import datetime
import os
import zoneinfo

import pytest
import time_machine
from django.db import connection
from hypothesis import settings as hypothesis_settings

# Fuzz tests: in CI the same examples every run (a failure there reproduces on any machine); on a
# developer's machine new examples each run, with the seed printed on failure (`--hypothesis-seed`).
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
hypothesis_settings.register_profile("dev", print_blob=True)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") == "true" else "dev")


def pytest_report_header(config):
    return f"database: {os.environ.get('DATABASE_URL', 'sqlite (DATABASE_URL unset)').split('@')[-1]}"


def pytest_runtest_setup(item):
    """A test marked `postgres` needs PostgreSQL's row locks or error codes: on a machine without it
    (`make test` falls back to SQLite there) it is skipped; CI always runs it, on PostgreSQL."""
    if item.get_closest_marker("postgres") and not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("needs PostgreSQL")


@pytest.fixture(scope="session", autouse=True)
def _ci_runs_on_postgresql(django_db_setup, django_db_blocker):
    """In CI a missing PostgreSQL is a failure, never a silent fall-back to SQLite."""
    if os.environ.get("CI") == "true" and connection.vendor != "postgresql":
        pytest.exit("CI must run the suite on PostgreSQL (DATABASE_URL is not a PostgreSQL URL).", returncode=1)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The cache outlives each test's rolled-back database: start every test with an empty one."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


LONDON = zoneinfo.ZoneInfo("Europe/London")
# A Monday at 10am in June, when every demo and fixture venue with weekday hours is open.
MONDAY_MORNING = datetime.datetime(2027, 6, 7, 10, 0, tzinfo=LONDON)


@pytest.fixture
def clock():
    """Hold the clock still at MONDAY_MORNING; `clock.move_to(when)` moves it. A test whose result
    depends on the hour or the weekday takes this, so it passes on a Sunday night as on a Monday."""
    with time_machine.travel(MONDAY_MORNING, tick=False) as traveller:
        yield traveller


@pytest.fixture
def demo(request, db):
    """Both demo partners with their pages, as `make run` serves them (`tests/demo_snapshot.py`
    copies back what the command wrote for an earlier test instead of running it again)."""
    from tests import demo_snapshot

    transactional = "transactional_db" in request.fixturenames or "live_server" in request.fixturenames
    marker = request.node.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        transactional = True
    demo_snapshot.seed_demo(transactional=transactional)


@pytest.fixture
def barking(demo):
    from cms.models import Partner

    return Partner.objects.get(name="Barking and Dagenham")


@pytest.fixture
def tunbridge_wells(demo):
    from cms.models import Partner

    return Partner.objects.get(name="Tunbridge Wells")


TW_HOST = "tunbridgewells.localhost"


# --- Wagtail's baseline survives transactional tests (so `--reuse-db` works after them) ----------
#
# Wagtail's migrations create a root page, the root collection, the default locale, a placeholder
# home page and the default Site. A transactional test (`transaction=True`, `transactional_db`,
# `live_server`) ends with a flush of every table, which removes them, and with `--reuse-db` the
# next run starts from that flushed database without migrating again. `serialized_rollback` does
# not help: it restores its snapshot before a test, not after, and takes the snapshot from the
# database it is given (already flushed on the second run). So the baseline is put back right
# after every flush (the flush emits post_migrate), and once at the start of the session for a
# database an earlier run left flushed.

WAGTAIL_PLACEHOLDER_TITLE = "Welcome to your new Wagtail site!"


def restore_wagtail_baseline(using="default"):
    """Recreate what Wagtail's migrations leave in a new database, if a flush removed it."""
    from django.db import transaction
    from wagtail.models import Page, Site

    from cms.services import ensure_wagtail_roots

    if Page.objects.using(using).filter(depth=1).exists():
        return
    with transaction.atomic(using=using):
        root = ensure_wagtail_roots()  # root page, root collection, default locale
        home = root.add_child(instance=Page(title=WAGTAIL_PLACEHOLDER_TITLE, slug="home"))
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)


def _restore_after_flush(sender, using="default", **kwargs):
    if sender.label == "wagtailcore":  # post_migrate is sent once per app; once per flush is enough
        from tests import demo_snapshot

        demo_snapshot.note_flush()
        restore_wagtail_baseline(using)


@pytest.fixture(scope="session", autouse=True)
def _wagtail_baseline(django_db_setup, django_db_blocker):
    from django.db.models.signals import post_migrate

    with django_db_blocker.unblock():
        restore_wagtail_baseline()
    post_migrate.connect(_restore_after_flush, dispatch_uid="tests-restore-wagtail-baseline")
    yield
    post_migrate.disconnect(dispatch_uid="tests-restore-wagtail-baseline")


@pytest.fixture
def frozen_window(monkeypatch):
    """Keep every hit in one rate-limit window, however slow the machine."""
    from django.core.cache import cache

    from cms import ratelimit

    cache.clear()
    now = ratelimit.clock()
    monkeypatch.setattr(ratelimit, "clock", lambda: now)
