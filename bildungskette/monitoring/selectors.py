"""Every non-trivial read of the monitoring app, and the indicator engine.

Stable surface for other apps (see docs/monitoring.md):

- ``indicator_compute(*, indicator, region, period, tenant=None) -> IndicatorResult``
- ``indicator_series(*, indicator, region, tenant=None) -> list[IndicatorResult]``
- ``indicator_results(*, indicator, regions, periods=None, tenant=None)``
  ``-> dict[(region_id, period_id), IndicatorResult]``
- ``indicator_by_code(code)``, ``indicators_visible_to(user, tenant)``
- ``values_table(*, table=None, statistic=None, region=None, year=None, tenant=None) -> list[dict]``

An indicator without all inputs has no value and says why; it is never computed as if a
missing or secret input were 0. Results computed on rounded inputs say so.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet

from bildungskette.core.selectors import user_roles
from bildungskette.regions.models import Region, RegionKind

from .formula import Formula, Missing, formula_evaluate, formula_parse
from .models import (
    FLAGS_WITH_NUMBER,
    Aggregation,
    Flag,
    Indicator,
    Period,
    Source,
    Statistic,
    Value,
    Visibility,
)

FLAG_LABELS = {f.value: str(f.label) for f in Flag}
# Flags that qualify a number (shown beside it everywhere); the others replace the number.
OBSERVATION_FLAGS = ("p", "r", "s", "()")


@dataclass
class IndicatorResult:
    indicator: str
    region: str  # region code
    period: str  # period code
    value: Decimal | None
    reason: str = ""
    rounded_inputs: bool = False
    inputs: dict = field(default_factory=dict)  # label -> number (str) or flag text
    source_ids: set = field(default_factory=set)
    year: int | None = None
    decimals: int = 1
    flags: set = field(default_factory=set)  # observation flags of the inputs: p, r, s, ()

    @property
    def has_value(self) -> bool:
        return self.value is not None

    @property
    def rounded_value(self) -> Decimal | None:
        if self.value is None:
            return None
        return self.value.quantize(Decimal(1).scaleb(-self.decimals), rounding=ROUND_HALF_UP)

    def display(self) -> str:
        """German number (decimal comma, thin grouping) or "kein Wert"."""
        if self.value is None:
            return "kein Wert"
        return number_de(self.rounded_value, self.decimals)

    def as_dict(self) -> dict:
        return {
            "indicator": self.indicator,
            "region": self.region,
            "period": self.period,
            "year": self.year,
            "value": float(self.rounded_value) if self.value is not None else None,
            "value_exact": str(self.value) if self.value is not None else None,
            "reason": self.reason,
            "rounded_inputs": self.rounded_inputs,
            "inputs": self.inputs,
            "flags": self.flag_codes,
            "flag_labels": self.flag_labels,
        }

    @property
    def flag_codes(self) -> list[str]:
        """Flags of the value (vorläufig, berichtigt, geschätzt, eingeschränkt), in a fixed order."""
        return [f for f in OBSERVATION_FLAGS if f in self.flags] if self.value is not None else []

    @property
    def flag_labels(self) -> list[str]:
        return [FLAG_LABELS[f] for f in self.flag_codes]

    @property
    def flag_pairs(self) -> list[tuple[str, str]]:
        return [(f, FLAG_LABELS[f]) for f in self.flag_codes]

    @property
    def flag_text(self) -> str:
        """"p = vorläufige Zahl; s = geschätzte Zahl" – for exports and titles."""
        return "; ".join(f"{f} = {FLAG_LABELS[f]}" for f in self.flag_codes)


def number_de(value: Decimal | float | int | None, decimals: int = 0) -> str:
    if value is None:
        return "–"
    text = f"{float(value):,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


# --------------------------------------------------------------------------- visibility


def sources_visible_to(tenant) -> QuerySet[Source]:
    if tenant is None:
        return Source.objects.filter(tenant__isnull=True)
    return Source.objects.filter(Q(tenant__isnull=True) | Q(tenant=tenant))


def statistics_visible_to(tenant) -> QuerySet[Statistic]:
    if tenant is None:
        return Statistic.objects.filter(Q(source__isnull=True) | Q(source__tenant__isnull=True))
    return Statistic.objects.filter(Q(source__isnull=True) | Q(source__tenant__isnull=True) | Q(source__tenant=tenant))


def indicators_visible_to(user, tenant) -> QuerySet[Indicator]:
    """Public indicators for everyone; internal ones and a tenant's own for its members."""
    qs = Indicator.objects.all()
    member = (
        tenant is not None
        and user is not None
        and user.is_authenticated
        and (user.is_superuser or bool(user_roles(user, tenant)))
    )
    if not member:
        return qs.filter(visibility=Visibility.PUBLIC, tenant__isnull=True)
    return qs.filter(Q(tenant__isnull=True) | Q(tenant=tenant))


