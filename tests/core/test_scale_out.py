"""Scale-out (docs/deployment.md): several app processes and workers against one database, and a
read replica for reports and APIs.

The process tests start real processes (``python -m bildungskette …``) against a database of their
own – a file on SQLite, a fresh database on PostgreSQL – because the test database's rows live in
an open transaction no other process can see.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from bildungskette.core.dbrouting import replica_reads
from bildungskette.monitoring.services import source_ensure

ROOT = Path(__file__).resolve().parents[2]


# --------------------------------------------------------------------------- processes


@contextmanager
def _own_database(tmp_path):
    """The DATABASE_URL of an empty database of the engine the tests run on, dropped afterwards."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'scale-out.sqlite3'}"
        return
    import psycopg

    params = connection.settings_dict
    name = f"scale_out_{uuid.uuid4().hex[:12]}"
    server = f"postgres://{params['USER']}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _env(url: str) -> dict:
    env = {**os.environ, "DATABASE_URL": url, "BILDUNGSKETTE_ENV": "test", "PYTHONPATH": str(ROOT),
           "BILDUNGSKETTE_TASK_BACKEND": "django_tasks_db.DatabaseBackend"}
    env.pop("DATABASE_TEST_NAME", None)
    return env


def _manage(url: str, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "bildungskette", *args], env=_env(url), cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


CHART_IN_A_PROCESS = """
import json
from bildungskette.core import charts
drawn = []
real = charts.vl_convert.vegalite_to_svg
charts.vl_convert.vegalite_to_svg = lambda spec, **kw: drawn.append(1) or real(spec, **kw)
svg = charts.chart_svg(json.loads({spec!r}), title="Prozess")
print(json.dumps({{"drawn": len(drawn), "svg": svg}}))
"""


def test_two_app_processes_share_the_chart_cache(tmp_path):
    spec = {"mark": "bar", "data": {"values": [{"a": "x", "b": 1}, {"a": uuid.uuid4().hex[:6], "b": 2}]},
            "encoding": {"x": {"field": "a", "type": "nominal"}, "y": {"field": "b", "type": "quantitative"}}}
    with _own_database(tmp_path) as url:
        _manage(url, "createcachetable")
        runs = [json.loads(_manage(url, "shell", "-c", CHART_IN_A_PROCESS.format(spec=json.dumps(spec)))
                           .strip().splitlines()[-1]) for _ in range(2)]
    assert [run["drawn"] for run in runs] == [1, 0]  # the second process took the first one's picture
    assert runs[0]["svg"] == runs[1]["svg"] and 'role="img"' in runs[1]["svg"]


ENQUEUE = """
from tests.core.scale_out_tasks import task_note_runner
for number in range({count}):
    task_note_runner.enqueue(number, {path!r})
"""


def test_two_workers_never_run_the_same_task_twice(tmp_path):
    count, notes = 60, tmp_path / "runs.txt"
    with _own_database(tmp_path) as url:
        _manage(url, "migrate", "django_tasks_database", "--verbosity", "0")
        _manage(url, "shell", "-c", ENQUEUE.format(count=count, path=str(notes)))
        workers = [
            subprocess.Popen([sys.executable, "-m", "bildungskette", "db_worker", "--batch", "--no-startup-delay",
                              "--verbosity", "0"], env=_env(url), cwd=ROOT, stderr=subprocess.PIPE, text=True)
            for _ in range(2)
        ]
        for worker in workers:
            _, err = worker.communicate(timeout=300)
            assert worker.returncode == 0, err[-3000:]
    runs = [line.split() for line in notes.read_text().splitlines()]
    numbers = sorted(int(number) for number, _ in runs)
    assert numbers == list(range(count))  # every task ran, and none twice
    assert len({pid for _, pid in runs}) == 2  # both workers took tasks from the same queue


# --------------------------------------------------------------------------- read replica


@pytest.fixture
def catalogue(db):
    from bildungskette.monitoring.catalogue import catalogue_load

    catalogue_load()


@pytest.fixture
def kassel_seed(catalogue):
    from bildungskette.monitoring.demo import kassel_seed_load

    kassel_seed_load()


@pytest.fixture
def replica(settings):
    """The replica connection, switched on, on the test database's own session (so it sees the
    test's rows): queries are logged per connection, which is what the routing tests look at."""
    from django.test.testcases import _DatabaseFailure

    settings.DATABASE_REPLICA_ENABLED = True
    primary, replica = connections["default"], connections["replica"]
    primary.ensure_connection()
    replica.connection = primary.connection
    # The test case forbids connections it does not manage; this one borrows the primary's session.
    guarded = {name: getattr(replica, name) for name in ("connect", "temporary_connection", "cursor", "chunked_cursor")
               if isinstance(getattr(replica, name), _DatabaseFailure)}
    for name, guard in guarded.items():
        setattr(replica, name, guard.wrapped)
    try:
        yield replica
    finally:
        for name, guard in guarded.items():
            setattr(replica, name, guard)
        replica.connection = None


def _tables(queries) -> set[str]:
    import re

    return {t for q in queries.captured_queries for t in re.findall(r'(?:FROM|JOIN|INTO|UPDATE) "(\w+)"', q["sql"])}


@contextmanager
def _both():
    with CaptureQueriesContext(connections["default"]) as primary, \
            CaptureQueriesContext(connections["replica"]) as replica:
        yield primary, replica


@pytest.mark.django_db
def test_api_and_report_reads_go_to_the_replica(client, replica, kassel_seed):
    with _both() as (primary, copy):
        response = client.get("/api/monitoring/sources")
    assert response.status_code == 200 and "stadt-kassel-olov-forum-2019" in response.content.decode()
    assert "monitoring_source" in _tables(copy)
    assert not {t for t in _tables(primary) if t.startswith("monitoring_")}

    with _both() as (primary, copy):
        response = client.get("/monitoring/datenblatt/06611/")
    assert response.status_code == 200 and "1.630" in response.content.decode()
    assert {"monitoring_value", "regions_region"} <= _tables(copy)
    assert not {t for t in _tables(primary) if t.startswith(("monitoring_", "regions_"))}
    # the chart cache is written, so it lives on the primary
    assert not {t for t in _tables(copy) if "chart_cache" in t}


@pytest.mark.django_db
def test_other_pages_accounts_and_sessions_read_the_primary(client_as, make_user, tenant, replica, kassel_seed):
    from bildungskette.core.models import Role

    browser = client_as(make_user(Role.MONITORING, tenant=tenant))
    with _both() as (primary, copy):
        assert browser.get("/api/monitoring/sources").status_code == 200
    assert {"django_session", "core_user"} <= _tables(primary)
    assert not {t for t in _tables(copy) if t.startswith(("core_", "django_", "otp_"))}

    with _both() as (primary, copy):
        assert browser.get("/monitoring/indikatoren/stellen-je-bewerber/?gebiet=06611").status_code == 200
    assert copy.captured_queries == []  # an ordinary page: everything from the primary


@pytest.mark.django_db
def test_writes_never_go_to_the_replica(replica, catalogue):
    with _both() as (primary, copy):
        with replica_reads():
            source = source_ensure(code="replica-probe", publisher="Test", title="Probe", attribution="Test")
            with transaction.atomic():
                # inside a transaction even a report reads its own writes from the primary
                assert type(source).objects.filter(code="replica-probe").exists()
    assert "monitoring_source" in _tables(primary)
    assert not any(q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
                   for q in copy.captured_queries)
    assert not {t for t in _tables(copy) if t == "monitoring_source"}

