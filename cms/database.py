"""Statements PostgreSQL prepares once per connection, for the hottest write: a booking."""

from contextlib import contextmanager

from django.conf import settings
from django.db import NotSupportedError, connection


@contextmanager
def prepared_statements():
    """Within the block, this connection binds parameters on the server and prepares a statement
    once it has run it DATABASE_PREPARE_THRESHOLD times (psycopg keeps up to 100 per connection):
    PostgreSQL then parses and plans a booking's lock, count and inserts once per app server
    process rather than for every booking, about a third of its work per booking. Only around code
    whose queries are known to run that way (the booking tests do): Django's server-side binding
    for the whole app breaks some Wagtail admin queries (a DISTINCT ordered by an expression with a
    parameter). psycopg deallocates them all when the connection rolls back a transaction (a
    refused booking, say), and prepares them again after as many runs. A no-op on SQLite, or with
    the setting None (behind a transaction-mode PgBouncer older than 1.22, or one with
    max_prepared_statements at 0)."""
    threshold = settings.DATABASE_PREPARE_THRESHOLD
    if connection.vendor != "postgresql" or threshold is None:
        yield
        return
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.ensure_connection()
    raw = connection.connection
    kept = raw.cursor_factory, raw.prepare_threshold
    raw.cursor_factory, raw.prepare_threshold = ServerBindingCursor, threshold
    try:
        yield
    except NotSupportedError:
        # A statement prepared before a migration changed a column it reads fails ("cached plan
        # must not change result type", PostgreSQL's feature_not_supported) until it is deallocated.
        # A rollback does that (psycopg deallocates on rollback), but a db_worker runs in autocommit
        # and never rolls back: start it afresh, or every email would fail until the connection grew
        # old. Other errors (a repeat booking's unique index) keep the connection.
        if not connection.in_atomic_block:
            connection.close()
        raise
    finally:
        if connection.connection is raw:  # not closed and reopened within the block
            raw.cursor_factory, raw.prepare_threshold = kept
