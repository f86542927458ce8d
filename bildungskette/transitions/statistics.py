"""Cohort statistics: destinations of leavers per school, Stadtteil and the whole tenant, by year,
outcome (known / no next step / unknown), iABE sector, gender and occupational field.

``cohort_statistics_recompute`` turns the person-level records into counts in one GROUP BY per
tenant; everything shown above the school level goes through ``disclosure.table_disclose``.
The counts feed Monitoring as the source "Übergangsmonitoring" (``monitoring_publish``).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .disclosure import DisclosedTable, share, table_disclose
from .models import (
    CohortStatistic,
    DisclosureMethod,
    Gender,
    IabeSector,
    OccupationalField,
    Outcome,
    School,
    StatLevel,
    Student,
    StudentStatus,
)
from .protection import PublishedTable, protection_enforce
from .services import policy_for

logger = logging.getLogger(__name__)

OUTCOME_COLUMNS = [Outcome.KNOWN, Outcome.NO_NEXT_STEP, Outcome.UNKNOWN]
SECTOR_COLUMNS = ["I", "II", "III", "IV", "-"]  # "-" = known, outside the iABE sectors
GENDER_COLUMNS = [Gender.FEMALE, Gender.MALE, Gender.DIVERSE]


def cohort_statistics_recompute(*, tenant=None) -> int:
    """Recount all leavers. A leaver without any recorded actual destination counts as "Verbleib
    unbekannt" (not known), never as "no next step"."""
    students = Student.objects.filter(status=StudentStatus.LEFT, leaving_year__isnull=False)
    if tenant is not None:
        students = students.filter(tenant=tenant)
    # Grouped on the field id (no join); codes are mapped afterwards from the small catalogue.
    rows = (students.values("tenant_id", "school_id", "leaving_year", "actual_outcome", "actual_sector", "gender",
                            "actual_field_id", "synthetic")
            .annotate(n=Count("id")).order_by())
    codes = dict(OccupationalField.objects.values_list("id", "code"))
    objects = [
        CohortStatistic(
            tenant_id=r["tenant_id"], level=StatLevel.SCHOOL, school_id=r["school_id"], year=r["leaving_year"],
            outcome=r["actual_outcome"] or Outcome.UNKNOWN, sector=r["actual_sector"] or "", gender=r["gender"],
            field_code=codes.get(r["actual_field_id"], ""), count=r["n"], synthetic=r["synthetic"])
        for r in rows]
    with transaction.atomic():
        existing = CohortStatistic.objects.all() if tenant is None else CohortStatistic.objects.filter(tenant=tenant)
        existing.delete()
        CohortStatistic.objects.bulk_create(objects, batch_size=5000)
    logger.info("cohort statistics recomputed: %s rows", len(objects))
    return len(objects)


@dataclass
class StatTable:
    title: str
    row_label: str
    rows: list[str]
    columns: list[str]
    disclosed: DisclosedTable
    caption: str = ""
    row_keys: list = None

    def lines(self):
        for i, label in enumerate(self.rows):
            total = self.disclosed.row_totals[i]
            cells = [{"value": v, "share": share(v, total), "suppressed": v is None,
                      "secondary": (i, j) in self.disclosed.secondary}
                     for j, v in enumerate(self.disclosed.cells[i])]
            yield {"label": label, "cells": cells, "total": total}


def _rows(tenant, *, years=None, school=None):
    qs = CohortStatistic.objects.filter(tenant=tenant, level=StatLevel.SCHOOL)
    if years:
        qs = qs.filter(year__in=years)
    if school is not None:
        qs = qs.filter(school=school)
    return list(qs.values("year", "school_id", "outcome", "sector", "gender", "field_code", "count", "synthetic"))


def _sector_key(r) -> str:
    if r["outcome"] != Outcome.KNOWN:
        return r["outcome"]
    return r["sector"] or "-"


def statistics_years(tenant) -> list[int]:
    return sorted(set(CohortStatistic.objects.filter(tenant=tenant).values_list("year", flat=True)))


def statistics_is_synthetic(tenant) -> bool:
    return CohortStatistic.objects.filter(tenant=tenant, synthetic=True).exists()


