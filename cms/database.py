"""Statements PostgreSQL prepares once per connection, for the hottest write: a booking."""

from contextlib import contextmanager

from django.conf import settings
from django.db import connection


@contextmanager
def prepared_statements():
    """Within the block, this connection binds parameters on the server and prepares a statement
    once it has run it DATABASE_PREPARE_THRESHOLD times (psycopg keeps up to 100 per connection):
    PostgreSQL then parses and plans a booking's lock, count and inserts once per app server
    process rather than for every booking, about a third of its work per booking. Only around code
    whose queries are known to run that way (the booking tests do): Django's server-side binding
    for the whole app breaks some Wagtail admin queries (a DISTINCT ordered by an expression with a
    parameter). A no-op on SQLite, or with the setting None (a transaction-mode PgBouncer older
    than 1.21 cannot keep prepared statements)."""
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
    finally:
        if connection.connection is raw:  # not closed and reopened within the block
            raw.cursor_factory, raw.prepare_threshold = kept
