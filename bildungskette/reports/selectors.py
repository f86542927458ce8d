"""Reads of the reports app. Figures come from monitoring's selectors only (``as_of`` = the block's
pinned data state); a published report is rendered from its stored snapshot, never recomputed."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from bildungskette.core.markup import markdown_html
from bildungskette.core.rules import is_coordination, is_monitoring, is_tenant_admin
from bildungskette.monitoring import selectors as monitoring

from .models import FROZEN_KINDS, Block, BlockKind, Report, ReportVersion

# Datenblatt sections a block can show: title -> indicator codes (the indicator part of the
# monitoring Datenblatt sections of the same name).
DATASHEET_SECTIONS = {
    "Ausbildungsmarkt": ["stellen-je-bewerber", "unbesetzte-je-unversorgte", "anr", "eanr", "auba"],
    "Übergänge (iABE)": ["iabe-berufsabschluss", "iabe-hochschulreife", "iabe-uebergangsbereich", "iabe-unbekannt"],
    "SGB II und Arbeitslosigkeit": ["sgb2-hilfequote-u25", "jugendarbeitslosenquote"],
    "Schulabschlüsse": [
        "quote-ohne-hsa",
        "anteil-mit-hauptschulabschluss",
        "anteil-mit-mittlerem-abschluss",
        "anteil-mit-fachhochschulreife",
        "anteil-mit-allgemeiner-hochschulreife",
    ],
}


def reports_published() -> QuerySet[Report]:
    """Reports with at least one published version (what the public sees)."""
    return Report.objects.filter(versions__isnull=False).distinct().select_related("region", "tenant")


def reports_of_tenant(tenant) -> QuerySet[Report]:
    return Report.objects.filter(tenant=tenant).select_related("region") if tenant else Report.objects.none()


def can_edit_reports(user, tenant) -> bool:
    return bool(tenant) and (
        is_coordination(user, tenant) or is_monitoring(user, tenant) or is_tenant_admin(user, tenant)
    )


def version_latest(report: Report) -> ReportVersion | None:
    return report.versions.order_by("-number").first()


def _iso(when: datetime.datetime | None) -> str:
    return when.isoformat() if when else ""


def state_label(iso: str) -> str:
    if not iso:
        return ""
    when = timezone.localtime(datetime.datetime.fromisoformat(iso))
    return f"{when:%d.%m.%Y %H:%M}"


def _source_lines(results) -> tuple[list[str], bool]:
    sources = monitoring.indicator_sources(results)
    return [s.line for s in sources], any(s.is_synthetic for s in sources)


def block_payload(block: Block, report: Report, *, as_of=None) -> dict:
    """Everything a block shows, computed at ``as_of`` (default: the block's pinned data state)."""
    when = as_of if as_of is not None else block.data_state
    base = {"id": block.pk, "kind": block.kind, "title": block.title, "data_state": _iso(when),
            "data_state_label": state_label(_iso(when))}
    if block.kind == BlockKind.TEXT:
        return base | {"text": block.text}
    region = report.region
    if block.kind in FROZEN_KINDS:
        # Strategy and network keep no history of their figures: the block holds what they were at
        # its data state; only an explicit ``as_of`` (refresh) computes them anew.
        frozen = block.frozen if as_of is None and block.frozen else frozen_compute(block, report, when=when)
        return base | frozen | {"title": block.title or frozen["title"]}
    if block.kind == BlockKind.CHOROPLETH:
        return base | choropleth_payload(block, report, when=when)
    if block.kind in (BlockKind.CHART, BlockKind.TABLE):
        indicator = monitoring.indicator_by_code(block.indicator_code)
        if indicator is None:
            return base | {"rows": [], "sources": [], "missing": block.indicator_code}
        results = monitoring.indicator_series(indicator=indicator, region=region, tenant=report.tenant, as_of=when)
        rows = [
            {"key": r.period, "label": r.period, "year": r.year, "value": str(r.rounded_value) if r.has_value else None,
             "display": r.display(), "reason": r.reason}
            for r in results
        ]
        lines, synthetic = _source_lines(results)
        with_values = [r for r in rows if r["value"] is not None]
        points = [f"{r['display']} {indicator.unit} ({r['label']})".replace("  ", " ") for r in with_values]
        if not points:
            summary = "keine Werte vorhanden."
        elif len(points) == 1:
            summary = f"{points[0]}."
        else:
            summary = f"von {points[0]} bis {points[-1]}."
        alt = block.alt_text or f"Zeitreihe „{indicator.name}“ für {region.name}: {summary}"
        return base | {
            "title": block.title or indicator.name,
            "indicator": {"code": indicator.code, "name": indicator.name, "unit": indicator.unit},
            "rows": rows,
            "sources": lines,
            "synthetic": synthetic,
            "alt": alt,
        }
    # Datenblatt section: each indicator's latest value in the pinned data state.
    rows, all_results = [], []
    for code in DATASHEET_SECTIONS.get(block.section, []):
        indicator = monitoring.indicator_by_code(code)
        if indicator is None:
            continue
        series = [
            r for r in monitoring.indicator_series(indicator=indicator, region=region, tenant=report.tenant, as_of=when)
            if r.has_value
        ]
        if not series:
            continue
        last = series[-1]
        all_results.append(last)
        rows.append({"key": code, "label": indicator.name, "period": last.period, "unit": indicator.unit,
                     "value": str(last.rounded_value), "display": last.display()})
    lines, synthetic = _source_lines(all_results)
    return base | {
        "title": block.title or f"Datenblatt: {block.section}",
        "section": block.section,
        "rows": rows,
        "sources": lines,
        "synthetic": synthetic,
        "alt": block.alt_text or f"Tabelle „{block.section}“ für {region.name}, jeweils der letzte Zeitraum.",
    }


def choropleth_payload(block: Block, report: Report, *, when) -> dict:
    """The report region's Stadtteile coloured by the social index (or one of its input shares)."""
    from bildungskette.monitoring import social_index as kleinraum

    gemeinde = kleinraum.gemeinde_of(report.region)
    index = kleinraum.social_index_compute(gemeinde=gemeinde, tenant=report.tenant, as_of=when)
    data = kleinraum.social_index_map(index, block.section or "index")
    shown = sorted((r for r in data["rows"] if r["value"] is not None), key=lambda r: Decimal(r["value"]))
    where = f"{len(data['rows'])} Stadtteile von {gemeinde.name}" + (f" ({index.period})" if index.period else "")
    if shown:
        summary = (f"höchster Wert {shown[-1]['display']} ({shown[-1]['label']}), niedrigster "
                   f"{shown[0]['display']} ({shown[0]['label']}); alle Werte in der Tabelle.")
    else:
        summary = "keine Werte vorhanden."
    weights = "; ".join(f"{i.label}: {i.definition}, Gewicht {str(i.weight).replace('.', ',')}"
                        for i in index.inputs)
    return data | {
        "title": block.title or f"{data['measure']} nach Stadtteilen",
        "period": index.period,
        "method": f"{kleinraum.METHOD} Merkmale: {weights}.",
        "disclosure": kleinraum.DISCLOSURE,
        "sources": [s.line for s in index.sources],
        "synthetic": index.is_synthetic,
        "alt": block.alt_text or f"Karte: {data['measure']} der {where}; {summary}",
    }


def frozen_compute(block: Block, report: Report, *, when) -> dict:
    """Strategy goal status or network facts of the report's tenant as they are now."""
    tenant = report.tenant
    if block.kind == BlockKind.GOALS:
        from bildungskette.strategy.selectors import goal_status_rows

        period, goals = goal_status_rows(tenant)
        rows = [{"key": g["key"], "label": f"{g['code']} {g['label']}".strip(), "value": g["status"],
                 "display": f"{g['symbol']} {g['status_label']}", "depth": g["depth"],
                 "cells": [f"{g['code']} {g['label']}".strip(), f"{g['symbol']} {g['status_label']}"]}
                for g in goals]
        counts = {}
        for g in goals:
            counts[g["status_label"]] = counts.get(g["status_label"], 0) + 1
        summary = ", ".join(f"{n} {label}" for label, n in counts.items()) or "keine Ziele erfasst"
        name = str(period) if period else "keine Strategie"
        return {
            "title": f"Stand der Ziele: {name}",
            "columns": ["Ziel", "Stand"],
            "rows": rows,
            "sources": [f"Strategie „{name}“ von {tenant.name}; Stand berechnet aus den Zielindikatoren"],
            "synthetic": any(g["synthetic"] for g in goals),
            "alt": block.alt_text or f"Tabelle: Stand der {len(goals)} Ziele – {summary}.",
        }
    from bildungskette.network.selectors import network_facts

    today = timezone.localtime(when).date() if when else timezone.localdate()
    facts = network_facts(tenant, today=today)
    return {
        "title": "Bildungsnetzwerk in Zahlen",
        "columns": ["Kennzahl", "Anzahl"],
        "rows": [{"key": f["key"], "label": f["label"], "value": str(f["value"]), "display": str(f["value"]),
                  "cells": [f["label"], str(f["value"])]} for f in facts],
        "sources": [f"Gremien, Sitzungen, Beschlüsse und Aufgaben von {tenant.name} in Bildungskette, "
                    f"Stichtag {today:%d.%m.%Y}"],
        "synthetic": any(f["synthetic"] for f in facts),
        "alt": block.alt_text or "Tabelle: " + "; ".join(f"{f['label']}: {f['value']}" for f in facts) + ".",
    }


def report_snapshot(report: Report) -> dict:
    """The whole report with every live block computed at its pinned data state (stored on publishing)."""
    chapters = []
    for chapter in report.chapters.prefetch_related("blocks"):
        chapters.append(
            {
                "id": chapter.pk,
                "area": chapter.area,
                "title": chapter.title,
                "blocks": [block_payload(b, report) for b in chapter.blocks.all()],
            }
        )
    return {
        "title": report.title,
        "slug": report.slug,
        "region": report.region.name,
        "region_code": report.region.code,
        "template": report.get_template_display(),
        "tenant": report.tenant.name,
        "has_synthetic": report.has_synthetic
        or any(b.get("synthetic") for c in chapters for b in c["blocks"]),
        "chapters": chapters,
    }


def payload_changes(old: dict, new: dict) -> list[dict]:
    """Row-by-row differences of a live block between two data states."""
    before = {r["key"]: r for r in old.get("rows", [])}
    after = {r["key"]: r for r in new.get("rows", [])}
    changes = []
    for key in list(before) + [k for k in after if k not in before]:
        a, b = before.get(key), after.get(key)
        if (a and a["value"]) != (b and b["value"]):
            changes.append(
                {
                    "block": new.get("title") or old.get("title"),
                    "row": (b or a).get("label", key),
                    "period": (b or a).get("period", (b or a).get("label", "")),
                    "old": a["display"] if a else "–",
                    "new": b["display"] if b else "–",
                }
            )
    return changes


def text_html(text: str) -> str:
    return markdown_html(text)


def report_search_public(query: str) -> QuerySet[Report]:
    qs = reports_published()
    return qs.filter(Q(title__icontains=query) | Q(region__name__icontains=query)) if query else qs


def catalogue_overview() -> list[dict]:
    return monitoring.catalogue_coverage()
