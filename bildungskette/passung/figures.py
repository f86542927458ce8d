"""What the trend page and its PDF show: the Passung trend of the home region, the women's share per
occupation and the choropleth per occupation group. One Vega-Lite spec per chart, rendered by
``core.charts.chart_svg`` for the page and the PDF alike; every chart has its table beside it."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from bildungskette.monitoring.figures import NO_VALUE_COLOUR, choropleth_classes
from bildungskette.monitoring.importers.kldb import kldb_titles
from bildungskette.regions.maps import MapShape, svg_map_data
from bildungskette.regions.models import Region

from . import indicators
from .indicators import Result
from .models import PassungFigure
from .selectors import _sum_counts, _women

# Measures a choropleth can show: key, label, decimals.
MAP_MEASURES = [
    ("versorgung", "Versorgungsprobleme (%)", 1),
    ("auba", "AubA – Besetzungsprobleme (%)", 1),
    ("ip", "Index der Passungsprobleme", 0),
    ("unversorgt", "unversorgte Bewerber*innen", 0),
    ("unbesetzt", "unbesetzte Stellen", 0),
    ("frauen", "Frauenanteil unter den Bewerber*innen (%)", 1),
]


def measure_of(counts: dict, key: str) -> Result:
    """One measure of a cell (or group total) as a Result with reason."""
    if key == "auba":
        return indicators.auba(counts)
    if key == "versorgung":
        return indicators.versorgungsprobleme(counts)
    if key == "ip":
        return indicators.index_passungsprobleme(counts)
    if key == "frauen":
        return _women(counts)
    value = counts.get(key)
    if value == indicators.SECRET:
        return Result(None, "geheim gehalten (weniger als 3 Fälle)")
    if value is None:
        return Result(None, "liegt nicht vor")
    return Result(Decimal(value))


# ---------------------------------------------------------------------------------------------
# Trend of the home region


@dataclass
class TrendPoint:
    year: int
    counts: dict
    auba: Result
    versorgung: Result
    ip: Result
    frauen: Result
    synthetic: bool


def passung_trend(*, codes: list[str], region: Region) -> list[TrendPoint]:
    """The group's totals per Berichtsjahr in a region, oldest first."""
    by_year: dict[int, list[PassungFigure]] = {}
    for f in PassungFigure.objects.filter(region=region, kldb__in=codes).order_by("year"):
        by_year.setdefault(f.year, []).append(f)
    points = []
    for year, figs in sorted(by_year.items()):
        counts = _sum_counts(figs)
        points.append(TrendPoint(year, counts, indicators.auba(counts), indicators.versorgungsprobleme(counts),
                                 indicators.index_passungsprobleme(counts), _women(counts),
                                 any(f.is_synthetic for f in figs)))
    return points


def trend_chart_spec(points: list[TrendPoint], *, region_name: str) -> dict:
    """AubA and Versorgungsprobleme over the years (two lines); years without a value leave a gap."""
    values = []
    for p in points:
        for label, r in (("AubA – Besetzungsprobleme", p.auba), ("Versorgungsprobleme", p.versorgung)):
            values.append({"Jahr": str(p.year), "Kennzahl": label, "Prozent": float(r.value) if r.ok else None})
    return {
        "title": f"Passung {region_name}: AubA und Versorgungsprobleme",
        "width": 520, "height": 240,
        "data": {"values": values},
        "mark": {"type": "line", "point": True, "strokeWidth": 2},
        "encoding": {
            "x": {"field": "Jahr", "type": "ordinal", "title": "Berichtsjahr (bis 30.09.)", "axis": {"labelAngle": 0}},
            "y": {"field": "Prozent", "type": "quantitative", "title": "Prozent"},
            "color": {"field": "Kennzahl", "type": "nominal", "title": None, "legend": {"orient": "bottom"}},
            "strokeDash": {"field": "Kennzahl", "type": "nominal", "legend": None},
        },
    }


