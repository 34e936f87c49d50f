"""After a committed change, the open data is rebuilt in the background (cms/prebuilt.py), so the
next request is served the new body without building it."""

import json
from datetime import timedelta

import pytest
from django.core.cache import cache

from bookings import open_data as booking_open_data
from bookings.services import change_session_time
from certificates import open_data as register_open_data
from certificates.selectors import register_geojson_body
from cms import prebuilt
from tests.factories import PartnerFactory, certify, session_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def rebuild_on(settings):
    settings.OPEN_DATA_REBUILD_ON_CHANGE = True
    settings.PUBLIC_LIST_CACHE_SECONDS = 60  # bodies reused, as in production


@pytest.fixture
def builds(monkeypatch):
    """Counts GeoJSON and feed builds, wherever they happen."""
    counts = {"geojson": 0, "feed": 0}
    calendar_body = booking_open_data.calendar_body

    def geojson(**kwargs):
        counts["geojson"] += 1
        return register_geojson_body(**kwargs)

    def feed(**kwargs):
        counts["feed"] += 1
        return calendar_body(**kwargs)

    monkeypatch.setattr(register_open_data, "register_geojson_body", geojson)
    monkeypatch.setattr(booking_open_data, "calendar_body", feed)
    return counts


def names(response) -> list[str]:
    return [feature["properties"]["name"] for feature in json.loads(response.content)["features"]]


def test_a_change_is_rebuilt_in_the_background_and_the_next_request_builds_nothing(
    clock, rebuild_on, builds, client, django_capture_on_commit_callbacks
):
    partner = PartnerFactory()
    host = partner.site.hostname
    certify(partner, organisation="Heathway Books", latitude=51.54, longitude=0.15)
    assert names(client.get("/safe-havens.geojson", HTTP_HOST=host)) == ["Heathway Books"]
    assert builds["geojson"] == 1

    with django_capture_on_commit_callbacks(execute=True):
        certify(partner, organisation="Abbey Café", latitude=51.53, longitude=0.08)
    assert builds["geojson"] == 2  # built by the task once the change was committed
    assert cache.get(prebuilt.QUEUED_KEY) is None  # the task cleared its flag

    assert names(client.get("/safe-havens.geojson", HTTP_HOST=host)) == ["Abbey Café", "Heathway Books"]
    assert builds["geojson"] == 2  # the request built nothing


def test_a_moved_session_rebuilds_the_calendar_feed(
    clock, rebuild_on, builds, client, django_capture_on_commit_callbacks
):
    partner = PartnerFactory()
    host = partner.site.hostname
    session = session_for(partner)
    first = client.get("/bookings/calendar.ics", HTTP_HOST=host)
    assert first.status_code == 200 and builds["feed"] == 1

    with django_capture_on_commit_callbacks(execute=True):
        change_session_time(
            session=session,
            starts_at=session.starts_at + timedelta(days=1),
            ends_at=session.ends_at + timedelta(days=1),
        )
    assert builds["feed"] == 2

    moved = client.get("/bookings/calendar.ics", HTTP_HOST=host)
    assert builds["feed"] == 2
    assert moved.content != first.content and b"SEQUENCE:1" in moved.content


def test_only_addresses_that_were_asked_for_are_rebuilt(clock, rebuild_on, builds, django_capture_on_commit_callbacks):
    partner = PartnerFactory()
    with django_capture_on_commit_callbacks(execute=True):
        certify(partner, organisation="Abbey Café", latitude=51.53, longitude=0.08)
    assert builds == {"geojson": 0, "feed": 0}  # nobody has asked for this partner's open data yet


def test_off_nothing_is_rebuilt_in_the_background(clock, settings, builds, client, django_capture_on_commit_callbacks):
    settings.OPEN_DATA_REBUILD_ON_CHANGE = False
    settings.PUBLIC_LIST_CACHE_SECONDS = 60
    partner = PartnerFactory()
    host = partner.site.hostname
    certify(partner, organisation="Heathway Books", latitude=51.54, longitude=0.15)
    client.get("/safe-havens.geojson", HTTP_HOST=host)
    with django_capture_on_commit_callbacks(execute=True):
        certify(partner, organisation="Abbey Café", latitude=51.53, longitude=0.08)
    assert builds["geojson"] == 1
    client.get("/safe-havens.geojson", HTTP_HOST=host)
    assert builds["geojson"] == 2  # the request built it, as before


def test_a_burst_of_saves_queues_one_task_until_it_runs(monkeypatch):
    from cms import tasks

    queued = []

    class Task:
        @staticmethod
        def enqueue():
            queued.append(1)

    monkeypatch.setattr(tasks, "rebuild_open_data", Task)
    for _ in range(5):  # one change saves several rows: each queues after commit
        prebuilt._queue_rebuild()
    assert len(queued) == 1
    cache.delete(prebuilt.QUEUED_KEY)  # what the task does first
    prebuilt._queue_rebuild()
    assert len(queued) == 2


def test_a_migration_or_a_missing_task_table_never_breaks_the_change(monkeypatch, settings, caplog):
    """`migrate` on a new database saves rows before the task table exists: nothing is queued from
    a migration's historical models, and a failed enqueue is logged, not raised."""
    from django.db import ProgrammingError
    from django.db.migrations.state import ProjectState

    from cms import tasks

    settings.OPEN_DATA_REBUILD_ON_CHANGE = True
    historical = ProjectState.from_apps(__import__("django.apps").apps.apps).apps.get_model("cms", "Partner")
    queued = []
    monkeypatch.setattr("django.db.transaction.on_commit", lambda fn, *a, **k: queued.append(fn))
    prebuilt.rebuild_after_change(historical)
    assert queued == []

    class Broken:
        @staticmethod
        def enqueue():
            raise ProgrammingError('relation "django_tasks_database_dbtaskresult" does not exist')

    monkeypatch.setattr(tasks, "rebuild_open_data", Broken)
    prebuilt._queue_rebuild()  # does not raise
    assert "Could not queue the open data rebuild" in caplog.text
    assert cache.get(prebuilt.QUEUED_KEY) is None  # the next change may try again
