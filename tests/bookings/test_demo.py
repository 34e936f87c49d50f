"""The demo seed: next May and June's sessions for both partners, and benchmark volume made fast."""

import io
import time
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db.models import Count, Q
from schedule.models import Event, Rule

from bookings.models import Booking, Session
from demo.bookings import next_may_and_june

from ..conftest import TW_HOST

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def counts():
    return {
        "sessions": Session.objects.count(),
        "bookings": Booking.objects.count(),
        "events": Event.objects.count(),
        "rules": Rule.objects.count(),
    }


@pytest.mark.parametrize(
    ("today", "season"),
    [(date(2026, 11, 23), 2027), (date(2027, 4, 30), 2027), (date(2027, 5, 1), 2028)],
)
def test_next_may_and_june(today, season):
    assert next_may_and_june(today) == (date(season, 5, 1), date(season, 6, 30))


def test_workshops_run_tuesdays_and_thursdays_in_may_and_june_for_both_partners(barking, tunbridge_wells):
    first_day, last_day = next_may_and_june(date.today())
    for partner in (barking, tunbridge_wells):
        workshops = Session.objects.filter(partner=partner, page__slug="safe-haven-training")
        assert workshops.count() >= 16
        for session in workshops:
            local = session.starts_at.astimezone(LONDON)
            assert first_day <= local.date() <= last_day
            assert local.strftime("%a %H:%M") in ("Tue 10:00", "Thu 10:00")
            assert session.capacity == 20
            assert session.event_id is not None and session.series.rule is not None
        assert len({s.series_id for s in workshops}) == 1


def test_some_sessions_nearly_full_and_one_full_with_a_waiting_list(client, barking):
    sessions = Session.objects.filter(partner__in=[barking]).annotate(
        taken=Count("bookings", filter=Q(bookings__status="confirmed")),
        waiting=Count("bookings", filter=Q(bookings__status="waiting")),
    )
    full = [s for s in sessions if s.taken == s.capacity]
    assert len(full) == 1 and full[0].waiting == 3
    assert sum(1 for s in sessions if 0 < s.capacity - s.taken <= 2) >= 2
    page = client.get("/training/safe-haven-training/").text
    assert "Full" in page and "Join the waiting list" in page and "Book a place" in page


def test_networking_events_have_sessions(client, barking):
    events = Session.objects.filter(partner=barking, page__slug__startswith="networking-")
    assert events.count() == 2
    assert client.get("/training/networking-may/").text.count("Book a place") == 1


def test_tunbridge_wells_lists_its_own_sessions(client, tunbridge_wells):
    page = client.get("/training/safe-haven-training/", HTTP_HOST=TW_HOST).text
    assert "Book a place" in page
    ids = set(Session.objects.filter(partner=tunbridge_wells).values_list("pk", flat=True))
    assert ids and all(f"/bookings/sessions/{pk}/book/" in page for pk in list(ids)[:3])


def test_seed_demo_twice_creates_nothing_new(demo):
    before = counts()
    assert before["sessions"] > 30 and before["bookings"] > 50
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == before


def test_benchmark_volume_is_bulk_created_quickly_and_topped_up_idempotently(demo):
    before = counts()
    started = time.monotonic()
    call_command("seed_demo", sessions=1000, bookings=20000, stdout=io.StringIO())
    elapsed = time.monotonic() - started
    after = counts()
    assert after["sessions"] - before["sessions"] == 1000
    assert after["events"] - before["events"] == 1000
    assert after["bookings"] - before["bookings"] == 20000
    assert elapsed < 45, f"benchmark seed took {elapsed:.1f}s"
    bench = Session.objects.filter(page__slug="benchmark-workshop").annotate(n=Count("bookings"))
    assert not bench.filter(event__isnull=True).exists()
    assert max(s.n for s in bench) <= 20
    call_command("seed_demo", sessions=1000, bookings=20000, stdout=io.StringIO())
    assert counts() == after