def _table(title, row_label, row_keys, row_labels, col_keys, col_labels, counts, *, policy, caption="",
           disclose=True) -> StatTable:
    cells = [[counts.get((rk, ck), 0) for ck in col_keys] for rk in row_keys]
    if disclose:
        disclosed = table_disclose(cells, method=policy.disclosure_method, min_cell=policy.min_cell)
    else:
        disclosed = DisclosedTable(cells=cells, row_totals=[sum(r) for r in cells],
                                   col_totals=[sum(r[j] for r in cells) for j in range(len(col_keys))],
                                   total=sum(sum(r) for r in cells),
                                   note=_("Werte der eigenen Schule, ohne Geheimhaltung (nur für Berechtigte)."))
    return StatTable(title=title, row_label=row_label, rows=row_labels, columns=col_labels, disclosed=disclosed,
                     caption=caption, row_keys=list(row_keys))


OUTCOME_LABELS = [Outcome.KNOWN.label, Outcome.NO_NEXT_STEP.label, Outcome.UNKNOWN.label]
SECTOR_LABELS = [IabeSector.I.label, IabeSector.II.label, IabeSector.III.label, IabeSector.IV.label,
                 gettext_lazy("bekannt, außerhalb der iABE-Sektoren")]


def tenant_tables(tenant, *, school: School | None = None, disclose: bool = True) -> dict:
    """All tables of the statistics page; with ``school`` only that school (its own managers see
    raw counts, so ``disclose=False`` is allowed there only)."""
    policy = policy_for(tenant)
    years = statistics_years(tenant)
    rows = _rows(tenant, school=school)
    latest = years[-1] if years else None

    by_year_outcome = defaultdict(int)
    by_year_sector = defaultdict(int)
    by_school = defaultdict(int)
    by_stadtteil = defaultdict(int)
    by_field_gender = defaultdict(int)
    schools = {s.pk: s for s in School.objects.filter(tenant=tenant).select_related(
        "organisation__region", "stadtteil")}
    for r in rows:
        by_year_outcome[(r["year"], r["outcome"])] += r["count"]
        by_year_sector[(r["year"], _sector_key(r))] += r["count"]
        if r["year"] == latest:
            by_school[(r["school_id"], r["outcome"])] += r["count"]
            st = schools.get(r["school_id"])
            by_stadtteil[(st.stadtteil_id if st and st.stadtteil_id else 0, r["outcome"])] += r["count"]
            if r["field_code"] and r["gender"]:
                by_field_gender[(r["field_code"], r["gender"])] += r["count"]
    year_labels = [str(y) for y in years]
    tables = {
        "outcome_by_year": _table(_("Verbleib nach Abgangsjahr"), _("Abgangsjahr"), years, year_labels,
                                  OUTCOME_COLUMNS, OUTCOME_LABELS, by_year_outcome, policy=policy, disclose=disclose),
        "sector_by_year": _table(_("Anschluss nach iABE-Sektor und Abgangsjahr"), _("Abgangsjahr"), years,
                                 year_labels, SECTOR_COLUMNS + [Outcome.NO_NEXT_STEP, Outcome.UNKNOWN],
                                 SECTOR_LABELS + [Outcome.NO_NEXT_STEP.label, Outcome.UNKNOWN.label],
                                 by_year_sector, policy=policy, disclose=disclose),
    }
    if school is None:
        school_ids = sorted(schools, key=lambda pk: str(schools[pk]))
        tables["outcome_by_school"] = _table(
            _("Verbleib nach Schule, Abgangsjahr %(y)s") % {"y": latest}, _("Schule"), school_ids,
            [str(schools[pk]) for pk in school_ids], OUTCOME_COLUMNS, OUTCOME_LABELS, by_school, policy=policy)
        stadtteile = sorted({k[0] for k in by_stadtteil})
        labels = {s.stadtteil_id: s.stadtteil.name for s in schools.values() if s.stadtteil_id}
        tables["outcome_by_stadtteil"] = _table(
            _("Verbleib nach Stadtteil der Schule, Abgangsjahr %(y)s") % {"y": latest}, _("Stadtteil"), stadtteile,
            [labels.get(k, _("ohne Stadtteilzuordnung")) for k in stadtteile], OUTCOME_COLUMNS, OUTCOME_LABELS,
            by_stadtteil, policy=policy,
            caption=_("Stadtteile aus den Stadtteilgrenzen des Mandanten; Schulen ohne Zuordnung sind "
                      "zusammengefasst."))
    from .selectors import occupational_fields

    fields = list(occupational_fields())
    tables["field_by_gender"] = _table(
        _("Berufsfeld des Anschlusses nach Geschlecht, Abgangsjahr %(y)s") % {"y": latest}, _("Berufsfeld"),
        [f.code for f in fields], [f.title for f in fields], GENDER_COLUMNS,
        [Gender.FEMALE.label, Gender.MALE.label, Gender.DIVERSE.label], by_field_gender, policy=policy,
        disclose=disclose,
        caption=_("Nur Anschlüsse mit erfasstem Berufsfeld und Geschlecht; zeigt geschlechtstypische Berufswahl."))
    feed = feed_tables(rows, schools, policy=policy) if school is None and disclose else []
    if school is None and disclose and policy.disclosure_method == DisclosureMethod.MIN_CELL:
        published = published_tables(tables, years=years, latest=latest, schools=schools,
                                      fields=[f.code for f in fields])
        # The Kreis-level figures written to Monitoring are published too: same audit, same suppression.
        published += [PublishedTable(t.key, t.disclosed, t.combos) for t in feed]
        protection_apply(published, threshold=policy.min_cell)
    return {"tables": tables, "years": years, "latest": latest, "policy": policy,
            "headline": _headline(tables["outcome_by_year"]), "feed": feed}


