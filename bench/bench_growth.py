"""Growth of the Bildungsmonitoring: recompute and indicator page at 1×, 2× and 4× of 4 M values.

Runs only when named (``make bench BENCH=growth``) and on PostgreSQL (``DATABASE_URL``). Values are
generated in the database by one ``INSERT … SELECT`` over the statistic, Kreis, year and category ids
(synthetic, GENESIS shape: a total and 13 categories per statistic, 401 Kreise × 25 years), with the
value table's foreign keys and plain indexes created again after the load (``bench/bulkload.py``);
each step adds as many statistics again (BENCH_GROWTH_PER_STEP, 30), with one indicator per statistic.
Measured at each size on analysed tables: the recompute of every indicator (time per result), and
p50/p95 of the indicator page and API for indicators of the first statistics.
Scales: BENCH_GROWTH_SCALES ("1,2,4"), requests: BENCH_GROWTH_REQUESTS (30).
"""

from __future__ import annotations

import os
import time

from bench.bench_monitoring import _pct, database_setup, page_latency, rss_peak, rss_peak_reset
from bench.bulkload import value_table_bulk_mode
from bench.figures import sig2

ONLY_WHEN_NAMED = True
PER_STEP = int(os.environ.get("BENCH_GROWTH_PER_STEP") or 30)  # statistics (and indicators) per 4 M values
KEYS = ["", *[f"kat=c{i}" for i in range(1, 14)]]


def run() -> str:
    from django.db import connection
    from django.test.utils import teardown_databases

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return (
            "## Growth of the Bildungsmonitoring\n\nNot measured: this benchmark runs on PostgreSQL only "
            "(DATABASE_URL=postgres://… make bench BENCH=growth)."
        )
    old = database_setup()
    try:
        scales = [int(x) for x in (os.environ.get("BENCH_GROWTH_SCALES") or "1,2,4").split(",")]
        return _run(scales, int(os.environ.get("BENCH_GROWTH_REQUESTS") or 30), connection)
    finally:
        teardown_databases(old, verbosity=0)


