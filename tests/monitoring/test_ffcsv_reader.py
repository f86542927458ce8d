"""The GENESIS flat-file reader in detail, both generations (docs/monitoring.md): regions from every
regional variable, months and quarters refining a year, breakdowns named by their labels, totals
left out, quality flags of the new format, and every problem with line and column. Expected records
are written out by hand from the few lines given.
"""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal

import pytest

from bildungskette.core.importing import ImportRejected
from bildungskette.monitoring.importers.ffcsv import _table_code, ffcsv_dataset, ffcsv_detect, ffcsv_parse

NEW = ("statistics_code;statistics_label;time_code;time_label;time;1_variable_code;1_variable_label;"
       "1_variable_attribute_code;1_variable_attribute_label;2_variable_code;2_variable_label;"
       "2_variable_attribute_code;2_variable_attribute_label;value;value_unit;value_variable_code;"
       "value_variable_label;value_q\n")
OLD = ("Statistik_Code;Statistik_Label;Zeit_Code;Zeit_Label;Zeit;1_Merkmal_Code;1_Merkmal_Label;"
       "1_Auspraegung_Code;1_Auspraegung_Label;2_Merkmal_Code;2_Merkmal_Label;2_Auspraegung_Code;"
       "2_Auspraegung_Label;BIL002__Schüler__Anzahl;BIL003__Klassen__Anzahl\n")


def _new_row(time, v1, v2, value, quality="", unit="Anzahl", label="Bevölkerungsstand"):
    return f"12411;Bevölkerung;STAG;Stichtag;{time};{v1};{v2};{value};{unit};BEVSTD;{label};{quality}\n"


def _records(table):
    return [(r.line, r.column, r.statistic, r.unit, r.region, r.region_name, r.period, r.categories, r.value,
             r.flag) for r in table.records]


def test_new_format_regions_breakdowns_and_quality_flags():
    text = NEW + "".join([
        _new_row("31.12.2023", "DINSG;Deutschland;DG;Deutschland", "GES;Geschlecht;GESW;weiblich", "42"),
        _new_row("31.12.2023", "KREISE;Kreise;06611;Kassel", "GES;Geschlecht;GESM;männlich", "7", quality="p"),
        _new_row("31.12.2023", "KREISE;Kreise;06611;Kassel", "GES;Geschlecht;GESW;weiblich", "9", quality="."),
        _new_row("2023", "DLAND;Länder;06;Hessen", "GES;Geschlecht;;Insgesamt", "11", unit=""),
        _new_row("2023", "GEOKR;Kreise;06633;Kassel, Landkreis", "GES;Geschlecht;GESW;Insgesamt", "3", quality="x"),
    ])
    table = ffcsv_parse(text)
    assert (table.table_code, table.title) == ("12411", "Bevölkerung")
    assert _records(table) == [
        (2, "value", "Bevölkerungsstand", "Anzahl", "DG", "Deutschland", "2023-12-31", {"Geschlecht": "weiblich"},
         Decimal(42), ""),
        (3, "value", "Bevölkerungsstand", "Anzahl", "06611", "Kassel", "2023-12-31", {"Geschlecht": "männlich"},
         Decimal(7), "p"),
        (4, "value", "Bevölkerungsstand", "Anzahl", "06611", "Kassel", "2023-12-31", {"Geschlecht": "weiblich"},
         None, "."),
        (5, "value", "Bevölkerungsstand", "Anzahl", "06", "Hessen", "2023", {}, Decimal(11), ""),
        (6, "value", "Bevölkerungsstand", "Anzahl", "06633", "Kassel, Landkreis", "2023", {}, Decimal(3), ""),
    ]
    assert list(table.breakdowns) == ["Geschlecht"]
    assert list(table.breakdowns["Geschlecht"]) == ["weiblich", "männlich"]
    assert table.problems == []


