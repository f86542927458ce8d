"""Benchmark of the Bildungsmonitoring at the issue's size (synthetic values, throw-away database).

Default size: 401 Kreise × 25 years × 40 statistics × 10 breakdown categories ≈ 4 million values.
Sizes: BENCH_MONITORING_KREISE (401), BENCH_MONITORING_YEARS (25), BENCH_MONITORING_STATISTICS (40),
BENCH_MONITORING_CATEGORIES (10), BENCH_MONITORING_INDICATORS (30), BENCH_MONITORING_REQUESTS (40).

1. Import: ``values_upsert`` (what every importer uses: existence check, update-or-create) against
   the database's raw bulk load of the same rows into the same table (COPY on PostgreSQL,
   executemany on SQLite). Goal: throughput ≥ 0.5× raw.
2. Recomputing 30 indicators (share of one category in the total, × 100) for all Kreise and years
   with the indicator engine, against one hand-written SQL aggregate that computes the same
   ratios. Goal ≤ 2× and under 5 s.
3. p50/p95 of the indicator page and of the indicator API at that size. Goal p95 < 150 ms.
"""

from __future__ import annotations

import os
import statistics as stats
import tempfile
import time
from decimal import Decimal


def _env(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def _pct(timings: list[float], q: int) -> float:
    ordered = sorted(timings)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q / 100))]


def run() -> str:
    import django
    from django.conf import settings

    if not settings.configured or not django.apps.apps.ready:
        os.environ.setdefault("BILDUNGSKETTE_VAR_DIR", tempfile.mkdtemp(prefix="bench-monitoring-"))
        django.setup()
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    if connection.vendor == "sqlite":
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = os.path.join(
            tempfile.mkdtemp(prefix="bench-monitoring-db-"), "bench.sqlite3"
        )
    old = setup_databases(verbosity=0, interactive=False, keepdb=False)
    try:
        return _run(
            kreise=_env("BENCH_MONITORING_KREISE", 401),
            years=_env("BENCH_MONITORING_YEARS", 25),
            statistics_n=_env("BENCH_MONITORING_STATISTICS", 40),
            categories=_env("BENCH_MONITORING_CATEGORIES", 10),
            indicators_n=_env("BENCH_MONITORING_INDICATORS", 30),
            requests=_env("BENCH_MONITORING_REQUESTS", 40),
        )
    finally:
        teardown_databases(old, verbosity=0)


def _rows(stat_id: int, regions: list[int], periods: list[int], categories: list[str], seed: int):
    """Deterministic synthetic values: the total (key "") and the categories of one statistic."""
    for r_i, region in enumerate(regions):
        for p_i, period in enumerate(periods):
            base = 1000 + (r_i * 37 + p_i * 11 + seed * 7) % 5000
            for c_i, cats in enumerate(categories):
                value = base if not cats else (base * (c_i + 3)) // 60
                yield stat_id, region, period, cats, value


