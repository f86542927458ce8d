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
