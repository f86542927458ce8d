"""The database's own bulk path for rows without per-row signals (values, stored results).

COPY on PostgreSQL, executemany elsewhere: the ORM's per-object work in ``bulk_create`` costs more
than the insert itself on tables with millions of rows.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection


def rows_bulk_insert(table: str, columns: tuple[str, ...], rows: Iterable[tuple]) -> int:
    """Insert ``rows`` (tuples in the order of ``columns``); returns how many. ``table`` and
    ``columns`` come from the code, never from input."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            # Django's SQLite backend registers str() as the adapter of Decimal: no per-value conversion here.
            batch = rows if isinstance(rows, list) else list(rows)
            cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({placeholders})", batch)
            count = len(batch)
    return count
