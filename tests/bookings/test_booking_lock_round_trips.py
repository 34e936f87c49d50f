"""Every booking for a session queues on its locked row, so the locked transaction holds only what
it must: the lock, the count, the booking and its audit entry — no other round trip."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from bookings import services
from bookings.models import Booking
from tests.factories import attendee, coordinator_of, session_for

pytestmark = pytest.mark.django_db


def statements(captured) -> list[str]:
    skipped = ("SAVEPOINT", "RELEASE SAVEPOINT", "BEGIN", "COMMIT")
    return [q["sql"] for q in captured if not q["sql"].startswith(skipped)]


def test_a_booking_is_four_statements_under_the_lock(partner, course):
    session = session_for(partner, page=course, capacity=5)
    services.book_place(session=session, attendee=attendee(0))  # content types read once per process
    with CaptureQueriesContext(connection) as captured:
        result = services.book_place_for_partner(session_id=session.pk, partner=partner, attendee=attendee(1))
    sql = statements(captured.captured_queries)
    assert result.created and result.booking.status == Booking.Status.CONFIRMED
    assert len(sql) == 4, sql
    assert "FOR UPDATE" in sql[0] and "COUNT(*)" in sql[1]
    # The page's title is all the session's name needs under the lock, not the whole page row.
    assert '"wagtailcore_page"."title"' in sql[0] and '"wagtailcore_page"."path"' not in sql[0]
    assert sql[2].startswith('INSERT INTO "bookings_booking"')
    assert sql[3].startswith('INSERT INTO "wagtailcore_modellogentry"')


def test_the_audit_entry_is_the_one_log_would_write(partner, course):
    session = session_for(partner, page=course, capacity=1)
    first = services.book_place(session=session, attendee=attendee(0)).booking
    staff = coordinator_of(partner)
    second = services.book_place(session=session, attendee=attendee(1), actor=staff).booking

    public, by_staff = (ModelLogEntry.objects.for_instance(b).get() for b in (first, second))
    assert (public.action, public.user, public.data) == ("bookings.book", None, {"status": "confirmed"})
    assert (by_staff.action, by_staff.user, by_staff.data) == ("bookings.staff_book", staff, {"status": "waiting"})
    written_by_log = log(second, "bookings.staff_book", user=staff, data={"status": "waiting"})
    fields = ("content_type", "object_id", "label", "action", "user", "data", "uuid", "content_changed", "deleted")
    assert [getattr(by_staff, f) for f in fields] == [getattr(written_by_log, f) for f in fields]
    # Named from the title read under the lock, as from the whole page read afresh.
    assert by_staff.label == str(Booking.objects.select_related("session__page").get(pk=second.pk))
    assert course.title in by_staff.label
