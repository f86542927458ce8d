"""Benchmark of the network area (Netzwerk & Gremien) on a large synthetic tenant.

Sizes (environment): BENCH_NETWORK_ORGS (default 300 organisations), BENCH_NETWORK_BODIES (80),
BENCH_NETWORK_MEETINGS (3000), BENCH_NETWORK_ITEMS (30000 action items). Each figure is a ratio
against the raw database engine doing the same work in the same run:

- "offene Aufgaben je Organisation": our selector (ORM, with the visibility rules) vs. one
  hand-written GROUP BY;
- the whole page /netzwerk/aufgaben/ (50 rows, grouped, with the overview) vs. the raw SELECT of
  the same 50 rows with their joins;
- OParl /oparl/v1/body/<slug>/meetings (100 meetings with agenda items, JSON) vs. raw SELECTs of
  the same meetings and agenda items plus ``json.dumps``;
- the network graph as SVG vs. the raw SELECT of the memberships it draws.
"""

from __future__ import annotations

import datetime
import json
import os
import random
import statistics
import tempfile
import time


def _env(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _best(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def run() -> str:
    import django
    from django.conf import settings

    if not settings.configured or not django.apps.apps.ready:
        os.environ.setdefault("BILDUNGSKETTE_VAR_DIR", tempfile.mkdtemp(prefix="bench-network-"))
        django.setup()
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    if connection.vendor == "sqlite":
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = os.path.join(
            tempfile.mkdtemp(prefix="bench-network-db-"), "bench.sqlite3")
    settings.ALLOWED_HOSTS = ["*"]
    old = setup_databases(verbosity=0, interactive=False, keepdb=False)
    try:
        return _run(_env("BENCH_NETWORK_ORGS", 300), _env("BENCH_NETWORK_BODIES", 80),
                    _env("BENCH_NETWORK_MEETINGS", 3000), _env("BENCH_NETWORK_ITEMS", 30000))
    finally:
        teardown_databases(old, verbosity=0)


def _generate(orgs: int, bodies: int, meetings: int, items: int):
    from django.utils import timezone

    from bildungskette.core.models import Role
    from bildungskette.core.services import role_assign, tenant_ensure, user_ensure
    from bildungskette.network.models import ActionItem, AgendaItem, Body, Meeting, Membership
    from bildungskette.organisations.models import Organisation, OrganisationType

    rng = random.Random(5)
    tenant = tenant_ensure(slug="bench", name="Benchmark-Region (synthetisch)")
    types = [t for t, _l in OrganisationType.choices]
    Organisation.objects.bulk_create([Organisation(tenant=tenant, name=f"Organisation {i:04d} (synthetisch)",
                                                   type=types[i % len(types)]) for i in range(orgs)])
    org_ids = list(Organisation.objects.filter(tenant=tenant).values_list("id", flat=True))
    Body.objects.bulk_create([Body(tenant=tenant, name=f"Gremium {i:03d} (synthetisch)", type="arbeitskreis",
                                   is_public=True, key_partner_types=["agentur"]) for i in range(bodies)])
    body_ids = list(Body.objects.filter(tenant=tenant).values_list("id", flat=True))
    Membership.objects.bulk_create([Membership(tenant=tenant, body_id=b, organisation_id=o, role="mitglied")
                                    for b in body_ids for o in rng.sample(org_ids, 12)])
    start = timezone.now() - datetime.timedelta(days=900)
    Meeting.objects.bulk_create([Meeting(tenant=tenant, body_id=body_ids[i % len(body_ids)], title=f"Sitzung {i}",
                                         starts_at=start + datetime.timedelta(hours=7 * i), location="Rathaus",
                                         is_synthetic=True) for i in range(meetings)], batch_size=2000)
    meeting_rows = list(Meeting.objects.filter(tenant=tenant).values_list("id", "body_id"))
    AgendaItem.objects.bulk_create([AgendaItem(tenant=tenant, meeting_id=m, position=p, title=f"TOP {p}")
                                    for m, _b in meeting_rows for p in range(1, 5)], batch_size=5000)
    today = timezone.localdate()
    ActionItem.objects.bulk_create([
        ActionItem(tenant=tenant, body_id=b, meeting_id=m, title=f"Aufgabe {i}",
                   owner_organisation_id=rng.choice(org_ids), is_synthetic=True,
                   status=rng.choice(["open", "open", "in_progress", "done"]),
                   due_date=today + datetime.timedelta(days=rng.randint(-120, 120)))
        for i, (m, b) in enumerate(rng.choices(meeting_rows, k=items))], batch_size=5000)
    user = user_ensure(username="bench.koordination", password="bench-Passwort-1")  # noqa: S106
    role_assign(user=user, tenant=tenant, role=Role.COORDINATION)
    return tenant, user


def _run(orgs: int, bodies: int, meetings: int, items: int) -> str:
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from bildungskette.network.graph import network_graph, network_svg
    from bildungskette.network.selectors import action_item_counts_by_organisation

    tenant, user = _generate(orgs, bodies, meetings, items)
    today = timezone.localdate()
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    rows = []

    def ours_counts():
        user.__dict__.pop("_role_cache", None)
        return action_item_counts_by_organisation(user=user, tenant=tenant, today=today)

    def raw_counts():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT a.owner_organisation_id, o.name, COUNT(*), SUM(CASE WHEN a.due_date < %s THEN 1 ELSE 0 END) "
                "FROM network_actionitem a LEFT JOIN organisations_organisation o ON o.id = a.owner_organisation_id "
                "WHERE a.tenant_id = %s AND a.status IN ('open', 'in_progress') "
                "GROUP BY a.owner_organisation_id, o.name ORDER BY o.name", [today, tenant.id])
            return cursor.fetchall()

    assert len(ours_counts()) == len(raw_counts())
    rows.append(("offene Aufgaben je Organisation (Aggregat)", _best(ours_counts), _best(raw_counts)))

    def page():
        response = client.get("/netzwerk/aufgaben/")
        assert response.status_code == 200

    def raw_page():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT a.*, b.name, o.name, m.starts_at FROM network_actionitem a "
                "JOIN network_body b ON b.id = a.body_id "
                "LEFT JOIN organisations_organisation o ON o.id = a.owner_organisation_id "
                "LEFT JOIN network_meeting m ON m.id = a.meeting_id "
                "WHERE a.tenant_id = %s AND a.status IN ('open', 'in_progress') "
                "ORDER BY o.name, a.due_date, a.id LIMIT 50", [tenant.id])
            return cursor.fetchall()

    rows.append(("Seite „offene Aufgaben“ (50 Zeilen, gruppiert)", _best(page), _best(raw_page)))

    def oparl():
        response = client.get("/oparl/v1/body/bench/meetings", HTTP_HOST="bench.example.org")
        assert response.status_code == 200 and len(json.loads(response.content)["data"]) == 100

    def raw_oparl():
        with connection.cursor() as cursor:
            cursor.execute("SELECT m.id, m.title, m.starts_at, m.status, m.location FROM network_meeting m "
                           "JOIN network_body b ON b.id = m.body_id WHERE b.is_public AND m.tenant_id = %s "
                           "ORDER BY m.starts_at, m.id LIMIT 100", [tenant.id])
            found = cursor.fetchall()
            ids = [r[0] for r in found]
            cursor.execute("SELECT meeting_id, id, title, position FROM network_agendaitem WHERE meeting_id IN ("
                           + ",".join(["%s"] * len(ids)) + ")", ids)
            agenda = cursor.fetchall()
        return json.dumps({"data": [list(map(str, r)) for r in found], "items": [list(map(str, r)) for r in agenda]})

    rows.append(("OParl-Sitzungsliste (100 Sitzungen mit TOPs, JSON)", _best(oparl), _best(raw_oparl)))

    def graph():
        return network_svg(network_graph(tenant), title="Benchmark")

    def raw_graph():
        with connection.cursor() as cursor:
            cursor.execute("SELECT m.organisation_id, o.name, o.type, m.body_id, b.name FROM network_membership m "
                           "JOIN organisations_organisation o ON o.id = m.organisation_id "
                           "JOIN network_body b ON b.id = m.body_id WHERE m.tenant_id = %s", [tenant.id])
            return cursor.fetchall()

    rows.append((f"Netzwerkkarte als SVG ({orgs} Organisationen, {bodies} Gremien)", _best(graph, 3),
                 _best(raw_graph, 3)))

    lines = [
        "## Netzwerk & Gremien",
        "",
        f"Synthetic tenant: {orgs} organisations, {bodies} bodies with 12 members each, {meetings} meetings "
        f"with 4 agenda items each, {items} action items. Best of 5 runs (graph: 3).",
        "",
        "| operation | ours | raw engine | ratio |",
        "|---|---:|---:|---:|",
    ]
    for label, ours, raw in rows:
        lines.append(f"| {label} | {ours * 1000:.1f} ms | {raw * 1000:.1f} ms | {ours / raw:.1f}× |")
    lines += ["", "The raw engine returns rows only; ours renders the page or JSON users get, with permission "
              "checks. Median ratio: " + f"{statistics.median(o / r for _l, o, r in rows):.1f}×."]
    return "\n".join(lines)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bildungskette.config.settings")
    os.environ.setdefault("BILDUNGSKETTE_ENV", "test")
    print(run())
