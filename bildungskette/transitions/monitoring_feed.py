"""Writes the cohort figures into Monitoring (source "Übergangsmonitoring"), per Kreis of the
schools and leaving year, through Monitoring's documented services (docs/monitoring.md).

Only disclosure-controlled counts go there: a suppressed cell is written with the flag "."
(secret) and no number; rounded counts carry ``rounded=True``.
"""

from __future__ import annotations

from bildungskette.monitoring import services as m

from .models import CohortStatistic, DisclosureMethod, Outcome
from .services import policy_for

OUTCOME_CATEGORIES = [("bekannt", "Anschluss bekannt"), ("kein_anschluss", "noch kein Anschluss"),
                      ("unbekannt", "Verbleib unbekannt")]
OUTCOME_CODES = {Outcome.KNOWN: "bekannt", Outcome.NO_NEXT_STEP: "kein_anschluss", Outcome.UNKNOWN: "unbekannt"}
SECTOR_CATEGORIES = [("i", "I Berufsausbildung"), ("ii", "II Übergangsbereich"),
                     ("iii", "III Erwerb der Hochschulzugangsberechtigung"), ("iv", "IV Studium"),
                     ("ausserhalb", "bekannt, außerhalb der iABE-Sektoren"),
                     ("kein_anschluss", "noch kein Anschluss"), ("unbekannt", "Verbleib unbekannt")]
STAT_OUTCOME = "uebergang.abgaenger.verbleib"
STAT_SECTOR = "uebergang.abgaenger.iabe"


def _school_year(year: int) -> str:
    return f"{year - 1}/{str(year)[2:]}"


def publish(*, tenant, tables=None) -> list[str]:
    policy = policy_for(tenant)
    synthetic = CohortStatistic.objects.filter(tenant=tenant, synthetic=True).exists()
    source = m.source_ensure(
        code=f"uebergangsmonitoring-{tenant.slug}", publisher=tenant.name, title="Übergangsmonitoring",
        attribution=f"Quelle: Übergangsmonitoring {tenant.name}" + (" (synthetische Demodaten)" if synthetic else ""),
        tenant=tenant, is_synthetic=synthetic)
    bd_outcome = m.breakdown_ensure(code="uebergang-verbleib", name="Verbleib (bekannt / kein Anschluss / unbekannt)",
                                    categories=OUTCOME_CATEGORIES)
    bd_sector = m.breakdown_ensure(code="uebergang-iabe", name="Anschluss nach iABE-Sektor",
                                   categories=SECTOR_CATEGORIES)
    m.statistic_ensure(code=STAT_OUTCOME, name="Abgänger*innen nach Verbleib (Übergangsmanagement)", source=source,
                       breakdowns=[bd_outcome])
    m.statistic_ensure(code=STAT_SECTOR, name="Abgänger*innen nach iABE-Sektor des Anschlusses (Übergangsmanagement)",
                       source=source, breakdowns=[bd_sector])

    # The tables come from ``tenant_tables``: disclosed there together with every other published
    # table, so the protection-interval audit covers the feed as well (transitions/protection.py).
    if tables is None:
        from .statistics import tenant_tables

        tables = tenant_tables(tenant)
    rounded = policy.disclosure_method != DisclosureMethod.MIN_CELL
    rows = []
    for table in tables["feed"]:
        stat = STAT_OUTCOME if table.statistic == "verbleib" else STAT_SECTOR
        period = _school_year(table.year)
        for code, value in zip(table.codes, table.disclosed.cells[0], strict=True):
            rows.append({"statistic": stat, "region": table.kreis, "period": period,
                         "categories": {categories_breakdown(stat): code},
                         "value": value, "flag": "." if value is None else "", "rounded": rounded})
        total = table.disclosed.row_totals[0]
        rows.append({"statistic": stat, "region": table.kreis, "period": period, "categories": {}, "value": total,
                     "flag": "." if total is None else "", "rounded": rounded})
    result = m.values_upsert(source=source, rows=rows, tenant=tenant)
    return [f"Monitoring: {result.created} neu, {result.updated} aktualisiert, {result.unchanged} unverändert "
            f"(Quelle „Übergangsmonitoring“)."]


def categories_breakdown(stat: str) -> str:
    return "uebergang-verbleib" if stat == STAT_OUTCOME else "uebergang-iabe"