def test_old_format_one_record_per_value_column_with_month_and_quarter():
    text = OLD + (
        "21111;Schulen;JAHR;Jahr;2023;KREISE;Kreise;06611;Kassel;MONAT;Monate;MONAT03;März;952;40\n"
        "21111;Schulen;JAHR;Jahr;2023;REGBEZ;Regierungsbezirke;064;Kassel, Reg.-Bez.;QUARTG;Quartale;QUART2;"
        "2. Quartal;.;-\n"
        "21111;Schulen;JAHR;Jahr;2022/23;GEMEIN;Gemeinden;06611000;Kassel, Stadt;MONAT;Monate;MONAT03;März;5;\n"
    )
    table = ffcsv_parse(text, table_code="21111-01-03-4")
    assert table.table_code == "21111-01-03-4" and table.title == "Schulen"
    assert [(r.line, r.column, r.statistic, r.region, r.period, r.value, r.flag) for r in table.records] == [
        (2, "BIL002__Schüler__Anzahl", "Schüler", "06611", "2023-03", Decimal(952), ""),
        (2, "BIL003__Klassen__Anzahl", "Klassen", "06611", "2023-03", Decimal(40), ""),
        (3, "BIL002__Schüler__Anzahl", "Schüler", "064", "2023-Q2", None, "."),
        (3, "BIL003__Klassen__Anzahl", "Klassen", "064", "2023-Q2", Decimal(0), "-"),
        (4, "BIL002__Schüler__Anzahl", "Schüler", "06611000", "2022/23", Decimal(5), ""),
    ]
    assert all(r.categories == {} and r.unit == "Anzahl" for r in table.records)


def test_a_value_column_without_label_is_named_by_its_code():
    text = ("Statistik_Code;Statistik_Label;Zeit;1_Merkmal_Code;1_Merkmal_Label;1_Auspraegung_Code;"
            "1_Auspraegung_Label;BIL002____Personen\n"
            "21111;Schulen;2023;KREISE;Kreise;06611;Kassel;5\n")
    record = ffcsv_parse(text).records[0]
    assert (record.statistic, record.unit, record.region_name) == ("BIL002", "Personen", "Kassel")


def test_a_breakdown_without_label_is_named_by_its_code_and_a_row_without_region_is_germany():
    text = NEW + _new_row("2023", "ALTX1;;ALT015;15 Jahre", "GES;Geschlecht;;", "4")
    record = ffcsv_parse(text).records[0]
    assert (record.region, record.region_name, record.categories) == ("DG", "Deutschland", {"ALTX1": "15 Jahre"})
    assert list(ffcsv_parse(text).breakdowns) == ["ALTX1", "Geschlecht"]


def test_problems_name_line_and_column():
    text = NEW + _new_row("irgendwann", "DLAND;Länder;06;Hessen", "GES;Geschlecht;;", "4") + \
        _new_row("2023", "DLAND;Länder;06;Hessen", "GES;Geschlecht;;", "4x")
    assert [(p.line, p.column, p.message) for p in ffcsv_parse(text).problems] == [
        (2, "time", "„irgendwann“ ist keine Zeitangabe."),
        (3, "value", "„4x“ ist weder eine Zahl noch ein Sonderzeichen der amtlichen Statistik")]
    old = OLD + "21111;Schulen;JAHR;Jahr;nie;KREISE;Kreise;06611;Kassel;;;;;1;2\n"
    assert [(p.line, p.column) for p in ffcsv_parse(old).problems] == [(2, "Zeit")]


@pytest.mark.parametrize("header,message", [
    ("Code;Wert\n", "Zeile 1: Kein GENESIS-Flatfile: Spalte „Statistik_Code“ bzw. „statistics_code“ fehlt."),
    ("Statistik_Code;Zeit;Wert\n", "Zeile 1: Keine Wertspalte der Form CODE__Bezeichnung__Einheit."),
])
def test_header_problems(header, message):
    with pytest.raises(ImportRejected, match=re.escape(message)) as exc:
        ffcsv_parse(header + "1;2;3\n")
    assert str(exc.value) == message


