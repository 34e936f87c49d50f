"""What staff see about annual renewal: the venue list and edit page, the export's status, and the
dashboard's renewals due in 30 days or overdue."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape, strip_tags

from certificates.exports import accreditation_label, renewal_label
from certificates.models import Certificate, Venue
from certificates.services import suspend_venue
from tests.conftest import MONDAY_MORNING
from tests.factories import PartnerFactory, certify, coordinator_of

pytestmark = pytest.mark.django_db

TODAY = MONDAY_MORNING.date()  # Monday 7 June 2027


def days(n):
    return TODAY + datetime.timedelta(days=n)


def venue_due(partner, name, due, **kwargs):
    venue = certify(partner, organisation=name, **kwargs).venue
    Venue.objects.filter(pk=venue.pk).update(renewal_due_on=due)
    return Venue.objects.get(pk=venue.pk)


@pytest.fixture
def partner(clock):
    return PartnerFactory(name="Renewborough", host="renew.localhost")


@pytest.fixture
def venues(partner):
    made = {
        "overdue": venue_due(partner, "Overdue Books", days(-3)),
        "due_soon": venue_due(partner, "Soon Cafe", days(10)),
        "due_today": venue_due(partner, "Today Library", TODAY),
        "due_later": venue_due(partner, "Later Pub", days(31)),
    }
    made["suspended"] = venue_due(partner, "Suspended Shop", days(5))
    suspend_venue(venue=made["suspended"], reason="x", actor=None)
    made["lapsed"] = venue_due(partner, "Lapsed Bakery", days(-3))
    Certificate.objects.filter(venue=made["lapsed"]).update(expires_on=days(-1))
    Venue.objects.filter(pk=made["lapsed"].pk).update(accredited_until=days(-1))
    return made


@pytest.fixture
def staff(client, partner):
    client.force_login(coordinator_of(partner))
    return client


def text_of(response) -> str:
    return re.sub(r"\s+", " ", strip_tags(response.text))


def test_status_says_renewal_overdue_only_when_that_is_the_reason(venues):
    refreshed = {key: Venue.objects.get(pk=venue.pk) for key, venue in venues.items()}
    assert accreditation_label(refreshed["overdue"], TODAY) == "Renewal overdue"
    assert accreditation_label(refreshed["due_soon"], TODAY) == "Accredited"
    assert accreditation_label(refreshed["due_today"], TODAY) == "Accredited"
    assert accreditation_label(refreshed["suspended"], TODAY) == "Suspended"
    assert accreditation_label(refreshed["lapsed"], TODAY) == "Not accredited"  # the certificate, not the renewal


def test_renewal_label(venues):
    assert renewal_label(venues["overdue"], TODAY) == "Renewal overdue"
    assert renewal_label(venues["due_soon"], TODAY) == "Renewal due 17 Jun 2027"
    assert renewal_label(Venue(renewal_due_on=None), TODAY) == ""


def test_venue_list_shows_renewal_due_and_overdue(staff, venues):
    text = text_of(staff.get(reverse("safe_haven_venues:index")))
    assert "Renewal due 17 Jun 2027" in text
    assert "Renewal due 8 Jul 2027" in text
    assert "Renewal overdue" in text


def test_venue_list_filters_renewals_due(staff, venues):
    text = text_of(staff.get(reverse("safe_haven_venues:index") + "?renewal=due"))
    for shown in ("Overdue Books", "Soon Cafe", "Today Library"):
        assert shown in text
    for hidden in ("Later Pub", "Suspended Shop", "Lapsed Bakery"):
        assert hidden not in text
    overdue_only = text_of(staff.get(reverse("safe_haven_venues:index") + "?renewal=overdue"))
    assert "Overdue Books" in overdue_only and "Soon Cafe" not in overdue_only


def test_edit_page_shows_the_renewal(staff, venues):
    overdue = text_of(staff.get(reverse("safe_haven_venues:edit", args=[venues["overdue"].pk])))
    assert "Renewal overdue: it was due 4 Jun 2027" in overdue
    assert "off the public register" in overdue
    soon = text_of(staff.get(reverse("safe_haven_venues:edit", args=[venues["due_soon"].pk])))
    assert "Renewal due 17 Jun 2027" in soon


def test_dashboard_lists_renewals_due_in_30_days_and_overdue(staff, partner, venues):
    other = PartnerFactory(name="Elsewhere", host="elsewhere.localhost")
    venue_due(other, "Elsewhere Overdue Shop", days(-3))
    home = staff.get(reverse("wagtailadmin_home")).text
    assert '<strong class="staff-dashboard__count">3</strong> Renewals due in the next 30 days or overdue' in home
    block = home.split("Renewals due in the next 30 days or overdue", 1)[1].split("staff-dashboard__todo", 1)[0]
    edit = lambda venue: reverse("safe_haven_venues:edit", args=[venue.pk])  # noqa: E731
    assert f'<a href="{edit(venues["overdue"])}">Overdue Books, RM10 8RB</a>' in block
    assert "Renewal overdue: it was due 4 Jun 2027" in block
    assert f'<a href="{edit(venues["due_soon"])}">Soon Cafe, RM10 8RB</a>' in block
    assert "Renewal due 17 Jun 2027" in block
    assert block.index("Overdue Books") < block.index("Today Library") < block.index("Soon Cafe")
    for left_out in ("Later Pub", "Suspended Shop", "Lapsed Bakery", "Elsewhere Overdue Shop"):
        assert left_out not in block
    assert escape(reverse("safe_haven_venues:index") + "?renewal=due") in block


def test_dashboard_with_nothing_due_says_so(staff, partner):
    venue_due(partner, "Later Pub", days(31))
    home = text_of(staff.get(reverse("wagtailadmin_home")))
    assert "No renewal is due in the next 30 days and none is overdue." in home


def test_dashboard_renewals_cost_the_same_queries_for_many_rows(staff, partner):
    def count():
        staff.get(reverse("wagtailadmin_home"))
        with CaptureQueriesContext(connection) as queries:
            staff.get(reverse("wagtailadmin_home"))
        return len(queries)

    for n in range(2):
        venue_due(partner, f"Few {n}", days(n), postcode=f"RM10 8A{n}")
    few = count()
    for n in range(8):
        venue_due(partner, f"Many {n}", days(n), postcode=f"RM10 9A{n}")
    assert count() == few
