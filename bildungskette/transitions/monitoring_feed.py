"""Writes the cohort figures into Monitoring (source "Übergangsmonitoring"), per Kreis of the
schools and leaving year, through Monitoring's documented services (docs/monitoring.md).

Only disclosure-controlled counts go there: a suppressed cell is written with the flag "."
(secret) and no number; rounded counts carry ``rounded=True``.
"""

from __future__ import annotations

from collections import defaultdict

from bildungskette.monitoring import services as m

from .disclosure import table_disclose
from .models import CohortStatistic, DisclosureMethod, Outcome, School, StatLevel
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


def _sector_code(outcome: str, sector: str) -> str:
    if outcome != Outcome.KNOWN:
        return OUTCOME_CODES[outcome]
    return sector.lower() if sector else "ausserhalb"


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

    kreis_of = {}
    for school in School.objects.filter(tenant=tenant).select_related("organisation__region"):
        region = school.organisation.region
        kreis_of[school.pk] = region.code[:5] if region is not None and region.code[:5].isdigit() else None
    counts: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    sectors: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in CohortStatistic.objects.filter(tenant=tenant, level=StatLevel.SCHOOL).values(
            "school_id", "year", "outcome", "sector", "count"):
        kreis = kreis_of.get(row["school_id"])
        if kreis is None:
            continue
        counts[(kreis, row["year"])][OUTCOME_CODES[row["outcome"]]] += row["count"]
        sectors[(kreis, row["year"])][_sector_code(row["outcome"], row["sector"])] += row["count"]

    rounded = policy.disclosure_method != DisclosureMethod.MIN_CELL
    rows = []
    for stat, data, categories in [(STAT_OUTCOME, counts, OUTCOME_CATEGORIES), (STAT_SECTOR, sectors,
                                                                               SECTOR_CATEGORIES)]:
        for (kreis, year), values in sorted(data.items()):
            codes = [c for c, _ in categories]
            disclosed = table_disclose([[values.get(c, 0) for c in codes]], method=policy.disclosure_method,
                                       min_cell=policy.min_cell)
            period = _school_year(year)
            for code, value in zip(codes, disclosed.cells[0], strict=True):
                rows.append({"statistic": stat, "region": kreis, "period": period,
                             "categories": {categories_breakdown(stat): code},
                             "value": value, "flag": "." if value is None else "", "rounded": rounded})
            total = disclosed.row_totals[0]
            rows.append({"statistic": stat, "region": kreis, "period": period, "categories": {}, "value": total,
                         "flag": "." if total is None else "", "rounded": rounded})
    result = m.values_upsert(source=source, rows=rows, tenant=tenant)
    return [f"Monitoring: {result.created} neu, {result.updated} aktualisiert, {result.unchanged} unverändert "
            f"(Quelle „Übergangsmonitoring“)."]


def categories_breakdown(stat: str) -> str:
    return "uebergang-verbleib" if stat == STAT_OUTCOME else "uebergang-iabe"
