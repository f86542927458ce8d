"""Planner statistics (issue #14): imports end with ANALYZE, and a statistic's periods come from
index probes, never from a scan of its values — checked with the engine's own EXPLAIN."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bildungskette.core.dbstats import tables_analyze
from bildungskette.monitoring.models import Period, Value
from bildungskette.monitoring.selectors import indicator_periods, indicator_regions_with_data
from bildungskette.monitoring.services import (
    breakdown_ensure,
    indicator_create,
    period_ensure,
    source_ensure,
    statistic_ensure,
)
from bildungskette.regions.models import Region, RegionKind


def _row_estimate(table: str) -> int:
    """What the planner believes the table holds (SQLite: sqlite_stat1; PostgreSQL: pg_class)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if not cursor.fetchone():
                return -1
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s AND idx IS NULL OR tbl = %s", [table, table])
            row = cursor.fetchone()
            return int(row[0].split()[0]) if row else -1
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        return int(cursor.fetchone()[0])


@pytest.mark.django_db
def test_import_ends_with_analyze_of_the_value_table(catalogue):
    from django.conf import settings

    from bildungskette.monitoring.importers import import_file

    import_file(settings.DATA_DIR / "genesis" / "21111-02-06-4.csv", fmt="genesis")
    count = Value.objects.count()
    assert count > 1000
    assert _row_estimate("monitoring_value") == count


@pytest.mark.django_db
def test_tables_analyze_refuses_what_is_not_a_model_or_table():
    with pytest.raises(TypeError, match="not a model or table name"):
        tables_analyze(42)
    assert tables_analyze("no_such_table") == []
    assert tables_analyze(Value) == ["monitoring_value"]


def _bulk_values(years: int = 30, others: int = 19, kreise_n: int = 60):
    """A realistic shape for the planner: the probed statistic is one of 20, with values in every
    other year; the other statistics have values in every year."""
    source = source_ensure(
        code="plan", publisher="Test", title="Synthetisch", attribution="SYNTHETISCH", is_synthetic=True
    )
    breakdown = breakdown_ensure(code="plan-kat", name="Kategorie", categories=[("a", "A")])
    stat = statistic_ensure(code="plan.s", name="Merkmal", source=source, breakdowns=[breakdown])
    other_stats = [
        statistic_ensure(code=f"plan.o{i}", name=f"Anderes Merkmal {i}", source=source, breakdowns=[])
        for i in range(others)
    ]
    periods = [period_ensure(str(1990 + i)) for i in range(years)]
    kreise = list(Region.objects.filter(kind=RegionKind.KREIS).order_by("code").values_list("pk", flat=True))
    rows = []
    for i, period in enumerate(periods):
        for region in kreise[:kreise_n]:
            if i % 2 == 0:
                rows += [
                    Value(statistic=stat, region_id=region, period=period, categories=k, value=1, source=source)
                    for k in ("", "plan-kat=a")
                ]
            rows += [Value(statistic=o, region_id=region, period=period, value=2, source=source) for o in other_stats]
    Value.objects.bulk_create(rows, batch_size=5000)
    tables_analyze(Value, Period)
    return stat, periods


def _plan(sql: str) -> str:
    """The engine's plan for the statement exactly as the selector sent it (parameters inlined)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            return "\n".join(str(row[-1]) for row in cursor.fetchall())
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.django_db
def test_indicator_periods_probe_the_index_and_never_scan_the_values():
    stat, periods = _bulk_values()
    indicator = indicator_create(
        code="plan-i", name="Plan", numerator='wert("plan.s", plan_kat="a")', denominator='wert("plan.s")'
    )
    with CaptureQueriesContext(connection) as captured:
        found = indicator_periods(indicator=indicator)
    # Independently: the years with an even offset hold the statistic's values.
    assert [p.code for p in found] == [p.code for i, p in enumerate(periods) if i % 2 == 0]
    query = next(
        q["sql"]
        for q in captured.captured_queries
        if "monitoring_period" in q["sql"] and "monitoring_value" in q["sql"]
    )
    plan = _plan(query)
    # The probe is keyed by statistic and period (not a walk through one period's or one statistic's rows).
    assert "monitoring_value_stat_per_ten" in plan, plan
    if connection.vendor == "sqlite":
        assert "statistic_id=? AND period_id=?" in plan, plan
        assert "SCAN monitoring_value" not in plan, plan
    else:
        assert "Seq Scan on monitoring_value" not in plan, plan
        assert "Hash" not in plan, plan


@pytest.mark.django_db
def test_regions_with_data_are_the_kreise_with_values(tenant):
    stat, periods = _bulk_values(years=2, others=1)
    indicator = indicator_create(code="plan-r", name="Plan", numerator='wert("plan.s")')
    kreise = set(Region.objects.filter(kind=RegionKind.KREIS).order_by("code").values_list("code", flat=True)[:60])
    assert set(indicator_regions_with_data(indicator=indicator).values_list("code", flat=True)) == kreise
    # A tenant's own value is visible to that tenant only.
    gemeinde = Region.objects.exclude(kind=RegionKind.KREIS).first()
    Value.objects.create(statistic=stat, region=gemeinde, period=periods[0], value=3, source=stat.source, tenant=tenant)
    assert gemeinde.code not in set(indicator_regions_with_data(indicator=indicator).values_list("code", flat=True))
    assert gemeinde.code in set(
        indicator_regions_with_data(indicator=indicator, tenant=tenant).values_list("code", flat=True)
    )