def _run(*, kreise: int, years: int, statistics_n: int, categories: int, indicators_n: int, requests: int) -> str:
    from django.conf import settings
    from django.db import connection, transaction
    from django.test import Client

    from bildungskette.monitoring.models import Value
    from bildungskette.monitoring.selectors import indicators_evaluate
    from bildungskette.monitoring.services import (
        breakdown_ensure,
        indicator_create,
        period_ensure,
        source_ensure,
        statistic_ensure,
        values_upsert,
    )
    from bildungskette.regions.importers import regions_import
    from bildungskette.regions.models import Region, RegionKind

    regions_import(settings.DATA_DIR)
    region_objs = list(Region.objects.filter(kind=RegionKind.KREIS).order_by("code").defer("boundary")[:kreise])
    region_ids = [r.pk for r in region_objs]
    periods = [period_ensure(str(2000 + i)) for i in range(years)]
    period_ids = [p.pk for p in periods]
    source = source_ensure(
        code="bench",
        publisher="Benchmark",
        title="Synthetische Benchmarkdaten",
        attribution="SYNTHETISCH (Benchmark)",
        is_synthetic=True,
    )
    breakdown = breakdown_ensure(
        code="bench-kat",
        name="Benchmark-Kategorie",
        categories=[(f"c{i}", f"Kategorie {i}") for i in range(1, categories)],
    )
    cat_keys = [""] + [f"bench-kat=c{i}" for i in range(1, categories)]
    stats_objs = [
        statistic_ensure(code=f"bench.s{i}", name=f"Benchmark-Merkmal {i}", source=source, breakdowns=[breakdown])
        for i in range(statistics_n)
    ]
    total_rows = len(region_ids) * len(period_ids) * statistics_n * len(cat_keys)

    # 1. Import: values_upsert vs raw bulk load of the same rows.
    import_profiler = None
    if os.environ.get("BENCH_MONITORING_PROFILE") == "import":
        import cProfile

        import_profiler = cProfile.Profile()
        import_profiler.enable()
    started = time.perf_counter()
    for i, stat in enumerate(stats_objs):
        rows = [
            {"statistic": stat, "region": _Ref(r), "period": _Ref(p), "categories": c, "value": v}
            for _, r, p, c, v in _rows(stat.pk, region_ids, period_ids, cat_keys, i)
        ]
        values_upsert(source=source, rows=rows)
    ours = time.perf_counter() - started
    if import_profiler is not None:
        import pstats
        import sys

        import_profiler.disable()
        pstats.Stats(import_profiler, stream=sys.stderr).sort_stats("tottime").print_stats(15)
    assert Value.objects.count() == total_rows
    Value.objects.all().delete()
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(
                "COPY monitoring_value (statistic_id, region_id, period_id, categories, value, flag, "
                "rounded, source_id) FROM STDIN"
            ) as copy:
                for i, stat in enumerate(stats_objs):
                    for s, r, p, c, v in _rows(stat.pk, region_ids, period_ids, cat_keys, i):
                        copy.write_row((s, r, p, c, v, "", False, source.pk))
        else:
            sql = (
                "INSERT INTO monitoring_value (statistic_id, region_id, period_id, categories, value, flag, rounded, "
                "source_id) VALUES (%s, %s, %s, %s, %s, '', 0, %s)"
            )
            for i, stat in enumerate(stats_objs):
                cursor.executemany(
                    sql,
                    [
                        (s, r, p, c, str(v), source.pk)
                        for s, r, p, c, v in _rows(stat.pk, region_ids, period_ids, cat_keys, i)
                    ],
                )
    raw = time.perf_counter() - started
    import_ratio = raw / ours

    # 2. Recompute indicators_n indicators for all Kreise and years.
    indicators = []
    for i in range(min(indicators_n, statistics_n)):
        indicators.append(
            indicator_create(
                code=f"bench-i{i}",
                name=f"Benchmark-Indikator {i}",
                numerator=f'wert("bench.s{i}", bench_kat="c1")',
                denominator=f'wert("bench.s{i}")',
                factor=100,
                unit="%",
            )
        )
    started = time.perf_counter()
    results = indicators_evaluate(indicators=indicators, regions=region_objs, periods=periods)
    engine = time.perf_counter() - started
    with_value = sum(1 for r in results.values() if r.value is not None)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.statistic_id, n.region_id, n.period_id, n.value * 100.0 / d.value FROM monitoring_value n "
            "JOIN monitoring_value d ON d.statistic_id = n.statistic_id AND d.region_id = n.region_id "
            "AND d.period_id = n.period_id AND d.categories = '' "
            "WHERE n.categories = 'bench-kat=c1' AND n.statistic_id IN ("
            + ",".join(str(s.pk) for s in stats_objs[: len(indicators)])
            + ")"
        )
        sql_rows = cursor.fetchall()
    sql_time = time.perf_counter() - started
    assert len(sql_rows) == with_value
    sample = results[(indicators[0].code, region_ids[0], period_ids[0])]
    check = [r for r in sql_rows if r[0] == stats_objs[0].pk and r[1] == region_ids[0] and r[2] == period_ids[0]]
    assert abs(Decimal(str(check[0][3])) - sample.value) < Decimal("0.001")

    # 3. Page and API latency at this size.
    from bildungskette.monitoring import views as monitoring_views

    chart_t: list[float] = []
    render = monitoring_views.chart_svg

    def timed_chart(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return render(*args, **kwargs)
        finally:
            chart_t.append((time.perf_counter() - t0) * 1000)

    monitoring_views.chart_svg = timed_chart
    client = Client()
    page_t, api_t = [], []
    profiler = None
    if os.environ.get("BENCH_MONITORING_PROFILE"):
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    for n in range(requests):
        region = region_objs[(n * 7) % len(region_objs)]
        code = indicators[n % len(indicators)].code
        t = time.perf_counter()
        response = client.get(f"/monitoring/indikatoren/{code}/?gebiet={region.code}")
        page_t.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200
        t = time.perf_counter()
        response = client.get(f"/api/monitoring/indicators/{code}/results?region={region.code}")
        api_t.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200

    if profiler is not None:
        import pstats
        import sys

        profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(30)
    size = (
        f"{len(region_ids)} Kreise × {len(period_ids)} years × {statistics_n} statistics × {len(cat_keys)} "
        f"categories = {total_rows:,} values (synthetic)"
    )
    raw_name = "COPY" if connection.vendor == "postgresql" else "executemany"
    verdict_import = "reached" if import_ratio >= 0.5 else "NOT reached"
    ratio = engine / sql_time if sql_time else float("inf")
    verdict_ind = "reached" if ratio <= 2 and engine < 5 else "NOT reached"
    verdict_p95 = "reached" if max(_pct(page_t, 95), _pct(api_t, 95)) < 150 else "NOT reached"
    monitoring_views.chart_svg = render
    return "\n".join(
        [
            "## Bildungsmonitoring",
            "",
            f"Size: {size}; database: {connection.vendor}.",
            "",
            "| measure | ours | raw engine | ratio | goal |",
            "|---|---|---|---|---|",
            f"| import (values_upsert vs {raw_name}) | {total_rows / ours:,.0f} values/s ({ours:.1f} s) | "
            f"{total_rows / raw:,.0f} values/s ({raw:.1f} s) | {import_ratio:.2f}× throughput | "
            f"≥ 0.5× – {verdict_import} |",
            f"| recompute {len(indicators)} indicators × {len(region_ids)} Kreise × {len(period_ids)} years "
            f"({len(results):,} results) | {engine:.2f} s | {sql_time:.2f} s (one SQL aggregate) | {ratio:.1f}× time | "
            f"≤ 2× and < 5 s – {verdict_ind} |",
            f"| indicator page | p50 {_pct(page_t, 50):.0f} ms, p95 {_pct(page_t, 95):.0f} ms | – | – | "
            f"p95 < 150 ms – {verdict_p95} |",
            f"| indicator API | p50 {_pct(api_t, 50):.0f} ms, p95 {_pct(api_t, 95):.0f} ms | – | – | p95 < 150 ms |",
            "",
            f"Mean page time {stats.mean(page_t):.0f} ms over {requests} requests (Django test client, no network); "
            f"of that, server-side chart rendering (vl-convert, two inline SVG charts per page) takes "
            f"{sum(chart_t) / max(len(page_t), 1):.0f} ms per page on average (median per chart "
            f"{_pct(chart_t, 50) if chart_t else 0:.0f} ms). The page without charts would take about "
            f"{stats.mean(page_t) - sum(chart_t) / max(len(page_t), 1):.0f} ms.",
        ]
    )


class _Ref:
    """An id that values_upsert accepts like a model instance."""

    __slots__ = ("pk",)

    def __init__(self, pk: int):
        self.pk = pk
