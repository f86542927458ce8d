"""Kleinräumig: Stadtteil figures and a social index per Stadtteil from documented inputs.

The inputs are counts a Kommune imports for its own Stadtteile through a column mapping
(``stadtteile_of``): numerator and denominator per input. The method, shown wherever the index
appears (page, report, PDF, DOCX):

1. share per Stadtteil = numerator / denominator × 100;
2. each share is z-standardised across the Stadtteile of the Gemeinde that have every input:
   z = (share − mean) / standard deviation (population standard deviation);
3. index = Σ weight × z (weights below, summing to 1). Above 0: more social burden than the
   average Stadtteil, below 0: less.

Disclosure: a share whose numerator is a small count (1 … MIN_CELL − 1) is suppressed (•). If a
column has exactly one suppressed share, the share with the next-smallest numerator is suppressed
as well (secondary suppression), so that the city total cannot give it away. A Stadtteil with a
suppressed input gets no index and does not enter mean and standard deviation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from bildungskette.regions.models import Region, RegionKind

from . import selectors

MIN_CELL = 3
SUPPRESSED_MARK = "•"


@dataclass(frozen=True)
class IndexInput:
    key: str
    label: str
    numerator: str  # statistic code
    denominator: str  # statistic code
    weight: Decimal
    definition: str


INPUTS = (
    IndexInput("sgb2", "SGB-II-Quote", "kleinraum.sgb2", "kleinraum.bevoelkerung", Decimal("0.5"),
               "Leistungsempfänger*innen nach SGB II je 100 Einwohner*innen"),
    IndexInput("alleinerziehende", "Anteil Alleinerziehender", "kleinraum.alleinerziehende",
               "kleinraum.haushalte-mit-kindern", Decimal("0.25"),
               "Haushalte von Alleinerziehenden je 100 Haushalte mit Kindern"),
    IndexInput("migration", "Anteil mit Migrationshintergrund", "kleinraum.migrationshintergrund",
               "kleinraum.bevoelkerung", Decimal("0.25"), "Einwohner*innen mit Migrationshintergrund je 100 "
               "Einwohner*innen"),
)

METHOD = (
    "Sozialindex: Für jeden Stadtteil wird je Merkmal der Anteil berechnet (Zähler ÷ Nenner × 100), über die "
    "Stadtteile mit allen Merkmalen z-standardisiert (z = (Anteil − Mittelwert) ÷ Standardabweichung) und "
    "gewichtet addiert: " + " + ".join(f"{str(i.weight).replace('.', ',')} × z({i.label})" for i in INPUTS)
    + ". Werte über 0 bedeuten eine höhere soziale Belastung als im Durchschnitt der Stadtteile, Werte "
    "unter 0 eine geringere."
)
DISCLOSURE = (
    f"Geheimhaltung: Anteile, deren Zähler unter {MIN_CELL} Fällen liegt, sind gesperrt ({SUPPRESSED_MARK}); ist in "
    "einer Spalte nur ein Anteil gesperrt, wird der mit dem nächstkleineren Zähler ebenfalls gesperrt "
    "(sekundäre Sperrung). Stadtteile mit einem gesperrten Merkmal erhalten keinen Index."
)


@dataclass
class StadtteilRow:
    region: Region
    shares: dict[str, Decimal | None] = field(default_factory=dict)
    suppressed: set[str] = field(default_factory=set)
    z: dict[str, Decimal] = field(default_factory=dict)
    index: Decimal | None = None
    reason: str = ""

    def share_display(self, key: str) -> str:
        if key in self.suppressed:
            return SUPPRESSED_MARK
        value = self.shares.get(key)
        return "kein Wert" if value is None else selectors.number_de(_q(value, 1), 1)

    @property
    def index_display(self) -> str:
        return self.reason if self.index is None else selectors.number_de(_q(self.index, 2), 2)


@dataclass
class SocialIndex:
    gemeinde: Region
    period: str
    rows: list[StadtteilRow]
    stats: dict[str, tuple[Decimal, Decimal]]  # key -> (mean, standard deviation) of the shares
    sources: list  # monitoring Source objects
    inputs: tuple[IndexInput, ...] = INPUTS
    method: str = METHOD
    disclosure: str = DISCLOSURE

    @property
    def is_synthetic(self) -> bool:
        return any(s.is_synthetic for s in self.sources)


def _q(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def stadtteile_of(gemeinde: Region, tenant) -> list[Region]:
    if tenant is None:
        return []
    return list(Region.objects.filter(parent=gemeinde, kind=RegionKind.STADTTEIL, tenant=tenant).order_by("name"))


def gemeinde_of(region: Region) -> Region:
    """A kreisfreie Stadt's one Gemeinde (06611 → 06611000); a Gemeinde is itself."""
    if region.kind == RegionKind.GEMEINDE:
        return region
    return Region.objects.filter(parent=region, kind=RegionKind.GEMEINDE).order_by("code").first() or region


