"""The visits panel on the admin home page, with frozen dates: visits due and overdue, refreshers
needed, and the outcomes of the last 12 months (a table, with bars for the eye)."""

import datetime
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certificates.models import Venue
from tests.factories import certify
from visits.dashboard import visits_summary

from .conftest import NOW, TODAY, record

pytestmark = pytest.mark.django_db


def shop(partner, name, *, created=None, visits=()):
    venue = certify(partner, organisation=name, holder_email=f"{name.split()[0].lower()}@example.org").venue
    if created:
        Venue.objects.filter(pk=venue.pk).update(created_at=created)
    for day, outcome in visits:
        record(venue, outcome=outcome, visited_on=day, today=TODAY)
    return venue


@pytest.fixture
def venues(partner, django_capture_on_commit_callbacks):
    d = datetime.date
    return {
        "new": shop(partner, "Arden News"),  # never visited, added today: due, not overdue
        "year": shop(partner, "Bell Bakery", visits=[(d(2026, 6, 1), "pass")]),  # due
        "long": shop(partner, "Cole Chemist", visits=[(d(2026, 3, 1), "pass")]),  # due and overdue
        "recent": shop(partner, "Dale Deli", visits=[(d(2027, 1, 10), "pass")]),  # not due
        "old_new": shop(partner, "Eden Library", created=NOW - datetime.timedelta(days=62)),  # never: overdue
        "failed": shop(partner, "Fern Florist", visits=[(d(2027, 5, 3), "advice"), (d(2027, 5, 20), "fail")]),
    }


def flat(text):
    return re.sub(r"\s+", " ", html.unescape(text))


@pytest.fixture
def panel(staff, venues):
    response = staff.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    start = response.text.index("Visitshire: spot checks and visits")
    return flat(response.text[start:])


def test_visits_due_and_overdue(panel, venues):
    assert "<strong>4</strong> venues due a visit" in panel
    assert "<strong>2</strong> overdue" in panel
    listed = re.findall(r"Record a visit<span class=\"w-sr-only\"> to ([^<]+)</span>", panel)
    assert listed == ["Eden Library", "Arden News", "Cole Chemist", "Bell Bakery"]  # never visited, then oldest
    assert f'href="/admin/visits/new/?venue={venues["long"].pk}"' in panel
    assert "Last visited 1 March 2026: <strong>overdue</strong>" in panel
    assert "Last visited 1 June 2026</span>" in panel
    assert "Dale Deli" not in panel.split("Refresher needed")[0]


def test_refreshers_needed_with_their_deadline(panel):
    assert "<strong>1</strong> refresher needed" in panel
    assert "Fern Florist" in panel and "Refresher needed by Wednesday 7 July 2027" in panel


def test_outcomes_of_the_last_12_months(panel):
    assert "3 visits: 1 pass, 1 advice given, 1 fail." in panel

    def row(month):
        found = re.search(rf'<abbr title="{month}">[^<]+</abbr></th> <td>(\d+)</td><td>(\d+)</td><td>(\d+)</td>', panel)
        return tuple(int(n) for n in found.groups()) if found else None

    assert row("January 2027") == (1, 0, 0)
    assert row("May 2027") == (0, 1, 1)
    assert row("June 2027") == (0, 0, 0)
    assert row("July 2026") == (0, 0, 0)  # the first of the 12 months
    assert row("June 2026") is None  # Bell Bakery's visit is 13 months ago
    # The busiest month's bar is full width, split between its outcomes.
    may = panel[panel.index('title="May 2027"') :].split("</tr>")[0]
    assert 'visits-bar--advice" style="width: 50.0%"' in may and 'visits-bar--fail" style="width: 50.0%"' in may


def test_the_visit_period_is_the_partners(staff, partner, venues):
    partner.visit_every_months = 24
    partner.save(update_fields=["visit_every_months"])
    text = flat(staff.get(reverse("wagtailadmin_home")).text)
    assert "<strong>2</strong> venues due a visit" in text  # only the two never visited


def test_another_councils_staff_see_none_of_it(other_staff, other_partner, venues):
    text = flat(other_staff.get(reverse("wagtailadmin_home")).text)
    assert "Otherford: spot checks and visits" in text
    assert "Visitshire" not in text and "Fern Florist" not in text


def test_query_count_does_not_grow_with_venues_or_visits(partner, venues):
    with CaptureQueriesContext(connection) as few:
        visits_summary(partner, today=TODAY)
    for n in range(6):
        shop(partner, f"Grove Shop {n}", visits=[(datetime.date(2027, 2, n + 1), "pass")])
    with CaptureQueriesContext(connection) as many:
        visits_summary(partner, today=TODAY)
    assert len(many) == len(few)
