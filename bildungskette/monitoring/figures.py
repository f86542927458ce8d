"""What the pages and PDFs show: chart specs (Vega-Lite, one spec for screen and paper), the
choropleth classes, comparisons, rankings and the Datenblatt. Views and the PDF only render these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from bildungskette.core.charts import chart_svg
from bildungskette.regions.maps import MapShape, svg_map_data
from bildungskette.regions.models import Region, RegionKind

from .models import Direction, ImportRun, ImportStatus, Indicator, Period, Source
from .recompute import indicator_results_current
from .selectors import (
    IndicatorResult,
    indicator_periods,
    indicators_evaluate,
    number_de,
    statistic_indicator,
)

# Sequential blues, light to dark (contrast ≥ 3:1 against white for the darker classes; the table
# carries every number, so colour is never the only carrier of information).
CLASS_COLOURS = ["#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c"]
NO_VALUE_COLOUR = "#f2f2f2"


def parent_regions(region: Region) -> list[Region]:
    """Land and Bund of a region (Kreis, RB, Gemeinde), without the region itself. A group (OloV-Region
    Kassel = Stadt + Landkreis Kassel) is compared with the Land all its members lie in."""
    codes = []
    if region.kind in (RegionKind.GROUP, RegionKind.AGENTURBEZIRK):
        lands = {c[:2] for c in region.members.values_list("code", flat=True) if c[:2].isdigit()}
        if len(lands) == 1:
            codes.append(lands.pop())
    elif (
        region.kind
        in (RegionKind.KREIS, RegionKind.REGIERUNGSBEZIRK, RegionKind.STATISTISCHE_REGION, RegionKind.GEMEINDE)
        and region.code[:2].isdigit()
    ):
        codes.append(region.code[:2])
    if region.code != "DG":
        codes.append("DG")
    found = {r.code: r for r in Region.objects.filter(code__in=codes, tenant__isnull=True).defer("boundary")}
    return [found[c] for c in codes if c in found]


def peer_regions(region: Region, *, picked: list[str] | None = None, limit: int = 8) -> list[Region]:
    """Peers: the user's pick, or other Kreise of the same type (designation) in the same Land."""
    qs = Region.objects.filter(tenant__isnull=True).defer("boundary")
    if picked:
        return list(qs.filter(code__in=picked).exclude(pk=region.pk).order_by("name")[:20])
    if region.kind != RegionKind.KREIS:
        return []
    return list(
        qs.filter(
            kind=RegionKind.KREIS,
            code__startswith=region.code[:2],
            designation=region.designation,
            boundary__isnull=False,
        )
        .exclude(pk=region.pk)
        .order_by("name")[:limit]
    )


def region_labels(regions) -> dict[int, str]:
    """One label per region, unique within the set: the title (which carries the designation of a Kreis
    or Regierungsbezirk – "Kassel (Kreisfreie Stadt)", "Kassel (Landkreis)"), and the official key where
    titles still repeat (two Gemeinden "Neuenkirchen"). Charts and tables key their data by region,
    and these labels are what people read."""
    regions = list({r.pk: r for r in regions}.values())
    titles: dict[str, int] = {}
    for r in regions:
        titles[r.title] = titles.get(r.title, 0) + 1
    return {r.pk: (f"{r.title} ({r.code})" if titles[r.title] > 1 else r.title) for r in regions}


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def series_spec(indicator: Indicator, rows: list[dict]) -> dict:
    """Time series: one line per region; rows = {"Schlüssel", "Gebiet", "Zeitraum", "Jahr", "Wert"}.
    Lines are keyed by the region's key ("Schlüssel"); "Gebiet" is its unique label (``region_labels``)."""
    unit = indicator.unit or ""
    return {
        "width": 560,
        "height": 260,
        "data": {"values": [r for r in rows if r["Wert"] is not None]},
        "mark": {"type": "line", "point": {"size": 60}, "strokeWidth": 2.5},
        "encoding": {
            "x": {
                "field": "Zeitraum",
                "type": "ordinal",
                "sort": {"field": "Jahr"},
                "title": "Zeitraum",
                "axis": {"labelAngle": -30, "labelLimit": 160},
            },
            "y": {"field": "Wert", "type": "quantitative", "title": unit, "scale": {"zero": False}},
            "color": {"field": "Gebiet", "type": "nominal", "title": "Gebiet", "legend": {"labelLimit": 260}},
            "detail": {"field": "Schlüssel", "type": "nominal"},
        },
    }