@pytest.mark.parametrize("name,options,code", [
    ("12411-01-01-4.csv", {}, "12411-01-01-4"),
    ("12411-0001_flat.csv", {}, "12411-0001"),
    ("daten.csv", {}, ""),
    ("12411-01-01-4.csv", {"table_code": "21111-02-06-4"}, "21111-02-06-4"),
])
def test_the_table_code_comes_from_the_options_or_the_file_name(name, options, code):
    assert _table_code(name, options) == code


def _zip(tmp_path, members):
    path = tmp_path / "12411-0001.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, text in members.items():
            zf.writestr(name, text.encode("utf-8"))
    path.write_bytes(buffer.getvalue())
    return path


def test_detection(tmp_path):
    new = tmp_path / "a.csv"
    new.write_text("\ufeff" + NEW, encoding="utf-8")
    old = tmp_path / "b.CSV"
    old.write_bytes(OLD.encode("iso-8859-1"))
    other = tmp_path / "c.csv"
    other.write_text("Region;Wert\n", encoding="utf-8")
    txt = tmp_path / "d.txt"
    txt.write_text(NEW, encoding="utf-8")
    broken_zip = tmp_path / "e.zip"
    broken_zip.write_bytes(b"PK\x03\x04 kaputt")
    assert [ffcsv_detect(p) for p in (new, old, other, txt, broken_zip)] == [True, True, False, False, False]
    assert ffcsv_detect(_zip(tmp_path, {"liesmich.txt": "x", "daten.csv": NEW})) is True
    assert ffcsv_detect(_zip(tmp_path, {"liesmich.txt": "x"})) is False


@pytest.mark.django_db
def test_a_zip_without_csv_is_refused(tmp_path):
    with pytest.raises(ImportRejected, match="^Das ZIP-Archiv enthält keine CSV-Datei.$"):
        ffcsv_dataset(_zip(tmp_path, {"liesmich.txt": "x"}))


@pytest.mark.django_db
def test_the_dataset_names_its_source(tmp_path):
    path = _zip(tmp_path, {"daten.csv": NEW + _new_row("2023", "DLAND;Länder;06;Hessen", "GES;Geschlecht;;", "4")})
    dataset = ffcsv_dataset(path)
    assert dataset.format == "ffcsv"
    assert dataset.source["code"] == "genesis-12411-0001" and dataset.source["table_code"] == "12411-0001"
    assert dataset.source["title"] == "Bevölkerung"
    assert dataset.source["publisher"] == "Statistische Ämter des Bundes und der Länder"
    assert [(v["region"], v["value"]) for v in dataset.values] == [("06", Decimal(4))]


@pytest.mark.django_db
def test_a_file_with_problems_is_refused_whole(tmp_path):
    path = tmp_path / "12411-0001.csv"
    path.write_text(NEW + _new_row("nie", "DLAND;Länder;06;Hessen", "GES;Geschlecht;;", "4"), encoding="utf-8")
    with pytest.raises(ImportRejected, match="Zeile 2, Spalte time: „nie“ ist keine Zeitangabe."):
        ffcsv_dataset(path)


def test_without_label_columns_codes_name_everything():
    text = ("statistics_code;time;1_variable_code;1_variable_attribute_code;2_variable_code;"
            "2_variable_attribute_code;value\n"
            "12411;2023;KREISE;06611;GES;GESW;5\n")
    table = ffcsv_parse(text)
    record = table.records[0]
    assert (record.region, record.region_name, record.categories, record.statistic, record.unit) == (
        "06611", "", {"GES": "GESW"}, "", "Anzahl")
    old = ("Statistik_Code;Zeit;1_Merkmal_Code;1_Auspraegung_Code;2_Merkmal_Code;2_Auspraegung_Code;"
           "BIL002__Schüler__Anzahl\n"
           "21111;2023;KREISE;06611;GES;GESW;5\n")
    record = ffcsv_parse(old).records[0]
    assert (record.region, record.region_name, record.categories) == ("06611", "", {"GES": "GESW"})