# The Monitoring feed's categories: its code, and the finest keys (outcome or sector) it sums.
FEED_OUTCOMES = [("bekannt", SECTOR_COLUMNS), ("kein_anschluss", [Outcome.NO_NEXT_STEP]),
                 ("unbekannt", [Outcome.UNKNOWN])]
FEED_SECTORS = [("i", ["I"]), ("ii", ["II"]), ("iii", ["III"]), ("iv", ["IV"]), ("ausserhalb", ["-"]),
                ("kein_anschluss", [Outcome.NO_NEXT_STEP]), ("unbekannt", [Outcome.UNKNOWN])]


@dataclass
class FeedTable:
    """One Kreis × leaving year of the Monitoring feed: a one-row table (categories and their total)."""

    key: str
    statistic: str  # "verbleib" or "iabe"
    kreis: str
    year: int
    codes: list[str]
    disclosed: DisclosedTable
    combos: list[list[dict]]


def school_kreis(school: School) -> str | None:
    region = school.organisation.region
    return region.code[:5] if region is not None and region.code[:5].isdigit() else None


def feed_tables(rows, schools: dict, *, policy) -> list[FeedTable]:
    """The tables the Monitoring feed publishes, per Kreis of the schools and leaving year."""
    kreis_of = {pk: school_kreis(s) for pk, s in schools.items()}
    members: dict[tuple, set] = defaultdict(set)
    counts: dict[tuple, int] = defaultdict(int)
    for r in rows:
        kreis = kreis_of.get(r["school_id"])
        if kreis is None:
            continue
        members[(kreis, r["year"])].add(r["school_id"])
        counts[(kreis, r["year"], _sector_key(r))] += r["count"]
    out = []
    for (kreis, year), school_ids in sorted(members.items()):
        for statistic, categories in (("verbleib", FEED_OUTCOMES), ("iabe", FEED_SECTORS)):
            values = [sum(counts[(kreis, year, k)] for k in keys) for _code, keys in categories]
            disclosed = table_disclose([values], method=policy.disclosure_method, min_cell=policy.min_cell)
            combos = [[{(year, s, k): 1 for s in sorted(school_ids) for k in keys} for _code, keys in categories]]
            out.append(FeedTable(f"feed-{statistic}-{kreis}-{year}", statistic, kreis, year,
                                 [code for code, _keys in categories], disclosed, combos))
    return out


def _outcome_combo(year, school_ids, outcome) -> dict:
    keys = SECTOR_COLUMNS if outcome == Outcome.KNOWN else [outcome]
    return {(year, s, k): 1 for s in school_ids for k in keys}


