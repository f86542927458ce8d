"""Reads of reports and APIs from a read replica (``DATABASE_REPLICA_URL``), everything else from
the primary (docs/deployment.md, "Scaling out").

``ReplicaReadMiddleware`` marks a GET or HEAD request to a path in ``DATABASE_REPLICA_URL_PREFIXES``
(the JSON and OParl APIs, the report pages and exports, the Datenblätter); during it,
``ReplicaRouter`` sends reads of the published figures – the app labels in
``DATABASE_REPLICA_APP_LABELS`` – to the ``replica`` connection. Writes always go to the primary,
and so do reads of what must be current to the second: sessions, accounts, roles and tenants
(``core``), the task queue, the chart cache, and all person-level data (``transitions``), so an
erasure or a revoked role takes effect at once, whatever the replica's lag. Without a replica the
router changes nothing.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import connections

REPLICA = "replica"
_reading_reports: ContextVar[bool] = ContextVar("replica_reads", default=False)


def replica_configured() -> bool:
    return settings.DATABASE_REPLICA_ENABLED and REPLICA in settings.DATABASES


@contextmanager
def replica_reads():
    """Within this block, reads of published figures may come from the replica (reports, APIs, jobs)."""
    token = _reading_reports.set(True)
    try:
        yield
    finally:
        _reading_reports.reset(token)


def _in_transaction() -> bool:
    """Whether code runs in a transaction on the primary: it must read its own writes. (The
    transaction a test case wraps around each test, marked by Django, does not count.)"""
    return any(not block._from_testcase for block in connections["default"].atomic_blocks)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if (
            _reading_reports.get()
            and model._meta.app_label in settings.DATABASE_REPLICA_APP_LABELS
            and replica_configured()
            and not _in_transaction()
        ):
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the primary's rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA


class ReplicaReadMiddleware:
    """Routes the reads of GET/HEAD requests to reports and APIs to the replica (see module doc)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method in ("GET", "HEAD")
            and replica_configured()
            and request.path.startswith(tuple(settings.DATABASE_REPLICA_URL_PREFIXES))
        ):
            with replica_reads():
                return self.get_response(request)
        return self.get_response(request)
