"""The real school directories through the product's own importers."""

import shutil

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from bildungskette.core.importing import ImportRejected
from bildungskette.core.models import AuditEntry
from bildungskette.organisations.importers import hessen_schools_import, nrw_schools_import
from bildungskette.organisations.models import Organisation, OrganisationType

pytestmark = pytest.mark.django_db
SCHOOLS = settings.DATA_DIR / "schools"


def test_nrw_directory_imports_all_schools_with_fixed_ags():
    report = nrw_schools_import(SCHOOLS / "nrw_schulen_2024_25.csv")
    assert report.created == 5407 and not report.rejected
    bochum = Organisation.objects.filter(region__code="05911000")
    assert bochum.count() == 97
    assert bochum.filter(type=OrganisationType.BERUFLICHE_SCHULE).count() == 9
    school = Organisation.objects.get(external_id="NRW-100020")
    assert school.region.code == "05111000"  # 5111000 lost its leading zero in the file
    assert "IT.NRW" in school.source and "OpenStreetMap" in school.source
    assert AuditEntry.objects.filter(action="import", model_label="organisations.Organisation").exists()


def test_nrw_reimport_creates_no_duplicates():
    nrw_schools_import(SCHOOLS / "nrw_schulen_2024_25.csv")
    report = nrw_schools_import(SCHOOLS / "nrw_schulen_2024_25.csv")
    assert report.created == 0 and report.updated == 0 and report.unchanged == 5407
    assert Organisation.objects.filter(external_id__startswith="NRW-").count() == 5407


def test_broken_row_is_reported_with_line_and_nothing_is_stored(tmp_path):
    lines = (SCHOOLS / "nrw_schulen_2024_25.csv").read_text(encoding="utf-8").splitlines()
    broken = lines[5].split(",")
    broken[4] = "12AB"  # Schulnummer
    lines[5] = ",".join(broken)
    path = tmp_path / "nrw.csv"
    path.write_text("\n".join(lines[:40]), encoding="utf-8")
    with pytest.raises(ImportRejected, match="Zeile 6, Spalte Schulnummer") as exc:
        nrw_schools_import(path)
    assert str(exc.value.problems[0]).startswith("Zeile 6, Spalte Schulnummer")
    assert not Organisation.objects.exists()


def test_wrong_encoding_is_rejected_in_german(tmp_path):
    path = tmp_path / "nrw.csv"
    path.write_bytes((SCHOOLS / "nrw_schulen_2024_25.csv").read_text(encoding="utf-8")[:5000].encode("latin-1",
                                                                                                      "replace"))
    with pytest.raises(ImportRejected, match="nicht UTF-8"):
        nrw_schools_import(path)


def test_hessen_rows_per_type_are_merged_into_one_school():
    report = hessen_schools_import(SCHOOLS / "hessen_schulen_2016.json")
    schools = Organisation.objects.filter(external_id__startswith="HE-")
    assert report.created == schools.count()
    # 2,535 rows, a school once per school type (and Bildungsgang): 1,859 distinct schools.
    assert schools.count() == 1859
    assert schools.get(external_id="HE-6010").subtypes == ["Gymnasien"]  # six rows in the file
    waldau = schools.get(external_id="HE-9203")
    assert waldau.region.code == "06611000" and waldau.city == "Kassel" and waldau.postcode == "34123"
    assert schools.filter(region__code__startswith="06631").count() > 30  # Landkreis Fulda
    assert hessen_schools_import(SCHOOLS / "hessen_schulen_2016.json").created == 0


def test_import_command_detects_the_format(tmp_path, capsys):
    call_command("import", str(SCHOOLS / "hessen_schulen_2016.json"))
    assert "Schulliste Hessen" in capsys.readouterr().out
    unknown = tmp_path / "x.txt"
    shutil.copy(SCHOOLS / "hessen_schulen_2016.json", tmp_path / "copy.json")
    unknown.write_text("a;b\n1;2\n", encoding="utf-8")
    with pytest.raises(CommandError, match="nicht erkannt"):
        call_command("import", str(unknown))
