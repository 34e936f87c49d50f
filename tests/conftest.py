import os

import pytest
from django.core.management import call_command
from django.db import connection


def pytest_report_header(config):
    return f"database: {os.environ.get('DATABASE_URL', 'sqlite (DATABASE_URL unset)').split('@')[-1]}"


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