def _suppress(counts: dict[int, Decimal | None], min_cell: int) -> set[int]:
    """Region ids whose share is suppressed in one column (primary plus secondary)."""
    primary = {rid for rid, n in counts.items() if n is not None and 0 < n < min_cell}
    suppressed = set(primary)
    if len(suppressed) == 1:
        candidates = sorted((n, rid) for rid, n in counts.items() if n is not None and rid not in suppressed and n > 0)
        if candidates:
            suppressed.add(candidates[0][1])
    return suppressed


def social_index_compute(*, gemeinde: Region, tenant, as_of=None, min_cell: int = MIN_CELL) -> SocialIndex:
    """The social index of the tenant's Stadtteile of ``gemeinde`` in the latest period with data."""
    regions = stadtteile_of(gemeinde, tenant)
    codes = sorted({c for i in INPUTS for c in (i.numerator, i.denominator)})
    indicators = [selectors.statistic_indicator(c) for c in codes]
    results = selectors.indicators_evaluate(indicators=indicators, regions=regions, tenant=tenant,
                                            as_of=as_of) if regions else {}
    by_code = {ind.code: c for ind, c in zip(indicators, codes, strict=True)}
    counts: dict[tuple[str, int, int], Decimal | None] = {}
    periods: dict[int, tuple[int, str]] = {}
    for (ind_code, region_id, period_id), result in results.items():
        counts[(by_code[ind_code], region_id, period_id)] = result.value
        if result.value is not None:
            periods[period_id] = (result.year or 0, result.period)
    if not periods:
        return SocialIndex(gemeinde=gemeinde, period="", rows=[StadtteilRow(r, reason="keine Daten") for r in regions],
                           stats={}, sources=[])
    period_id = max(periods, key=lambda p: periods[p])
    used = [r for (c, _, p), r in results.items() if p == period_id and r.value is not None]
    rows = {r.pk: StadtteilRow(r) for r in regions}
    for item in INPUTS:
        numerators = {r.pk: counts.get((item.numerator, r.pk, period_id)) for r in regions}
        for rid in _suppress(numerators, min_cell):
            rows[rid].suppressed.add(item.key)
        for r in regions:
            num, den = numerators[r.pk], counts.get((item.denominator, r.pk, period_id))
            rows[r.pk].shares[item.key] = (num / den * 100) if num is not None and den else None
    complete = [row for row in rows.values()
                if not row.suppressed and all(row.shares[i.key] is not None for i in INPUTS)]
    stats = {}
    for item in INPUTS:
        values = [row.shares[item.key] for row in complete]
        if len(values) < 2:
            continue
        mean = sum(values) / len(values)
        sd = Decimal(math.sqrt(sum((v - mean) ** 2 for v in values) / len(values)))
        stats[item.key] = (mean, sd)
    for row in rows.values():
        if row.suppressed:
            row.reason = "gesperrt (Geheimhaltung)"
        elif row not in complete:
            row.reason = "Merkmal fehlt"
        elif len(stats) < len(INPUTS) or any(stats[i.key][1] == 0 for i in INPUTS):
            row.reason = "zu wenige Stadtteile"
        else:
            row.z = {i.key: (row.shares[i.key] - stats[i.key][0]) / stats[i.key][1] for i in INPUTS}
            row.index = sum(i.weight * row.z[i.key] for i in INPUTS)
    ordered = sorted(rows.values(), key=lambda r: (r.index is None, -(r.index or 0), r.region.name))
    return SocialIndex(gemeinde=gemeinde, period=periods[period_id][1], rows=ordered, stats=stats,
                       sources=selectors.indicator_sources(used))


