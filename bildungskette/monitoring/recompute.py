"""Stored indicator results, recomputed in the database (issue #14).

``indicator_values_recompute`` writes one ``IndicatorValue`` per indicator × region × period.
Formulas over statistics only (``wert`` terms, numbers, + − × ÷, min/max/summe) are read with one
conditional aggregate per indicator batch: the database pivots the inputs of every region × period
into one row (value, flag, rounded, source of each input), and the formula, compiled once into
closures, does the same Decimal operations as ``formula_evaluate`` — so the results are identical
to the Python engine (``selectors.indicators_evaluate``), digit for digit. Rows stream from the
database into the result table in chunks; nothing holds all results.

The Python engine still computes what SQL cannot express or where a result has no value:
``indikator(…)`` references, group regions (sums over members), a tenant's own values, and every
cell with a missing, secret or zero input, so that its reason ("kein Wert, weil …") is the
engine's own. Inputs are not traced here: the explanation of a result is computed when someone
asks for it (``indicator_compute``).
"""

from __future__ import annotations

import ast
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import BigIntegerField, F, Func, Subquery, Sum

from bildungskette.core.bulk import rows_bulk_insert
from bildungskette.regions.models import Region, RegionKind

from .formula import Formula, formula_parse
from .models import FLAGS_WITH_NUMBER, Indicator, IndicatorValue, Period, Statistic, Value
from .selectors import (
    OBSERVATION_FLAGS,
    IndicatorResult,
    indicator_periods,
    indicators_evaluate,
    indicators_reading,
)

CHUNK = 5000
RESULT_COLUMNS = (
    "indicator_id",
    "region_id",
    "period_id",
    "tenant_id",
    "value",
    "reason",
    "flags",
    "rounded_inputs",
    "source_ids",
    "formula_hash",
    "inputs_version",
)
_ZERO = Decimal(0)


class _Fallback(Exception):
    """This cell needs the Python engine (an input is missing, secret or zero)."""


def _compile(node: ast.AST, slots: dict[tuple[int, str], int], stat_ids: dict[str, int]) -> Callable:
    """The formula as closures over one pivoted row, with formula_evaluate's operations in its order."""
    if isinstance(node, ast.BinOp):
        left, right = _compile(node.left, slots, stat_ids), _compile(node.right, slots, stat_ids)
        if isinstance(node.op, ast.Add):
            return lambda v: left(v) + right(v)
        if isinstance(node.op, ast.Sub):
            return lambda v: left(v) - right(v)
        if isinstance(node.op, ast.Mult):
            return lambda v: left(v) * right(v)

        def divide(v):
            a, b = left(v), right(v)
            if b == 0:
                raise _Fallback
            return a / b

        return divide
    if isinstance(node, ast.UnaryOp):
        operand = _compile(node.operand, slots, stat_ids)
        return lambda v: -operand(v)
    if isinstance(node, ast.Constant):
        constant = Decimal(str(node.value))
        return lambda v: constant
    name = node.func.id
    if name == "wert":
        positions = [slots[(stat_ids[node.term.statistic], key)] for key in node.term.keys()]
        if len(positions) == 1:
            (only,) = positions
            return lambda v: _ZERO + v[only]

        def term_sum(v):
            total = _ZERO
            for i in positions:
                total += v[i]
            return total

        return term_sum
    parts = [_compile(a, slots, stat_ids) for a in node.args]
    if name == "min":
        return lambda v: min([p(v) for p in parts])
    if name == "max":
        return lambda v: max([p(v) for p in parts])
    return lambda v: sum([p(v) for p in parts], _ZERO)


def _sql_capable(formulas: list[Formula], stat_ids: dict[str, int]) -> bool:
    has_terms = any(f.terms for f in formulas)  # a formula of numbers alone has nothing to read
    return has_terms and all(not f.indicators and all(t.statistic in stat_ids for t in f.terms) for f in formulas)


