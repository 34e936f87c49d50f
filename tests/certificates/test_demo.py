import os

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.volume import create_benchmark_venues
from certificates.models import Certificate, Venue

pytestmark = pytest.mark.django_db


def test_demo_has_accredited_lapsed_and_suspended_venues(barking, tunbridge_wells):
    today = timezone.localdate()
    listed = Venue.objects.listed(today=today)
    assert listed.filter(partner=barking).count() == 9
    assert listed.filter(partner=tunbridge_wells).count() == 4
    lapsed = Venue.objects.get(partner=barking, name="Station Parade Newsagent")
    assert lapsed.accredited_until is None and not lapsed.is_accredited()
    assert lapsed.certificates.get().status == Certificate.Status.EXPIRED
    suspended = Venue.objects.get(partner=barking, name="Heathway Grill")
    assert suspended.suspended and suspended.suspended_reason
    assert suspended.accredited_until and not suspended.is_accredited()
    areas = set(listed.filter(partner=barking).values_list("area__name", flat=True))
    assert areas == {"Barking Town Centre", "Dagenham Heathway", "Parks"}
    assert listed.filter(latitude__isnull=True).count() == 0


def test_seed_demo_is_idempotent_and_adds_benchmark_venues_in_bulk(barking):
    devnull = open(os.devnull, "w")  # noqa: SIM115
    before = (Venue.objects.count(), Certificate.objects.count())
    call_command("seed_demo", stdout=devnull)
    assert (Venue.objects.count(), Certificate.objects.count()) == before

    call_command("seed_demo", venues=300, stdout=devnull)
    assert Venue.objects.filter(slug__startswith="benchmark-venue-").count() == 300
    call_command("seed_demo", venues=300, stdout=devnull)
    assert Venue.objects.filter(slug__startswith="benchmark-venue-").count() == 300
    assert Venue.objects.listed(today=timezone.localdate()).filter(partner=barking).count() == 309


def test_benchmark_venues_are_written_in_a_fixed_number_of_queries(barking):
    """Up to 800 venues (batches of 1000 venues, 5000 opening hours) in the same handful of INSERTs."""
    today = timezone.localdate()
    create_benchmark_venues(partner=barking, count=1, today=today, start=0)  # caches the partner's site
    with CaptureQueriesContext(connection) as few:
        create_benchmark_venues(partner=barking, count=4, today=today, start=1)
    with CaptureQueriesContext(connection) as many:
        create_benchmark_venues(partner=barking, count=800, today=today, start=5)
    if connection.vendor == "postgresql":  # SQLite splits every bulk INSERT at 999 parameters
        assert len(many.captured_queries) == len(few.captured_queries)
    venue = Venue.objects.get(slug="benchmark-venue-804")
    assert venue.is_accredited() and venue.help_offered and venue.opening_hours.count() == 6
    assert venue.area is not None