def social_index_map(index: SocialIndex, measure: str = "index") -> dict:
    """Rows, GeoJSON features and classes of a Stadtteil map of the index (or of one input share);
    shared by the Kleinräumig page and the report's map block."""
    from .figures import choropleth_classes

    inputs = {i.key: i for i in index.inputs}
    measure = measure if measure in inputs else "index"

    def value_of(row):
        if measure == "index":
            return None if row.index is None else _q(row.index, 2)
        if measure in row.suppressed or row.shares.get(measure) is None:
            return None
        return _q(row.shares[measure], 1)

    def display_of(row):
        return row.index_display if measure == "index" else row.share_display(measure)

    values = [v for v in (value_of(r) for r in index.rows) if v is not None]
    classes = choropleth_classes(values, 2 if measure == "index" else 1)
    rows, features = [], []
    for row in index.rows:
        value = value_of(row)
        klasse = "kein Wert"
        if value is not None:
            for i, cls in enumerate(classes):
                if value < cls.high or i == len(classes) - 1:
                    klasse = cls.label
                    break
        rows.append({
            "key": row.region.code, "label": row.region.name, "value": None if value is None else str(value),
            "display": display_of(row), "klasse": klasse,
            "cells": [row.region.name] + [row.share_display(i.key) for i in index.inputs] + [row.index_display],
        })
        if row.region.boundary:
            features.append({"type": "Feature", "geometry": _clockwise(row.region.boundary),
                             "properties": {"Stadtteil": row.region.name, "Klasse": klasse, "Wert": display_of(row)}})
    drawn = {f["properties"]["Stadtteil"] for f in features}
    return {
        "measure": inputs[measure].label + " (%)" if measure in inputs else "Sozialindex",
        "columns": ["Stadtteil"] + [f"{i.label} (%)" for i in index.inputs] + ["Sozialindex"],
        "rows": rows,
        "map": {"features": features, "classes": [{"label": c.label, "colour": c.colour} for c in classes]},
        "without_boundary": [r["label"] for r in rows if r["label"] not in drawn],
    }


def _clockwise(geometry: dict) -> dict:
    """Vega draws with d3-geo, which reads a counter-clockwise ring (the GeoJSON RFC 7946 order)
    as "the whole globe except this area": exterior rings are turned clockwise for the map."""
    from shapely.geometry import MultiPolygon, Polygon, mapping, shape
    from shapely.geometry.polygon import orient

    try:
        geom = shape(geometry)
    except (ValueError, TypeError, AttributeError, KeyError, IndexError):
        return geometry
    if isinstance(geom, Polygon):
        return mapping(orient(geom, sign=-1.0))
    if isinstance(geom, MultiPolygon):
        return mapping(MultiPolygon([orient(p, sign=-1.0) for p in geom.geoms]))
    return geometry


def stadtteil_map_spec(map_data: dict, *, measure: str) -> dict:
    """The Stadtteil choropleth as a Vega-Lite geoshape: one definition for web, PDF and DOCX
    (rendered by core.charts)."""
    from .figures import NO_VALUE_COLOUR

    classes = map_data["classes"]
    domain = [c["label"] for c in classes] + ["kein Wert"]
    colours = [c["colour"] for c in classes] + [NO_VALUE_COLOUR]
    return {
        "width": 480,
        "height": 360,
        "data": {"values": {"type": "FeatureCollection", "features": map_data["features"]},
                 "format": {"type": "json", "property": "features"}},
        "projection": {"type": "mercator"},
        "mark": {"type": "geoshape", "stroke": "#1b1f24", "strokeWidth": 0.8},
        "encoding": {
            "color": {"field": "properties.Klasse", "type": "nominal", "title": measure,
                      "scale": {"domain": domain, "range": colours}, "sort": domain,
                      "legend": {"symbolType": "square", "symbolStrokeColor": "#1b1f24", "symbolSize": 160}},
        },
    }


def weights_table(index: SocialIndex) -> list[dict]:
    """Per input: definition, weight, and mean/standard deviation of the shares used for z."""
    out = []
    for i in index.inputs:
        mean, sd = index.stats.get(i.key, (None, None))
        out.append({"label": i.label, "definition": i.definition, "weight": selectors.number_de(i.weight, 2),
                    "mean": "–" if mean is None else selectors.number_de(_q(mean, 1), 1),
                    "sd": "–" if sd is None else selectors.number_de(_q(sd, 1), 1)})
    return out
