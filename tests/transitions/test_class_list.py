"""Class lists are pseudonymised on the way in; names only when the school turns them on, and then
encrypted with the school's own key."""

import pytest

from bildungskette.core.importing import ImportRejected
from bildungskette.transitions.models import Student
from bildungskette.transitions.pseudonyms import name_decrypt
from bildungskette.transitions.services import class_list_import, school_year_advance

CSV = ("Nachname;Vorname;Geburtsdatum;Jahrgang;Klasse;Geschlecht;Abschluss\n"
       "Musterfrau;Erika;01.02.2011;8;8a;w;RSA\n"
       "Mustermann;Max;03.04.2011;8;8a;m;HSA\n"
       "Öztürk;Ayşe;05.06.2010;10;10b;;\n")


def test_import_pseudonymises_and_stores_no_names_by_default(school_a):
    result = class_list_import(school=school_a, raw=CSV.encode("utf-8"))
    assert result.report.created == 3
    students = list(Student.objects.order_by("class_name", "pseudonym"))
    assert all(s.pseudonym.startswith("S-") and len(s.pseudonym) == 10 for s in students)
    assert all(not s.first_name_enc and not s.last_name_enc for s in students)
    for s in students:
        for value in (s.pseudonym, s.source_key, s.class_name):
            assert "Erika" not in value and "Muster" not in value
    # The key list is handed out once, it is not stored.
    assert ("Musterfrau, Erika" in {n for _, _, n in result.key_list})
    again = class_list_import(school=school_a, raw=CSV.encode("utf-8"))
    assert again.report.created == 0 and again.report.updated == 3 and Student.objects.count() == 3


def test_names_when_enabled_are_encrypted_with_the_schools_key(school_a, school_b):
    school_a.names_enabled = True
    school_a.save()
    class_list_import(school=school_a, raw=CSV.encode("cp1252", errors="replace"))
    erika = Student.objects.get(class_name="8a", gender="w")
    assert "Erika" not in erika.first_name_enc
    assert name_decrypt(school_a.pk, erika.first_name_enc) == "Erika"
    assert name_decrypt(school_b.pk, erika.first_name_enc) == "", "another school's key does not open it"


def test_bad_rows_reject_the_file_with_line_and_column_and_store_nothing(school_a):
    bad = CSV + "Fehler;Fritz;;15;15x;q;\n"
    with pytest.raises(ImportRejected, match="Zeile 5, Spalte Jahrgang") as exc:
        class_list_import(school=school_a, raw=bad.encode())
    assert exc.value.problems[0].line == 5 and exc.value.problems[0].column == "Jahrgang"
    assert not Student.objects.exists()


def test_import_page_shows_the_key_list_once(client_as, manager_a, school_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("klasse.csv", CSV.encode(), content_type="text/csv")
    html = client_as(manager_a).post(f"/uebergaenge/schulen/{school_a.pk}/klassenliste/", {"file": upload}).content
    assert "Musterfrau, Erika" in html.decode()
    page = client_as(manager_a).get(f"/uebergaenge/schulen/{school_a.pk}/klassenliste/").content.decode()
    assert "Musterfrau" not in page


def test_moving_up_a_year_in_one_step(school_a):
    class_list_import(school=school_a, raw=CSV.encode())
    counts = school_year_advance(school=school_a)
    assert counts == {"moved": 2, "left": 1}
    assert set(Student.objects.filter(status="active").values_list("class_name", flat=True)) == {"9a"}
    left = Student.objects.get(status="left")
    assert left.leaving_year is not None and left.class_name == "10b"
