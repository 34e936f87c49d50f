"""The register's rows are built once per content change (certificates/cards.py) and its order
once per change and day (`listed_ids`); what depends on the clock is still judged per request."""

import datetime
import json
import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from certificates.models import Venue
from certificates.services import suspend_venue
from cms import content_version as versions
from cms.models import Area
from tests.factories import PartnerFactory, certify

from .test_register import LONDON

pytestmark = pytest.mark.django_db


def without_nonce(text: str) -> str:
    return re.sub(r'nonce="[^"]+"', "", text)


def venue_queries(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if "certificates_" in q["sql"] or "cms_area" in q["sql"]]


@pytest.fixture
def partner(clock):
    partner = PartnerFactory()
    certify(partner, organisation="Day Café", hours=((0, 1, 2, 3, 4), "09:00", "17:00"))
    certify(partner, organisation="Night Bar", holder_email="n@example.org", hours=((0,), "20:00", "02:00"))
    return partner


def test_a_second_view_reads_no_venue_and_says_the_same(client, partner):
    host = partner.site.hostname
    first = client.get("/safe-havens/", HTTP_HOST=host)
    with CaptureQueriesContext(connection) as captured:
        again = client.get("/safe-havens/", HTTP_HOST=host)
    assert venue_queries(captured) == []
    assert without_nonce(again.text) == without_nonce(first.text)
    assert "2 Safe Havens" in again.text and "Day Café" in again.text and "Night Bar" in again.text


def test_open_now_follows_the_clock_with_the_rows_kept(client, partner, clock):
    host = partner.site.hostname

    def tags():
        text = client.get("/safe-havens/", HTTP_HOST=host).text
        return text.count("Open now</strong>"), text.count("Closed now</strong>")

    assert tags() == (1, 1)  # Monday 10:00: the café is open, the bar is not
    clock.move_to(datetime.datetime(2027, 6, 7, 21, 0, tzinfo=LONDON))
    assert tags() == (1, 1)  # Monday 21:00: the bar now, not the café
    clock.move_to(datetime.datetime(2027, 6, 8, 1, 30, tzinfo=LONDON))
    assert tags() == (1, 1)  # Tuesday 01:30: the bar's Monday night runs past midnight
    clock.move_to(datetime.datetime(2027, 6, 8, 3, 0, tzinfo=LONDON))
    assert tags() == (0, 2)
    text = client.get("/safe-havens/", HTTP_HOST=host).text
    assert text.index("Day Café") < text.index("Night Bar")


def test_a_change_shows_at_once(client, partner):
    host = partner.site.hostname
    client.get("/safe-havens/", HTTP_HOST=host)
    venue = Venue.objects.get(partner=partner, name="Day Café")
    venue.name = "Dayside Café"
    venue.save()
    text = client.get("/safe-havens/", HTTP_HOST=host).text
    assert "Dayside Café" in text and "Day Café" not in text
    # A write that sends no save signal (a suspension is an .update()) moves the version too.
    suspend_venue(venue=venue, reason="Complaint under review", actor=None)
    text = client.get("/safe-havens/", HTTP_HOST=host).text
    assert "1 Safe Haven" in text and "Dayside Café" not in text
    Area.objects.create(partner=partner, name="Riverside", slug="riverside")
    assert '<option value="riverside">Riverside</option>' in client.get("/safe-havens/", HTTP_HOST=host).text


def test_a_new_day_reads_the_order_again(client, partner, clock):
    """Accreditations lapse at midnight without any write: the order is kept for one day."""
    host = partner.site.hostname
    assert "2 Safe Havens" in client.get("/safe-havens/", HTTP_HOST=host).text
    Venue.objects.filter(name="Night Bar").update(accredited_until=datetime.date(2027, 6, 7))  # no signal
    assert "2 Safe Havens" in client.get("/safe-havens/", HTTP_HOST=host).text  # still listed today
    clock.move_to(datetime.datetime(2027, 6, 8, 0, 5, tzinfo=LONDON))  # well within a day of keeping
    assert "1 Safe Haven" in client.get("/safe-havens/", HTTP_HOST=host).text


def test_with_nothing_kept_every_view_builds_the_rows(client, partner, settings):
    """RENDERED_ONCE_SECONDS=0 (how `make bench` measures cold costs) neither keeps nor reads."""
    host = partner.site.hostname
    client.get("/safe-havens/", HTTP_HOST=host)  # kept, as by default
    settings.RENDERED_ONCE_SECONDS = 0
    with CaptureQueriesContext(connection) as captured:
        text = client.get("/safe-havens/", HTTP_HOST=host).text
    assert "Day Café" in text and any("certificates_venuehelp" in sql for sql in venue_queries(captured))


@pytest.mark.django_db(transaction=True)
def test_the_version_moves_again_when_the_change_commits():
    """Another server reading between a write and its commit would keep what it read under the new
    version; the second move retires that. One move on commit however many writes there were."""
    partner = PartnerFactory()
    with transaction.atomic():
        before = versions.content_version()
        area = Area.objects.create(partner=partner, name="Riverside", slug="riverside")
        area.name = "Riverside and Thames View"
        area.save()
        during = versions.content_version()
        assert during == before + 2  # each write is seen at once by this request
    assert versions.content_version() == during + 1


def test_the_map_data_is_kept_escaped_and_reads_back(client, clock):
    partner = PartnerFactory()
    venue = certify(partner, organisation="Tom and Jerry's", latitude=51.54, longitude=0.08).venue
    # Forms strip tags from names; whatever a name holds, the map's data cannot end its <script>.
    venue.name = "Tom & Jerry's </script><b>Café"
    venue.save()
    text = client.get("/safe-havens/", HTTP_HOST=partner.site.hostname).text
    data = re.search(r'<script id="register-map-data" type="application/json">(.*?)</script>', text, re.S)[1]
    assert "</script>" not in data and "<b>" not in data and "\\u003C/script\\u003E" in data
    (feature,) = json.loads(data)["features"]
    assert feature["properties"]["name"] == "Tom & Jerry's </script><b>Café"
    assert feature["geometry"]["coordinates"] == [0.08, 51.54]
