"""`/bookings/calendar.ics` lists a documented window of upcoming sessions (the next 12 months, at
most `FEED_LIMIT`), built once per change and shared (cms/prebuilt.py)."""

import datetime

import pytest
from icalendar import Calendar

from bookings import open_data, selectors
from bookings.services import cancel_session, change_session_time
from tests.conftest import MONDAY_MORNING
from tests.factories import session_for

from .conftest import HOST

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def reused(settings):
    """Bodies reused for a minute, as in production (the test settings build every request)."""
    settings.PUBLIC_LIST_CACHE_SECONDS = 60


@pytest.fixture
def builds(monkeypatch):
    class Counter:
        count = 0

    def counting(**kwargs):
        Counter.count += 1
        return open_data.calendar_body.__wrapped__(**kwargs)

    counting.__wrapped__ = open_data.calendar_body
    monkeypatch.setattr(open_data, "calendar_body", counting)
    return Counter


def feed(client) -> list[tuple[str, datetime.datetime]]:
    response = client.get("/bookings/calendar.ics", HTTP_HOST=HOST)
    assert response.status_code == 200
    events = Calendar.from_ical(response.content).walk("VEVENT")
    return [(str(event["UID"]), event.decoded("DTSTART")) for event in events]


def uids(client) -> list[str]:
    return [uid for uid, _ in feed(client)]


def test_the_feed_lists_the_next_twelve_months_only(clock, client, partner, course):
    soon = session_for(partner, page=course, starts_at=MONDAY_MORNING + 7 * DAY)
    in_eleven_months = session_for(partner, page=course, starts_at=MONDAY_MORNING + 335 * DAY)
    session_for(partner, page=course, starts_at=MONDAY_MORNING + 400 * DAY)  # beyond the window
    assert uids(client) == [soon.ical_uid, in_eleven_months.ical_uid]


def test_the_feed_stops_at_its_limit_soonest_first(clock, client, partner, course, monkeypatch):
    monkeypatch.setattr(selectors, "FEED_LIMIT", 2)
    later = session_for(partner, page=course, starts_at=MONDAY_MORNING + 20 * DAY)
    first = session_for(partner, page=course, starts_at=MONDAY_MORNING + 5 * DAY)
    session_for(partner, page=course, starts_at=MONDAY_MORNING + 30 * DAY)
    assert uids(client) == [first.ical_uid, later.ical_uid]


def test_a_second_request_is_not_rebuilt_and_a_change_is_on_the_next_one(clock, reused, builds, client, partner,
                                                                         course):  # fmt: skip
    session = session_for(partner, page=course, starts_at=MONDAY_MORNING + 7 * DAY)
    assert feed(client) == feed(client) == [(session.ical_uid, MONDAY_MORNING + 7 * DAY)]
    assert builds.count == 1
    moved = MONDAY_MORNING + 8 * DAY
    change_session_time(session=session, starts_at=moved, ends_at=moved + datetime.timedelta(hours=2))
    assert feed(client) == [(session.ical_uid, moved)]
    assert builds.count == 2
    added = session_for(partner, page=course, starts_at=MONDAY_MORNING + 9 * DAY)
    assert uids(client) == [session.ical_uid, added.ical_uid]
    cancel_session(session=session)
    assert uids(client) == [added.ical_uid]
    assert builds.count == 4


def test_a_session_that_has_started_leaves_the_feed_without_any_change(clock, reused, client, partner, course):
    today = session_for(partner, page=course, starts_at=MONDAY_MORNING + datetime.timedelta(seconds=20))
    tomorrow = session_for(partner, page=course, starts_at=MONDAY_MORNING + DAY)
    assert uids(client) == [today.ical_uid, tomorrow.ical_uid]
    clock.move_to(MONDAY_MORNING + datetime.timedelta(seconds=30))  # inside the minute the feed is reused
    assert uids(client) == [tomorrow.ical_uid]


def test_a_build_runs_the_same_queries_for_3_and_30_sessions(clock, partner, course, django_assert_num_queries):
    def build():
        return open_data.calendar_body(partner=partner, root="http://localhost", now=MONDAY_MORNING)

    for n in range(3):
        session_for(partner, page=course, starts_at=MONDAY_MORNING + (n + 1) * DAY)
    with django_assert_num_queries(3) as few:
        assert build().count(b"BEGIN:VEVENT") == 3
    for n in range(3, 30):
        session_for(partner, page=course, starts_at=MONDAY_MORNING + (n + 1) * DAY)
    with django_assert_num_queries(len(few.captured_queries)):
        assert build().count(b"BEGIN:VEVENT") == 30