def published_tables(tables: dict, *, years, latest, schools, fields) -> list[PublishedTable]:
    """Each published table with its cells written as sums of the finest counts
    (year × school × sector or outcome); see ``protection``."""
    school_ids = sorted(schools) + [0]  # 0: counts of a school no longer in the list
    out = [
        PublishedTable("outcome_by_year", tables["outcome_by_year"].disclosed,
                       [[_outcome_combo(y, school_ids, o) for o in OUTCOME_COLUMNS] for y in years]),
        PublishedTable("sector_by_year", tables["sector_by_year"].disclosed,
                       [[{(y, s, k): 1 for s in school_ids}
                         for k in SECTOR_COLUMNS + [Outcome.NO_NEXT_STEP, Outcome.UNKNOWN]] for y in years]),
    ]
    if "outcome_by_school" in tables:
        school_rows = sorted(schools, key=lambda pk: str(schools[pk]))
        out.append(PublishedTable("outcome_by_school", tables["outcome_by_school"].disclosed,
                                  [[_outcome_combo(latest, [s], o) for o in OUTCOME_COLUMNS] for s in school_rows]))
        members = defaultdict(list)
        for pk, sch in schools.items():
            members[sch.stadtteil_id or 0].append(pk)
        stadtteile = tables["outcome_by_stadtteil"].row_keys
        out.append(PublishedTable("outcome_by_stadtteil", tables["outcome_by_stadtteil"].disclosed,
                                  [[_outcome_combo(latest, members.get(st, []) or [("leer", st)], o)
                                    for o in OUTCOME_COLUMNS] for st in stadtteile]))
    out.append(PublishedTable("field_by_gender", tables["field_by_gender"].disclosed,
                              [[{("feld", latest, f, g): 1} for g in GENDER_COLUMNS] for f in fields]))
    return out


def protection_apply(published: list[PublishedTable], *, threshold: int) -> None:
    """Secondary suppression across tables until the protection-interval audit passes; the
    resulting pattern is cached per input, since the audit solves two LPs per suppressed cell."""
    signature = hashlib.sha256(json.dumps(
        [[t.key, t.disclosed.cells, t.disclosed.row_totals, t.disclosed.col_totals, t.disclosed.total]
         for t in published], default=str).encode() + str(threshold).encode()).hexdigest()
    key = f"transitions-protection-{signature}"
    pattern = cache.get(key)
    if pattern is None:
        protection_enforce(published, threshold)
        pattern = {t.key: ([[v is None for v in row] for row in t.disclosed.cells],
                           [v is None for v in t.disclosed.row_totals], [v is None for v in t.disclosed.col_totals],
                           t.disclosed.total is None) for t in published}
        cache.set(key, pattern, 24 * 3600)
        return
    for t in published:
        cells, rows, cols, total = pattern[t.key]
        d = t.disclosed
        for i, row in enumerate(cells):
            for j, hidden in enumerate(row):
                if hidden and d.cells[i][j] is not None:
                    d.cells[i][j] = None
                    d.secondary.add((i, j))
        d.row_totals = [None if h else v for v, h in zip(d.row_totals, rows, strict=True)]
        d.col_totals = [None if h else v for v, h in zip(d.col_totals, cols, strict=True)]
        if total:
            d.total = None


def _headline(table: StatTable) -> list[dict]:
    """NCCIS headline per year: share with no next step or not known, and the unknown rate."""
    out = []
    for i, label in enumerate(table.rows):
        total = table.disclosed.row_totals[i]
        known, none, unknown = table.disclosed.cells[i]
        # "No next step or unknown" = total − known: derivable from published cells, so it stays
        # visible even when its two parts are suppressed as a complementary pair.
        if none is not None and unknown is not None:
            combined = none + unknown
        elif known is not None and total is not None:
            combined = total - known
        else:
            combined = None
        out.append({"year": label, "total": total, "unknown_rate": share(unknown, total),
                    "no_step_or_unknown_rate": share(combined, total)})
    return out


# ---------------------------------------------------------------------------------------------
# Monitoring feed
# ---------------------------------------------------------------------------------------------


def monitoring_publish(*, tenant) -> list[str]:
    """Write the disclosure-controlled tenant-level figures to Monitoring as source
    "Übergangsmonitoring". Returns notes; if Monitoring is not installed the seam says so."""
    try:
        from bildungskette.monitoring import services as monitoring_services  # noqa: F401
    except ImportError:
        return [_("Monitoring ist nicht installiert; die Übergangsstatistik bleibt in diesem Bereich.")]
    from .monitoring_feed import publish

    return publish(tenant=tenant, tables=tenant_tables(tenant))