def test_a_month_name_in_another_variable_is_a_category_not_a_month():
    text = NEW + _new_row("2023", "DLAND;Länder;06;Hessen", "GEBMON;Geburtsmonat;GEBMON01;Januar", "4")
    record = ffcsv_parse(text).records[0]
    assert (record.period, record.categories) == ("2023", {"Geburtsmonat": "Januar"})
    quarter = NEW + _new_row("2023", "DLAND;Länder;06;Hessen", "KURS;Kurs;K2;2. Quartal", "4")
    record = ffcsv_parse(quarter).records[0]
    assert (record.period, record.categories) == ("2023", {"Kurs": "2. Quartal"})


def test_categories_are_parts_of_their_breakdown():
    table = ffcsv_parse(NEW + _new_row("2023", "DLAND;Länder;06;Hessen", "GES;Geschlecht;GESW;weiblich", "4"))
    assert table.breakdowns == {"Geschlecht": {"weiblich": ("part", "")}}


@pytest.mark.parametrize("quality,value,flag", [("p", Decimal(4), "p"), ("r", Decimal(4), "r"), ("s", Decimal(4), "s"),
                                                ("e", Decimal(4), "e"), ("/", None, "/"), (".", None, "."),
                                                ("x", Decimal(4), ""), ("", Decimal(4), "")])
def test_quality_flags_of_the_new_format(quality, value, flag):
    record = ffcsv_parse(NEW + _new_row("2023", "DLAND;Länder;06;Hessen", "GES;Geschlecht;;", "4",
                                        quality=quality)).records[0]
    assert (record.value, record.flag) == (value, flag)


def test_units_and_value_names_of_the_new_format():
    text = NEW + _new_row("2023", "DLAND;Länder;06;Hessen", "GES;Geschlecht;;", "4", unit="") + \
        _new_row("2023", "DLAND;Länder;05;Nordrhein-Westfalen", "GES;Geschlecht;;", "4", unit="EUR", label="")
    first, second = ffcsv_parse(text).records
    assert (first.unit, first.statistic) == ("Anzahl", "Bevölkerungsstand")
    assert (second.unit, second.statistic) == ("EUR", "BEVSTD")  # no label: the code names the value


def test_every_bad_value_of_a_row_is_named_and_an_empty_time_too():
    old = OLD + "21111;Schulen;JAHR;Jahr;2023;KREISE;Kreise;06611;Kassel;;;;;x1;x2\n" + \
        "21111;Schulen;JAHR;Jahr;;KREISE;Kreise;06611;Kassel;;;;;1;2\n"
    assert [(p.line, p.column) for p in ffcsv_parse(old).problems] == [
        (2, "BIL002__Schüler__Anzahl"), (2, "BIL003__Klassen__Anzahl"), (3, "Zeit")]
    assert ffcsv_parse(old).problems[2].message == "„“ ist keine Zeitangabe."


def test_a_region_without_name_stays_without_name_and_no_region_is_germany():
    text = NEW + _new_row("2023", "KREISE;Kreise;06611;", "GES;Geschlecht;;", "4") + \
        _new_row("2023", "ALTX;Alter;ALT1;unter 15", "GES;Geschlecht;;", "5")
    first, second = ffcsv_parse(text).records
    assert (first.region, first.region_name) == ("06611", "")
    assert (second.region, second.region_name) == ("DG", "Deutschland")


@pytest.mark.django_db
def test_the_dataset_credits_the_statistical_offices(tmp_path):
    path = tmp_path / "12411-0001.csv"
    path.write_text(NEW + _new_row("2023", "DLAND;Länder;06;Hessen", "GES;Geschlecht;;", "4"), encoding="utf-8")
    assert ffcsv_dataset(path).source["attribution"] == "© Statistische Ämter des Bundes und der Länder"
