"""/training/ lists workshops, then networking events by date with their date and summary: the
same order on every partner, whatever order the pages were made in, with no query per row."""

import datetime
import re
import zoneinfo
from html import unescape

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import strip_tags

from courses.models import NetworkingEventPage
from tests.conftest import TW_HOST
from tests.factories import PartnerFactory, training_page_for

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2027, 6, 1, 12, 0, tzinfo=LONDON)


def event(partner, slug, starts_at, *, title=None, summary="", description="", minutes=90):
    page = training_page_for(partner, slug=slug, title=title or slug.replace("-", " ").capitalize(),
                             kind=NetworkingEventPage)  # fmt: skip
    page.starts_at, page.listing_summary, page.description, page.duration_minutes = (
        starts_at, summary, description, minutes
    )  # fmt: skip
    page.save_revision().publish()
    return page


def text_of(response) -> str:
    main = response.content.decode().split('id="main-content"', 1)[1].split("</main>", 1)[0]
    return " ".join(unescape(strip_tags(main)).split())


@pytest.fixture
def partner(db):
    return PartnerFactory()


def get_training(client, partner):
    cache.clear()  # the public page cache would answer a repeat request without rendering
    with time_machine.travel(NOW, tick=False):
        return client.get("/training/", HTTP_HOST=partner.site.hostname)


def test_events_show_their_date_and_summary_coming_ones_soonest_first(client, partner):
    event(partner, "late", datetime.datetime(2027, 6, 24, 18, 0, tzinfo=LONDON), title="Summer evening",
          description="<p>Meet the other Safe Havens &amp; the police.</p>")  # fmt: skip
    event(partner, "soon", datetime.datetime(2027, 6, 10, 9, 30, tzinfo=LONDON), title="Breakfast catch-up",
          summary="Coffee and a chat.")  # fmt: skip
    training_page_for(partner, slug="workshop", title="Safe Haven workshop")  # made last, listed first
    text = text_of(get_training(client, partner))
    assert text.index("Safe Haven workshop") < text.index("Networking events")
    assert (
        "Breakfast catch-up Thursday 10 June 2027 at 9:30am Online Coffee and a chat. "
        "Summer evening Thursday 24 June 2027 at 6pm Online Meet the other Safe Havens & the police."
    ) in text


def test_past_events_come_after_the_coming_ones_marked_past_latest_first(client, partner):
    event(partner, "long-ago", datetime.datetime(2027, 3, 4, 18, 0, tzinfo=LONDON), title="March meeting")
    event(partner, "coming", datetime.datetime(2027, 7, 1, 18, 0, tzinfo=LONDON), title="July meeting")
    event(partner, "recent", datetime.datetime(2027, 5, 6, 18, 0, tzinfo=LONDON), title="May meeting")
    # Started 30 minutes ago and runs for 90: still on, so still among the coming ones.
    event(partner, "running", NOW - datetime.timedelta(minutes=30), title="Lunch meeting")
    text = text_of(get_training(client, partner))
    coming, past = text.split("Past networking events")
    assert coming.index("Lunch meeting") < coming.index("July meeting")
    assert "March meeting" not in coming and "May meeting" not in coming
    assert "Past event May meeting Thursday 6 May 2027 at 6pm Past event March meeting Thursday 4 March 2027" in past


def test_only_past_events_says_new_ones_will_be_published(client, partner):
    event(partner, "old", datetime.datetime(2027, 3, 4, 18, 0, tzinfo=LONDON), title="March meeting")
    text = text_of(get_training(client, partner))
    assert "New networking events will be published here." in text
    assert "Past networking events Past event March meeting" in text


def test_an_event_without_a_date_says_so_after_the_dated_ones(client, partner):
    event(partner, "undated", None, title="Autumn social")
    event(partner, "dated", datetime.datetime(2027, 9, 2, 18, 0, tzinfo=LONDON), title="September social")
    text = text_of(get_training(client, partner))
    assert "September social Thursday 2 September 2027 at 6pm Online Autumn social Date to be confirmed" in text


def test_the_listing_costs_no_query_per_event(client, partner):
    training_page_for(partner, slug="workshop", title="Safe Haven workshop")
    event(partner, "e1", datetime.datetime(2027, 6, 10, 18, 0, tzinfo=LONDON))
    event(partner, "p1", datetime.datetime(2027, 3, 10, 18, 0, tzinfo=LONDON))

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert get_training(client, partner).status_code == 200
        return len(captured)

    few = queries()
    for n in range(2, 7):
        event(partner, f"e{n}", datetime.datetime(2027, 6, 10 + n, 18, 0, tzinfo=LONDON))
        event(partner, f"p{n}", datetime.datetime(2027, 3, 10 + n, 18, 0, tzinfo=LONDON))
    assert queries() == few


@pytest.mark.parametrize("host", ["localhost", TW_HOST])
def test_both_demo_partners_list_the_workshop_then_events_by_date(demo, client, host):
    # Tunbridge Wells' demo made its event before its workshop; Barking and Dagenham the other way round.
    cache.clear()
    with time_machine.travel(datetime.datetime(2027, 4, 1, 9, 0, tzinfo=LONDON), tick=False):
        text = text_of(client.get("/training/", HTTP_HOST=host))
    assert re.search(r"Workshops Safe Haven training \(90 minutes\).* Networking events .*2027 at \d", text)
    dates = re.findall(r"(\w+day \d+ \w+ 2027) at", text)
    parsed = [datetime.datetime.strptime(d, "%A %d %B %Y") for d in dates]
    assert dates and parsed == sorted(parsed)