def indicator_by_code(code: str) -> Indicator | None:
    return Indicator.objects.filter(code=code).first()


# --------------------------------------------------------------------------- engine


@dataclass
class _Compiled:
    indicator: Indicator
    numerator: Formula
    denominator: Formula | None


def _compile(indicator: Indicator, seen: dict | None = None, pool: dict | None = None) -> dict[str, _Compiled]:
    """The indicator and every indicator it references, parsed once."""
    seen = {} if seen is None else seen
    if indicator.code in seen:
        return seen
    num = formula_parse(indicator.numerator)
    den = formula_parse(indicator.denominator) if indicator.denominator.strip() else None
    seen[indicator.code] = _Compiled(indicator, num, den)
    refs = set(num.indicators) | set(den.indicators if den else [])
    if refs - set(seen):
        # One query for the whole (small) catalogue instead of one per reference.
        if pool is None:
            pool = {i.code: i for i in Indicator.objects.all()}
        for ref in refs - set(seen):
            if ref in pool:
                _compile(pool[ref], seen, pool)
    return seen


class ValueIndex:
    """The values an evaluation needs, loaded in one query and indexed in memory."""

    def __init__(
        self,
        *,
        statistic_codes: set[str],
        region_ids: set[int] | None,
        period_ids: set[int] | None,
        tenant=None,
        category_keys: set[str] | None = None,
    ):
        self.stats = {s.code: s for s in Statistic.objects.filter(code__in=statistic_codes)}
        qs = Value.objects.filter(statistic_id__in=[s.pk for s in self.stats.values()])
        if category_keys is not None:
            # Only the breakdown categories the formulas use (a table may have hundreds).
            qs = qs.filter(categories__in=category_keys)
        if region_ids is not None:
            qs = qs.filter(region_id__in=region_ids)
        if period_ids is not None:
            qs = qs.filter(period_id__in=period_ids)
        qs = qs.filter(tenant__isnull=True) if tenant is None else qs.filter(Q(tenant__isnull=True) | Q(tenant=tenant))
        by_id = {s.pk: s.code for s in self.stats.values()}
        self.data: dict[tuple, tuple] = {}
        self.periods_with_data: set[int] = set()
        rows = qs.values_list(
            "statistic_id",
            "region_id",
            "period_id",
            "categories",
            "value",
            "flag",
            "rounded",
            "source_id",
            "tenant_id",
        )
        for stat_id, region_id, period_id, cats, value, flag, rounded, source_id, tenant_id in rows.iterator(
            chunk_size=20000
        ):
            key = (by_id[stat_id], region_id, period_id, cats)
            # A tenant's own value wins over the shared one.
            if tenant_id is None and key in self.data:
                continue
            self.data[key] = (value, flag, rounded, source_id)
            self.periods_with_data.add(period_id)
        self.members: dict[int, list[int]] = {}

    def add_members(self, group_id: int, member_ids: list[int]) -> None:
        self.members[group_id] = member_ids

    def term(self, term, region_id: int, period_id: int, trace: dict, names: dict) -> Decimal:
        stat = self.stats.get(term.statistic)
        if stat is None:
            raise Missing(f"Merkmal „{term.statistic}“ ist unbekannt")
        total = Decimal(0)
        for key in term.keys():
            total += self._one(stat, key, region_id, period_id, trace, names, term)
        return total

    def _one(self, stat, key, region_id, period_id, trace, names, term) -> Decimal:
        found = self.data.get((stat.code, region_id, period_id, key))
        label = term.statistic + (f" [{key}]" if key else "")
        if found is None and region_id in self.members and stat.aggregation == Aggregation.SUM:
            total = Decimal(0)
            for member in self.members[region_id]:
                total += self._one(stat, key, member, period_id, trace, names, term)
            trace["inputs"][label] = str(total)
            return total
        if found is None:
            raise Missing(f"kein Wert für {label} ({names.get('region', '')}, {names.get('period', '')})")
        value, flag, rounded, source_id = found
        trace["sources"].add(source_id)
        if rounded:
            trace["rounded"] = True
        if value is None or flag not in FLAGS_WITH_NUMBER:
            trace["inputs"][label] = f"„{flag}“"
            raise Missing(f"{label}: „{flag}“ – {FLAG_LABELS.get(flag, flag)}")
        trace["inputs"][label] = str(value)
        if flag in OBSERVATION_FLAGS:
            trace["flags"].add(flag)
        return value


