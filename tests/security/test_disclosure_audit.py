"""Disclosure control with a protection interval: every suppressed cell of every published table
(school, Stadtteil and city; all years; page, CSV and API share the same tables) keeps at least
*threshold* possible values when an attacker solves the linear bounds given all published cells.

The audit here is written independently of the product's enforcement: it builds the equations
from the raw counts and the published tables and solves them with scipy.optimize.linprog."""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
import pytest
from scipy.optimize import linprog

from bildungskette.core.models import Tenant
from bildungskette.transitions.disclosure import table_disclose
from bildungskette.transitions.models import CohortStatistic, Outcome, School, StatLevel
from bildungskette.transitions.protection import PublishedTable, protection_audit, protection_enforce
from bildungskette.transitions.services import policy_for
from bildungskette.transitions.statistics import SECTOR_COLUMNS, tenant_tables

OUTCOMES = [Outcome.KNOWN, Outcome.NO_NEXT_STEP, Outcome.UNKNOWN]


FEED_KEYS = {"bekannt": None, "kein_anschluss": [Outcome.NO_NEXT_STEP], "unbekannt": [Outcome.UNKNOWN],
             "i": ["I"], "ii": ["II"], "iii": ["III"], "iv": ["IV"], "ausserhalb": ["-"]}


def _feed(tenant) -> list[tuple[str, float | None, int, str, list[str]]]:
    """What the Monitoring feed actually wrote: (name, value or None, year, Kreis, finest keys).

    Read from Monitoring's values, not from the product's tables."""
    from bildungskette.monitoring.models import Value
    from bildungskette.transitions.statistics import monitoring_publish

    monitoring_publish(tenant=tenant)
    out = []
    for v in Value.objects.filter(statistic__source__code=f"uebergangsmonitoring-{tenant.slug}").select_related(
            "statistic", "region", "period"):
        category = v.categories.split("=", 1)[1] if v.categories else ""
        keys = ((SECTOR_COLUMNS if category == "bekannt" else FEED_KEYS[category]) if category
                else SECTOR_COLUMNS + [Outcome.NO_NEXT_STEP, Outcome.UNKNOWN])
        year = int(v.period.code[:4]) + 1  # "2025/26" → leaving year 2026
        out.append((f"monitoring[{v.statistic.code},{v.region.code},{v.period.code},{category or 'Σ'}]",
                    None if v.value is None else float(v.value), year, v.region.code, keys))
    return out


