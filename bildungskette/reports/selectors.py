"""Reads of the reports app. Figures come from monitoring's selectors only (``as_of`` = the block's
pinned data state); a published report is rendered from its stored snapshot, never recomputed."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from bildungskette.core.markup import markdown_html
from bildungskette.core.rules import is_coordination, is_monitoring, is_tenant_admin
from bildungskette.monitoring import selectors as monitoring

from .models import Block, BlockKind, Report, ReportVersion

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
