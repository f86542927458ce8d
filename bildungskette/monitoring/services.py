"""Every write of the monitoring app. Other apps write statistics through ``values_upsert``.

Stable surface (see docs/monitoring.md):
``source_ensure``, ``breakdown_ensure``, ``statistic_ensure``, ``period_ensure``, ``values_upsert``,
``indicator_create``, ``indicator_update``, ``mapping_save``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from bildungskette.core.bulk import rows_bulk_insert
from bildungskette.regions.models import Region

from .formula import FormulaError, formula_parse
from .models import (
    FLAGS_WITH_NUMBER,
    Aggregation,
    Breakdown,
    Category,
    CategoryRole,
    ColumnMapping,
    Flag,
    Indicator,
    Period,
    Source,
    Statistic,
    Value,
    ValueRevision,
)
from .periods import period_parse

FLAG_CODES = {f.value for f in Flag}


def slug_code(text: str, max_length: int = 80) -> str:
    """A stable ASCII code from a German label (ä → ae …)."""
    text = (text or "").strip().lower()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"), ("/", " "), (".", " ")):
        text = text.replace(a, b)
    return slugify(text)[:max_length].strip("-") or "x"


def source_ensure(*, code: str, publisher: str, title: str, attribution: str, tenant=None, **fields) -> Source:
    """Create or update a source by its code."""
    defaults = {
        "publisher": publisher,
        "title": title,
        "attribution": attribution,
        "tenant": tenant,
        **fields,
    }
    source, created = Source.objects.get_or_create(code=code, defaults=defaults)
    if not created:
        changed = [k for k, v in defaults.items() if getattr(source, k) != v]
        for k in changed:
            setattr(source, k, defaults[k])
        if changed:
            source.save()
    return source


def breakdown_ensure(*, code: str, name: str, categories: Iterable[tuple] = ()) -> Breakdown:
    """Create a breakdown and its categories if missing; keeps order.

    Each category is ``(code, name)``, ``(code, name, is_subtotal)`` or ``(code, name, role,
    parent_code)`` with a ``CategoryRole`` ("part", "subtotal", "subset"). A category seen as a
    part before but now known as a sub-total or subset is corrected (never the other way round).
    """
    breakdown, _ = Breakdown.objects.get_or_create(code=code, defaults={"name": name})
    existing = {c.code: c for c in breakdown.categories.all()}
    new, changed, parents = [], [], {}
    for order, item in enumerate(categories):
        cat_code, cat_name = item[0], item[1]
        role = CategoryRole.PART
        if len(item) > 2 and isinstance(item[2], str) and item[2]:
            role = item[2]
        elif len(item) > 2 and item[2] is True:
            role = CategoryRole.SUBSET
        if len(item) > 3 and item[3]:
            parents[cat_code] = item[3]
        current = existing.get(cat_code)
        if current is None:
            new.append(
                Category(
                    breakdown=breakdown,
                    code=cat_code,
                    name=cat_name,
                    order=order,
                    role=role,
                    is_subtotal=role != CategoryRole.PART,
                )
            )
            existing[cat_code] = new[-1]
        elif current.role == CategoryRole.PART and role != CategoryRole.PART:
            current.role, current.is_subtotal = role, True
            changed.append(current)
    Category.objects.bulk_create(new)
    if changed:
        Category.objects.bulk_update(changed, ["role", "is_subtotal"])
    linked = []
    for cat_code, parent_code in parents.items():
        cat, parent = existing.get(cat_code), existing.get(parent_code)
        if cat is not None and parent is not None and cat.parent_id != parent.pk:
            cat.parent = parent
            linked.append(cat)
    if linked:
        Category.objects.bulk_update(linked, ["parent"])
    return breakdown


def statistic_ensure(
    *,
    code: str,
    name: str,
    unit: str = "Anzahl",
    aggregation: str = Aggregation.SUM,
    source: Source | None = None,
    breakdowns: Iterable[Breakdown] = (),
    description: str = "",
) -> Statistic:
    defaults = {
        "name": name[:300],
        "unit": unit,
        "aggregation": aggregation,
        "source": source,
        "description": description,
    }
    statistic, created = Statistic.objects.get_or_create(code=code, defaults=defaults)
    if not created:
        changed = [k for k, v in defaults.items() if v not in (None, "") and getattr(statistic, k) != v]
        for k in changed:
            setattr(statistic, k, defaults[k])
        if changed:
            statistic.save()
    breakdowns = list(breakdowns)
    if breakdowns:
        statistic.breakdowns.add(*breakdowns)
    return statistic


def period_ensure(code: str) -> Period:
    fields = period_parse(code)
    period, _ = Period.objects.get_or_create(code=fields.pop("code"), defaults=fields)
    return period


def categories_key(categories: dict | str | None) -> str:
    """Canonical key: ``breakdown=category`` pairs sorted by breakdown, totals left out."""
    if not categories:
        return ""
    if isinstance(categories, str):
        pairs = [p.split("=", 1) for p in categories.split(";") if p]
        categories = dict(pairs)
    return ";".join(f"{b}={c}" for b, c in sorted(categories.items()) if c and c != "insgesamt")


def value_parse(raw: str, *, official: bool = True) -> tuple[Decimal | None, str]:
    """Parse a cell: number (decimal comma) or special value → (value, flag).

    In official tables a lone ``0`` is the flag "less than half the smallest unit"; elsewhere
    (``official=False``) it is the number zero.
    """
    text = (raw or "").strip()
    # Most cells are plain counts: up to 14 ASCII digits always pass number_check (a lone "0" is a flag).
    if len(text) <= 14 and text.isdigit() and text.isascii() and text != "0":
        return Decimal(text), ""
    if text in ("-",):
        return Decimal(0), "-"
    if text == "0" and not official:
        return Decimal(0), ""
    if text in FLAG_CODES and text:
        return None, text
    if text.startswith("(") and text.endswith(")"):
        number, _ = value_parse(text[1:-1], official=official)
        return number, "()"
    # Municipal tables group thousands with a space ("1 675", also no-break and thin space).
    if re.fullmatch(r"-?\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?", text):
        text = re.sub(r"[ \u00a0\u202f]", "", text)
    flag = ""
    if text and text[-1] in "prse" and len(text) > 1:
        flag, text = text[-1], text[:-1].strip()
    try:
        number = Decimal(text.replace(".", "").replace(",", ".") if "," in text else text)
    except InvalidOperation as exc:
        raise ValueError(f"„{raw}“ ist weder eine Zahl noch ein Sonderzeichen der amtlichen Statistik") from exc
    number_check(number, raw)
    return number, flag


# Value.value is DECIMAL(20, 6): 14 digits before the decimal point, 6 after. SQLite keeps such a
# column as a binary float, exact to 15 significant digits: a number must fit both.
VALUE_LIMIT = Decimal(10) ** 14
SIGNIFICANT_DIGITS = 15


def number_check(number: Decimal, raw: str | None = None) -> None:
    """Refuse what no supported database stores exactly: inf, nan, magnitudes of 10^14 and above,
    and more than 15 significant digits (after rounding to 6 decimal places)."""
    shown = raw if raw is not None else str(number)
    if not number.is_finite():
        raise ValueError(f"„{shown}“ ist keine endliche Zahl (unendlich oder „nan“ kann nicht gespeichert werden)")
    if abs(number) >= VALUE_LIMIT:
        raise ValueError(
            f"„{shown}“ ist zu groß: Werte müssen betragsmäßig unter 10^14 liegen (höchstens 14 Stellen vor dem Komma)"
        )
    rounded = number.quantize(Decimal("0.000001")) if number.as_tuple().exponent < -6 else number
    digits = rounded.normalize().as_tuple().digits if rounded else ()
    if len(digits) > SIGNIFICANT_DIGITS:
        raise ValueError(f"„{shown}“ hat mehr als {SIGNIFICANT_DIGITS} gültige Stellen und ist nicht exakt speicherbar")


VALUE_COLUMNS = (
    "statistic_id",
    "region_id",
    "period_id",
    "categories",
    "value",
    "flag",
    "rounded",
    "tenant_id",
    "source_id",
    "import_run_id",
    "revised",
)


def _values_insert(rows: list[tuple]) -> None:
    """Insert new values with the database's bulk path (values carry no per-row signals: the
    import is audited as a whole)."""
    if rows:
        rows_bulk_insert(Value._meta.db_table, VALUE_COLUMNS, rows)


@dataclass
class UpsertCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    revised: int = 0


def values_upsert(
    *, source: Source, rows: Iterable[dict], tenant=None, import_run=None, batch_size: int = 5000
) -> UpsertCounts:
    """Create or update values; the same data twice changes nothing.

    Each row: ``statistic`` (code or Statistic), ``region`` (code or Region), ``period`` (code or
    Period), ``categories`` (dict or canonical key, optional), ``value`` (Decimal/number/None),
    ``flag`` (one of ``Flag``), ``rounded`` (bool, optional). A value with a flag that carries no
    number is stored as null. Unknown statistic/region/period codes raise ValueError.
    Runs in one transaction.
    """
    counts = UpsertCounts()
    stats: dict[str, int] = {}
    regions: dict[str, int] = {}
    periods: dict[str, int] = {}
    prepared = []
    keys_seen: dict = {}
    # A table repeats the same few thousand numbers: each is converted and checked once.
    numbers_checked: dict[Decimal, Decimal] = {}

    keys_by_dict: dict[int, tuple[dict, str, int]] = {}

    def _key(categories) -> str:
        # The same few category combinations repeat on every row: compute each canonical key once.
        # Importers share one dict per combination; it is kept referenced, so its id stays its own.
        if type(categories) is dict:
            known = keys_by_dict.get(id(categories))
            if known is not None and known[0] is categories and len(categories) == known[2]:
                return known[1]
        marker = categories if isinstance(categories, str) or categories is None else tuple(sorted(categories.items()))
        if marker not in keys_seen:
            keys_seen[marker] = categories_key(categories)
        if type(categories) is dict:
            keys_by_dict[id(categories)] = (categories, keys_seen[marker], len(categories))
        return keys_seen[marker]

    for row in rows:
        stat, region, period = row["statistic"], row["region"], row["period"]
        stat_id = stat.pk if hasattr(stat, "pk") else stats.get(stat)
        if stat_id is None:
            found = Statistic.objects.filter(code=stat).values_list("pk", flat=True).first()
            if found is None:
                raise ValueError(f"Merkmal „{stat}“ ist unbekannt.")
            stat_id = stats[stat] = found
        region_id = region.pk if hasattr(region, "pk") else regions.get(region)
        if region_id is None:
            found = Region.objects.filter(code=region).values_list("pk", flat=True).first()
            if found is None:
                raise ValueError(f"Gebiet „{region}“ ist unbekannt.")
            region_id = regions[region] = found
        period_id = period.pk if hasattr(period, "pk") else periods.get(period)
        if period_id is None:
            period_id = periods[period] = period_ensure(period).pk
        flag = row.get("flag", "") or ""
        if flag not in FLAG_CODES:
            raise ValueError(f"Kennzeichen „{flag}“ ist unbekannt.")
        value = row.get("value")
        known = None
        if type(value) is Decimal:
            try:
                known = numbers_checked.get(value)
            except TypeError:  # a signalling NaN cannot be hashed; number_check refuses it below
                pass
        if known is not None:
            value = known
        elif value is not None:
            given = value
            if not isinstance(value, Decimal):
                try:
                    value = Decimal(value) if isinstance(value, int) else Decimal(str(value))
                except InvalidOperation as exc:
                    raise ValueError(f"{_where(row)}„{value}“ ist keine Zahl.") from exc
            try:
                number_check(value)
            except ValueError as exc:
                raise ValueError(f"{_where(row)}{exc}.") from exc
            if value.as_tuple().exponent < -6:
                value = value.quantize(Decimal("0.000001"))
            if type(given) is Decimal:
                numbers_checked[given] = value
        if flag not in FLAGS_WITH_NUMBER:
            value = None
        if flag == "-":
            value = Decimal(0)
        prepared.append(
            (
                stat_id,
                region_id,
                period_id,
                _key(row.get("categories")),
                value,
                flag,
                bool(row.get("rounded", False)),
            )
        )
    if not prepared:
        return counts
    with transaction.atomic():
        # Existing values as plain tuples (no model instances): re-imports of large tables stay fast.
        existing: dict[tuple, tuple] = {}
        qs = Value.objects.filter(
            statistic_id__in={p[0] for p in prepared},
            period_id__in={p[2] for p in prepared},
            region_id__in={p[1] for p in prepared},
        )
        qs = qs.filter(tenant=tenant) if tenant is not None else qs.filter(tenant__isnull=True)
        rows = qs.values_list(
            "id",
            "statistic_id",
            "region_id",
            "period_id",
            "categories",
            "value",
            "flag",
            "rounded",
            "source_id",
            "import_run_id",
        )
        for pk, stat_id, region_id, period_id, cats, value, flag, rounded, source_id, run in rows.iterator(
            chunk_size=20000
        ):
            existing[(stat_id, region_id, period_id, cats)] = (pk, value, flag, rounded, source_id, run)
        create, update, revisions = [], [], []
        touched: set[int] = set()
        run_id = import_run.pk if import_run is not None else None
        tenant_id = tenant.pk if tenant is not None else None
        now = timezone.now()
        for stat_id, region_id, period_id, cats, value, flag, rounded in prepared:
            key = (stat_id, region_id, period_id, cats)
            current = existing.get(key)
            if current is None:
                create.append(
                    (stat_id, region_id, period_id, cats, value, flag, rounded, tenant_id, source.pk, run_id, False)
                )
                touched.add(stat_id)
                existing[key] = (None, value, flag, rounded, source.pk, run_id)
            elif current[1:5] != (value, flag, rounded, source.pk) and current[0] is not None:
                figure_changed = current[1:3] != (value, flag)
                touched.add(stat_id)
                if figure_changed:
                    # The earlier state is kept: a report "as of" that state must still give its figures.
                    revisions.append(
                        ValueRevision(
                            value_row_id=current[0],
                            value=current[1],
                            flag=current[2],
                            rounded=current[3],
                            source_id=current[4],
                            import_run_id=current[5],
                            superseded_at=now,
                            superseded_by_id=run_id,
                        )
                    )
                update.append(
                    Value(
                        pk=current[0],
                        value=value,
                        flag=flag,
                        rounded=rounded,
                        source_id=source.pk,
                        import_run_id=run_id if figure_changed or current[5] is None else current[5],
                        revised=True if figure_changed else None,
                    )
                )
                existing[key] = (current[0], value, flag, rounded, source.pk, update[-1].import_run_id)
            else:
                counts.unchanged += 1
        _values_insert(create)
        changed = [v for v in update if v.revised]
        kept = [v for v in update if not v.revised]
        Value.objects.bulk_update(
            changed, ["value", "flag", "rounded", "source", "import_run", "revised"], batch_size=batch_size
        )
        Value.objects.bulk_update(kept, ["value", "flag", "rounded", "source", "import_run"], batch_size=batch_size)
        if revisions:
            _revisions_describe(revisions)
            ValueRevision.objects.bulk_create(revisions, batch_size=batch_size)
        statistics_data_version_raise(touched)
    counts.created, counts.updated = len(create), len(update)
    counts.revised = len(revisions)
    return counts


def statistics_data_version_raise(statistic_ids) -> None:
    """Give the statistics a data version above every statistic's: stored indicator results computed
    from their earlier values no longer match (``recompute.indicator_results_current``)."""
    ids = sorted(statistic_ids)
    if not ids:
        return
    table = connection.ops.quote_name(Statistic._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET data_version = (SELECT COALESCE(MAX(data_version), 0) + 1 FROM {table}) "
            f"WHERE id IN ({', '.join(['%s'] * len(ids))})",
            ids,
        )


def _where(row: dict) -> str:
    if row.get("line") and row.get("column"):
        return f"Zeile {row['line']}, Spalte {row['column']}: "
    if row.get("line"):
        return f"Zeile {row['line']}: "
    return ""


def _revisions_describe(revisions: list[ValueRevision]) -> None:
    """File name and time of the import each earlier state came from."""
    from .models import ImportRun

    runs = {
        pk: (name, finished)
        for pk, name, finished in ImportRun.objects.filter(
            pk__in={r.import_run_id for r in revisions if r.import_run_id}
        ).values_list("pk", "original_name", "finished_at")
    }
    for r in revisions:
        name, finished = runs.get(r.import_run_id, ("", None))
        r.file_name, r.valid_from = name[:300], finished


INDICATOR_FIELDS = {
    "name",
    "short_name",
    "theme",
    "indicator_type",
    "official_code",
    "numerator",
    "denominator",
    "factor",
    "unit",
    "decimals",
    "direction",
    "explanation",
    "source_note",
    "visibility",
    "approximation_note",
    "order",
}


def indicator_validate(*, numerator: str, denominator: str = "", code: str = "") -> list[str]:
    """German problems with a formula pair: syntax, unknown statistics, unknown or circular indicators."""
    problems = []
    parsed = []
    for label, text in (("Zähler", numerator), ("Nenner", denominator)):
        if label == "Nenner" and not (text or "").strip():
            continue
        try:
            parsed.append(formula_parse(text))
        except FormulaError as exc:
            problems.append(f"{label}: {exc}")
    terms = {t.statistic for f in parsed for t in f.terms}
    known = set(Statistic.objects.filter(code__in=terms).values_list("code", flat=True))
    for missing in sorted(terms - known):
        problems.append(f"Merkmal „{missing}“ ist unbekannt.")
    filters = {(t.statistic, b, c) for f in parsed for t in f.terms for b, cats in t.filters for c in cats}
    if filters:
        cats = set(
            Category.objects.filter(breakdown__code__in={b for _, b, _ in filters}).values_list(
                "breakdown__code", "code"
            )
        )
        bds = set(Breakdown.objects.filter(code__in={b for _, b, _ in filters}).values_list("code", flat=True))
        for _, b, c in sorted(filters):
            if b not in bds:
                problems.append(f"Aufgliederung „{b}“ ist unbekannt.")
            elif (b, c) not in cats:
                problems.append(f"Ausprägung „{c}“ gibt es in „{b}“ nicht.")
        problems += _non_additive_sums(parsed)
    refs = {i for f in parsed for i in f.indicators}
    if code and code in refs:
        problems.append("Ein Indikator kann sich nicht selbst verwenden.")
    known_ind = set(Indicator.objects.filter(code__in=refs).values_list("code", flat=True))
    for missing in sorted(refs - known_ind - {code}):
        problems.append(f"Indikator „{missing}“ ist unbekannt.")
    return problems


def _non_additive_sums(parsed) -> list[str]:
    """A list of categories is summed: a sub-total or "darunter" subset in it would count people twice."""
    summed = {(b, c) for f in parsed for t in f.terms for b, cs in t.filters if len(cs) > 1 for c in cs}
    if not summed:
        return []
    bad = Category.objects.filter(breakdown__code__in={b for b, _ in summed}, code__in={c for _, c in summed}).exclude(
        role=CategoryRole.PART
    )
    return [
        f"Ausprägung „{c.code}“ ({c.get_role_display()}) darf nicht mit anderen Ausprägungen von "
        f"„{c.breakdown.code}“ summiert werden – sie ist schon in deren Summe enthalten oder überschneidet sich."
        for c in bad.select_related("breakdown")
        if (c.breakdown.code, c.code) in summed
    ]


@transaction.atomic
def indicator_create(*, code: str, name: str, numerator: str, tenant=None, **fields) -> Indicator:
    problems = indicator_validate(numerator=numerator, denominator=fields.get("denominator", ""), code=code)
    if problems:
        raise ValueError(" ".join(problems))
    unknown = set(fields) - INDICATOR_FIELDS
    if unknown:
        raise TypeError(f"unknown indicator fields: {sorted(unknown)}")
    return Indicator.objects.create(code=code, name=name, numerator=numerator, tenant=tenant, **fields)


@transaction.atomic
def indicator_update(*, indicator: Indicator, **fields) -> Indicator:
    unknown = set(fields) - INDICATOR_FIELDS
    if unknown:
        raise TypeError(f"unknown indicator fields: {sorted(unknown)}")
    numerator = fields.get("numerator", indicator.numerator)
    denominator = fields.get("denominator", indicator.denominator)
    problems = indicator_validate(numerator=numerator, denominator=denominator, code=indicator.code)
    if problems:
        raise ValueError(" ".join(problems))
    for k, v in fields.items():
        setattr(indicator, k, v)
    indicator.save()
    return indicator


def indicator_ensure(*, code: str, **fields) -> Indicator:
    """Built-in catalogue: create or bring up to date (the demo calls it; idempotent)."""
    current = Indicator.objects.filter(code=code).first()
    if current is None:
        return indicator_create(code=code, **fields)
    changed = {k: v for k, v in fields.items() if k != "tenant" and getattr(current, k) != v}
    return indicator_update(indicator=current, **changed) if changed else current


def mapping_save(*, tenant, name: str, definition: dict, label: str = "") -> ColumnMapping:
    """Store a named column mapping (see importers/mapping.py for the definition's keys)."""
    from .importers.mapping import mapping_definition_check

    problems = mapping_definition_check(definition)
    if problems:
        raise ValueError(" ".join(problems))
    mapping, _ = ColumnMapping.objects.update_or_create(
        tenant=tenant, name=slug_code(name), defaults={"definition": definition, "label": label or name}
    )
    return mapping