def _evaluate(
    code: str,
    compiled: dict[str, _Compiled],
    index: ValueIndex,
    region_id: int,
    period_id: int,
    names: dict,
    cache: dict,
) -> tuple[Decimal | None, str, dict]:
    key = (code, region_id, period_id)
    if key in cache:
        return cache[key]
    c = compiled[code]
    trace = {"inputs": {}, "sources": set(), "rounded": False, "flags": set()}

    def lookup_term(term):
        return index.term(term, region_id, period_id, trace, names)

    def lookup_indicator(ref):
        if ref not in compiled:
            raise Missing(f"Indikator „{ref}“ ist unbekannt")
        value, reason, sub = _evaluate(ref, compiled, index, region_id, period_id, names, cache)
        trace["sources"] |= sub["sources"]
        trace["rounded"] |= sub["rounded"]
        trace["flags"] |= sub["flags"]
        if value is None:
            raise Missing(f"{compiled[ref].indicator.name}: {reason}")
        trace["inputs"][compiled[ref].indicator.name] = str(value)
        return value

    try:
        numerator = formula_evaluate(c.numerator, lookup_term, lookup_indicator)
        if c.denominator is not None:
            denominator = formula_evaluate(c.denominator, lookup_term, lookup_indicator)
            if denominator == 0:
                raise Missing("Nenner ist 0")
            value = numerator / denominator * c.indicator.factor
        else:
            value = numerator * c.indicator.factor
        result = (value, "", trace)
    except Missing as exc:
        result = (None, exc.reason, trace)
    cache[key] = result
    return result


def _group_members(regions: list[Region]) -> dict[int, list[int]]:
    groups = [r for r in regions if r.kind in (RegionKind.GROUP, RegionKind.AGENTURBEZIRK)]
    members: dict[int, list[int]] = defaultdict(list)
    if groups:
        through = Region.members.through.objects.filter(from_region_id__in=[g.pk for g in groups])
        for group_id, member_id in through.values_list("from_region_id", "to_region_id"):
            members[group_id].append(member_id)
    return members


def indicators_evaluate(
    *, indicators: list[Indicator], regions: list[Region], periods: list[Period] | None = None, tenant=None
) -> dict[tuple[str, int, int], IndicatorResult]:
    """Results of several indicators for every region × period, sharing one value query.

    Keys are ``(indicator code, region id, period id)``. Without ``periods``, every period in
    which any input has data.
    """
    compiled: dict[str, _Compiled] = {}
    pool = None
    if any(
        formula_parse(i.numerator).indicators or (i.denominator.strip() and formula_parse(i.denominator).indicators)
        for i in indicators
    ):
        pool = {i.code: i for i in Indicator.objects.all()}
    for indicator in indicators:
        _compile(indicator, compiled, pool)
    terms = [t for c in compiled.values() for f in (c.numerator, c.denominator) if f for t in f.terms]
    codes = {t.statistic for t in terms}
    members = _group_members(regions)
    region_ids = {r.pk for r in regions} | {m for ms in members.values() for m in ms}
    index = ValueIndex(
        statistic_codes=codes,
        region_ids=region_ids,
        period_ids={p.pk for p in periods} if periods is not None else None,
        tenant=tenant,
        category_keys={k for t in terms for k in t.keys()},
    )
    for group_id, ids in members.items():
        index.add_members(group_id, ids)
    if periods is None:
        periods = list(Period.objects.filter(pk__in=index.periods_with_data))
    cache: dict = {}
    results = {}
    for indicator in indicators:
        for region in regions:
            for period in periods:
                names = {"region": region.name, "period": period.label}
                value, reason, trace = _evaluate(indicator.code, compiled, index, region.pk, period.pk, names, cache)
                results[(indicator.code, region.pk, period.pk)] = IndicatorResult(
                    indicator=indicator.code,
                    region=region.code,
                    period=period.code,
                    value=value,
                    reason=reason,
                    rounded_inputs=trace["rounded"],
                    inputs=trace["inputs"],
                    source_ids=trace["sources"],
                    year=period.year,
                    decimals=indicator.decimals,
                    flags=set(trace["flags"]),
                )
    return results