def _audit(tenant, tables, threshold) -> list[str]:
    """Independent re-implementation: unknowns are the finest counts year × school × key."""
    rows = list(CohortStatistic.objects.filter(tenant=tenant, level=StatLevel.SCHOOL).values(
        "year", "school_id", "outcome", "sector"))
    schools = {s.pk: s for s in School.objects.filter(tenant=tenant)}
    years = sorted({r["year"] for r in rows})
    latest = years[-1]
    keys = SECTOR_COLUMNS + [Outcome.NO_NEXT_STEP, Outcome.UNKNOWN]
    index = {}
    for y in years:
        for s in [*schools, 0]:
            for k in keys:
                index[(y, s, k)] = len(index)

    def combo(year, school_ids, column):
        ks = SECTOR_COLUMNS if column == Outcome.KNOWN else [column]
        return [index[(year, s, k)] for s in school_ids for k in ks]

    published = []  # (name, value or None, variable indices)

    def add(name, table, combos):
        d = table.disclosed
        for i, row in enumerate(combos):
            for j, c in enumerate(row):
                published.append((f"{name}[{i},{j}]", d.cells[i][j], c))
            published.append((f"{name}[{i},Σ]", d.row_totals[i], [v for c in row for v in c]))
        for j in range(len(combos[0]) if combos else 0):
            published.append((f"{name}[Σ,{j}]", d.col_totals[j], [v for row in combos for v in row[j]]))

    all_schools = [*schools, 0]
    add("jahr", tables["outcome_by_year"], [[combo(y, all_schools, o) for o in OUTCOMES] for y in years])
    add("sektor", tables["sector_by_year"], [[combo(y, all_schools, k) for k in keys] for y in years])
    order = sorted(schools, key=lambda pk: str(schools[pk]))
    add("schule", tables["outcome_by_school"], [[combo(latest, [s], o) for o in OUTCOMES] for s in order])
    members = defaultdict(list)
    for pk, s in schools.items():
        members[s.stadtteil_id or 0].append(pk)
    add("stadtteil", tables["outcome_by_stadtteil"],
        [[combo(latest, members[st], o) for o in OUTCOMES] for st in tables["outcome_by_stadtteil"].row_keys])

    # The Kreis-level feed into Monitoring: every school whose organisation lies in the Kreis.
    for name, value, year, kreis, feed_keys in _feed(tenant):
        in_kreis = [pk for pk, s in schools.items()
                    if s.organisation.region is not None and s.organisation.region.code[:5] == kreis]
        published.append((name, value, [index[(year, s, k)] for s in in_kreis for k in feed_keys]))

    known = [(v, c) for _n, v, c in published if v is not None]
    a_eq = np.zeros((len(known), len(index)))
    for r, (_v, c) in enumerate(known):
        for var in c:
            a_eq[r, var] += 1
    b_eq = np.array([v for v, _c in known], dtype=float)
    exposed = []
    for name, value, c in published:
        if value is not None:
            continue
        objective = np.zeros(len(index))
        for var in c:
            objective[var] += 1
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        assert low.status == 0, "the published tables are consistent with the true counts"
        top = math.inf if high.status == 3 else -high.fun
        values = math.floor(top + 1e-6) - math.ceil(low.fun - 1e-6) + 1
        if values < threshold:
            exposed.append(f"{name}: {low.fun:g}…{top:g}")
    return exposed


def test_demo_tables_keep_a_protection_interval(demo_data):
    tenant = Tenant.objects.get(slug="olov-kassel")
    policy = policy_for(tenant)
    data = tenant_tables(tenant)
    tables = data["tables"]
    suppressed = sum(v is None for t in ("outcome_by_school", "outcome_by_stadtteil")
                     for row in tables[t].disclosed.cells for v in row)
    assert suppressed > 0, "the demo has small cells, so the audit has something to check"
    assert _audit(tenant, tables, policy.min_cell) == []


# Four schools, Stadtteile {A, C} and {B, D}. Per-table suppression hides A and B's "no next step"
# and "unknown" in the school table, but the Stadtteil table publishes A+C in full and C is
# published, so A's suppressed "no next step" = 6 − 5 = 1 exactly.
SCHOOLS = {"A": ([10, 1, 6], "S1"), "B": ([12, 4, 5], "S2"), "C": ([20, 5, 9], "S1"), "D": ([30, 7, 8], "S2")}


@pytest.fixture
def crossed_tables(tenant):
    from bildungskette.organisations.models import Organisation, OrganisationType
    from bildungskette.regions.models import Region, RegionKind

    gemeinde = Region.objects.get(code="06611000")
    stadtteile = {code: Region.objects.create(code=f"{tenant.slug}:06611000:{code}", name=f"Stadtteil {code}",
                                              kind=RegionKind.STADTTEIL, parent=gemeinde, tenant=tenant)
                  for code in ("S1", "S2")}
    for name, (counts, stadtteil) in SCHOOLS.items():
        org = Organisation.objects.create(name=f"Schule {name}", type=OrganisationType.SCHULE, region=gemeinde)
        school = School.objects.create(tenant=tenant, organisation=org, stadtteil=stadtteile[stadtteil])
        for outcome, count in zip(OUTCOMES, counts, strict=True):
            CohortStatistic.objects.create(tenant=tenant, level=StatLevel.SCHOOL, school=school, year=2026,
                                           outcome=outcome, sector="II" if outcome == Outcome.KNOWN else "",
                                           gender="", field_code="", count=count)
    return tenant


