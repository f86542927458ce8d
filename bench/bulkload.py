"""Loading millions of synthetic values fast, for benchmarks only (never used by the product).

A row-by-row ``INSERT … SELECT`` into ``monitoring_value`` pays, per row, a check of every foreign key
(PostgreSQL's deferred constraint triggers) and an insert into every secondary index: about 10,000
rows/s, so 16 M values took most of an hour. ``value_table_bulk_mode`` drops the table's foreign-key
constraints (PostgreSQL) and its plain, non-unique indexes (both engines) for the load and creates them
again from their own definitions afterwards: one validating join per key and one sorted build per
index. The unique constraints stay, so the load still refuses duplicates.
"""

from __future__ import annotations

import time
from contextlib import contextmanager


def _definitions(cursor, vendor: str, table: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(foreign keys, plain indexes) of ``table`` as (name, SQL to create it again)."""
    if vendor == "postgresql":
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
            [table],
        )
        fks = [(name, f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}') for name, definition in cursor]
        cursor.execute(
            "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE i.indrelid = %s::regclass AND NOT i.indisunique AND NOT i.indisprimary ORDER BY c.relname",
            [table],
        )
        return fks, list(cursor.fetchall())
    cursor.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL "
        "AND upper(sql) NOT LIKE 'CREATE UNIQUE%%' ORDER BY name",
        [table],
    )
    return [], list(cursor.fetchall())


@contextmanager
def value_table_bulk_mode(model):
    """Inside: ``model``'s table without foreign keys and plain indexes; on leaving they are back.
    Yields a dict that receives ``rebuild_seconds`` (time to create them again)."""
    from django.db import connection

    table = model._meta.db_table
    quote = connection.ops.quote_name
    timing: dict[str, float] = {}
    with connection.cursor() as cursor:
        fks, indexes = _definitions(cursor, connection.vendor, table)
        for name, _ in fks:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
    try:
        yield timing
    finally:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for _, sql in indexes:
                cursor.execute(sql)
            for _, sql in fks:
                cursor.execute(sql)
        timing["rebuild_seconds"] = time.perf_counter() - started
