"""Every non-trivial read of the monitoring app, and the indicator engine.

Stable surface for other apps (see docs/monitoring.md):

- ``indicator_compute(*, indicator, region, period, tenant=None) -> IndicatorResult``
- ``indicator_series(*, indicator, region, tenant=None) -> list[IndicatorResult]``
- ``indicator_results(*, indicator, regions, periods=None, tenant=None)``
  ``-> dict[(region_id, period_id), IndicatorResult]``
- ``indicator_by_code(code)``, ``indicators_visible_to(user, tenant)``
- ``values_table(*, table=None, statistic=None, region=None, year=None, tenant=None) -> list[dict]``
- ``as_of=`` on the indicator functions: compute from an earlier data state (see ``data_state_time``),
  so last year's report is reproduced exactly after official figures were revised.

An indicator without all inputs has no value and says why; it is never computed as if a
missing or secret input were 0. Results computed on rounded inputs say so.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from bildungskette.core.selectors import user_roles
from bildungskette.regions.models import Region, RegionKind

from .formula import Formula, FormulaError, Missing, formula_evaluate, formula_parse
from .models import (
    FLAGS_WITH_NUMBER,
    Aggregation,
    Category,
    Flag,
    ImportRun,
    ImportStatus,
    Indicator,
    Period,
    Source,
    Statistic,
    Value,
    ValueRevision,
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


def indicators_reading(statistic_codes) -> list[Indicator]:
    """The indicators whose value depends on any of these statistics, directly or through
    ``indikator(…)`` references (which charts an import changes). ``None`` → every indicator."""
    indicators = list(Indicator.objects.all())
    if statistic_codes is None:
        return indicators
    wanted = set(statistic_codes)
    pool = {i.code: i for i in indicators}
    reading = []
    for indicator in indicators:
        try:
            compiled = _compile(indicator, pool=pool)
        except FormulaError:
            continue
        read = {t.statistic for c in compiled.values() for f in (c.numerator, c.denominator) if f for t in f.terms}
        if read & wanted:
            reading.append(indicator)
    return reading


def data_state_time(as_of) -> datetime.datetime | None:
    """The moment a data state stands for. A data state is the database after a finished import:
    ``as_of`` is an ImportRun (or its id) → its end; a datetime; or a date → the end of that day.
    None → the current state."""
    if as_of is None or as_of == "":
        return None
    if isinstance(as_of, ImportRun):
        return as_of.finished_at or timezone.now()
    if isinstance(as_of, datetime.datetime):
        return as_of if timezone.is_aware(as_of) else timezone.make_aware(as_of)
    if isinstance(as_of, datetime.date):
        end = datetime.datetime.combine(as_of, datetime.time.max)
        return timezone.make_aware(end)
    text = str(as_of).strip()
    if text.isdigit():
        run = ImportRun.objects.filter(pk=int(text), status=ImportStatus.DONE).first()
        if run is None:
            raise ValueError(f"Datenstand „{text}“: kein abgeschlossener Import mit dieser Nummer.")
        return run.finished_at
    try:
        parsed = datetime.datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"Datenstand „{text}“ ist weder eine Importnummer noch ein Datum (JJJJ-MM-TT).") from exc
    if len(text) == 10:
        return data_state_time(parsed.date())
    return data_state_time(parsed)


class _RowsAsOf(list):
    def iterator(self, chunk_size=None):
        return iter(self)


def _rows_as_of(qs, when: datetime.datetime) -> _RowsAsOf:
    """The rows of ``qs`` as they stood at ``when``: a value stored later is replaced by the revision
    valid then, or left out if it did not exist yet."""
    rows = _RowsAsOf()
    later: dict[int, tuple] = {}
    for pk, *fields, finished, run_id in qs.values_list(
        "pk",
        "statistic_id",
        "region_id",
        "period_id",
        "categories",
        "value",
        "flag",
        "rounded",
        "source_id",
        "tenant_id",
        "import_run__finished_at",
        "import_run_id",
    ).iterator(chunk_size=20000):
        if run_id is None or (finished is not None and finished <= when):
            rows.append(tuple(fields))
        else:
            later[pk] = tuple(fields)
    if later:
        ids = list(later)
        for start in range(0, len(ids), 5000):
            revisions = (
                ValueRevision.objects.filter(value_row_id__in=ids[start : start + 5000], superseded_at__gt=when)
                .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=when))
                .order_by("value_row_id", "superseded_at")
                .values_list("value_row_id", "value", "flag", "rounded", "source_id")
            )
            seen = set()
            for row_id, value, flag, rounded, source_id in revisions:
                if row_id in seen:
                    continue
                seen.add(row_id)
                stat_id, region_id, period_id, cats, *_, tenant_id = later[row_id]
                rows.append((stat_id, region_id, period_id, cats, value, flag, rounded, source_id, tenant_id))
    return rows


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
        as_of: datetime.datetime | None = None,
    ):
        self.stats = {s.code: s for s in Statistic.objects.filter(code__in=statistic_codes).select_related("source")}
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
        if as_of is not None:
            rows = _rows_as_of(qs, as_of)
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
        self.member_names: dict[int, str] = {}
        self._category_names: dict[tuple[str, str], str] | None = None

    def label(self, stat, key: str) -> str:
        """The statistic and its categories in words, for reasons (categories loaded once, on first need)."""
        if key and self._category_names is None:
            self._category_names = {
                (b, c): n for b, c, n in Category.objects.values_list("breakdown__code", "code", "name")
            }
        return statistic_label(stat, key, self._category_names or {})

    def add_members(self, group_id: int, member_ids: list[int], names: dict[int, str] | None = None) -> None:
        self.members[group_id] = member_ids
        self.member_names.update(names or {})

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
        if found is None and region_id in self.members:
            return self._group_sum(stat, key, region_id, period_id, trace, names, term, label)
        if found is None:
            raise Missing(
                f"{self.label(stat, key)} liegt für {names.get('region', '')}, {names.get('period', '')} "
                f"nicht vor{statistic_origin(stat)}."
            )
        value, flag, rounded, source_id = found
        trace["sources"].add(source_id)
        if rounded:
            trace["rounded"] = True
        if value is None or flag not in FLAGS_WITH_NUMBER:
            trace["inputs"][label] = f"„{flag}“"
            raise Missing(f"{self.label(stat, key)}: „{flag}“ – {FLAG_LABELS.get(flag, flag)}")
        trace["inputs"][label] = str(value)
        if flag in OBSERVATION_FLAGS:
            trace["flags"].add(flag)
        return value

    def _group_sum(self, stat, key, region_id, period_id, trace, names, term, label) -> Decimal:
        """A group's count is the sum over its members; a ratio is never averaged (the indicator
        recomputes it from the summed counts). Every member must have the number, else the sum would
        silently be too small: the reason names the members that lack it."""
        if stat.aggregation != Aggregation.SUM:
            raise Missing(
                f"{self.label(stat, key)} ist eine Quote oder ein Mittelwert und lässt sich für "
                f"{names.get('region', '')} nicht aus den Mitgliedsgebieten zusammenfassen."
            )
        total, lacking = Decimal(0), []
        for member in self.members[region_id]:
            member_names = {**names, "region": self.member_names.get(member, str(member))}
            try:
                total += self._one(stat, key, member, period_id, trace, member_names, term)
            except Missing:
                lacking.append(member_names["region"])
        if lacking:
            raise Missing(
                f"{self.label(stat, key)} fehlt für {', '.join(lacking)} ({names.get('period', '')}"
                f"{statistic_origin(stat, prefix='; ')}): die Summe für {names.get('region', '')} wäre "
                "unvollständig."
            )
        trace["inputs"][label] = str(total)
        return total


def statistic_label(stat: Statistic, key: str = "", category_names: dict | None = None) -> str:
    """„Neu abgeschlossene Ausbildungsverträge (NAA)“ – the statistic's name, with its breakdown
    categories in words where it has any (never the internal code)."""
    text = f"„{stat.name}“"
    if key:
        parts = []
        for part in (p for p in key.split(";") if p):
            breakdown, _, category = part.partition("=")
            parts.append((category_names or {}).get((breakdown, category)) or category.replace("-", " "))
        text += f" ({', '.join(parts)})"
    return text


def statistic_origin(stat: Statistic, prefix: str = " – ") -> str:
    """Where the number comes from: the first phrase of the catalogue description ("BIBB-Erhebung zum
    30. September") or the publisher of its source."""
    if stat.source_id and getattr(stat, "source", None) is not None and stat.source.publisher:
        return f"{prefix}Quelle: {stat.source.publisher}"
    text = (stat.description or "").strip()
    for stop in (";", ":", ", ", ". "):
        text = text.split(stop)[0]
    text = text.strip().rstrip(".")
    return f"{prefix}Quelle: {text}" if text else ""


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
    *,
    indicators: list[Indicator],
    regions: list[Region],
    periods: list[Period] | None = None,
    tenant=None,
    as_of=None,
) -> dict[tuple[str, int, int], IndicatorResult]:
    """Results of several indicators for every region × period, sharing one value query.

    Keys are ``(indicator code, region id, period id)``. Without ``periods``, every period in
    which any input has data. ``as_of`` (ImportRun, its id, a date or datetime) computes from the
    data state of that moment, with the values as they were before later revisions.
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
        as_of=data_state_time(as_of),
    )
    member_ids = {m for ms in members.values() for m in ms}
    member_names = (
        {r.pk: r.title for r in Region.objects.filter(pk__in=member_ids).defer("boundary")} if member_ids else {}
    )
    for group_id, ids in members.items():
        index.add_members(group_id, ids, member_names)
    if periods is None:
        periods = list(Period.objects.filter(pk__in=index.periods_with_data))
    cache: dict = {}
    results = {}
    for indicator in indicators:
        for region in regions:
            for period in periods:
                names = {"region": region.title, "period": period.label}
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
    *, indicator: Indicator, regions: list[Region], periods: list[Period] | None = None, tenant=None, as_of=None
) -> dict[tuple[int, int], IndicatorResult]:
    """Results for every region × period with data (or the given periods), in a fixed number of queries."""
    results = indicators_evaluate(indicators=[indicator], regions=regions, periods=periods, tenant=tenant, as_of=as_of)
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


def indicator_compute(
    *, indicator: Indicator, region: Region, period: Period, tenant=None, as_of=None
) -> IndicatorResult:
    return indicator_results(indicator=indicator, regions=[region], periods=[period], tenant=tenant, as_of=as_of)[
        (region.pk, period.pk)
    ]


def indicator_series(*, indicator: Indicator, region: Region, tenant=None, as_of=None) -> list[IndicatorResult]:
    """One result per period in which any input has data, oldest first."""
    results = indicator_results(indicator=indicator, regions=[region], tenant=tenant, as_of=as_of)
    return sorted(results.values(), key=lambda r: (r.year or 0, r.period))


def _input_statistic_ids(indicator: Indicator) -> list[int]:
    compiled = _compile(indicator)
    codes = {t.statistic for c in compiled.values() for f in (c.numerator, c.denominator) if f for t in f.terms}
    return list(Statistic.objects.filter(code__in=codes).values_list("pk", flat=True))


def _values_of(stat_ids: list[int], tenant) -> QuerySet[Value]:
    qs = Value.objects.filter(statistic_id__in=stat_ids)
    return qs.filter(tenant__isnull=True) if tenant is None else qs.filter(Q(tenant__isnull=True) | Q(tenant=tenant))


def indicator_periods(*, indicator: Indicator, tenant=None) -> list[Period]:
    """Periods in which any input statistic of the indicator has values, oldest first.

    One index probe per known period (index ``monitoring_value_stat_per_ten``: statistic × period …
    tenant, ``LIMIT 1``), never a scan of the statistic's values: the cost grows with the number of
    periods, not with the data (issue #14; tests/monitoring/test_planner_statistics.py checks the plan).
    The ``LIMIT`` keeps PostgreSQL from turning the probe into a hash join over every value.
    """
    stat_ids = _input_statistic_ids(indicator)
    if not stat_ids:
        return []
    # The order is the index's own: with it, a walk along the period's foreign-key index (which would
    # step over every other statistic's rows of that period) would need a sort, so no planner takes it.
    probe = (
        _values_of(stat_ids, tenant)
        .filter(period_id=OuterRef("pk"))
        .order_by("statistic_id", "categories")
        .values("statistic_id")[:1]
    )
    return list(Period.objects.alias(_probe=Subquery(probe)).filter(_probe__isnull=False).order_by("end"))


def indicator_regions_with_data(*, indicator: Indicator, tenant=None) -> QuerySet[Region]:
    """Regions with any value of an input statistic: one index probe per region (unique key
    statistic × region …), like ``indicator_periods``."""
    stat_ids = _input_statistic_ids(indicator)
    probe = _values_of(stat_ids, tenant).filter(region_id=OuterRef("pk")).values("statistic_id")[:1]
    return Region.objects.alias(_probe=Subquery(probe)).filter(_probe__isnull=False).defer("boundary")


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
    lines: dict[int, str] = {}
    for v in qs:
        if v.source_id not in lines:
            lines[v.source_id] = v.source.line_with_state
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
                "status": value_status(v.flag, v.revised),
                "source": lines[v.source_id],
            }
        )
    return rows


def breakdowns_of_source(source: Source) -> list[dict]:
    """The source's breakdowns with their categories as a hierarchy: parts, sub-totals ("zusammen")
    and "darunter" subsets nested under the category they belong to (or under the total)."""
    from .models import Breakdown

    out = []
    for b in Breakdown.objects.filter(statistics__source=source).distinct().prefetch_related("categories"):
        cats = list(b.categories.all())
        children: dict[int | None, list] = defaultdict(list)
        for c in cats:
            children[c.parent_id].append(c)
        items = _category_tree(children, None, 1)
        out.append({"breakdown": b, "items": items, "additive": all(i["part"] for i in items)})
    return out


def _category_tree(children: dict, parent_id, depth: int) -> list[dict]:
    from .models import CategoryRole

    items = []
    for c in children.get(parent_id, []):
        items.append({"category": c, "depth": depth, "role": c.get_role_display(), "part": c.role == CategoryRole.PART})
        items += _category_tree(children, c.pk, depth + 1)
    return items


def value_status(flag: str, revised: bool) -> str:
    """ "vorläufig" (flag p), "revidiert" (flag r, or changed by a later import), else ""."""
    if flag == "p":
        return "vorläufig"
    if flag == "r" or revised:
        return "revidiert"
    return ""


def value_history(value: Value) -> list[dict]:
    """The value's states, newest first: the current one, then every earlier one with its import."""
    current = {
        "value": value.value,
        "flag": value.flag,
        "status": value_status(value.flag, value.revised),
        "import_run": value.import_run_id,
        "file": value.import_run.original_name if value.import_run_id else "",
        "valid_from": value.import_run.finished_at if value.import_run_id else None,
        "until": None,
    }
    history = [current]
    for r in value.revisions.select_related("import_run").order_by("-superseded_at", "-id"):
        history.append(
            {
                "value": r.value,
                "flag": r.flag,
                "status": value_status(r.flag, False),
                "import_run": r.import_run_id,
                "file": r.file_name,
                "valid_from": r.valid_from,
                "until": r.superseded_at,
            }
        )
    return history


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


# --------------------------------------------------------------------------- catalogue coverage


def catalogue_coverage() -> list[dict]:
    """Per Leitfaden area: the built-in indicators, their tier, the tables that feed them and whether
    this installation has each table (a source with that table code, or values of a statistic whose
    code starts with it)."""
    from .catalogue import TABLE_EVIDENCE, TABLES, indicator_tables
    from .models import Theme

    present_codes = set(Source.objects.exclude(table_code="").values_list("table_code", flat=True))
    stat_prefixes = {
        code.split(".", 1)[0]
        for code in Statistic.objects.filter(values__isnull=False).values_list("code", flat=True).distinct()
    }
    have = present_codes | stat_prefixes
    if Value.objects.filter(statistic__code__startswith="ba.").exists():
        have.add("BA")
    if Value.objects.filter(statistic__code__startswith="sgb2.").exists():
        have.add("BA-SGB2")
    if Value.objects.filter(statistic__code="iabe.anteil").exists():
        have.add("iABE")
    areas = []
    for theme in Theme:
        rows = []
        for ind in Indicator.objects.filter(theme=theme.value, tenant__isnull=True).order_by("indicator_type", "order"):
            tables = [
                {"code": code, "title": TABLES.get(code, ("", "", False))[0], "present": code in have,
                 "checked": TABLES.get(code, ("", "", False))[2], "evidence": TABLE_EVIDENCE.get(code, "")}
                for code in indicator_tables(ind.code)
            ]
            rows.append({"indicator": ind, "tier": ind.get_indicator_type_display(), "tables": tables,
                         "complete": bool(tables) and all(t["present"] for t in tables)})
        areas.append({"code": theme.value, "label": str(theme.label), "rows": rows})
    return areas
