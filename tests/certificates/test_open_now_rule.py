"""`open_during` (Python, for the register's cards) and `open_at` (SQL, for the "Open now" filter
and venue pages) are one rule: they must agree at every quarter hour of a week."""

import datetime

import pytest

from certificates.models import OpeningHours, Venue
from certificates.selectors import open_at, open_during
from tests.factories import PartnerFactory, certify

from .test_register import LONDON

T = datetime.time
HOURS = {
    "weekdays nine to half five": [(d, T(9), T(17, 30)) for d in range(5)],
    "two periods a day": [(d, T(8), T(12)) for d in range(7)] + [(d, T(13, 30), T(22)) for d in range(7)],
    "Friday night past midnight": [(4, T(18), T(1))],
    "Sunday night into Monday": [(6, T(20), T(2, 30))],
    "round the clock on Saturday": [(5, T(0), T(0))],
    "a period ending at midnight": [(2, T(15), T(0))],
    "none": [],
}


@pytest.mark.django_db
def test_python_and_sql_agree_at_every_quarter_hour_of_a_week():
    partner = PartnerFactory()
    venues = {}
    for n, (label, periods) in enumerate(HOURS.items()):
        venue = certify(partner, organisation=f"Venue {n}", holder_email=f"v{n}@example.org", hours=None).venue
        OpeningHours.objects.bulk_create(
            [OpeningHours(venue=venue, weekday=d, opens=opens, closes=closes) for d, opens, closes in periods]
        )
        venues[venue.pk] = label
    monday = datetime.datetime(2027, 6, 7, 0, 0, tzinfo=LONDON)
    checked = disagreements = 0
    for quarter in range(7 * 24 * 4 + 1):
        # A second past each quarter hour as well as on it: the edges are where rules part.
        for moment in (
            monday + datetime.timedelta(minutes=15 * quarter),
            monday + datetime.timedelta(minutes=15 * quarter, seconds=1),
        ):
            in_sql = set(Venue.objects.filter(pk__in=venues).filter(open_at(moment)).values_list("pk", flat=True))
            for pk, label in venues.items():
                in_python = open_during(HOURS[label], moment)
                checked += 1
                if in_python != (pk in in_sql):
                    disagreements += 1
                    assert in_python == (pk in in_sql), f"{label} at {moment:%A %H:%M:%S}: Python {in_python}"
    assert checked == 2 * (7 * 24 * 4 + 1) * len(HOURS) and not disagreements


@pytest.mark.parametrize(
    ("label", "moment", "expected"),
    [
        ("weekdays nine to half five", datetime.datetime(2027, 6, 7, 9, 0), True),  # Monday, opening minute
        ("weekdays nine to half five", datetime.datetime(2027, 6, 7, 17, 30), False),  # closing minute
        ("weekdays nine to half five", datetime.datetime(2027, 6, 12, 12, 0), False),  # Saturday
        ("Friday night past midnight", datetime.datetime(2027, 6, 12, 0, 30), True),  # Saturday 00:30
        ("Friday night past midnight", datetime.datetime(2027, 6, 12, 1, 0), False),
        ("Sunday night into Monday", datetime.datetime(2027, 6, 7, 2, 0), True),  # the week wraps
        ("round the clock on Saturday", datetime.datetime(2027, 6, 12, 23, 59), True),  # Saturday night
        ("round the clock on Saturday", datetime.datetime(2027, 6, 13, 0, 0), False),  # Sunday begins
    ],
)
def test_open_during_by_example(label, moment, expected):
    assert open_during(HOURS[label], moment.replace(tzinfo=LONDON)) is expected
