"""Class lists are pseudonymised on the way in; names only when the school turns them on, and then
encrypted with the school's own key."""

import re

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


# --------------------------------------------------------------------------- class_list_parse, row by row

def _problems(text: str, encoding: str = "utf-8", *, match: str) -> list[tuple]:
    from bildungskette.transitions.importers import class_list_parse

    with pytest.raises(ImportRejected, match=match) as exc:
        class_list_parse(text.encode(encoding))
    return [(p.line, p.column, p.message) for p in exc.value.problems]


def test_class_list_rows_are_read_with_grade_gender_and_qualification():
    from bildungskette.transitions.importers import class_list_parse

    rows = class_list_parse((
        "Nachname;Vorname;Geburtsdatum;Jahrgang;Klasse;Geschlecht;Angestrebter Abschluss\n"
        "Musterfrau;Erika;01.02.2011;5;5a;weiblich;ESA\n"
        ";;;;;;\n"  # an empty line is skipped; the line numbers still count it
        "Mustermann;Max;;13;Q2;M;Abitur\n"
        "Jürgens;Zoë;29.02.2008;10;10b;d;\n").encode("cp1252"))  # Windows-1252, as Excel saves it
    got = [(r.line, r.identity, r.first_name, r.last_name, r.grade, r.class_name, r.gender, r.qualification)
           for r in rows]
    assert got == [
        (2, "name|Musterfrau|Erika|01.02.2011", "Erika", "Musterfrau", 5, "5a", "w", "hsa"),
        (4, "name|Mustermann|Max|", "Max", "Mustermann", 13, "Q2", "m", "ahr"),
        (5, "name|Jürgens|Zoë|29.02.2008", "Zoë", "Jürgens", 10, "10b", "d", ""),
    ]


def test_class_list_with_commas_and_a_pupil_id_instead_of_names():
    from bildungskette.transitions.importers import class_list_parse

    rows = class_list_parse(b"Sch\xc3\xbcler-ID,Jahrgang,Klasse,Abschluss\n4711,9,9c,qhsa\n4712,9,9c,\n")
    assert [(r.line, r.identity, r.first_name, r.last_name, r.grade, r.class_name, r.qualification)
            for r in rows] == [(2, "id|4711", "", "", 9, "9c", "qhsa"), (3, "id|4712", "", "", 9, "9c", "")]


def test_every_bad_row_is_named_with_line_column_and_message():
    text = ("Nachname;Vorname;Geburtsdatum;Jahrgang;Klasse;Geschlecht;Abschluss\n"
            "Musterfrau;Erika;01.02.2011;8;8a;w;RSA\n"  # 2: fine
            "A;B;;4;4a;;\n"  # 3: grade below 5
            "C;D;;14;14a;;\n"  # 4: grade above 13
            "E;F;;acht;8a;;\n"  # 5: no number
            "G;H;;8;;;\n"  # 6: no class
            "I;J;;8;8a;q;\n"  # 7: unknown gender
            "K;L;;8;8a;;Diplom\n"  # 8: unknown qualification
            ";M;;8;8a;;\n"  # 9: no last name
            "N;;;8;8a;;\n"  # 10: no first name
            "O;P;2011-02-01;8;8a;;\n"  # 11: date not as TT.MM.JJJJ
            "MUSTERFRAU;erika;01.02.2011;9;9a;;\n")  # 12: the same person as line 2 (case does not matter)
    assert _problems(text, match=re.escape('„4“ ist kein Jahrgang zwischen 5 und 13.')) == [
        (3, "Jahrgang", "„4“ ist kein Jahrgang zwischen 5 und 13."),
        (4, "Jahrgang", "„14“ ist kein Jahrgang zwischen 5 und 13."),
        (5, "Jahrgang", "„acht“ ist kein Jahrgang zwischen 5 und 13."),
        (6, "Klasse", "Klasse fehlt."),
        (7, "Geschlecht", "„q“ unbekannt (w, m, d oder leer)."),
        (8, "Abschluss", "„Diplom“ unbekannt (z. B. HSA, RSA, FHR)."),
        (9, "Nachname", "Name fehlt."),
        (10, "Nachname", "Name fehlt."),
        (11, "Geburtsdatum", "Datum bitte als TT.MM.JJJJ."),
        (12, "Nachname", "doppelt (wie Zeile 2)."),
    ]