def indicator_results(
    *, indicator: Indicator, regions: list[Region], periods: list[Period] | None = None, tenant=None
) -> dict[tuple[int, int], IndicatorResult]:
    """Results for every region × period with data (or the given periods), in a fixed number of queries."""
    results = indicators_evaluate(indicators=[indicator], regions=regions, periods=periods, tenant=tenant)
    return {(region_id, period_id): r for (_, region_id, period_id), r in results.items()}


def statistic_indicator(
    code: str, *, categories: dict | None = None, name: str = "", unit: str = "", decimals: int = 0
) -> Indicator:
    """An unsaved indicator that returns one value (for tables that show raw figures beside ratios)."""
    args = "".join(f', {b.replace("-", "_")}="{c}"' for b, c in sorted((categories or {}).items()))
    key = ";".join(f"{b}={c}" for b, c in sorted((categories or {}).items()))
    return Indicator(
        code=f"_wert:{code}:{key}",
        name=name or code,
        numerator=f'wert("{code}"{args})',
        denominator="",
        factor=1,
        unit=unit,
        decimals=decimals,
    )


def indicator_compute(*, indicator: Indicator, region: Region, period: Period, tenant=None) -> IndicatorResult:
    return indicator_results(indicator=indicator, regions=[region], periods=[period], tenant=tenant)[
        (region.pk, period.pk)
    ]


def indicator_series(*, indicator: Indicator, region: Region, tenant=None) -> list[IndicatorResult]:
    """One result per period in which any input has data, oldest first."""
    results = indicator_results(indicator=indicator, regions=[region], tenant=tenant)
    return sorted(results.values(), key=lambda r: (r.year or 0, r.period))


def indicator_periods(*, indicator: Indicator, tenant=None) -> list[Period]:
    """Periods in which any input statistic of the indicator has values, oldest first."""
    compiled = _compile(indicator)
    codes = {t.statistic for c in compiled.values() for f in (c.numerator, c.denominator) if f for t in f.terms}
    qs = Value.objects.filter(statistic__code__in=codes)
    qs = qs.filter(tenant__isnull=True) if tenant is None else qs.filter(Q(tenant__isnull=True) | Q(tenant=tenant))
    period_ids = qs.values_list("period_id", flat=True).distinct()
    return list(Period.objects.filter(pk__in=period_ids).order_by("end"))


def indicator_regions_with_data(*, indicator: Indicator, tenant=None) -> QuerySet[Region]:
    compiled = _compile(indicator)
    codes = {t.statistic for c in compiled.values() for f in (c.numerator, c.denominator) if f for t in f.terms}
    qs = Value.objects.filter(statistic__code__in=codes)
    qs = qs.filter(tenant__isnull=True) if tenant is None else qs.filter(Q(tenant__isnull=True) | Q(tenant=tenant))
    return Region.objects.filter(pk__in=qs.values("region_id")).defer("boundary")


def indicator_sources(results) -> list[Source]:
    ids = set()
    for r in results:
        ids |= r.source_ids
    return list(Source.objects.filter(pk__in=ids).order_by("publisher", "table_code"))


# --------------------------------------------------------------------------- values


