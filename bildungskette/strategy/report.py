"""Charts of goal indicators and the committee report of a strategy review (HTML and PDF).

One chart definition serves screen and paper: the Vega-Lite spec below is rendered to SVG by
``core.charts.chart_svg`` for the page and put into the Typst PDF as a file.
"""

from __future__ import annotations

import datetime

from bildungskette.core.charts import chart_svg
from bildungskette.core.pdf import pdf_render, typst_escape

from .progress import STATUS_LABELS, STATUS_SYMBOLS, Status, fmt
from .selectors import IndicatorResult, goal_forest, review_assessments

OBSERVED = "beobachtet"
PATH = "Zielpfad"


def indicator_chart_rows(result: IndicatorResult) -> list[dict]:
    t = result.target
    observed = dict(result.series.points)
    # The baseline is an observed value too; the line starts there.
    observed.setdefault(t.baseline_year, t.baseline_value)
    rows = [{"Jahr": y, "Wert": v, "Reihe": OBSERVED} for y, v in sorted(observed.items()) if y >= t.baseline_year]
    path = [(t.baseline_year, t.baseline_value), *sorted(t.intermediate), (t.target_year, t.target_value)]
    rows += [{"Jahr": y, "Wert": v, "Reihe": PATH} for y, v in path]
    return rows


def indicator_chart_spec(result: IndicatorResult) -> dict:
    gi = result.goal_indicator
    return {
        "width": 460, "height": 200,
        "data": {"values": indicator_chart_rows(result)},
        "mark": {"type": "line", "point": True, "strokeWidth": 2},
        "encoding": {
            "x": {"field": "Jahr", "type": "quantitative", "title": "Jahr",
                  "axis": {"format": "d", "tickMinStep": 1}, "scale": {"zero": False}},
            "y": {"field": "Wert", "type": "quantitative", "title": gi.unit or "Wert", "scale": {"zero": False}},
            "color": {"field": "Reihe", "type": "nominal", "title": None,
                      "scale": {"domain": [OBSERVED, PATH], "range": ["#0b4f6c", "#b8420f"]},
                      "legend": {"orient": "bottom"}},
            "strokeDash": {"field": "Reihe", "type": "nominal", "legend": None,
                           "scale": {"domain": [OBSERVED, PATH], "range": [[1, 0], [6, 4]]}},
            "shape": {"field": "Reihe", "type": "nominal", "legend": None,
                      "scale": {"domain": [OBSERVED, PATH], "range": ["circle", "diamond"]}},
        },
    }


def indicator_chart(result: IndicatorResult) -> str:
    gi = result.goal_indicator
    t = result.target
    description = (
        f"Liniendiagramm: beobachtete Werte von „{gi.label}“ und der Zielpfad vom Ausgangswert "
        f"{fmt(t.baseline_value)} ({t.baseline_year}) zum Zielwert {fmt(t.target_value)} ({t.target_year}). "
        f"Stand: {result.progress.label}. Die Werte stehen in der Tabelle darunter."
    )
    return chart_svg(indicator_chart_spec(result), title=gi.label, description=description)


# --- the committee report ---------------------------------------------------------------

def review_report_context(review) -> dict:
    forest = goal_forest(review.period)
    nodes = [n for root in forest for n in root.walk()]
    assessments = review_assessments(review)
    counts = {s: 0 for s in Status}
    for n in nodes:
        counts[n.progress.status] += 1
    return {
        "review": review,
        "period": review.period,
        "nodes": nodes,
        "rows": [(n, assessments.get(n.goal.id)) for n in nodes],
        "counts": [(STATUS_LABELS[s], STATUS_SYMBOLS[s], counts[s], s.value) for s in Status],
        "decisions": list(review.decisions.select_related("goal")),
        "sources": sorted({s for n in nodes for r in n.indicators for s in r.series.sources}),
        "has_synthetic": any(r.is_synthetic for n in nodes for r in n.indicators),
        "has_demo": review.is_demo or review.period.is_demo,
    }


def _cell(text) -> str:
    return "[" + typst_escape(text) + "]"


