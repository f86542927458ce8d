import re
import shutil

import pytest
from django.conf import settings

from bildungskette.core.importing import ImportRejected
from bildungskette.transitions.importers import kaoa_import
from bildungskette.transitions.models import (
    Catalogue,
    DestinationOption,
    ElementLevel,
    IabeSector,
    OccupationalField,
    Outcome,
    StandardElement,
)


def test_real_kaoa_files_import_with_every_level_and_the_destination_mapping(kaoa):
    catalogue = Catalogue.objects.get(kind="kaoa", is_current=True)
    counts = {level: StandardElement.objects.filter(catalogue=catalogue, level=level).count()
              for level in ElementLevel.values}
    assert counts == {"category": 9, "feature": 35, "subfeature": 118, "level4": 24}
    assert DestinationOption.objects.filter(catalogue=catalogue).count() == 37
    assert OccupationalField.objects.filter(catalogue=catalogue).count() == 16
    bfe = StandardElement.objects.get(catalogue=catalogue, code="SBO 5.1")
    assert bfe.title == "Berufsfelderkundungen" and bfe.parent.code == "SBO 5"
    assert StandardElement.objects.get(catalogue=catalogue, code="SBO 5.1.1").parent == bfe
    unknown = DestinationOption.objects.get(catalogue=catalogue, code="UNBE")
    none = DestinationOption.objects.get(catalogue=catalogue, code="NOKEAN")
    # "Verbleib unbekannt" is its own category, never merged with "no next step".
    assert (unknown.outcome, none.outcome) == (Outcome.UNKNOWN, Outcome.NO_NEXT_STEP)
    assert DestinationOption.objects.get(catalogue=catalogue, code="DUAL").iabe_sector == IabeSector.I
    assert DestinationOption.objects.get(catalogue=catalogue, code="STUD").iabe_sector == IabeSector.IV
    assert DestinationOption.objects.get(catalogue=catalogue, code="HÖBFS").allowed_for
    olov = Catalogue.objects.get(kind="olov", land_code="06")
    assert list(olov.elements.filter(level="feature").values_list("code", flat=True)) == [
        "BO1", "BO2", "BO3", "BO4", "BO5", "BO6", "BO7"]
    assert "fehlen" in olov.notes


def test_same_files_again_are_unchanged_and_edited_mapping_survives_a_new_version(kaoa, tmp_path):
    again = kaoa_import(settings.DATA_DIR / "kaoa")
    assert again.created == 0 and Catalogue.objects.filter(kind="kaoa").count() == 1
    DestinationOption.objects.filter(code="PRAKT").update(iabe_sector=IabeSector.II)
    folder = tmp_path / "kaoa"
    shutil.copytree(settings.DATA_DIR / "kaoa", folder)
    with (folder / "berufsfelder.csv").open("a", encoding="utf-8") as fh:
        fh.write("99,NEU,Neues Berufsfeld,,,NEU,17\r\n")
    report = kaoa_import(folder)
    assert report.created > 0
    current = Catalogue.objects.get(kind="kaoa", is_current=True)
    assert current.version == 2
    assert current.destinations.get(code="PRAKT").iabe_sector == IabeSector.II


def test_broken_catalogue_is_rejected_with_line_and_nothing_changes(db, tmp_path):
    folder = tmp_path / "kaoa"
    shutil.copytree(settings.DATA_DIR / "kaoa", folder)
    text = (folder / "merkmale.csv").read_text(encoding="utf-8").replace(",SBO_5,", ",SBO_55,", 1)
    (folder / "merkmale.csv").write_text(text, encoding="utf-8")
    with pytest.raises(ImportRejected, match="Verweis „SBO_55“ zeigt ins Leere") as exc:
        kaoa_import(folder)
    assert "SBO_55" in str(exc.value) and "Zeile" in str(exc.value)
    assert not Catalogue.objects.exists()


# --------------------------------------------------------------------------- a small synthetic catalogue

SMALL = {
    "kategorien.csv": "id,kuerzel,bezeichnung,jahrgaenge_kuerzel,bezeichner\n1,K 1,Kategorie eins,08 09,K_1\n",
    "merkmale.csv": ("id,kuerzel,bezeichnung,kategorie_bezeichner,optionsart,bezeichner\n"
                     "2,K 1.1,Merkmal,K_1,KEINE,K_1_1\n"),
    "zusatzmerkmale.csv": ("id,kuerzel,bezeichnung,merkmal_bezeichner,optionsart,bezeichner\n"
                           "3,K 1.1.1,Zusatz,K_1_1,FREITEXT,K_1_1_1\n"),
    "ebene4.csv": "id,kuerzel,bezeichnung,zusatzmerkmal_bezeichner,bezeichner\n4,K 1.1.1.1,Ebene vier,K_1_1_1,K_4\n",
    "anschlussoptionen.csv": ("id,kuerzel,bezeichnung,zulaessig_fuer_kuerzel,stufen\n"
                              "5,DUAL,Duale Ausbildung,K 1.1;K 1.1.1,SEKUNDARSTUFE_I SEKUNDARSTUFE_II\n"
                              "6,NEUX,Neue Option,,SEKUNDARSTUFE_I\n"),
    "berufsfelder.csv": "id,kuerzel,bezeichnung\n7,BAV,\"Bau, Architektur\"\n",
}


