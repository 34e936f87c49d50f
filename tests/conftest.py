import datetime
import os
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
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
def demo(db):
    """Both demo partners with their pages, as `make run` serves them."""
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture
def barking(demo):
    from cms.models import Partner

    return Partner.objects.get(name="Barking and Dagenham")


@pytest.fixture
def tunbridge_wells(demo):
    from cms.models import Partner

    return Partner.objects.get(name="Tunbridge Wells")


TW_HOST = "tunbridgewells.localhost"