def bars_spec(indicator: Indicator, rows: list[dict], *, highlight: str = "") -> dict:
    """Horizontal bars, one per region (comparison or ranking); rows = {"Schlüssel", "Gebiet", "Wert"}.
    ``highlight`` is the key of the region to highlight; labels must be unique (``region_labels``) so
    that two same-named regions are two bars."""
    return {
        "width": 520,
        "height": {"step": 22},
        "data": {"values": [r for r in rows if r["Wert"] is not None]},
        "mark": {"type": "bar"},
        "encoding": {
            "y": {"field": "Gebiet", "type": "nominal", "sort": "-x", "title": None, "axis": {"labelLimit": 260}},
            "x": {
                "field": "Wert",
                "type": "quantitative",
                "title": indicator.unit or "Wert",
                "axis": {"tickCount": 6, "labelOverlap": True},
            },
            "color": {
                "condition": {"test": f"datum['Schlüssel'] === {_js(highlight)}", "value": "#b8420f"},
                "value": "#0b4f6c",
            },
        },
    }


def _js(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


@dataclass
class MapClass:
    low: Decimal
    high: Decimal
    colour: str
    label: str = ""


@dataclass
class Choropleth:
    svg: dict
    classes: list[MapClass]
    rows: list[dict]  # region, code, value, display, class colour, reason
    missing_shapes: list[str] = field(default_factory=list)


def choropleth_classes(values: list[Decimal], decimals: int) -> list[MapClass]:
    """Five quantile classes (fewer when there are few distinct values)."""
    ordered = sorted(values)
    if not ordered:
        return []
    n = min(len(CLASS_COLOURS), len(set(ordered)))
    bounds = [ordered[min(len(ordered) - 1, round(i * (len(ordered) - 1) / n))] for i in range(n + 1)]
    classes = []
    colours = CLASS_COLOURS if n == len(CLASS_COLOURS) else CLASS_COLOURS[-n:]
    for i in range(n):
        low, high = bounds[i], bounds[i + 1]
        classes.append(
            MapClass(
                low,
                high,
                colours[i],
                f"{number_de(low, decimals)} bis {'unter ' if i < n - 1 else ''}{number_de(high, decimals)}",
            )
        )
    return classes


def choropleth_build(indicator: Indicator, kreise: list[Region], results: dict[int, IndicatorResult]) -> Choropleth:
    values = [r.value for r in results.values() if r.value is not None]
    classes = choropleth_classes(values, indicator.decimals)
    shapes, rows, missing = [], [], []
    for region in kreise:
        result = results.get(region.pk)
        colour, class_label = NO_VALUE_COLOUR, "kein Wert"
        if result is not None and result.value is not None:
            for i, cls in enumerate(classes):
                if result.value < cls.high or i == len(classes) - 1:
                    colour, class_label = cls.colour, cls.label
                    break
        label = f"{region.title}: {result.display() if result else 'kein Wert'}"
        if region.boundary:
            shapes.append(MapShape(region.boundary, label, css_class="area", href=region.code, fill=colour))
        else:
            missing.append(region.title)
        rows.append({"region": region, "result": result, "colour": colour, "label": class_label})
    rows.sort(
        key=lambda r: (
            r["result"] is None or r["result"].value is None,
            -(r["result"].value or 0) if r["result"] else 0,
        )
    )
    return Choropleth(svg=svg_map_data(shapes, width=560), classes=classes, rows=rows, missing_shapes=missing)


def kreise_for_map(parent: Region, *, with_boundary: bool = True) -> list[Region]:
    """The Kreise drawn on the parent's map; rankings ask ``with_boundary=False`` (the outlines of a
    Land's Kreise are hundreds of kilobytes a ranking never uses)."""
    qs = Region.objects.filter(kind=RegionKind.KREIS, tenant__isnull=True, boundary__isnull=False)
    if parent.code != "DG":
        qs = qs.filter(code__startswith=parent.code)
    if not with_boundary:
        qs = qs.defer("boundary")
    return list(qs.order_by("code"))


def ranking_rows(indicator: Indicator, results: dict[int, IndicatorResult], regions: list[Region]) -> list[dict]:
    """Regions ordered best first (by the indicator's direction), no-value regions last, with rank."""
    with_value = [(r, results[r.pk]) for r in regions if r.pk in results and results[r.pk].value is not None]
    reverse = indicator.direction != Direction.LOWER_BETTER
    with_value.sort(key=lambda x: x[1].value, reverse=reverse)
    rows = [{"rank": i + 1, "region": r, "result": res} for i, (r, res) in enumerate(with_value)]
    rows += [
        {"rank": None, "region": r, "result": results.get(r.pk)}
        for r in regions
        if r.pk not in results or results[r.pk].value is None
    ]
    return rows


def sources_for(results) -> list[Source]:
    ids = set()
    for r in results:
        if r is not None:
            ids |= r.source_ids
    last = ImportRun.objects.filter(source=OuterRef("pk"), status=ImportStatus.DONE).order_by("-finished_at", "-id")
    return list(
        Source.objects.filter(pk__in=ids)
        .annotate(last_import_pk=Subquery(last.values("pk")[:1]),
                  last_import_finished_at=Subquery(last.values("finished_at")[:1]))
        .order_by("publisher", "table_code")
    )


# --------------------------------------------------------------------------- Datenblatt

DATASHEET = [
    (
        "Ausbildungsmarkt",
        "Bewerber*innen und Berufsausbildungsstellen (BA, kumuliert seit 1. Oktober)",
        [
            ("stat", "ba.bewerber", {}, "gemeldete Bewerber*innen"),
            ("stat", "ba.bewerber", {"ba-status": "versorgt"}, "versorgte Bewerber*innen"),
            ("stat", "ba.bewerber", {"ba-status": "unversorgt"}, "unversorgte Bewerber*innen"),
            ("stat", "ba.stellen", {"stellenart": "betrieblich"}, "betriebliche Berufsausbildungsstellen"),
            ("stat", "ba.stellen", {"stellenart": "ausserbetrieblich"}, "außerbetriebliche Berufsausbildungsstellen"),
            ("stat", "ba.stellen.unbesetzt", {}, "unbesetzte Berufsausbildungsstellen"),
            ("ind", "stellen-je-bewerber", None, None),
            ("ind", "unbesetzte-je-unversorgte", None, None),
            ("ind", "anr", None, None),
            ("ind", "eanr", None, None),
            ("ind", "auba", None, None),
        ],
    ),
    (
        "Übergänge (iABE)",
        "Verbleib der Schulabgänger*innen nach Sektoren der integrierten Ausbildungsberichterstattung",
        [
            ("ind", "iabe-berufsabschluss", None, None),
            ("ind", "iabe-hochschulreife", None, None),
            ("ind", "iabe-uebergangsbereich", None, None),
            ("ind", "iabe-unbekannt", None, None),
        ],
    ),
    (
        "SGB II und Arbeitslosigkeit",
        "Junge Menschen unter 25 Jahren in der Grundsicherung",
        [
            ("stat", "sgb2.elb", {"altersgruppe": "u25"}, "erwerbsfähige Leistungsberechtigte u25"),
            ("stat", "sgb2.elb", {"altersgruppe": "u25", "sgb2-status": "arbeitsuchend"}, "darunter arbeitsuchend"),
            ("stat", "sgb2.elb", {"altersgruppe": "u25", "sgb2-status": "arbeitslos"}, "darunter arbeitslos"),
            ("ind", "sgb2-hilfequote-u25", None, None),
            ("ind", "jugendarbeitslosenquote", None, None),
        ],
    ),
    (
        "Schulabschlüsse",
        "Absolvierende/Abgehende allgemeinbildender Schulen",
        [
            ("ind", "quote-ohne-hsa", None, None),
            ("ind", "anteil-mit-hauptschulabschluss", None, None),
            ("ind", "anteil-mit-mittlerem-abschluss", None, None),
            ("ind", "anteil-mit-fachhochschulreife", None, None),
            ("ind", "anteil-mit-allgemeiner-hochschulreife", None, None),
        ],
    ),
]


def period_previous(period: Period) -> str:
    """The code of the same kind of period one year earlier."""
    code = period.code
    if code.startswith("BJ"):
        y = int(code[2:6]) - 1
        return f"BJ{y}/{(y + 1) % 100:02d}"
    if "/" in code:
        y = int(code[:4]) - 1
        return f"{y}/{(y + 1) % 100:02d}"
    return str(int(code[:4]) - 1) + code[4:]


@dataclass
class SheetRow:
    label: str
    unit: str
    current: IndicatorResult | None
    previous: IndicatorResult | None
    land: IndicatorResult | None
    change: str = ""
    approximation: str = ""
    period: Period | None = None
    previous_reason: str = ""  # why the Vorjahr cell is empty
    land_reason: str = ""  # why the Land cell is empty


@dataclass
class SheetSection:
    title: str
    subtitle: str
    period: Period | None
    rows: list[SheetRow]


@dataclass
class Datasheet:
    region: Region
    land: Region | None
    year: int | None
    sections: list[SheetSection]
    sources: list[Source]
    chart_rows: list[dict]
    synthetic: bool = False
    members: list[Region] = field(default_factory=list)  # of a group region: whose figures are summed


def datasheet_build(region: Region, *, year: int | None = None, tenant=None) -> Datasheet:
    """The one-click steering-group sheet: each section at its latest period up to ``year``."""
    land = next((r for r in parent_regions(region) if r.kind == RegionKind.LAND), None)
    catalogue = {
        i.code: i
        for i in Indicator.objects.filter(
            code__in=[code for _, _, items in DATASHEET for kind, code, _, _ in items if kind == "ind"]
        )
    }
    plan = []
    for title, subtitle, items in DATASHEET:
        section_items = []
        for kind, code, cats, label in items:
            if kind == "ind":
                if code not in catalogue:
                    continue
                section_items.append(catalogue[code])
            else:
                section_items.append(statistic_indicator(code, categories=cats, name=label, unit="Anzahl"))
        plan.append((title, subtitle, section_items))
    all_indicators = [i for _, _, items in plan for i in items]
    bund = next((r for r in parent_regions(region) if r.code == "DG"), None)
    regions = [region] + ([land] if land else []) + ([bund] if bund else [])
    members = (
        list(region.members.defer("boundary").order_by("code"))
        if region.kind in (RegionKind.GROUP, RegionKind.AGENTURBEZIRK)
        else []
    )
    results = indicators_evaluate(indicators=all_indicators, regions=regions + members, tenant=tenant)
    member_ids = {m.pk for m in members}
    periods = {p.pk: p for p in Period.objects.filter(pk__in={k[2] for k in results})}
    by_code = {p.code: p for p in periods.values()}
    sections = []
    used = []
    for title, subtitle, items in plan:
        # Periods in which the region has any value of the section (up to the chosen year).
        candidates = sorted(
            {
                pid
                for (code, rid, pid), r in results.items()
                if rid == region.pk
                and r.value is not None
                and code in {i.code for i in items}
                and (year is None or periods[pid].year <= year)
            },
            key=lambda pid: periods[pid].end,
        )
        if not candidates and member_ids:
            # A group without a sum (a member lacks data): show the periods its members have, so each
            # row can say which member lacks what.
            candidates = sorted(
                {
                    pid
                    for (code, rid, pid), r in results.items()
                    if rid in member_ids
                    and r.value is not None
                    and code in {i.code for i in items}
                    and (year is None or periods[pid].year <= year)
                },
                key=lambda pid: periods[pid].end,
            )
        period = periods[candidates[-1]] if candidates else None
        rows = []
        for ind in items:
            # Each figure at its own latest period (SGB II in April, unemployment in September …),
            # falling back to the section's period when the region has no value at all.
            own = [pid for pid in candidates if results[(ind.code, region.pk, pid)].value is not None] or [
                pid for pid in candidates if any(results[(ind.code, m, pid)].value is not None for m in member_ids)
            ]
            row_period = periods[own[-1]] if own else period
            row_previous = by_code.get(period_previous(row_period)) if row_period else None
            current = results.get((ind.code, region.pk, row_period.pk)) if row_period else None
            prev = results.get((ind.code, region.pk, row_previous.pk)) if row_previous else None
            land_result = results.get((ind.code, land.pk, row_period.pk)) if (land and row_period) else None
            change = ""
            if current and prev and current.value is not None and prev.value is not None:
                delta = current.rounded_value - prev.rounded_value
                change = ("+" if delta > 0 else "") + number_de(delta, ind.decimals)
            rows.append(
                SheetRow(
                    ind.name, ind.unit, current, prev, land_result, change, ind.approximation_note, row_period,
                    previous_reason=_previous_reason(row_period, row_previous, prev),
                    land_reason=_land_reason(region, land, row_period, land_result),
                )
            )
            used += [r for r in (current, prev, land_result) if r is not None]
        sections.append(SheetSection(title, subtitle, period, rows))
    chart_rows = []
    leavers = next((s for s in sections if s.title == "Schulabschlüsse"), None)
    if leavers and leavers.period:
        labels = region_labels(regions)
        for who in regions:
            for ind in plan[-1][2]:
                res = results.get((ind.code, who.pk, leavers.period.pk))
                if res is None:
                    continue
                chart_rows.append(
                    {"Schlüssel": who.code, "Gebiet": labels[who.pk], "Abschluss": ind.short_name or ind.name,
                     "Anteil": _float(res.rounded_value)}
                )
    sources = sources_for(used)
    return Datasheet(
        region=region,
        land=land,
        year=year,
        sections=sections,
        sources=sources,
        chart_rows=[r for r in chart_rows if r["Anteil"] is not None],
        synthetic=any(s.is_synthetic for s in sources),
        members=members,
    )


def _previous_reason(period: Period | None, previous: Period | None, result: IndicatorResult | None) -> str:
    if period is None:
        return "Ohne aktuellen Wert gibt es keinen Vorjahresvergleich."
    if previous is None:
        return "Für das Vorjahr sind keine Daten importiert."
    if result is not None and result.value is None:
        return "Für das Vorjahr ist kein Wert importiert." if "nicht vor" in result.reason else result.reason
    return ""


def _land_reason(region: Region, land: Region | None, period: Period | None, result: IndicatorResult | None) -> str:
    if land is None:
        if region.kind in (RegionKind.GROUP, RegionKind.AGENTURBEZIRK):
            return "Die Mitgliedsgebiete liegen nicht in einem einzigen Land."
        return "Für dieses Gebiet gibt es kein übergeordnetes Land."
    if period is None:
        return "Ohne Zeitraum mit Daten für das Gebiet gibt es keinen Vergleich mit dem Land."
    if result is not None and result.value is None:
        if "nicht vor" in result.reason:
            return f"Für {land.title} ist kein Wert importiert."
        return result.reason
    return ""


def datasheet_chart_spec(sheet: Datasheet) -> dict:
    return {
        "width": 480,
        "height": {"step": 16},
        "data": {"values": sheet.chart_rows},
        "mark": {"type": "bar"},
        "encoding": {
            "y": {"field": "Abschluss", "type": "nominal", "title": None, "sort": None},
            "yOffset": {"field": "Gebiet"},
            "x": {"field": "Anteil", "type": "quantitative", "title": "Anteil an allen Abgänger*innen (%)"},
            "color": {"field": "Gebiet", "type": "nominal", "title": "Gebiet", "legend": {"labelLimit": 260}},
        },
    }



def indicator_page_build(*, indicator: Indicator, region: Region, tenant=None, picked: list[str] = (),
                         period_code: str | None = None) -> dict:
    """Everything the indicator page shows for one region: the series and comparison (with their
    charts), the ranking and the sources. The view adds only what depends on the user; the chart
    pre-rendering after an import (``tasks.charts_prerender``) calls this for the default view."""
    picked = list(picked)
    periods = indicator_periods(indicator=indicator, tenant=tenant)
    parents = parent_regions(region)
    peers = peer_regions(region, picked=picked)
    land = next((p for p in parents if p.kind == RegionKind.LAND), None)
    ranking_parent = land or next((p for p in parents if p.code == "DG"), None)
    ranking_regions = kreise_for_map(ranking_parent, with_boundary=False) if ranking_parent else []
    compare = [region] + parents + peers
    all_regions = list({r.pk: r for r in compare + ranking_regions}.values())
    # Stored results where current (issue #14: the page computed hundreds of ranking cells per request).
    results = indicator_results_current(indicator=indicator, regions=all_regions, periods=periods, tenant=tenant)
    own = [(p, results[(indicator.code, region.pk, p.pk)]) for p in periods]
    with_value = [p for p, r in own if r.value is not None]
    period = next((p for p in periods if p.code == period_code), None) or (
        with_value[-1] if with_value else (periods[-1] if periods else None)
    )
    labels = region_labels(compare)
    series_rows = []
    # The regions the user picked for comparison get their own lines too (the default peers would crowd it).
    for who in [region] + parents + (peers if picked else []):
        for p in periods:
            r = results[(indicator.code, who.pk, p.pk)]
            series_rows.append(
                {"Schlüssel": who.code, "Gebiet": labels[who.pk], "Zeitraum": p.label, "Jahr": p.year,
                 "Wert": _float(r.rounded_value)}
            )
    series_svg = ""
    if len(periods) > 1 or any(row["Wert"] is not None for row in series_rows):
        series_svg = chart_svg(
            series_spec(indicator, series_rows),
            title=f"{indicator.name}: Zeitreihe",
            description=f"Zeitreihe für {labels[region.pk]} im Vergleich; die Tabelle darunter enthält alle Werte.",
        )
    comparison = (
        [
            {"region": who, "label": labels[who.pk], "result": results[(indicator.code, who.pk, period.pk)],
             "role": role}
            for who, role in [(region, "Gebiet")]
            + [(p, "übergeordnet") for p in parents]
            + [(p, "Vergleich") for p in peers]
        ]
        if period
        else []
    )
    comparison_svg = ""
    if comparison and any(c["result"].value is not None for c in comparison):
        comparison_svg = chart_svg(
            bars_spec(
                indicator,
                [
                    {"Schlüssel": c["region"].code, "Gebiet": c["label"], "Wert": _float(c["result"].rounded_value)}
                    for c in comparison
                ],
                highlight=region.code,
            ),
            title=f"{indicator.name}: Vergleich {period.label}",
            description=f"Balken je Gebiet; {labels[region.pk]} hervorgehoben. Werte in der Tabelle.",
        )
    ranking = []
    if period and ranking_regions:
        ranking = ranking_rows(
            indicator, {r.pk: results[(indicator.code, r.pk, period.pk)] for r in ranking_regions}, ranking_regions
        )
    sources = sources_for(results.values())
    synthetic_ids = {src.pk for src in sources if src.is_synthetic}
    return {
        "indicator": indicator,
        "region": region,
        "periods": periods,
        "period": period,
        "own": [(p, r, bool(r.source_ids & synthetic_ids)) for p, r in own],
        "series_svg": series_svg,
        "series_rows": series_rows,
        "comparison": comparison,
        "comparison_svg": comparison_svg,
        "ranking": ranking,
        "ranking_parent": ranking_parent,
        "sources": sources,
        "peers": peers,
        "land": land,
        "synthetic": any(s.is_synthetic for s in sources),
    }


def datasheet_chart(sheet: Datasheet) -> str:
    """The Datenblatt's chart as the page shows it ("" without rows); the PDF draws the same spec."""
    if not sheet.chart_rows:
        return ""
    return chart_svg(
        datasheet_chart_spec(sheet),
        title=_("Abschlussarten im Vergleich"),
        description=_(
            "Anteile der Abschlussarten im Gebiet, im Land und im Bund; "
            "die Zahlen stehen in der Tabelle „Schulabschlüsse“."
        ),
    )


def regions_filter_visible(qs, tenant):
    return qs.filter(Q(tenant__isnull=True) | Q(tenant=tenant)) if tenant else qs.filter(tenant__isnull=True)