def _small(tmp_path, **changes):
    folder = tmp_path / "kaoa-klein"
    folder.mkdir(parents=True)
    for name, text in {**SMALL, **changes}.items():
        if text is not None:
            (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_a_small_catalogue_imports_every_level_with_its_parents_grades_and_options(db, tmp_path):
    report = kaoa_import(_small(tmp_path))
    assert (report.created, report.unchanged) == (7, 0)  # 4 elements, 1 field, 2 destinations
    assert report.notes == ["Ohne iABE-Zuordnung (bitte in der Verwaltung ergänzen): NEUX"]
    catalogue = Catalogue.objects.get(kind="kaoa", is_current=True)
    assert catalogue.version == 1
    elements = {e.code: e for e in StandardElement.objects.filter(catalogue=catalogue).order_by("position")}
    assert [(e.code, e.level, e.parent.code if e.parent else None, e.position) for e in elements.values()] == [
        ("K 1", "category", None, 1), ("K 1.1", "feature", "K 1", 2), ("K 1.1.1", "subfeature", "K 1.1", 3),
        ("K 1.1.1.1", "level4", "K 1.1.1", 4)]
    assert elements["K 1"].grades == ["08", "09"] and elements["K 1"].title == "Kategorie eins"
    assert elements["K 1.1.1"].option_type == "FREITEXT" and elements["K 1.1.1"].symbol == "K_1_1_1"
    assert elements["K 1"].source_id == "1"
    dual = DestinationOption.objects.get(catalogue=catalogue, code="DUAL")
    assert dual.allowed_for == ["K 1.1", "K 1.1.1"] and dual.stages == ["SEKUNDARSTUFE_I", "SEKUNDARSTUFE_II"]
    assert dual.iabe_sector == IabeSector.I and dual.position == 0
    neu = DestinationOption.objects.get(catalogue=catalogue, code="NEUX")
    assert neu.allowed_for == [] and neu.position == 1 and neu.iabe_sector == IabeSector.NONE
    assert neu.outcome == Outcome.KNOWN and neu.group == ""
    field = OccupationalField.objects.get(catalogue=catalogue)
    assert (field.code, field.title, field.position) == ("BAV", "Bau, Architektur", 0)
    again = kaoa_import(_small(tmp_path / "wieder"))
    assert (again.created, again.unchanged) == (0, 7)
    assert again.notes == ["KAoA-Katalog unverändert (Version 1)."]


def _rejected(folder, match: str) -> list[tuple]:
    with pytest.raises(ImportRejected, match=match) as exc:
        kaoa_import(folder)
    assert not Catalogue.objects.exists()
    return [(p.line, p.column, p.message) for p in exc.value.problems]


def test_a_missing_file_is_named(db, tmp_path):
    assert _rejected(_small(tmp_path, **{"ebene4.csv": None}),
                     match=re.escape('Datei „ebene4.csv“ fehlt.')) == [(None, None, "Datei „ebene4.csv“ fehlt.")]


def test_missing_columns_codes_duplicates_and_dangling_references_are_named_with_their_line(db, tmp_path):
    folder = _small(
        tmp_path,
        **{"kategorien.csv": "id,kuerzel,bezeichnung,bezeichner\n1,K 1,Kategorie,K_1\n2,,Ohne Kürzel,K_2\n",
           "merkmale.csv": ("id,kuerzel,bezeichnung,kategorie_bezeichner,optionsart,bezeichner\n"
                            "2,K 1.1,Merkmal,K_1,KEINE,K_1_1\n3,K 1.1,Doppelt,K_9,KEINE,K_1_2\n"),
           "zusatzmerkmale.csv": ("id,kuerzel,bezeichnung,merkmal_bezeichner,optionsart,bezeichner\n"
                                  "3,K 1.1.1,Zusatz,K_1_9,FREITEXT,K_1_1_1\n"),
           "ebene4.csv": ("id,kuerzel,bezeichnung,zusatzmerkmal_bezeichner,bezeichner\n"
                          "4,K 4,Ebene vier,K_1_1_1,K_4\n5,K 5,Ebene vier,K_X,K_5\n")})
    assert _rejected(folder, match=re.escape('kategorien.csv: Spalte fehlt.')) == [
        (1, "jahrgaenge_kuerzel", "kategorien.csv: Spalte fehlt."),
        (3, "kuerzel", "kategorien.csv: Kürzel fehlt."),
        (3, "kuerzel", "merkmale.csv: Kürzel doppelt."),
        (3, "kategorie_bezeichner", "merkmale.csv: Verweis „K_9“ zeigt ins Leere."),
        (2, "merkmal_bezeichner", "zusatzmerkmale.csv: Verweis „K_1_9“ zeigt ins Leere."),
        (3, "zusatzmerkmal_bezeichner", "ebene4.csv: Verweis „K_X“ zeigt ins Leere."),
    ]