def _run(scales: list[int], requests: int, connection) -> str:
    from django.conf import settings

    from bildungskette.core.dbstats import tables_analyze
    from bildungskette.monitoring.models import Value
    from bildungskette.monitoring.recompute import indicator_values_recompute
    from bildungskette.monitoring.services import (
        breakdown_ensure,
        indicator_create,
        period_ensure,
        source_ensure,
        statistic_ensure,
    )
    from bildungskette.regions.importers import regions_import
    from bildungskette.regions.models import Region, RegionKind

    regions_import(settings.DATA_DIR)
    kreise = list(Region.objects.filter(kind=RegionKind.KREIS).order_by("code").defer("boundary")[:401])
    periods = [period_ensure(str(1999 + y)) for y in range(25)]
    source = source_ensure(
        code="growth",
        publisher="Benchmark",
        title="Synthetische Benchmarkdaten",
        attribution="SYNTHETISCH (Benchmark)",
        is_synthetic=True,
    )
    kat = breakdown_ensure(code="kat", name="Kategorie", categories=[(f"c{i}", f"Kategorie {i}") for i in range(1, 14)])
    indicators, stats, rows = [], [], []
    for scale in scales:
        while len(stats) < scale * PER_STEP:
            i = len(stats)
            stat = statistic_ensure(
                code=f"growth.s{i}", name=f"Merkmal {i} (synthetisch)", source=source, breakdowns=[kat]
            )
            stats.append(stat)
            indicators.append(
                indicator_create(
                    code=f"growth-i{i}",
                    name=f"Indikator {i} (synthetisch)",
                    numerator=f'wert("growth.s{i}", kat="c1")',
                    denominator=f'wert("growth.s{i}")',
                    factor=100,
                    unit="%",
                )
            )
        new_ids = [s.pk for s in stats if not Value.objects.filter(statistic=s).exists()]
        started = time.perf_counter()
        with value_table_bulk_mode(Value), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO monitoring_value (statistic_id, region_id, period_id, categories, value, flag, rounded, "
                "source_id, revised) "
                "SELECT s, r, p, k, CASE WHEN k = '' THEN 600 + (r * 37 + p * 11 + s * 7) %% 4000 "
                "ELSE (600 + (r * 37 + p * 11 + s * 7) %% 4000) * (ord + 2) / 40 END, '', false, %s, false "
                "FROM unnest(%s::int[]) s, unnest(%s::int[]) r, unnest(%s::int[]) p, "
                "unnest(%s::text[]) WITH ORDINALITY AS c(k, ord)",
                [source.pk, new_ids, [k.pk for k in kreise], [p.pk for p in periods], KEYS],
            )
        load = time.perf_counter() - started
        started = time.perf_counter()
        tables_analyze(Value)
        analyze = time.perf_counter() - started
        total = Value.objects.count()
        base = rss_peak_reset()
        started = time.perf_counter()
        if os.environ.get("BENCH_GROWTH_PROFILE"):
            import cProfile
            import pstats
            import sys

            profiler = cProfile.Profile()
            written = profiler.runcall(
                indicator_values_recompute, indicators=indicators, regions=kreise, periods=periods
            )
            pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
        else:
            written = indicator_values_recompute(indicators=indicators, regions=kreise, periods=periods)
        recompute = time.perf_counter() - started
        memory = rss_peak() - base
        page_t, api_t, _charts, _signed = page_latency(indicators[:PER_STEP], kreise, requests)
        rows.append((scale, total, load, analyze, written, recompute, memory, page_t, api_t))
        print(f"growth ×{scale}: {total:,} values, recompute {recompute:.1f} s", flush=True)
    first = rows[0]
    lines = [
        "## Growth of the Bildungsmonitoring (PostgreSQL)",
        "",
        "",  # verdict, filled in below
        "",
        f"Synthetic values generated in the database; each step adds {PER_STEP} statistics (a total and 13 "
        f"categories × {len(kreise)} Kreise × {len(periods)} years) and one indicator per statistic. "
        "Recompute = `indicator_values_recompute` of every indicator; page/API = indicators of the first "
        f"{PER_STEP} statistics, {requests} requests each (Django test client).",
        "",
        "| values | load (incl. keys and indexes) + ANALYZE | results | recompute | per 100,000 results | "
        "growth vs 1× (work grew) | "
        "peak RSS growth | page p50 / p95 | API p50 / p95 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for _scale, total, load, analyze, written, recompute, memory, page_t, api_t in rows:
        lines.append(
            f"| {total:,} | {load:.0f} s + {analyze:.1f} s | {written:,} | {recompute:.1f} s | "
            f"{recompute / written * 1e5:.2f} s | {sig2(recompute / first[5])}× ({sig2(written / first[4])}×) | "
            f"{memory / 1e6:.0f} MB | {_pct(page_t, 50):.0f} / {_pct(page_t, 95):.0f} ms | "
            f"{_pct(api_t, 50):.0f} / {_pct(api_t, 95):.0f} ms |"
        )
    last = rows[-1]
    per_result = (last[5] / last[4]) / (first[5] / first[4])
    page_growth = _pct(last[7], 50) / _pct(first[7], 50)
    linear = per_result <= 1.25 and page_growth <= 1.5
    size_note = (
        ""
        if PER_STEP >= 30
        else f"NOT at goal size: {PER_STEP} statistics per step instead of 30 (BENCH_GROWTH_PER_STEP), so "
        f"{first[1]:,} to {last[1]:,} values instead of 4 M to 16 M. "
    )
    lines[2] = size_note + (
        f"Growth {'linear or better' if linear else 'NOT linear'}: from {first[1]:,} to {last[1]:,} values the "
        f"recompute time per result changed {sig2(per_result)}× and the median page time {sig2(page_growth)}× "
        "(linear: ≤ 1.25× per result, page ≤ 1.5×)."
    )
    return "\n".join(lines)