# ---------------------------------------------------------------------------------------------
# Women's share per occupation


@dataclass
class WomenRow:
    kldb: str
    title: str
    bewerber: int | None
    weiblich: int | None
    share: Result


def women_by_occupation(*, codes: list[str], region: Region, year: int | None) -> list[WomenRow]:
    titles = kldb_titles()
    figures = {f.kldb: f for f in PassungFigure.objects.filter(region=region, year=year, kldb__in=codes)}
    rows = []
    for code in codes:
        fig = figures.get(code)
        counts = _sum_counts([fig]) if fig else {}
        rows.append(WomenRow(code, titles.get(code, code), counts.get("bewerber"), counts.get("bewerber_weiblich"),
                             _women(counts) if fig else Result(None, "keine Zahlen")))
    return rows


def women_chart_spec(rows: list[WomenRow], *, title: str) -> dict:
    values = [{"Beruf": f"{r.kldb} {r.title}"[:45], "Frauenanteil": float(r.share.value)}
              for r in rows if r.share.ok]
    return {
        "title": title, "width": 420, "height": {"step": 22},
        "data": {"values": values},
        "mark": {"type": "bar", "color": "#6a3d9a"},
        "encoding": {
            "y": {"field": "Beruf", "type": "nominal", "sort": "-x", "title": None},
            "x": {"field": "Frauenanteil", "type": "quantitative", "title": "Frauenanteil unter den Bewerber*innen (%)",
                  "scale": {"domain": [0, 100]}},
        },
    }


# ---------------------------------------------------------------------------------------------
# Choropleth per occupation group


@dataclass
class GroupMap:
    measure: str
    label: str
    year: int | None
    svg: dict
    classes: list
    rows: list[dict] = field(default_factory=list)
    synthetic: bool = False


def group_choropleth(*, codes: list[str], home: Region, measure: str, year: int | None) -> GroupMap:
    """Regions of the home region's kind (Agenturbezirke) coloured by one measure of the group's totals.
    An Agenturbezirk is drawn as its Kreise, all in its colour."""
    from bildungskette.monitoring.sources.selectors import agency_kreise

    key, label, decimals = next((m for m in MAP_MEASURES if m[0] == measure), MAP_MEASURES[0])
    by_region: dict[int, list[PassungFigure]] = {}
    for f in PassungFigure.objects.filter(year=year, kldb__in=codes, region__kind=home.kind):
        by_region.setdefault(f.region_id, []).append(f)
    regions = {r.pk: r for r in Region.objects.filter(pk__in=by_region).defer("boundary").order_by("name")}
    results = {rid: measure_of(_sum_counts(figs), key) for rid, figs in by_region.items()}
    q = Decimal(1).scaleb(-decimals)
    values = [r.value.quantize(q) for r in results.values() if r.ok]
    classes = choropleth_classes(values, decimals)
    rows, shapes = [], []
    for rid, region in regions.items():
        result = results[rid]
        colour, class_label = NO_VALUE_COLOUR, "kein Wert"
        if result.ok:
            value = result.value.quantize(q)
            for i, cls in enumerate(classes):
                if value < cls.high or i == len(classes) - 1:
                    colour, class_label = cls.colour, cls.label
                    break
        shown = f"{result.value.quantize(q)}" if result.ok else f"kein Wert – {result.reason}"
        rows.append({"region": region, "result": result, "display": shown, "colour": colour, "label": class_label,
                     "home": region.pk == home.pk})
        kreise = agency_kreise(region) if region.kind == "agenturbezirk" else [region]
        shapes += [MapShape(k.boundary, f"{region.name}: {shown}", css_class="area", fill=colour)
                   for k in kreise if k.boundary]
    rows.sort(key=lambda r: (not r["result"].ok, -(r["result"].value or 0)))
    synthetic = any(f.is_synthetic for figs in by_region.values() for f in figs)
    return GroupMap(key, label, year, svg_map_data(shapes, width=520) if shapes else {}, classes, rows, synthetic)
