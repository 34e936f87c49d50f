"""Dates in staff listings read as dates, on the partner's clock."""

import datetime

import pytest
from django.urls import reverse

from cms.admin_columns import when

NOW = datetime.datetime(2026, 12, 1, 15, 0, tzinfo=datetime.UTC)
SUMMER = datetime.datetime(2027, 6, 7, 9, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    "value,expected",
    [
        (datetime.date(2027, 12, 1), "1 Dec 2027"),  # a year ahead: a date, never "Just now"
        (NOW + datetime.timedelta(hours=3), "1 Dec 2026, 6pm"),
        (NOW - datetime.timedelta(minutes=5), "1 Dec 2026, 2:55pm (5 minutes ago)"),  # not "20 hours ago"
        (NOW - datetime.timedelta(seconds=20), "1 Dec 2026, 2:59pm (just now)"),
        (NOW - datetime.timedelta(days=3, hours=2), "28 Nov 2026, 1pm (3 days ago)"),
        (datetime.datetime(2025, 3, 4, 12, 0, tzinfo=datetime.UTC), "4 Mar 2025, 12pm"),  # long ago: just the date
        (datetime.date(2026, 12, 1), "1 Dec 2026 (today)"),
        (SUMMER, "7 Jun 2027, 10am"),  # London summer time, not UTC
    ],
)
def test_when_reads_as_a_date(value, expected):
    assert when(value, now=NOW) == expected


@pytest.mark.django_db
def test_certificate_list_shows_expiry_as_a_date(client, barking):
    from tests.factories import certify, coordinator_of

    certificate = certify(barking)
    client.force_login(coordinator_of(barking))
    page = client.get(reverse("safe_haven_certificates:index")).text
    expires = certificate.expires_on
    assert f'<time datetime="{expires.isoformat()}">{expires.day} {expires:%b %Y}</time>' in page
    assert "Just now" not in page
