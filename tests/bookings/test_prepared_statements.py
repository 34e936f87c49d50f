"""A booking's statements are bound on the server and prepared once per connection
(cms/database.py): PostgreSQL stops parsing and planning the same lock, count and inserts for
every booking. Only inside the block: the rest of the app keeps Django's client-side binding."""

import pytest
from django.db import connection
from django.db.backends.postgresql.base import Cursor, ServerBindingCursor
from django.test.utils import CaptureQueriesContext

from bookings import services
from bookings.models import Booking
from cms.database import prepared_statements
from tests.factories import attendee, session_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")


def prepared(fragment: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s", [f"%{fragment}%"])
        return [row[0] for row in cursor.fetchall()]


def test_a_booking_lock_is_prepared_once_it_has_run_five_times(partner, course):
    session = session_for(partner, page=course, capacity=3)
    lock = 'FOR UPDATE OF "bookings_session"'
    before = len(prepared(lock))
    for n in range(4):
        services.book_place_for_partner(session_id=session.pk, partner=partner, attendee=attendee(n))
    assert len(prepared(lock)) == before  # four runs: not yet
    for n in range(4, 8):
        services.book_place_for_partner(session_id=session.pk, partner=partner, attendee=attendee(n))
    locks = prepared(lock)
    assert len(locks) == before + 1
    assert any('"bookings_session"."id" = $' in statement for statement in locks)
    # Prepared or not, the rule holds: three places, five waiting.
    statuses = sorted(Booking.objects.filter(session=session).values_list("status", flat=True))
    assert statuses == ["confirmed"] * 3 + ["waiting"] * 5


def test_outside_the_block_values_are_bound_in_the_client_again(partner, course):
    session = session_for(partner, page=course, capacity=3)
    services.book_place_for_partner(session_id=session.pk, partner=partner, attendee=attendee(1))
    assert connection.connection.cursor_factory is Cursor
    with CaptureQueriesContext(connection) as captured:
        Booking.objects.filter(session=session).count()
    assert f"= {session.pk}" in captured.captured_queries[0]["sql"]


def test_the_connection_is_restored_when_the_block_fails(partner, course):
    with pytest.raises(RuntimeError), prepared_statements():
        assert connection.connection.cursor_factory is ServerBindingCursor
        raise RuntimeError("a booking failed")
    assert connection.connection.cursor_factory is Cursor
    assert connection.connection.prepare_threshold is None  # Django's default outside


def test_turned_off_nothing_is_bound_on_the_server(settings, partner, course):
    settings.DATABASE_PREPARE_THRESHOLD = None
    session = session_for(partner, page=course, capacity=3)
    with prepared_statements(), CaptureQueriesContext(connection) as captured:
        assert connection.connection.cursor_factory is Cursor
        services.book_place_for_partner(session_id=session.pk, partner=partner, attendee=attendee(1))
    assert any(f"= {session.pk}" in q["sql"] for q in captured.captured_queries)


def test_booking_emails_prepare_their_statements_too(partner, course, mailoutbox):
    """Every booking sends an email from the db_worker: its reads are prepared there as well."""
    from bookings.tasks import send_booking_email

    session = session_for(partner, page=course, capacity=10)
    bookings = [
        services.book_place_for_partner(session_id=session.pk, partner=partner, attendee=attendee(n)).booking
        for n in range(7)
    ]
    read = '"bookings_booking"."id" = $1'
    before = len(prepared(read))
    mailoutbox.clear()
    for booking in bookings:
        send_booking_email.call(booking_id=booking.pk, kind="confirmation")
    assert len(prepared(read)) == before + 1
    assert [m.to for m in mailoutbox] == [[b.email] for b in bookings]
    assert all(m.subject == f"Your place is booked: {course.title}" for m in mailoutbox)


@pytest.mark.django_db(transaction=True)
def test_a_statement_planned_before_a_migration_fails_once_then_the_connection_starts_afresh():
    """A column a prepared statement reads changes type (a migration run while servers are up): the
    next run fails. A db_worker runs in autocommit, where nothing rolls back to deallocate the
    statement, so the block closes the connection and the run after works again."""
    from django.db import DatabaseError, IntegrityError

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE prepared_probe (id integer PRIMARY KEY, word varchar(10))")
        cursor.execute("INSERT INTO prepared_probe VALUES (1, 'haven')")
    try:

        def read():
            with prepared_statements(), connection.cursor() as cursor:
                cursor.execute("SELECT word FROM prepared_probe WHERE id = %s", [1])
                return cursor.fetchone()[0]

        assert [read() for _ in range(6)] == ["haven"] * 6
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE prepared_probe ALTER COLUMN word TYPE text")
        with pytest.raises(DatabaseError, match="cached plan must not change result type"):
            read()
        assert read() == "haven"
        # Any other refusal (a repeat booking's unique index) keeps the connection and what it prepared.
        kept = connection.connection
        with pytest.raises(IntegrityError), prepared_statements(), connection.cursor() as cursor:
            cursor.execute("INSERT INTO prepared_probe VALUES (%s, %s)", [1, "again"])
        assert connection.connection is kept
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS prepared_probe")
