"""Pages that list sessions run a fixed number of queries, however many sessions there are."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bookings import services
from tests.factories import attendee, session_for

from .conftest import HOST

pytestmark = pytest.mark.django_db


def add_sessions(partner, course, count, offset=0):
    start = timezone.now().replace(microsecond=0) + timedelta(days=10)
    for n in range(offset, offset + count):
        session = session_for(partner, page=course, capacity=3, starts_at=start + timedelta(days=n))
        # Some places taken and a waiting list, so per-session counts would show up as extra queries.
        for k in range(n % 5):
            services.book_place(session=session, attendee=attendee(k, email=f"p{n}-{k}@example.org"))


def queries_for(client, url):
    client.get(url, HTTP_HOST=HOST)  # warm Wagtail's site and page caches first
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, HTTP_HOST=HOST)
    assert response.status_code == 200
    return len(captured.captured_queries), response


@pytest.mark.parametrize("url", ["course", "/bookings/calendar.ics"])
def test_same_queries_for_two_and_fifty_sessions(client, partner, course, url):
    url = course.url if url == "course" else url
    add_sessions(partner, course, 2)
    with_two, response = queries_for(client, url)
    add_sessions(partner, course, 48, offset=2)
    with_fifty, response = queries_for(client, url)
    assert with_two == with_fifty
    marker = "/book/" if url == course.url else "BEGIN:VEVENT"
    assert response.content.decode().count(marker) == 50