def test_the_audit_finds_a_cross_table_exposure_without_the_protection(crossed_tables, monkeypatch):
    from bildungskette.transitions import statistics

    monkeypatch.setattr(statistics, "protection_apply", lambda published, threshold: None)
    exposed = _audit(crossed_tables, tenant_tables(crossed_tables)["tables"], 3)
    assert any(e.startswith("schule[0,1]: 1…1") for e in exposed), exposed


def test_secondary_suppression_closes_the_cross_table_exposure(crossed_tables):
    tables = tenant_tables(crossed_tables)["tables"]
    assert _audit(crossed_tables, tables, 3) == []
    school_cells = tables["outcome_by_school"].disclosed.cells
    assert school_cells[0][1] is None, "A's small count stays hidden"
    # Whatever was added, no published value is false and no zero was used as a complement.
    for table in tables.values():
        for (i, j) in table.disclosed.secondary:
            assert table.disclosed.cells[i][j] is None


def _table(key, cells, threshold=3):
    disclosed = table_disclose(cells, min_cell=threshold)
    combos = [[{(key, i, j): 1} for j in range(len(r))] for i, r in enumerate(cells)]
    return PublishedTable(key, disclosed, combos)


def test_enforcement_never_uses_a_zero_cell_as_complement():
    cells = [[1, 0, 9], [0, 5, 7], [8, 6, 0]]
    table = _table("t", cells)
    protection_enforce([table], 3)
    for i, j in table.disclosed.secondary:
        assert cells[i][j] != 0, f"zero cell ({i},{j}) chosen as complement"
    assert all(e.possible_values >= 3 for e in protection_audit([table], 3))


@pytest.mark.parametrize("cells", [
    [[1, 4], [6, 7]],
    [[2, 10, 3], [9, 1, 12], [5, 6, 7]],
    [[1, 1, 20], [30, 2, 2]],
])
def test_enforcement_reaches_the_interval_on_small_tables(cells):
    table = _table("t", cells)
    protection_enforce([table], 3)
    assert all(e.possible_values >= 3 for e in protection_audit([table], 3))
    # Published values are the true ones.
    for i, row in enumerate(cells):
        for j, v in enumerate(row):
            assert table.disclosed.cells[i][j] in (None, v)


# School A lies in Kassel (06611), school B has no place: the feed publishes A's Kreis figures, the
# year table A + B, so B's small counts (hidden in the school table) are year − feed unless the
# feed is suppressed together with the other tables.
FEED_SCHOOLS = {"A": ([40, 9, 12], "06611000"), "B": ([15, 1, 2], None)}


@pytest.fixture
def feed_tables(tenant):
    from bildungskette.organisations.models import Organisation, OrganisationType
    from bildungskette.regions.models import Region

    for name, (counts, region) in FEED_SCHOOLS.items():
        org = Organisation.objects.create(name=f"Schule {name}", type=OrganisationType.SCHULE,
                                          region=Region.objects.get(code=region) if region else None)
        school = School.objects.create(tenant=tenant, organisation=org)
        for outcome, count in zip(OUTCOMES, counts, strict=True):
            CohortStatistic.objects.create(tenant=tenant, level=StatLevel.SCHOOL, school=school, year=2026,
                                           outcome=outcome, sector="II" if outcome == Outcome.KNOWN else "",
                                           gender="", field_code="", count=count)
    return tenant


def test_the_audit_sees_what_the_monitoring_feed_gives_away(feed_tables, monkeypatch):
    from bildungskette.transitions import statistics

    monkeypatch.setattr(statistics, "protection_apply", lambda published, threshold: None)
    exposed = _audit(feed_tables, tenant_tables(feed_tables)["tables"], 3)
    # B's "no next step" (1) = year table (10) − feed for Kassel (9).
    assert any(e.startswith("schule[1,1]: 1…1") for e in exposed), exposed


def test_secondary_suppression_covers_the_monitoring_feed(feed_tables):
    assert _audit(feed_tables, tenant_tables(feed_tables)["tables"], 3) == []