def _decimal_reader() -> Callable:
    """How the ORM turns a stored number into a Decimal on this engine (SQLite stores REAL), so both
    paths start from the same Decimal."""
    column = Value._meta.get_field("value").get_col(Value._meta.db_table)
    converters = [c for c in connection.ops.get_db_converters(column) if c]
    if not converters:
        return lambda raw: raw

    def read(raw):
        for converter in converters:
            raw = converter(raw, column, connection)
        return raw

    return read


def _pivot_rows(slots: dict[tuple[int, str], int], region_ids: list[int], period_ids: list[int]) -> Iterator[tuple]:
    """One row per region × period: region, period, then value, flag, rounded, source per input slot."""
    cases, params = [], []
    for stat_id, key in slots:
        for expr in ("value", "flag", "CASE WHEN rounded THEN 1 ELSE 0 END", "source_id"):
            cases.append(f"MAX(CASE WHEN statistic_id = %s AND categories = %s THEN {expr} END)")
            params += [stat_id, key]
    stats = sorted({s for s, _ in slots})
    keys = sorted({k for _, k in slots})
    table = Value._meta.db_table
    sql = (
        f"SELECT region_id, period_id, {', '.join(cases)} FROM {table} "
        f"WHERE statistic_id IN ({', '.join(['%s'] * len(stats))}) "
        f"AND categories IN ({', '.join(['%s'] * len(keys))}) AND tenant_id IS NULL "
        f"AND period_id IN ({', '.join(['%s'] * len(period_ids))}) "
        f"AND region_id IN ({', '.join(['%s'] * len(region_ids))}) "
        "GROUP BY region_id, period_id"
    )
    params += [*stats, *keys, *period_ids, *region_ids]
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while True:
            rows = cursor.fetchmany(CHUNK)
            if not rows:
                return
            yield from rows


def _result_row(indicator: Indicator, region_id: int, period_id: int, result: IndicatorResult, tenant_id) -> tuple:
    return (
        indicator.pk,
        region_id,
        period_id,
        tenant_id,
        "" if result.value is None else str(result.value),
        result.reason,
        " ".join(result.flag_codes),
        bool(result.rounded_inputs),
        ",".join(str(s) for s in sorted(result.source_ids)),
    )