def values_table(
    *,
    table: str | None = None,
    statistic: str | None = None,
    region: Region | None = None,
    year: int | None = None,
    tenant=None,
    limit: int | None = None,
) -> list[dict]:
    """Values as flat rows (for the CLI, the API and downloads), ordered by statistic, period, categories."""
    qs = Value.objects.select_related("statistic", "period", "region", "source")
    qs = qs.filter(tenant__isnull=True) if tenant is None else qs.filter(Q(tenant__isnull=True) | Q(tenant=tenant))
    if table:
        qs = qs.filter(source__table_code=table)
    if statistic:
        qs = qs.filter(statistic__code=statistic)
    if region is not None:
        qs = qs.filter(region=region)
    if year:
        qs = qs.filter(period__year=year)
    qs = qs.order_by("region__code", "statistic__code", "period__end", "categories").defer("region__boundary")
    if limit:
        qs = qs[:limit]
    rows = []
    for v in qs:
        rows.append(
            {
                "statistic": v.statistic.code,
                "statistic_name": v.statistic.name,
                "unit": v.statistic.unit,
                "region": v.region.code,
                "region_name": v.region.name,
                "period": v.period.code,
                "categories": v.categories,
                "value": _plain_decimal(v.value),
                "flag": v.flag,
                "flag_meaning": FLAG_LABELS.get(v.flag, "") if v.flag else "",
                "rounded": v.rounded,
                "source": v.source.line,
            }
        )
    return rows


def _plain_decimal(value: Decimal | None) -> Decimal | None:
    """1870.000000 → 1870 (without exponent notation), 8.250000 → 8.25."""
    if value is None:
        return None
    return Decimal(format(value.normalize(), "f"))


def value_display(value: Decimal | None, flag: str) -> str:
    if value is None:
        return f"kein Wert ({flag})" if flag else "kein Wert"
    text = number_de(value, 0 if value == value.to_integral() else 1)
    return f"{text} ({flag})" if flag and flag != "-" else text


# --------------------------------------------------------------------------- validation rules


@dataclass
class RuleCheck:
    rule: str
    region: str
    region_name: str
    period: str
    left: Decimal | None
    right: Decimal | None
    ok: bool | None  # None = not checkable (an input is missing)
    reason: str = ""
    rounded: bool = False  # a deviation may come from rounding of the published figures


def rule_checks(*, rule, regions: list[Region] | None = None, tenant=None) -> list[RuleCheck]:
    """Evaluate a validation rule wherever its statistics have data; violations have ``ok=False``."""
    left, right = formula_parse(rule.left), formula_parse(rule.right)
    codes = {t.statistic for f in (left, right) for t in f.terms}
    index = ValueIndex(
        statistic_codes=codes, region_ids={r.pk for r in regions} if regions else None, period_ids=None, tenant=tenant
    )
    pairs = sorted({(k[1], k[2]) for k in index.data})
    region_map = {r.pk: r for r in Region.objects.filter(pk__in={p[0] for p in pairs}).only("id", "code", "name")}
    period_map = {p.pk: p for p in Period.objects.filter(pk__in={p[1] for p in pairs})}
    checks = []
    for region_id, period_id in pairs:
        region, period = region_map[region_id], period_map[period_id]
        names = {"region": region.name, "period": period.label}
        trace = {"inputs": {}, "sources": set(), "rounded": False, "flags": set()}

        def lookup(t, region_id=region_id, period_id=period_id, trace=trace, names=names):
            return index.term(t, region_id, period_id, trace, names)

        try:
            lv = formula_evaluate(left, lookup, _no_ind)
            rv = formula_evaluate(right, lookup, _no_ind)
        except Missing as exc:
            checks.append(RuleCheck(rule.code, region.code, region.name, period.code, None, None, None, exc.reason))
            continue
        ok = abs(lv - rv) <= rule.tolerance
        reason = "" if ok else f"Abweichung {number_de(lv - rv, 0)}"
        if not ok and trace["rounded"]:
            reason += " (gerundete Werte: Abweichung durch Rundung möglich)"
        checks.append(RuleCheck(rule.code, region.code, region.name, period.code, lv, rv, ok, reason, trace["rounded"]))
    return checks


def _no_ind(code):
    raise Missing("Prüfregeln verwenden keine Indikatoren")
