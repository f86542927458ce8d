"""GENESIS table (classic CSV or flat file) → Dataset: statistics, honest breakdowns, values, source.

``genesis_table_dataset(table)`` is the one conversion both forms go through, so the classic table and
its ffcsv download store identical values.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from bildungskette.core.importing import ImportRejected, RowProblem

from ..services import slug_code
from . import Dataset
from .genesis import (
    ATTRIBUTION_DEFAULT,
    LICENCE,
    ParsedTable,
    Role,
    genesis_decode,
    genesis_detect,
    genesis_region_keys,
    genesis_regions_resolve,
    genesis_rounded_lands,
    genesis_table_parse,
)

detect = genesis_detect
COUNT_UNITS = {"anzahl", "personen"}
# Units that cannot be negative at all: such a value is refused, not just flagged.
NEVER_NEGATIVE_UNITS = {"qkm", "km²", "km2", "ha"}


def statistic_code(table_code: str, name: str) -> str:
    return f"{table_code}.{slug_code(name, 140)}"


def genesis_dataset(path: Path, *, tenant=None, fmt: str = "genesis", **options) -> Dataset:
    text = genesis_decode(Path(path).read_bytes())
    table = genesis_table_parse(text)
    problems = [p for block in table.all_blocks() for p in block.problems]
    if problems:
        raise ImportRejected(problems)
    return genesis_table_dataset(table)


def _aggregation(unit: str) -> str:
    return "sum" if unit.strip().lower() in COUNT_UNITS else "none"


def genesis_table_dataset(
    table: ParsedTable, *, fmt: str = "genesis", source: dict | None = None, consume: bool = False
) -> Dataset:
    """Records of one table (and its further blocks) → a Dataset ready for ``dataset_store``.

    ``consume=True`` lets go of each block's records once they are values (a reader that owns the
    table, e.g. a large flat file, then never holds both at once)."""
    blocks = table.all_blocks()
    year = table.published_on.year if table.published_on else ""
    attribution = table.attribution or f"{ATTRIBUTION_DEFAULT}, {year}".strip(", ")
    rounded_lands = genesis_rounded_lands(table)
    rounding_note = ""
    if rounded_lands:
        parts = [f"{land}: Vielfache von {n}" for land, n in sorted(rounded_lands.items())]
        rounding_note = (
            "Gerundete Werte (durchgängig Vielfache, z. B. NRW-Schulstatistik seit 2019/20 auf 5): "
            f"{'; '.join(parts)}; der Bundeswert enthält gerundete Länderwerte."
        )
    source = source or {
        "code": f"genesis-{slug_code(table.table_code)}",
        "publisher": "Statistische Ämter des Bundes und der Länder (Regionalstatistik)",
        "table_code": table.table_code,
        "title": table.title[:500] or table.table_code,
        "licence": LICENCE,
        "attribution": attribution[:500],
        "url": "https://www.regionalstatistik.de/genesis/online?operation=table&code=" + table.table_code,
        "published_on": table.published_on,
        "footnotes": table.footnotes,
        "rounding_note": rounding_note,
    }
    dataset = Dataset(format=fmt, source=source)
    if table.period_kind_note:
        dataset.notes.append(table.period_kind_note)
    for block in blocks:
        dataset.notes += [f"Warnung: {w}" for w in block.warnings]
    if len(blocks) > 1:
        dataset.notes.append(
            f"Die Datei enthält {len(blocks)} Tabellenblöcke: "
            + ", ".join(b.table_code for b in blocks)
            + " – alle wurden gelesen."
        )
    # Breakdowns, named by what they are; each category keeps its role (part, zusammen, darunter).
    breakdown_codes: dict[str, str] = {}
    for block in blocks:
        for name, cats in block.breakdowns.items():
            code = slug_code(name)
            breakdown_codes[name] = code
            existing = dataset.breakdowns.get(code, (name, []))[1]
            known = {c[0] for c in existing}
            for label, (role, parent) in cats.items():
                cat_code = slug_code(label)
                if cat_code not in known:
                    existing.append((cat_code, label, role, slug_code(parent) if parent else ""))
                    known.add(cat_code)
            dataset.breakdowns[code] = (name, existing)
    stats: dict[str, dict] = {}
    problems: list[RowProblem] = []
    negatives: list[str] = []
    any_rounded = bool(rounded_lands)
    values = dataset.values
    append = values.append
    block_keys = []
    # Records share their categories dict per column and row key (genesis.py, ffcsv.py); what follows from
    # it – the canonical categories and the breakdowns a statistic gets – is worked out once per dict.
    shared_categories: dict[tuple, tuple[dict, set]] = {}
    by_dict: dict[int, tuple[dict, set]] = {}
    rounded_of: dict[str, bool] = {}
    stat_seen: set[tuple[str, int]] = set()
    zero = Decimal(0)
    for block in blocks:
        block_keys.append(genesis_region_keys(block))
        codes: dict[str, str] = {}
        records = block.records
        if consume:
            block.records = []
            records.reverse()
        for rec in _drain(records) if consume else records:
            code = codes.get(rec.statistic)
            if code is None:
                code = codes[rec.statistic] = statistic_code(block.table_code, rec.statistic)
            stat = stats.get(code)
            if stat is None:
                stat = stats[code] = {
                    "code": code,
                    "name": rec.statistic,
                    "unit": rec.unit,
                    "aggregation": _aggregation(rec.unit),
                    "breakdowns": set(),
                }
            # The id is only trusted while the dict is alive: entries keep a reference to it.
            entry = by_dict.get(id(rec.categories))
            if entry is None or entry[2] is not rec.categories:
                cats_key = tuple(rec.categories.items())
                shared = shared_categories.get(cats_key)
                if shared is None:
                    shared = shared_categories[cats_key] = (
                        {breakdown_codes[b]: slug_code(c) for b, c in rec.categories.items()},
                        {breakdown_codes[b] for b in rec.categories},
                    )
                entry = by_dict[id(rec.categories)] = (*shared, rec.categories)
            categories, breakdown_set, _ = entry
            if (code, id(breakdown_set)) not in stat_seen:
                stat_seen.add((code, id(breakdown_set)))
                stat["breakdowns"] |= breakdown_set
            if rec.value is not None and rec.value < zero:
                unit = rec.unit.strip().lower()
                if unit in NEVER_NEGATIVE_UNITS:
                    message = f"„{rec.value}“ {rec.unit}: eine Fläche kann nicht negativ sein."
                    problems.append(RowProblem(rec.line, rec.column, message))
                elif unit in COUNT_UNITS and len(negatives) < 20:
                    negatives.append(f"Zeile {rec.line}, Spalte {rec.column}: {rec.value}")
            rounded = rounded_of.get(rec.region)
            if rounded is None:
                rounded = rounded_of[rec.region] = rec.region[:2] in rounded_lands or (
                    rec.region == "DG" and any_rounded
                )
            append(
                {
                    "statistic": code,
                    "region": rec.region,
                    "period": rec.period,
                    "categories": categories,
                    "value": rec.value,
                    "flag": rec.flag,
                    "rounded": rounded,
                    "line": rec.line,
                    "column": rec.column,
                }
            )
    if negatives:
        dataset.notes.append(
            "Warnung: negative Anzahlen (bei Bestandszahlen unmöglich, bei Salden/Veränderungen möglich) – "
            + "; ".join(negatives)
        )
    for stat in stats.values():
        stat["breakdowns"] = sorted(stat["breakdowns"])
    dataset.statistics = list(stats.values())
    _, would_create = genesis_regions_resolve(table, create=False, keys=block_keys[0])
    for block, keys in zip(blocks[1:], block_keys[1:], strict=True):
        genesis_regions_resolve(block, create=False, keys=keys)
    problems += [p for b in blocks for p in b.problems]
    if problems:
        raise ImportRejected(problems)
    dataset.new_regions = would_create

    def prepare() -> list[str]:
        mapping: dict[str, int] = {}
        created: list[str] = []
        for block, keys in zip(blocks, block_keys, strict=True):
            found, new = genesis_regions_resolve(block, create=True, keys=keys)
            mapping.update(found)
            created += new
            if block.problems:
                raise ImportRejected(block.problems)
        refs = {code: _RegionRef(pk, code) for code, pk in mapping.items()}
        for v in values:
            v["region"] = refs[str(v["region"])]
        if created:
            return [
                f"{len(created)} amtliche Gebiete aus der Tabelle neu angelegt (nicht im Gebietsstand der "
                f"Grenzdaten): " + "; ".join(created[:20]) + (" …" if len(created) > 20 else "")
            ]
        return []

    dataset.prepare = prepare
    return dataset


def _drain(records: list):
    """Yield a reversed list's items in their original order, letting each go."""
    while records:
        yield records.pop()


class _RegionRef:
    """A resolved region id that values_upsert accepts like a Region (only ``pk`` is read)."""

    __slots__ = ("pk", "code")

    def __init__(self, pk: int, code: str):
        self.pk, self.code = pk, code

    def __str__(self) -> str:
        return self.code


__all__ = ["Role", "genesis_dataset", "genesis_table_dataset", "statistic_code", "detect"]