def _python_rows(indicator, regions: list[Region], periods: list[Period], tenant) -> Iterator[tuple]:
    """The Python engine, a few regions at a time (its index holds their values only)."""
    tenant_id = tenant.pk if tenant is not None else None
    step = max(1, CHUNK // max(len(periods), 1))
    for start in range(0, len(regions), step):
        part = regions[start : start + step]
        results = indicators_evaluate(indicators=[indicator], regions=part, periods=periods, tenant=tenant)
        for (_, region_id, period_id), result in results.items():
            yield _result_row(indicator, region_id, period_id, result, tenant_id)


def _sql_rows(indicator, formulas, stat_ids, regions, periods) -> Iterator[tuple]:
    slots: dict[tuple[int, str], int] = {}
    for formula in formulas:
        for term in formula.terms:
            for key in term.keys():
                slots.setdefault((stat_ids[term.statistic], key), len(slots))
    numerator = _compile(formulas[0].tree, slots, stat_ids)
    denominator = _compile(formulas[1].tree, slots, stat_ids) if len(formulas) > 1 else None
    factor = indicator.factor
    n = len(slots)
    read = _decimal_reader()
    number_flags = FLAGS_WITH_NUMBER
    observation = OBSERVATION_FLAGS
    region_ids = [r.pk for r in regions]
    period_ids = [p.pk for p in periods]
    seen: set[tuple[int, int]] = set()
    fallback: dict[int, list[int]] = defaultdict(list)  # period → regions for the Python engine
    for row in _pivot_rows(slots, region_ids, period_ids):
        region_id, period_id = row[0], row[1]
        seen.add((region_id, period_id))
        values, flags, rounded, sources = [], set(), False, set()
        ok = True
        for i in range(n):
            raw, flag, was_rounded, source_id = row[2 + 4 * i : 6 + 4 * i]
            if flag is None or raw is None or flag not in number_flags:
                ok = False
                break
            values.append(read(raw))
            if was_rounded:
                rounded = True
            sources.add(source_id)
            if flag in observation:
                flags.add(flag)
        if ok:
            try:
                if denominator is None:
                    value = numerator(values) * factor
                else:
                    top = numerator(values)
                    bottom = denominator(values)
                    if bottom == 0:
                        raise _Fallback
                    value = top / bottom * factor
            except _Fallback:
                ok = False
        if not ok:
            fallback[period_id].append(region_id)
            continue
        yield (
            indicator.pk,
            region_id,
            period_id,
            None,
            str(value),
            "",
            " ".join(f for f in observation if f in flags),
            rounded,
            ",".join(str(s) for s in sorted(sources)),
        )
    for period_id in period_ids:
        for region_id in region_ids:
            if (region_id, period_id) not in seen:
                fallback[period_id].append(region_id)
    by_id = {r.pk: r for r in regions}
    period_by_id = {p.pk: p for p in periods}
    for period_id, ids in fallback.items():
        yield from _python_rows(indicator, [by_id[i] for i in ids], [period_by_id[period_id]], None)


def indicator_formula_hash(indicator: Indicator, tenant=None) -> str:
    """What a stored result depends on besides its input values: formula, factor and tenant."""
    text = "\n".join(
        [indicator.numerator, indicator.denominator, str(indicator.factor), str(getattr(tenant, "pk", ""))]
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _input_codes(indicator: Indicator) -> set[str] | None:
    """The statistics an indicator reads, or None if it reads other indicators (never stored-only)."""
    formulas = [formula_parse(indicator.numerator)]
    if indicator.denominator.strip():
        formulas.append(formula_parse(indicator.denominator))
    if any(f.indicators for f in formulas):
        return None
    return {t.statistic for f in formulas for t in f.terms}


def _inputs_version_expression(codes) -> Subquery:
    return Subquery(
        Statistic.objects.filter(code__in=codes)
        .order_by()
        .values(total=Func(F("data_version"), function="SUM", output_field=BigIntegerField()))[:1]
    )


def _inputs_version(codes) -> int:
    return Statistic.objects.filter(code__in=codes).aggregate(total=Sum("data_version"))["total"] or 0


def indicator_results_current(
    *, indicator: Indicator, regions: list[Region], periods: list[Period], tenant=None
) -> dict[tuple[str, int, int], IndicatorResult]:
    """Results like ``indicators_evaluate`` for one indicator: the stored results where they are
    current (same formula, tenant and input data version), the live engine for every region with a
    cell that has none. Group regions are always computed live (their members may change). The stored
    results carry no traced inputs: the explanation of a result is computed when someone asks for it."""
    plain = [r for r in regions if r.kind not in (RegionKind.GROUP, RegionKind.AGENTURBEZIRK)]
    look = indicator.pk is not None and indicator.has_stored_results and plain and periods
    codes = _input_codes(indicator) if look else None
    results: dict[tuple[str, int, int], IndicatorResult] = {}
    if codes:
        rows = IndicatorValue.objects.filter(
            indicator=indicator,
            tenant_id=getattr(tenant, "pk", None),
            region__in=[r.pk for r in plain],
            period__in=[p.pk for p in periods],
            formula_hash=indicator_formula_hash(indicator, tenant),
            inputs_version=_inputs_version_expression(codes),
        ).values_list("region_id", "period_id", "value", "reason", "flags", "rounded_inputs", "source_ids")
        region_code = {r.pk: r.code for r in plain}
        period_of = {p.pk: p for p in periods}
        for region_id, period_id, value, reason, flags, rounded, sources in rows:
            period = period_of[period_id]
            results[(indicator.code, region_id, period_id)] = IndicatorResult(
                indicator=indicator.code,
                region=region_code[region_id],
                period=period.code,
                value=Decimal(value) if value else None,
                reason=reason,
                rounded_inputs=rounded,
                source_ids={int(s) for s in sources.split(",") if s},
                year=period.year,
                decimals=indicator.decimals,
                flags=set(flags.split()),
            )
    missing = [r for r in regions if any((indicator.code, r.pk, p.pk) not in results for p in periods)]
    if missing:
        results.update(indicators_evaluate(indicators=[indicator], regions=missing, periods=periods, tenant=tenant))
    return results


def indicator_values_recompute(
    *, indicators: list[Indicator], regions: list[Region], periods: list[Period] | None = None, tenant=None
) -> int:
    """Replace the stored results of ``indicators`` for ``regions`` × ``periods`` (default: the
    periods with data of each indicator); returns the number of results written."""
    groups = [r for r in regions if r.kind in (RegionKind.GROUP, RegionKind.AGENTURBEZIRK)]
    plain = [r for r in regions if r.kind not in (RegionKind.GROUP, RegionKind.AGENTURBEZIRK)]
    tenant_id = tenant.pk if tenant is not None else None
    table = IndicatorValue._meta.db_table
    written = 0
    with transaction.atomic():
        IndicatorValue.objects.filter(indicator__in=indicators, region__in=regions, tenant_id=tenant_id).delete()
        for indicator in indicators:
            ind_periods = periods if periods is not None else indicator_periods(indicator=indicator, tenant=tenant)
            if not ind_periods:
                continue
            formulas = [formula_parse(indicator.numerator)]
            if indicator.denominator.strip():
                formulas.append(formula_parse(indicator.denominator))
            codes = {t.statistic for f in formulas for t in f.terms}
            # The stamp is read before the values: a write in between leaves the results stale, never wrong.
            stamp = (indicator_formula_hash(indicator, tenant), _inputs_version(codes))
            stat_ids = dict(Statistic.objects.filter(code__in=codes).values_list("code", "pk"))
            if tenant is None and plain and _sql_capable(formulas, stat_ids):
                rows = _sql_rows(indicator, formulas, stat_ids, plain, ind_periods)
                python_regions = groups
            else:
                rows = iter(())
                python_regions = regions
            chunks = [rows]
            if python_regions:
                chunks.append(_python_rows(indicator, python_regions, ind_periods, tenant))
            for source in chunks:
                buffer = []
                for row in source:
                    buffer.append((*row, *stamp))
                    if len(buffer) >= CHUNK:
                        written += rows_bulk_insert(table, RESULT_COLUMNS, buffer)
                        buffer = []
                if buffer:
                    written += rows_bulk_insert(table, RESULT_COLUMNS, buffer)
        Indicator.objects.filter(pk__in=[i.pk for i in indicators]).update(has_stored_results=True)
    for indicator in indicators:
        indicator.has_stored_results = True
    return written


def indicator_values_refresh(statistic_codes) -> int:
    """After an import: recompute the stored public results of every indicator that has them and reads
    one of these statistics, for the regions it has stored results for (background task
    ``tasks.charts_prerender``). Until then pages compute live: stale results are never shown."""
    written = 0
    for indicator in indicators_reading(statistic_codes):
        if not indicator.has_stored_results:
            continue
        regions = list(
            Region.objects.filter(
                pk__in=IndicatorValue.objects.filter(indicator=indicator, tenant__isnull=True).values("region_id")
            ).defer("boundary")
        )
        if regions:
            written += indicator_values_recompute(indicators=[indicator], regions=regions)
    return written


def indicator_value_results(*, indicator: Indicator, tenant=None) -> dict[tuple[int, int], IndicatorResult]:
    """The stored results of one indicator as IndicatorResults (without the traced inputs)."""
    rows = IndicatorValue.objects.filter(indicator=indicator, tenant=tenant).values_list(
        "region_id",
        "region__code",
        "period_id",
        "period__code",
        "period__year",
        "value",
        "reason",
        "flags",
        "rounded_inputs",
        "source_ids",
    )
    out = {}
    for region_id, region_code, period_id, period_code, year, value, reason, flags, rounded, sources in rows:
        out[(region_id, period_id)] = IndicatorResult(
            indicator=indicator.code,
            region=region_code,
            period=period_code,
            value=Decimal(value) if value else None,
            reason=reason,
            rounded_inputs=rounded,
            source_ids={int(s) for s in sources.split(",") if s},
            year=year,
            decimals=indicator.decimals,
            flags=set(flags.split()),
        )
    return out
