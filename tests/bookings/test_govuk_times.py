"""One time format everywhere: "Thursday 24 June 2027", "10am", "11:30am", "10am to 11:30am".

The unit tests pin the rules of `cms.formats` and its template filters on the partner's clock
(British Summer Time and Greenwich Mean Time either side of a change). The scan further down renders
what the public reads (pages and emails) and fails on any other way of writing a time.
"""

import datetime
import zoneinfo

import pytest
from django.template import Context, Template
from django.utils import timezone

from cms import formats

LONDON = zoneinfo.ZoneInfo("Europe/London")
UTC = datetime.UTC


def at(*args, tz=UTC):
    return datetime.datetime(*args, tzinfo=tz)


@pytest.mark.parametrize(
    "value,expected",
    [
        (at(2027, 6, 24, 9, 0), "10am"),  # 09:00 UTC is 10am in London summer time
        (at(2027, 6, 24, 10, 30), "11:30am"),
        (at(2027, 6, 24, 11, 0), "12pm"),  # midday
        (at(2027, 6, 23, 23, 0), "12am"),  # midnight
        (at(2027, 6, 24, 12, 5), "1:05pm"),
        (at(2027, 1, 14, 10, 0), "10am"),  # winter: GMT = UTC
        (datetime.time(17, 30), "5:30pm"),  # a wall-clock time (opening hours) as it is
        (datetime.time(0, 0), "12am"),
    ],
)
def test_govuk_time(value, expected):
    assert formats.govuk_time(value, LONDON) == expected


def test_dates_on_the_partners_clock_across_the_clock_changes():
    # 23:30 UTC on Saturday 27 March 2027 is 23:30 GMT (the clocks go forward at 1am on the 28th) ...
    assert formats.govuk_date(at(2027, 3, 27, 23, 30), LONDON) == "Saturday 27 March 2027"
    # ... but 23:30 UTC on Saturday 30 October 2027 is already 00:30 BST on Sunday 31 October.
    assert formats.govuk_datetime(at(2027, 10, 30, 23, 30), LONDON) == "Sunday 31 October 2027 at 12:30am"
    # After the change back, UTC and London agree again.
    assert formats.govuk_datetime(at(2027, 10, 31, 23, 30), LONDON) == "Sunday 31 October 2027 at 11:30pm"
    # Another partner's zone gives another day.
    assert formats.govuk_date(at(2027, 6, 24, 23, 30), zoneinfo.ZoneInfo("Europe/Dublin")) == "Friday 25 June 2027"


def test_date_styles():
    day = datetime.date(2027, 6, 24)
    assert formats.govuk_date(day) == "Thursday 24 June 2027"
    assert formats.govuk_date(day, weekday=False) == "24 June 2027"
    assert formats.short_date(day) == "24 Jun 2027"
    assert formats.govuk_date(datetime.date(2027, 6, 4)) == "Friday 4 June 2027"  # no leading zero
    assert formats.short_datetime(at(2027, 6, 24, 13, 0), LONDON) == "24 Jun 2027, 2pm"


def test_range_and_relative_day():
    starts, ends = at(2027, 6, 24, 9, 0), at(2027, 6, 24, 10, 30)
    assert formats.govuk_time_range(starts, ends, LONDON) == "10am to 11:30am"
    now = at(2027, 6, 23, 20, 0)
    assert formats.when_from_now(starts, now=now, tz=LONDON) == "tomorrow at 10am"
    assert formats.when_from_now(starts, now=now - datetime.timedelta(days=2), tz=LONDON) == (
        "on Thursday 24 June 2027 at 10am"
    )


def render(source, **context):
    return Template("{% load govuk_dates %}" + source).render(Context(context))


def test_filters_use_the_current_time_zone():
    starts, ends = at(2027, 6, 24, 9, 0), at(2027, 6, 24, 10, 30)
    source = (
        "{{ s|govuk_date }}|{{ s|govuk_date:'no_weekday' }}|{{ s|govuk_date:'short' }}|{{ s|govuk_time }}|"
        "{{ s|govuk_time_range:e }}|{{ s|govuk_datetime }}|{{ s|govuk_datetime:'short' }}"
    )
    with timezone.override(LONDON):
        assert render(source, s=starts, e=ends) == (
            "Thursday 24 June 2027|24 June 2027|24 Jun 2027|10am|10am to 11:30am|"
            "Thursday 24 June 2027 at 10am|24 Jun 2027, 10am"
        )
    with timezone.override(zoneinfo.ZoneInfo("America/New_York")):
        assert render("{{ s|govuk_datetime }}", s=starts) == "Thursday 24 June 2027 at 5am"


def test_filters_leave_missing_values_empty():
    source = "[{{ s|govuk_date }}{{ s|govuk_time }}{{ s|govuk_datetime }}{{ s|govuk_time_range:s }}]"
    assert render(source, s=None) == "[]"