def test_a_pupil_id_twice_is_a_duplicate():
    assert _problems("ID;Jahrgang;Klasse\n17;8;8a\n18;8;8a\n17;9;9b\n",
                     match=re.escape('doppelt (wie Zeile 2).')) == [(4, "Nachname", "doppelt (wie Zeile 2).")]


@pytest.mark.parametrize("text,expected", [
    ("", [(None, None, "Die Datei ist leer.")]),
    ("Nachname;Vorname;Jahrgang;Klasse\n", [(None, None, "Die Datei enthält keine Schüler*innen.")]),
    ("Nachname;Vorname;Jahrgang;Klasse\n;;;\n", [(None, None, "Die Datei enthält keine Schüler*innen.")]),
    ("Nachname;Vorname;Geburtsdatum\nA;B;01.01.2010\n",
     [(1, "Jahrgang", "Spalte fehlt."), (1, "Klasse", "Spalte fehlt.")]),
    ("Nachname;Vorname\nA;B\n", [(1, "Jahrgang", "Spalte fehlt."), (1, "Klasse", "Spalte fehlt.")]),
    ("Nachname;Jahrgang;Klasse\nA;8;8a\n",
     [(1, "Nachname/Vorname", "Es braucht Nachname und Vorname oder eine Schüler-ID, um Pseudonyme zu bilden.")]),
    ("Vorname;Jahrgang;Klasse\nA;8;8a\n",
     [(1, "Nachname/Vorname", "Es braucht Nachname und Vorname oder eine Schüler-ID, um Pseudonyme zu bilden.")]),
])
def test_a_file_without_the_needed_columns_or_pupils_is_refused(text, expected):
    assert _problems(text, match=re.escape(expected[0][2])) == expected


def test_the_command_line_import_needs_tenant_and_a_school_of_that_tenant(school_a, tenant, other_tenant, tmp_path):
    from bildungskette.transitions.importers import class_list_run

    path = tmp_path / "klasse.csv"
    path.write_bytes(CSV.encode())
    ref = school_a.organisation.external_id
    needs = ("Bitte Mandant und Schule angeben: --tenant <Kurzname> --format klassenliste:<Schulkennung, "
             "z. B. HE-9203>.")
    for kwargs in ({"tenant": None, "format": f"klassenliste:{ref}"}, {"tenant": tenant, "format": "klassenliste"}):
        with pytest.raises(ImportRejected, match=re.escape(needs)) as exc:
            class_list_run(path, **kwargs)
        assert [p.message for p in exc.value.problems] == [needs]
    with pytest.raises(ImportRejected, match="Die Schule HE-0000 nimmt") as exc:
        class_list_run(path, tenant=tenant, format="klassenliste:HE-0000")
    assert [p.message for p in exc.value.problems] == [
        "Die Schule HE-0000 nimmt im Mandanten nicht am Übergangsmanagement teil."]
    with pytest.raises(ImportRejected, match=f"Die Schule {ref} nimmt") as exc:
        class_list_run(path, tenant=other_tenant, format=f"klassenliste:{ref}")
    assert [p.message for p in exc.value.problems] == [
        f"Die Schule {ref} nimmt im Mandanten nicht am Übergangsmanagement teil."]
    assert not Student.objects.exists()
    report = class_list_run(path, tenant=tenant, format=f"klassenliste:{ref}")
    assert report.created == 3 and set(Student.objects.values_list("school", flat=True)) == {school_a.pk}


def test_semicolons_win_a_tie_with_commas_and_short_rows_leave_the_last_columns_empty():
    from bildungskette.transitions.importers import class_list_parse

    text = ("Nachname;Vorname;Jahrgang;Klasse\n"
            "Graf, von, zu, Berg;Anna, Lena, Marie, Sophie;8;8a\n")
    assert text.count(";") == text.count(",") == 6
    [row] = class_list_parse(text.encode())
    assert (row.last_name, row.first_name, row.grade, row.class_name) == (
        "Graf, von, zu, Berg", "Anna, Lena, Marie, Sophie", 8, "8a")
    short = "Nachname;Vorname;Jahrgang;Klasse;Geschlecht;Abschluss\nMuster;Max;8;8a\n"  # no gender, no goal
    [row] = class_list_parse(short.encode())
    assert (row.gender, row.qualification, row.class_name) == ("", "", "8a")
