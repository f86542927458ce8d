"""Importers: the KAoA catalogues (``bildungskette/data/kaoa/``), the OloV standards for Hessen and
class lists (CSV) that are pseudonymised on the way in.

Both run in one transaction; a rejected file changes nothing.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bildungskette.core.audit import audit_record_import
from bildungskette.core.importing import Importer, ImportRejected, ImportReport, RowProblem
from bildungskette.core.parsing import csv_dict_rows, csv_rows, text_decode

from .models import (
    Catalogue,
    CatalogueKind,
    DestinationOption,
    ElementLevel,
    Gender,
    IabeSector,
    OccupationalField,
    Outcome,
    Qualification,
    StandardElement,
)

KAOA_FILES = ["kategorien.csv", "merkmale.csv", "zusatzmerkmale.csv", "ebene4.csv", "anschlussoptionen.csv",
              "berufsfelder.csv"]
KAOA_SOURCE = (
    "KAoA-Kataloge aus dem SVWS-Server des Landes NRW (github.com/SVWS-NRW/SVWS-Server, Commit 1304a56a), "
    "© Ministerium für Schule und Bildung des Landes NRW, BSD-3-Clause-Lizenz"
)

S = IabeSector
O = Outcome  # noqa: E741
# Where each KAoA Anschlussoption goes in the iABE and in the known / no next step / unknown split.
# Our reading of the iABE sector definitions (domain README § 2); administrators can change it.
DESTINATION_MAPPING: dict[str, tuple[str, str, str]] = {
    "DUAL": (S.I, O.KNOWN, "Berufsausbildung"),
    "SCHUAUS": (S.I, O.KNOWN, "Berufsausbildung"),
    "SCHUGA": (S.I, O.KNOWN, "Berufsausbildung"),
    "BAE": (S.I, O.KNOWN, "Berufsausbildung"),
    "FACHAUS": (S.I, O.KNOWN, "Berufsausbildung"),
    "BBW": (S.I, O.KNOWN, "Berufsausbildung"),
    "BBA": (S.I, O.KNOWN, "Berufsausbildung"),
    "AV": (S.II, O.KNOWN, "Übergangsbereich"),
    "BFSI": (S.II, O.KNOWN, "Übergangsbereich"),
    "BFSII": (S.II, O.KNOWN, "Übergangsbereich"),
    "BVB": (S.II, O.KNOWN, "Übergangsbereich"),
    "EQ": (S.II, O.KNOWN, "Übergangsbereich"),
    "WERK": (S.II, O.KNOWN, "Übergangsbereich"),
    "JUWERK": (S.II, O.KNOWN, "Übergangsbereich"),
    "MASS": (S.II, O.KNOWN, "Übergangsbereich"),
    "BE": (S.II, O.KNOWN, "Übergangsbereich"),
    "UB": (S.II, O.KNOWN, "Übergangsbereich"),
    "DIAAM": (S.II, O.KNOWN, "Übergangsbereich"),
    "REHA": (S.II, O.KNOWN, "Übergangsbereich"),
    "GY": (S.III, O.KNOWN, "Hochschulreife"),
    "HÖBFS": (S.III, O.KNOWN, "Hochschulreife"),
    "FOS": (S.III, O.KNOWN, "Hochschulreife"),
    "BERUFGY": (S.III, O.KNOWN, "Hochschulreife"),
    "PRAKT": (S.III, O.KNOWN, "Hochschulreife"),
    "DUASTUD": (S.IV, O.KNOWN, "Studium"),
    "STUD": (S.IV, O.KNOWN, "Studium"),
    "VHS": (S.NONE, O.KNOWN, "Schulabschluss nachholen"),
    "FREI": (S.NONE, O.KNOWN, "Freiwilligendienst"),
    "SVP": (S.NONE, O.KNOWN, "Arbeit"),
    "MINI": (S.NONE, O.KNOWN, "Arbeit"),
    "WFBM": (S.NONE, O.KNOWN, "Teilhabe"),
    "TAG": (S.NONE, O.KNOWN, "Teilhabe"),
    "HAUSE": (S.NONE, O.KNOWN, "Teilhabe"),
    "SCHWAN": (S.NONE, O.KNOWN, "Elternzeit"),
    "ABSENZ": (S.NONE, O.NO_NEXT_STEP, "kein Anschluss"),
    "NOKEAN": (S.NONE, O.NO_NEXT_STEP, "kein Anschluss"),
    "UNBE": (S.NONE, O.UNKNOWN, "Verbleib unbekannt"),
}

# OloV (Hessen): only what the domain README gives. The 3 general standards and 16 of the 23
# content standards could not be found; they are listed as missing, not invented.
OLOV_SOURCE = "OloV-Qualitätsstandards (Hessen), soweit in der Domänenreferenz belegt (§ 2)"
OLOV_PROCESSES = [
    ("BO", "Berufliche Orientierung"),
    ("AK", "Akquise von Ausbildungs- und Praktikumsplätzen"),
    ("BMV", "Beratung, Matching und Vermittlung"),
]
OLOV_STANDARDS = [
    ("BO1", "Schulische Koordination der Berufsorientierung (BO-Koordinator*innen)"),
    ("BO2", "Berufsorientierung im schulischen Curriculum"),
    ("BO3", "Kompetenzfeststellung"),
    ("BO4", "Individuelle Förderung"),
    ("BO5", "Regionale BO-Veranstaltungen (mindestens eine im Jahr)"),
    ("BO6", "Qualifizierung des Personals"),
    ("BO7", "Praktika"),
]
OLOV_MISSING_NOTE = (
    "Die 3 allgemeinen Standards und 16 der 23 inhaltlichen Standards (Prozesse Akquise sowie Beratung, "
    "Matching und Vermittlung) lagen nicht als Quelle vor und fehlen deshalb; bitte aus dem Landesdokument ergänzen."
)


def _read_csv(path: Path) -> list[dict]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise ImportRejected(_("Datei „%(name)s“ fehlt im KAoA-Ordner.") % {"name": path.name}) from exc
    try:
        return list(csv_dict_rows(text_decode(raw, encodings=("utf-8-sig",))))
    except ImportRejected as exc:
        raise ImportRejected([RowProblem(p.line, p.column, f"{path.name}: {p.message}") for p in exc.problems]) from exc


def _kaoa_dir(path: Path) -> Path:
    return path if path.is_dir() else path.parent


def kaoa_detect(path: Path) -> bool:
    folder = _kaoa_dir(path)
    return all((folder / name).is_file() for name in ("kategorien.csv", "anschlussoptionen.csv", "berufsfelder.csv"))


def _split(value: str, sep: str = " ") -> list[str]:
    return [v for v in (value or "").split(sep) if v]


def kaoa_import(path: Path, *, tenant=None, **options) -> ImportReport:
    """Import the six KAoA CSVs as catalogue version N+1 (or report 'unchanged')."""
    folder = _kaoa_dir(Path(path))
    report = ImportReport(importer="kaoa", source=str(folder))
    digest = hashlib.sha256()
    for name in KAOA_FILES:
        file = folder / name
        if not file.is_file():
            raise ImportRejected([RowProblem(None, None, _("Datei „%(name)s“ fehlt.") % {"name": name})])
        digest.update(file.read_bytes())
    content_hash = digest.hexdigest()
    data = {name: _read_csv(folder / name) for name in KAOA_FILES}
    _kaoa_validate(data)

    with transaction.atomic():
        current = Catalogue.objects.filter(kind=CatalogueKind.KAOA, land_code="05", is_current=True).first()
        if current and current.content_hash == content_hash:
            report.unchanged = current.elements.count() + current.destinations.count() + current.fields.count()
            report.notes.append(_("KAoA-Katalog unverändert (Version %(v)d).") % {"v": current.version})
            return report
        version = (Catalogue.objects.filter(kind=CatalogueKind.KAOA, land_code="05")
                   .order_by("-version").values_list("version", flat=True).first() or 0) + 1
        edited = {}
        if current:
            edited = {d.code: (d.iabe_sector, d.outcome, d.group) for d in current.destinations.all()}
            Catalogue.objects.filter(pk=current.pk).update(is_current=False)
        catalogue = Catalogue.objects.create(
            kind=CatalogueKind.KAOA, land_code="05", version=version, content_hash=content_hash,
            title="KAoA – Standardelemente der Berufs- und Studienorientierung (NRW)", source=KAOA_SOURCE,
            notes="KAoA beginnt in Jahrgang 8; Hessen/OloV und der Berufswahlpass beginnen in Jahrgang 7.")
        position = 0
        by_symbol: dict[str, StandardElement] = {}
        for level, name, parent_col in [
            (ElementLevel.CATEGORY, "kategorien.csv", None),
            (ElementLevel.FEATURE, "merkmale.csv", "kategorie_bezeichner"),
            (ElementLevel.SUBFEATURE, "zusatzmerkmale.csv", "merkmal_bezeichner"),
            (ElementLevel.LEVEL4, "ebene4.csv", "zusatzmerkmal_bezeichner"),
        ]:
            for row in data[name]:
                position += 1
                element = StandardElement.objects.create(
                    catalogue=catalogue, level=level, code=row["kuerzel"], title=row["bezeichnung"],
                    parent=by_symbol.get(row[parent_col]) if parent_col else None,
                    option_type=row.get("optionsart", ""), grades=_split(row.get("jahrgaenge_kuerzel", "")),
                    symbol=row["bezeichner"], source_id=row["id"], position=position)
                by_symbol[row["bezeichner"]] = element
                report.created += 1
        for i, row in enumerate(data["berufsfelder.csv"]):
            OccupationalField.objects.create(catalogue=catalogue, code=row["kuerzel"], title=row["bezeichnung"],
                                             position=i)
            report.created += 1
        for i, row in enumerate(data["anschlussoptionen.csv"]):
            sector, outcome, group = edited.get(row["kuerzel"]) or DESTINATION_MAPPING.get(
                row["kuerzel"], (S.NONE, O.KNOWN, ""))
            DestinationOption.objects.create(
                catalogue=catalogue, code=row["kuerzel"], title=row["bezeichnung"],
                allowed_for=_split(row["zulaessig_fuer_kuerzel"], ";"), stages=_split(row["stufen"]),
                iabe_sector=sector, outcome=outcome, group=group, position=i)
            report.created += 1
        unmapped = [r["kuerzel"] for r in data["anschlussoptionen.csv"] if r["kuerzel"] not in DESTINATION_MAPPING]
        if unmapped:
            report.notes.append(_("Ohne iABE-Zuordnung (bitte in der Verwaltung ergänzen): %(c)s")
                                % {"c": ", ".join(unmapped)})
        olov_catalogue_ensure()
        audit_record_import(model_label="transitions.Catalogue", description=f"KAoA-Katalog Version {version}",
                            summary=report.as_dict())
    return report


def _kaoa_validate(data: dict[str, list[dict]]) -> None:
    problems = []
    required = {"kategorien.csv": ["kuerzel", "bezeichnung", "bezeichner", "jahrgaenge_kuerzel"],
                "merkmale.csv": ["kuerzel", "bezeichnung", "kategorie_bezeichner", "bezeichner"],
                "zusatzmerkmale.csv": ["kuerzel", "bezeichnung", "merkmal_bezeichner", "optionsart", "bezeichner"],
                "ebene4.csv": ["kuerzel", "bezeichnung", "zusatzmerkmal_bezeichner", "bezeichner"],
                "anschlussoptionen.csv": ["kuerzel", "bezeichnung", "zulaessig_fuer_kuerzel", "stufen"],
                "berufsfelder.csv": ["kuerzel", "bezeichnung"]}
    for name, columns in required.items():
        rows = data[name]
        header = set(rows[0].keys()) if rows else set()
        for column in columns:
            if column not in header:
                problems.append(RowProblem(1, column, _("%(file)s: Spalte fehlt.") % {"file": name}))
        seen = set()
        for line, row in enumerate(rows, start=2):
            code = row.get("kuerzel")
            if not code:
                problems.append(RowProblem(line, "kuerzel", _("%(file)s: Kürzel fehlt.") % {"file": name}))
            elif code in seen:
                problems.append(RowProblem(line, "kuerzel", _("%(file)s: Kürzel doppelt.") % {"file": name}))
            seen.add(code)
    symbols = {r.get("bezeichner") for n in ("kategorien.csv", "merkmale.csv", "zusatzmerkmale.csv")
               for r in data[n]}
    for name, col in [("merkmale.csv", "kategorie_bezeichner"), ("zusatzmerkmale.csv", "merkmal_bezeichner"),
                      ("ebene4.csv", "zusatzmerkmal_bezeichner")]:
        for line, row in enumerate(data[name], start=2):
            if row.get(col) and row[col] not in symbols:
                problems.append(RowProblem(line, col, _("%(file)s: Verweis „%(ref)s“ zeigt ins Leere.")
                                           % {"file": name, "ref": row[col]}))
    if problems:
        raise ImportRejected(problems)


def olov_catalogue_ensure() -> Catalogue:
    """The OloV catalogue for Hessen (land 06), as far as the sources go."""
    catalogue = Catalogue.objects.filter(kind=CatalogueKind.OLOV, land_code="06", is_current=True).first()
    if catalogue:
        return catalogue
    catalogue = Catalogue.objects.create(
        kind=CatalogueKind.OLOV, land_code="06", version=1, title="OloV – Qualitätsstandards (Hessen)",
        source=OLOV_SOURCE, notes=OLOV_MISSING_NOTE)
    processes = {}
    for i, (code, title) in enumerate(OLOV_PROCESSES):
        processes[code] = StandardElement.objects.create(catalogue=catalogue, level=ElementLevel.CATEGORY, code=code,
                                                         title=title, position=i, grades=["07", "08", "09", "10"])
    for i, (code, title) in enumerate(OLOV_STANDARDS):
        StandardElement.objects.create(catalogue=catalogue, level=ElementLevel.FEATURE, code=code, title=title,
                                       parent=processes["BO"], position=10 + i, grades=["07", "08", "09", "10"])
    return catalogue


KAOA_IMPORTER = Importer(format="kaoa", label=gettext_lazy("KAoA-Kataloge (NRW, SVWS-CSV)"), detect=kaoa_detect,
                         run=kaoa_import, priority=30)


# ---------------------------------------------------------------------------------------------
# Class lists
# ---------------------------------------------------------------------------------------------

CLASS_LIST_COLUMNS = {
    "nachname": "last_name", "vorname": "first_name", "geburtsdatum": "birth_date", "schueler-id": "school_id",
    "schüler-id": "school_id", "id": "school_id", "jahrgang": "grade", "klasse": "class_name",
    "geschlecht": "gender", "abschluss": "qualification", "angestrebter abschluss": "qualification",
}
GENDER_VALUES = {"w": Gender.FEMALE, "weiblich": Gender.FEMALE, "m": Gender.MALE, "männlich": Gender.MALE,
                 "d": Gender.DIVERSE, "divers": Gender.DIVERSE, "x": Gender.UNSTATED, "": Gender.UNSTATED}
QUALIFICATION_VALUES = {
    "": "", "ohne": Qualification.NONE, "foerder": Qualification.FOERDER, "förderschulabschluss": Qualification.FOERDER,
    "hsa": Qualification.HSA, "esa": Qualification.HSA, "hauptschulabschluss": Qualification.HSA,
    "qhsa": Qualification.QHSA, "eesa": Qualification.QHSA, "rsa": Qualification.RSA, "msa": Qualification.RSA,
    "realschulabschluss": Qualification.RSA, "fhr": Qualification.FHR, "ahr": Qualification.AHR,
    "abitur": Qualification.AHR,
}


@dataclass
class ClassListRow:
    line: int
    identity: str
    first_name: str
    last_name: str
    grade: int
    class_name: str
    gender: str
    qualification: str


def class_list_parse(raw: bytes) -> list[ClassListRow]:
    """Read a class list (UTF-8 or Windows-1252, ';' or ','). Rejects the file with line and column
    for every problem."""
    text = text_decode(raw)
    sample = text[:2000]
    delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    reader = csv_rows(text, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration as exc:
        raise ImportRejected(_("Die Datei ist leer.")) from exc
    columns = [CLASS_LIST_COLUMNS.get(h.strip().casefold()) for h in header]
    problems: list[RowProblem] = []
    for needed, label in [("grade", "Jahrgang"), ("class_name", "Klasse")]:
        if needed not in columns:
            problems.append(RowProblem(1, label, _("Spalte fehlt.")))
    if "school_id" not in columns and not {"last_name", "first_name"} <= set(columns):
        problems.append(RowProblem(1, "Nachname/Vorname",
                                   _("Es braucht Nachname und Vorname oder eine Schüler-ID, um Pseudonyme zu bilden.")))
    if problems:
        raise ImportRejected(problems)
    rows = []
    seen: dict[str, int] = {}
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        rec = {col: (values[i].strip() if i < len(values) else "") for i, col in enumerate(columns) if col}
        grade_text = rec.get("grade", "")
        if not grade_text.isdigit() or not 5 <= int(grade_text) <= 13:
            problems.append(RowProblem(line, "Jahrgang", _("„%(v)s“ ist kein Jahrgang zwischen 5 und 13.")
                                       % {"v": grade_text}))
            continue
        if not rec.get("class_name"):
            problems.append(RowProblem(line, "Klasse", _("Klasse fehlt.")))
            continue
        gender = rec.get("gender", "").casefold()
        if gender not in GENDER_VALUES:
            problems.append(RowProblem(line, "Geschlecht", _("„%(v)s“ unbekannt (w, m, d oder leer).")
                                       % {"v": rec.get("gender")}))
            continue
        qualification = rec.get("qualification", "").casefold()
        if qualification not in QUALIFICATION_VALUES:
            problems.append(RowProblem(line, "Abschluss", _("„%(v)s“ unbekannt (z. B. HSA, RSA, FHR).")
                                       % {"v": rec.get("qualification")}))
            continue
        if rec.get("school_id"):
            identity = "id|" + rec["school_id"]
        else:
            if not rec.get("last_name") or not rec.get("first_name"):
                problems.append(RowProblem(line, "Nachname", _("Name fehlt.")))
                continue
            birth = rec.get("birth_date", "")
            if birth:
                try:
                    datetime.datetime.strptime(birth, "%d.%m.%Y")
                except ValueError:
                    problems.append(RowProblem(line, "Geburtsdatum", _("Datum bitte als TT.MM.JJJJ.")))
                    continue
            identity = "|".join(["name", rec["last_name"], rec["first_name"], birth])
        if identity.casefold() in seen:
            problems.append(RowProblem(line, "Nachname",
                                       _("doppelt (wie Zeile %(n)d).") % {"n": seen[identity.casefold()]}))
            continue
        seen[identity.casefold()] = line
        rows.append(ClassListRow(line, identity, rec.get("first_name", ""), rec.get("last_name", ""),
                                 int(grade_text), rec["class_name"], GENDER_VALUES[gender],
                                 QUALIFICATION_VALUES[qualification]))
    if problems:
        raise ImportRejected(problems)
    if not rows:
        raise ImportRejected(_("Die Datei enthält keine Schüler*innen."))
    return rows


def class_list_detect(path: Path) -> bool:
    with path.open("rb") as fh:
        head = fh.read(500).decode("utf-8-sig", errors="replace").casefold()
    return path.suffix.casefold() == ".csv" and "klasse" in head and "jahrgang" in head


def class_list_run(path: Path, *, tenant=None, format: str = "", **options) -> ImportReport:
    """CLI entry: ``bildungskette import liste.csv --format klassenliste:HE-9203 --tenant olov-kassel``."""
    from .models import School
    from .services import class_list_import

    school_ref = (format or "").partition(":")[2]  # not `_, _, ref = …`: that would hide gettext's `_`
    if tenant is None or not school_ref:
        raise ImportRejected(_("Bitte Mandant und Schule angeben: --tenant <Kurzname> "
                               "--format klassenliste:<Schulkennung, z. B. HE-9203>."))
    school = School.objects.filter(tenant=tenant, organisation__external_id=school_ref).first()
    if school is None:
        raise ImportRejected(_("Die Schule %(s)s nimmt im Mandanten nicht am Übergangsmanagement teil.")
                             % {"s": school_ref})
    result = class_list_import(school=school, raw=Path(path).read_bytes(), actor=None)
    return result.report


CLASS_LIST_IMPORTER = Importer(format="klassenliste", label=gettext_lazy("Klassenliste (CSV, wird pseudonymisiert)"),
                               detect=class_list_detect, run=class_list_run, priority=80)