def review_report_pdf(review) -> bytes:
    """The committee report as PDF: summary table, each goal's data with charts, the decisions."""
    ctx = review_report_context(review)
    files: dict[str, bytes] = {}
    out = []
    period = ctx["period"]
    out.append(f"= {typst_escape(review.title)}\n")
    out.append(
        f"{typst_escape(period.name)} · Sitzung am {review.held_on:%d.%m.%Y}"
        + (f" · {typst_escape(review.body)}" if getattr(review, "body", None) else "") + "\n\n"
    )
    if ctx["has_demo"] or ctx["has_synthetic"]:
        out.append("#block(fill: rgb(\"#fff0e0\"), inset: 6pt, radius: 3pt)[*Demo-Daten:* Dieser Bericht enthält "
                   "Beispieldaten der Demo; synthetische Werte sind gekennzeichnet.]\n\n")
    if review.summary:
        out.append("== Zusammenfassung\n" + typst_escape(review.summary) + "\n\n")
    out.append("== Stand der Ziele auf einen Blick\n")
    out.append("Der Stand wird aus den Daten berechnet (Open-SDG-Methode: beobachtete Veränderung seit dem "
               "Ausgangsjahr im Verhältnis zur erforderlichen Veränderung bis zum Zieljahr). Die Einschätzung "
               "der Runde steht daneben und ersetzt ihn nicht.\n\n")
    out.append(" · ".join(f"{sym} {typst_escape(label)}: {count}" for label, sym, count, _ in ctx["counts"]) + "\n\n")
    out.append("#table(columns: (auto, 1fr, auto, auto), inset: 4pt, stroke: 0.5pt + rgb(\"#c5ccd5\"),\n")
    out.append("  table.header([*Nr.*], [*Ziel*], [*berechnet*], [*Einschätzung der Runde*]),\n")
    for node, assessment in ctx["rows"]:
        p = node.progress
        indent = "#h(" + str(node.depth * 8) + "pt)" if node.depth else ""
        assessed = f"{assessment.get_status_display()}" if assessment else "–"
        out.append(f"  {_cell(node.goal.code)}, [{indent}{typst_escape(node.goal.title)}], "
                   f"{_cell(p.symbol + ' ' + p.label)}, {_cell(assessed)},\n")
    out.append(")\n\n")
    out.append("== Ziele im Einzelnen\n")
    chart_no = 0
    for node, assessment in ctx["rows"]:
        p = node.progress
        out.append(f"=== {typst_escape(node.goal.code)} {typst_escape(node.goal.title)}\n")
        out.append(f"*Berechneter Stand:* {typst_escape(p.symbol + ' ' + p.label)}\n\n")
        for line in p.explanation:
            out.append(f"- {typst_escape(line)}\n")
        for r in node.indicators:
            chart_no += 1
            name = f"chart-{chart_no}.svg"
            files[name] = indicator_chart(r).encode("utf-8")
            out.append(f"\n*{typst_escape(r.goal_indicator.label)}*"
                       + (" (enthält synthetische Werte)" if r.is_synthetic else "") + "\n\n")
            out.append(f"#image(\"{name}\", width: 80%)\n\n")
            if r.series.sources:
                out.append("#text(size: 8pt)[Quelle: " + typst_escape("; ".join(r.series.sources)) + "]\n\n")
        if assessment:
            out.append(f"*Einschätzung der Runde:* {typst_escape(assessment.get_status_display())} – "
                       f"{typst_escape(assessment.justification)}\n\n")
    out.append("== Beschlüsse der Klausur\n")
    if ctx["decisions"]:
        for d in ctx["decisions"]:
            out.append(f"- *{typst_escape(d.get_kind_display())}:* {typst_escape(d.text)}"
                       + (f" (bisher: {typst_escape(d.previous_text)})" if d.previous_text else "") + "\n")
    else:
        out.append("Keine Beschlüsse erfasst.\n")
    out.append(f"\n#text(size: 8pt)[Erstellt am {datetime.date.today():%d.%m.%Y} mit Bildungskette.]\n")
    return pdf_render(source="".join(out), files=files)


def agreement_report_pdf(agreement, nodes) -> bytes:
    """Progress report of a goal agreement: parties and contributions, each agreed goal with its data."""
    files: dict[str, bytes] = {}
    out = [f"= {typst_escape(agreement.title)}\n"]
    when = f"gültig {agreement.start_date:%d.%m.%Y} – " + (
        f"{agreement.end_date:%d.%m.%Y}" if agreement.end_date else "offen")
    out.append(typst_escape(when) + (f" · {typst_escape(agreement.body)}" if agreement.body_id else "") + "\n\n")
    if agreement.is_demo:
        out.append("#block(fill: rgb(\"#fff0e0\"), inset: 6pt, radius: 3pt)[*Demo-Daten:* Inhalte dieser "
                   "Zielvereinbarung sind Beispieldaten.]\n\n")
    if agreement.standards:
        out.append("*Gewählte Qualitätsstandards:* " + typst_escape(", ".join(agreement.standards)) + "\n\n")
    out.append("== Parteien und ihre Beiträge\n")
    out.append("#table(columns: (auto, 1fr), inset: 4pt, stroke: 0.5pt + rgb(\"#c5ccd5\"),\n"
               "  table.header([*Partei*], [*Beitrag*]),\n")
    for party in agreement.parties.select_related("organisation"):
        out.append(f"  {_cell(party.organisation)}, {_cell(party.contribution or '–')},\n")
    out.append(")\n\n== Fortschritt der vereinbarten Ziele\n")
    out.append("#table(columns: (auto, 1fr, auto), inset: 4pt, stroke: 0.5pt + rgb(\"#c5ccd5\"),\n"
               "  table.header([*Nr.*], [*Ziel*], [*berechneter Stand*]),\n")
    for node in nodes:
        out.append(f"  {_cell(node.goal.code)}, {_cell(node.goal.title)}, "
                   f"{_cell(node.progress.symbol + ' ' + node.progress.label)},\n")
    out.append(")\n\n")
    chart_no = 0
    for node in nodes:
        out.append(f"=== {typst_escape(node.goal.code)} {typst_escape(node.goal.title)}\n")
        for line in node.progress.explanation:
            out.append(f"- {typst_escape(line)}\n")
        for r in node.indicators:
            chart_no += 1
            name = f"chart-{chart_no}.svg"
            files[name] = indicator_chart(r).encode("utf-8")
            out.append(f"\n*{typst_escape(r.goal_indicator.label)}*"
                       + (" (enthält synthetische Werte)" if r.is_synthetic else "") + "\n\n")
            out.append(f"#image(\"{name}\", width: 80%)\n\n")
            if r.series.sources:
                out.append("#text(size: 8pt)[Quelle: " + typst_escape("; ".join(r.series.sources)) + "]\n\n")
    out.append(f"\n#text(size: 8pt)[Erstellt am {datetime.date.today():%d.%m.%Y} mit Bildungskette.]\n")
    return pdf_render(source="".join(out), files=files)
