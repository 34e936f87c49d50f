"""Coordinators see counts of their own council's help log (dashboard) and export its rows; another
council's rows never reach them. The log appears on no public page."""

import csv
import datetime
import html
import io
import re

import pytest
from django.test import Client

from cms.models import Area
from helplog.models import Via
from helplog.selectors import help_summary
from helplog.services import record_help
from tests.factories import UserFactory, certify, editor_of

from .conftest import HOST, TODAY

pytestmark = pytest.mark.django_db


def days_ago(days):
    return TODAY - datetime.timedelta(days=days)


def put(venue, day, kinds, *, band="evening", note="", services=()):
    """A row as if recorded on `day` (the service itself allows 31 days back only)."""
    return record_help(venue=venue, day=day, time_band=band, kinds=kinds, signposted_to=services, note=note,
                       via=Via.ACCOUNT, today=day)  # fmt: skip


@pytest.fixture
def logged(partner, other_partner, venue, other_venue, far_venue, services):
    put(venue, TODAY, ["let_in", "safe_space"], note="Stayed until their friend arrived.")
    put(venue, days_ago(20), ["called_999"], band="night")  # 28 October 2027
    put(other_venue, days_ago(40), ["phone_charging"], services=[services["ours"]])  # 8 October 2027
    put(venue, datetime.date(2026, 12, 1), ["directions"])  # the oldest month on the chart
    put(venue, datetime.date(2026, 11, 30), ["directions"])  # a month too old for the chart
    beta_area = Area.objects.create(partner=other_partner, name="Elsewhere Docks", slug="docks")
    far = certify(other_partner, organisation="Docks Pub", venue_type="pub", holder_email="x@example.org",
                  area=beta_area).venue  # fmt: skip
    put(far, TODAY, ["called_101"], note="Elsewhere secret note")
    put(far_venue, days_ago(3), ["called_101"])


def admin(user):
    client = Client()
    client.force_login(user)
    return client


def rows(table):
    return {row["label"]: row["count"] for row in table["rows"]}


def test_the_figures_by_month_kind_area_and_venue_type(partner, logged):
    summary = help_summary(partner, today=TODAY)
    assert summary["total"] == 4 and summary["since"] == datetime.date(2026, 12, 1)
    month, kind, area, venue_type = summary["tables"]
    assert [row["label"] for row in month["rows"]][0] == "December 2026"
    assert [row["label"] for row in month["rows"]][-1] == "November 2027"
    assert rows(month) == {
        "December 2026": 1, "January 2027": 0, "February 2027": 0, "March 2027": 0, "April 2027": 0, "May 2027": 0,
        "June 2027": 0, "July 2027": 0, "August 2027": 0, "September 2027": 0, "October 2027": 2, "November 2027": 1,
    }  # fmt: skip
    assert rows(kind) == {
        "Let them in": 1, "A safe, calm space": 1, "Called 999": 1, "Called 101": 0,
        "Called a friend, family or a taxi": 0, "Phone charging": 1, "Directions or transport": 1,
        "Signposted to a specialist service": 1,
    }  # fmt: skip
    assert rows(area) == {"Town centre": 3, "No area": 1}
    assert rows(venue_type) == {"Shop": 3, "Café": 1}
    # The bars: the largest is full width, the rest in proportion, none for zero.
    assert [row["percent"] for row in month["rows"]][-3:] == [0, 100, 50]


def test_the_dashboard_panel_shows_the_coordinators_council_only(coordinator, other_coordinator, logged):
    page = html.unescape(admin(coordinator).get("/admin/").content.decode())
    assert "Helpton: help given by Safe Havens" in page
    assert "occasions of help recorded by venues since 1 December 2026" in page
    assert "Town centre" in page and "Export help given (CSV)" in page
    assert "Elsewhere" not in page and "Docks" not in page

    theirs = html.unescape(admin(other_coordinator).get("/admin/").content.decode())
    assert "Elsewhere: help given by Safe Havens" in theirs and "Elsewhere Docks" in theirs
    assert "Helpton" not in theirs and "Town centre" not in theirs


def export(client, file_format="csv"):
    response = client.get("/admin/help-given/export/", {"format": file_format})
    assert response.status_code == 200, response.status_code
    return response


def test_the_export_is_the_councils_rows_by_month_without_the_day(coordinator, other_coordinator, logged):
    response = export(admin(coordinator))
    assert response["Content-Type"].startswith("text/csv") and "no-store" in response["Cache-Control"]
    header, *lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header == ["Council", "Month", "Time of day", "Venue", "Venue type", "Area", "Help given",
                      "Signposted to", "Note", "Recorded from"]  # fmt: skip
    assert len(lines) == 5 and {line[0] for line in lines} == {"Helpton"}
    assert lines[0][:6] == ["Helpton", "2026-11", "Evening (6pm to midnight)", "Heathway Books", "Shop", "Town centre"]
    assert lines[-1] == [
        "Helpton", "2027-11", "Evening (6pm to midnight)", "Heathway Books", "Shop", "Town centre",
        "Let them in; A safe, calm space", "", "Stayed until their friend arrived.", "Venue account",
    ]  # fmt: skip
    cafe = [line for line in lines if line[3] == "Corner Café"][0]
    assert cafe[6:8] == ["Phone charging; Signposted to a specialist service", "Helpton Crisis Line"]
    text = response.content.decode("utf-8-sig")
    assert "Elsewhere" not in text and "Docks" not in text
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)  # no row gives the day

    theirs = export(admin(other_coordinator)).content.decode("utf-8-sig")
    assert "Elsewhere secret note" in theirs and "Heathway" not in theirs and "Helpton" not in theirs


def test_the_export_is_logged_and_offers_xlsx(coordinator, partner, logged):
    from wagtail.models import ModelLogEntry

    response = export(admin(coordinator), "xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    entry = ModelLogEntry.objects.get(action="cms.export")
    assert entry.object_id == str(partner.pk) and entry.data["what"] == "Help given" and entry.data["rows"] == 5


def test_people_who_coordinate_no_council_get_no_panel_and_no_export(partner, logged):
    for user in (UserFactory(), editor_of(partner)):
        client = admin(user)
        response = client.get("/admin/help-given/export/", {"format": "csv"})
        assert response.status_code in (302, 403)
        assert b"Heathway" not in response.content
        home = client.get("/admin/", follow=True).content.decode()
        assert "help given by Safe Havens" not in home


def test_the_log_is_on_no_public_page(client, venue, logged):
    for path in ("/safe-havens/", "/safe-havens.geojson", f"/safe-havens/{venue.slug}/"):
        response = client.get(path, HTTP_HOST=HOST, follow=True)
        body = response.content.decode()
        assert "Stayed until their friend arrived" not in body and "Called 999" not in body, path


def test_the_figures_take_as_many_queries_for_many_rows_as_for_one(partner, venue, other_venue):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            help_summary(partner, today=TODAY)
        return len(captured)

    put(venue, TODAY, ["let_in"])
    one = queries()
    for days in range(1, 30):
        put(other_venue if days % 2 else venue, days_ago(days), ["let_in", "called_101"])
    assert queries() == one == 4
