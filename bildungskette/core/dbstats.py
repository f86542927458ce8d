"""Planner statistics: every bulk write (import, demo load) ends by refreshing them.

Without fresh statistics both engines plan for the table as it was before the import: SQLite
walked nested indexes for minutes where a hash of the analysed table takes a second, and
PostgreSQL estimated 878 rows for 300,750 (issue #14). ``tables_analyze`` is the one place that
knows how each engine refreshes them.
"""

from __future__ import annotations

from django.db import connection, models


def _table(item) -> str:
    if isinstance(item, str):
        return item
    if isinstance(item, type) and issubclass(item, models.Model):
        return item._meta.db_table
    raise TypeError(f"not a model or table name: {item!r}")


def tables_analyze(*tables) -> list[str]:
    """Refresh the planner statistics of the given models (or table names); none given → all tables.

    SQLite: ``ANALYZE tbl`` (an empty call ends with ``PRAGMA optimize``); PostgreSQL: ``ANALYZE tbl``.
    Returns the tables analysed. Table names are taken only from the model registry or the
    database's own list, never from user input.
    """
    known = set(connection.introspection.table_names())
    names = [t for t in dict.fromkeys(_table(t) for t in tables) if t in known] if tables else sorted(known)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for name in names:
            cursor.execute(f"ANALYZE {quote(name)}")
        if connection.vendor == "sqlite" and not tables:
            cursor.execute("PRAGMA optimize")
    return names
