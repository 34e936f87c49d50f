"""The `demo` fixture's data, seeded once and copied back for every later test that asks for it.

`seed_demo` takes about 1.3 s (two partners, 20 published pages, their revisions, search and
reference index entries, venues and certificates), and over 200 tests in each CI pass start from
it. On PostgreSQL the first test of a kind runs the real command and keeps what it wrote: the
whole contents of every table it changed, as COPY text. A later test, inside its own transaction
as every test is, empties those tables and copies the rows back (a few milliseconds), so it sees
exactly what the command would have made, with the same ids, and rolls it all back at its end.

What the command writes depends on the day (May and June of the next year, certificates issued
"400 days ago") and on the baseline rows it builds on (Wagtail's root page, locale and default
site, recreated with new ids after every flush), so a snapshot is kept per hour of the clock and
per flush. It is used only when the database is exactly as the snapshot found it (every table's
row count is compared first); otherwise (and on SQLite) the command runs.

Transactional tests (the browser tests' live server) commit what they are given and end with a
flush, after which Wagtail's baseline comes back with new ids. For them the snapshot holds every
table, and a later test replaces every table's rows with it in one transaction, baseline included,
so ids and references agree; Django's in-process cache of content types is cleared after it.
`DEMO_SNAPSHOT=off` runs the command for every test (to rule the snapshot out when a test fails).
"""

from __future__ import annotations

import dataclasses
import os

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone


@dataclasses.dataclass
class Snapshot:
    key: tuple
    counts_before: tuple[int, ...]
    tables: dict[str, tuple[str, bytes]]  # table -> (quoted column list, COPY text of all its rows)


_flushes = 0
# Per key: tests with the clock frozen (the `clock` fixture) and tests on the real clock alternate.
_snapshots: dict[tuple, Snapshot] = {}  # the tables the command changed, for tests inside a transaction
_wholes: dict[tuple, Snapshot] = {}  # every table, for transactional tests
KEPT_TABLES = {"django_migrations"}  # never emptied: flush leaves it as it is


def note_flush() -> None:
    """A flush recreated Wagtail's baseline with new ids: an older snapshot points at the old ones."""
    global _flushes
    _flushes += 1
    _snapshots.clear()


def seed_demo(*, transactional: bool) -> None:
    """Give this test the demo data, copying back a snapshot when one fits."""
    if connection.vendor != "postgresql" or os.environ.get("DEMO_SNAPSHOT") == "off":
        _run_command()
    elif transactional:
        _seed_committed()
    else:
        _seed_in_transaction()


def _seed_in_transaction() -> None:
    tables = _table_names()
    key = (_flushes, timezone.now().strftime("%Y-%m-%d %H"), tuple(tables))
    counts = _row_counts(tables)
    snapshot = _snapshots.get(key)
    if snapshot is not None and snapshot.counts_before == counts:
        _restore(snapshot)
        return
    before = {table: _copy_out(table) for table in tables}
    _run_command()
    changed = {}
    for table in tables:
        after = _copy_out(table)
        if after[1] != before[table][1]:
            changed[table] = after
    _snapshots[key] = Snapshot(key=key, counts_before=counts, tables=changed)


def _seed_committed() -> None:
    tables = [table for table in _table_names() if table not in KEPT_TABLES]
    key = (timezone.now().strftime("%Y-%m-%d %H"), tuple(tables))
    counts = _row_counts(tables)
    whole = _wholes.get(key)
    if whole is not None and whole.counts_before == counts:
        with transaction.atomic():
            _restore(whole)
        ContentType.objects.clear_cache()  # the snapshot's content types have the ids of its day
        cache.clear()  # Wagtail's site lookups, read while the baseline had other ids
        return
    _run_command()
    _wholes[key] = Snapshot(key=key, counts_before=counts, tables={table: _copy_out(table) for table in tables})


def _run_command() -> None:
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def _table_names() -> list[str]:
    with connection.cursor() as cursor:
        return sorted(connection.introspection.table_names(cursor))


def _row_counts(tables: list[str]) -> tuple[int, ...]:
    quoted = [connection.ops.quote_name(t) for t in tables]  # names from the catalogue itself
    select = ", ".join(f"(SELECT count(*) FROM {name})" for name in quoted)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {select}")
        return tuple(cursor.fetchone())


def _columns(cursor, table: str) -> str:
    """The columns COPY may write: generated columns are computed by PostgreSQL itself."""
    cursor.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
        "AND NOT attisdropped AND attgenerated = '' ORDER BY attnum",
        [connection.ops.quote_name(table)],
    )
    return ", ".join(connection.ops.quote_name(name) for (name,) in cursor.fetchall())


def _copy_out(table: str) -> tuple[str, bytes]:
    with connection.cursor() as cursor:
        columns = _columns(cursor, table)
        raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no copy()
        with raw.copy(f"COPY {connection.ops.quote_name(table)} ({columns}) TO STDOUT") as copy:
            return columns, b"".join(bytes(block) for block in copy)


def _restore(snapshot: Snapshot) -> None:
    """Rows as the command left them. Foreign keys are checked at commit (Django makes them
    DEFERRABLE INITIALLY DEFERRED), so tables can be emptied and filled in any order."""
    with connection.cursor() as cursor:
        raw = cursor.cursor
        for table, (columns, data) in snapshot.tables.items():
            name = connection.ops.quote_name(table)
            cursor.execute(f"DELETE FROM {name}")  # noqa: S608 - a name from the catalogue, quoted
            if data:
                with raw.copy(f"COPY {name} ({columns}) FROM STDIN") as copy:
                    copy.write(data)
