"""Each staff list costs the same number of queries for 10 rows as for 100."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bookings.models import Booking
from certificates.models import Certificate, Venue
from cms.models import InterestSubmission
from tests.factories import session_for

pytestmark = pytest.mark.django_db


def add_rows(programme, n, start):
    partner = programme["partner"]
    for i in range(start, start + n):
        session = session_for(partner, page=programme["course"], capacity=5,
                              starts_at=timezone.now() + timezone.timedelta(days=10, hours=i))  # fmt: skip
        Booking.objects.create(session=session, partner=partner, name=f"Bulk {i}", email=f"bulk{i}@example.org",
                               organisation="Bulk", venue_type="shop", postcode="RM10 8AB", status="confirmed",
                               token_hash=f"{i:064d}")  # fmt: skip
        venue = Venue.objects.create(partner=partner, name=f"Bulk venue {i}", slug=f"bulk-{i}",
                                     match_name=f"bulk venue {i}", postcode="RM10 8AB")  # fmt: skip
        Certificate.objects.create(partner=partner, course_page=programme["course"], holder_name=f"Bulk {i}",
                                   holder_email=f"bulk{i}@example.org", venue=venue, issued_on=timezone.localdate(),
                                   expires_on=timezone.localdate(), completion_key=f"bulk:{i}")  # fmt: skip
        InterestSubmission.objects.create(page=partner.site.root_page, partner=partner, form_data={"name": f"B{i}"})


LISTS = ["staff_sessions:index", "staff_bookings:index", "safe_haven_venues:index", "safe_haven_certificates:index",
         "staff_interest:index", "wagtailadmin_home"]  # fmt: skip


@pytest.mark.parametrize("name", LISTS)
def test_list_queries_do_not_grow_with_rows(staff_client, alpha, name):
    def count():
        # Steady state: saving rows retires the cached partner and menu, so warm them again first.
        staff_client.get(reverse(name))
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(reverse(name)).status_code == 200
        return len(queries)

    add_rows(alpha, 8, 0)
    small = count()
    add_rows(alpha, 90, 100)
    assert count() == small
