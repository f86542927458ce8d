"""GENESIS classic table CSV → Dataset (statistics, breakdowns, values with flags, source with licence)."""

from __future__ import annotations

from pathlib import Path

from bildungskette.core.importing import ImportRejected

from ..services import slug_code
from . import Dataset
from .genesis import (
    ATTRIBUTION_DEFAULT,
    LICENCE,
    ParsedTable,
    _is_total,
    genesis_decode,
    genesis_detect,
    genesis_regions_resolve,
    genesis_rounded_lands,
    genesis_table_parse,
)

detect = genesis_detect


def statistic_code(table_code: str, name: str) -> str:
    return f"{table_code}.{slug_code(name, 140)}"


def genesis_dataset(path: Path, *, tenant=None, fmt: str = "genesis", **options) -> Dataset:
    text = genesis_decode(Path(path).read_bytes())
    table = genesis_table_parse(text)
    if table.problems:
        raise ImportRejected(table.problems)
    return genesis_table_dataset(table)


def genesis_table_dataset(table: ParsedTable) -> Dataset:
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
    source = {
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
    dataset = Dataset(format="genesis", source=source)
    if table.period_kind_note:
        dataset.notes.append(table.period_kind_note)
    breakdown_codes = {}
    for name, labels in table.breakdowns().items():
        code = slug_code(name)
        breakdown_codes[name] = code
        cats = [
            (slug_code(label), label, label.lower().startswith(("dar.", "darunter", "nachrichtl")))
            for label in labels
            if not _is_total(label)
        ]
        existing = dataset.breakdowns.get(code)
        if existing:
            cats = existing[1] + [c for c in cats if c[0] not in {e[0] for e in existing[1]}]
        dataset.breakdowns[code] = (name, cats)
    stats: dict[str, dict] = {}
    for column in table.columns:
        code = statistic_code(table.table_code, column.statistic)
        stat = stats.setdefault(
            code,
            {
                "code": code,
                "name": column.statistic,
                "unit": column.unit,
                "aggregation": "sum" if column.unit.lower() == "anzahl" else "none",
                "breakdowns": set(),
            },
        )
        stat["breakdowns"] |= {breakdown_codes[b] for b in column.categories}
        stat["breakdowns"] |= {breakdown_codes[b] for b in table.extra_keys}
    for stat in stats.values():
        stat["breakdowns"] = sorted(stat["breakdowns"])
    dataset.statistics = list(stats.values())
    col_keys = []
    for column in table.columns:
        col_keys.append(
            (
                statistic_code(table.table_code, column.statistic),
                {breakdown_codes[b]: slug_code(c) for b, c in column.categories.items() if not _is_total(c)},
            )
        )
    values = dataset.values
    any_rounded = bool(rounded_lands)
    for row in table.rows:
        extra = {
            breakdown_codes[b]: slug_code(c)
            for b, c in zip(table.extra_keys, row["extra"], strict=True)
            if not _is_total(c)
        }
        rounded = row["region"][:2] in rounded_lands or (row["region"] == "DG" and any_rounded)
        for (stat_code, cats), (value, flag) in zip(col_keys, row["cells"], strict=True):
            values.append(
                {
                    "statistic": stat_code,
                    "region": row["region"],
                    "period": row["period"],
                    "categories": {**cats, **extra},
                    "value": value,
                    "flag": flag,
                    "rounded": rounded,
                    "line": row["line"],
                }
            )
    _, would_create = genesis_regions_resolve(table, create=False)
    if table.problems:
        raise ImportRejected(table.problems)
    dataset.new_regions = would_create

    def prepare() -> list[str]:
        mapping, created = genesis_regions_resolve(table, create=True)
        if table.problems:
            raise ImportRejected(table.problems)
        for v in values:
            v["region"] = _RegionRef(mapping[v["region"]], v["region"])
        if created:
            return [
                f"{len(created)} amtliche Gebiete aus der Tabelle neu angelegt (nicht im Gebietsstand der "
                f"Grenzdaten): " + "; ".join(created[:20]) + (" …" if len(created) > 20 else "")
            ]
        return []

    dataset.prepare = prepare
    return dataset


class _RegionRef:
    """A resolved region id that values_upsert accepts like a Region (only ``pk`` is read)."""

    __slots__ = ("pk", "code")

    def __init__(self, pk: int, code: str):
        self.pk, self.code = pk, code

    def __str__(self) -> str:
        return self.code
