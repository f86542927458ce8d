"""The BA training-market reader in detail (documented column layout, docs/monitoring.md): which
files it recognises, how cells and Berichtsjahre are read, what a bad file names, and which
statistics, breakdowns and notes the dataset carries. Values are worked out by hand.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from bildungskette.monitoring.importers.ba import _number, ba_dataset, ba_detect
from tests.conftest import rejection_problems

HEADER = "Region;Berichtsjahr;Bewerber;unbesetzte Stellen"


def _file(tmp_path, text, name="ba.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name,text,expected", [
    ("ba.csv", HEADER + "\n06611;2019;1;2\n", True),
    ("BA.CSV", HEADER + "\n06611;2019;1;2\n", True),
    ("ba.csv", "region;BERICHTSJAHR;naa\n", True),  # any case, one value column is enough
    ("ba.txt", HEADER + "\n", False),  # not .csv or .xlsx
    ("ba.csv", "Region;Bewerber\n06611;1\n", False),  # no Berichtsjahr
    ("ba.csv", "Berichtsjahr;Bewerber\n2019;1\n", False),  # no Region
    ("ba.csv", "Region;Berichtsjahr;Einwohner\n06611;2019;5\n", False),  # no value column
    ("ba.csv", "", False),
])
def test_which_files_are_ba_tables(tmp_path, name, text, expected):
    assert ba_detect(_file(tmp_path, text, name)) is expected


@pytest.mark.parametrize("cell,expected", [
    ("1630", (Decimal(1630), "")), (" 12 ", (Decimal(12), "")), ("1.630,5", (Decimal("1630.5"), "")),
    ("1630.5", (Decimal("1630.5"), "")), ("*", (None, ".")), (".", (None, ".")), ("-", (Decimal(0), "-")),
    ("", None), (None, None),
])
def test_cells(cell, expected):
    if expected is None:
        with pytest.raises(ValueError, match="„“ ist keine Zahl"):
            _number(cell)
    else:
        assert _number(cell) == expected


def test_a_cell_that_is_no_number_is_named():
    with pytest.raises(ValueError, match="^„12a“ ist keine Zahl$"):
        _number("12a")


@pytest.mark.django_db
def test_values_periods_and_categories(tmp_path, catalogue):
    text = ("Region;Berichtsjahr;Bewerber;betriebliche Stellen;unbesetzte Stellen;NAA\n"
            "06611;2019;1630;1766;;1500\n"
            ";;;;;\n"  # an empty row is skipped
            "06633;BJ2019/20;*;-;5;\n")
    dataset = ba_dataset(_file(tmp_path, text))
    got = [(v["statistic"], v["region"], v["period"], v["categories"], v["value"], v["flag"], v["line"])
           for v in dataset.values]
    assert got == [
        ("ba.bewerber", "06611", "BJ2018/19", {}, Decimal(1630), "", 2),
        ("ba.stellen", "06611", "BJ2018/19", {"stellenart": "betrieblich"}, Decimal(1766), "", 2),
        ("bibb.naa", "06611", "BJ2018/19", {}, Decimal(1500), "", 2),
        ("ba.bewerber", "06633", "BJ2019/20", {}, None, ".", 4),
        ("ba.stellen", "06633", "BJ2019/20", {"stellenart": "betrieblich"}, Decimal(0), "-", 4),
        ("ba.stellen.unbesetzt", "06633", "BJ2019/20", {}, Decimal(5), "", 4),
    ]
    assert dataset.format == "ba"
    assert dataset.source["code"] == "ba-ausbildungsmarkt"
    assert dataset.source["publisher"] == "Statistik der Bundesagentur für Arbeit"
    assert [s["code"] for s in dataset.statistics] == ["ba.bewerber", "ba.stellen", "ba.stellen.unbesetzt",
                                                       "bibb.naa"]
    assert set(dataset.breakdowns) == {"ba-status", "stellenart"} and dataset.notes == []
    assert all("kldb" not in s["breakdowns"] for s in dataset.statistics)


@pytest.mark.django_db
def test_a_year_is_the_berichtsjahr_ending_in_it(tmp_path, catalogue):
    dataset = ba_dataset(_file(tmp_path, "Region;Berichtsjahr;Bewerber\n06611;2000;1\n06611;2010;2\n"))
    assert [v["period"] for v in dataset.values] == ["BJ1999/00", "BJ2009/10"]


@pytest.mark.django_db
def test_occupations_add_a_breakdown_and_a_note_but_not_to_the_naa(tmp_path, catalogue):
    text = "Region;Berichtsjahr;KldB;Bewerber;NAA\n06611;2019;25212;40;30\n06611;2019;;50;\n"
    dataset = ba_dataset(_file(tmp_path, text), source_code="ba-eigene")
    assert [v["categories"] for v in dataset.values] == [{"kldb": "25212"}, {"kldb": "25212"}, {}]
    assert "kldb" in dataset.breakdowns and len(dataset.notes) == 1
    assert {s["code"]: s["breakdowns"] for s in dataset.statistics} == {
        "ba.bewerber": ["ba-status", "kldb"], "bibb.naa": ["stellenart"]}
    assert dataset.source["code"] == "ba-eigene"


@pytest.mark.django_db
def test_a_short_row_is_read_as_far_as_it_goes(tmp_path, catalogue):
    dataset = ba_dataset(_file(tmp_path, "Region;Berichtsjahr;Bewerber;NAA;KldB\n06611;2019;7\n"))
    assert [(v["statistic"], v["value"], v["categories"]) for v in dataset.values] == [
        ("ba.bewerber", Decimal(7), {})]


def _problems(path, match: str):
    return rejection_problems(lambda: ba_dataset(path), match)


@pytest.mark.django_db
def test_header_problems(tmp_path, catalogue):
    assert _problems(_file(tmp_path, "Gebiet;Jahr;Einwohner\n06611;2019;5\n"),
                     match=re.escape('Pflichtspalte fehlt')) == [
        (1, "Region", "Pflichtspalte fehlt"), (1, "Berichtsjahr", "Pflichtspalte fehlt"),
        (1, None, "Keine Wertspalte gefunden (z. B. „Bewerber“, „unbesetzte Stellen“).")]
    assert _problems(_file(tmp_path, ""),
                     match=re.escape('Die Datei ist leer.')) == [(None, None, "Die Datei ist leer.")]


@pytest.mark.django_db
def test_every_bad_row_is_named(tmp_path, catalogue):
    text = ("Region;Berichtsjahr;KldB;Bewerber;NAA\n"
            "99999;2019;;1;\n"
            "06611;20x9;;1;\n"
            "06611;2019;99999;1;\n"
            "06611;2019;;1a;2b\n"
            "06611\n")
    problems = _problems(_file(tmp_path, text), match=re.escape("Gebiet „99999“ ist unbekannt."))
    assert [(line, column) for line, column, _ in problems] == [
        (2, "Region"), (3, "Berichtsjahr"), (4, "KldB"), (5, "Bewerber"), (5, "NAA"), (6, "Berichtsjahr")]
    assert problems[0][2] == "Gebiet „99999“ ist unbekannt."
    assert problems[3][2] == "„1a“ ist keine Zahl" and problems[4][2] == "„2b“ ist keine Zahl"


@pytest.mark.django_db
def test_an_xlsx_balance_is_recognised_and_read(tmp_path, catalogue):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Region", "Berichtsjahr", "Bewerber"])
    book.active.append(["06611", 2019, 1630])
    path = tmp_path / "ba.XLSX"
    book.save(path)
    assert ba_detect(path) is True
    assert [(v["region"], v["period"], v["value"]) for v in ba_dataset(path).values] == [
        ("06611", "BJ2018/19", Decimal(1630))]


@pytest.mark.django_db
def test_the_source_and_the_messages_of_bad_periods_and_occupations(tmp_path, catalogue):
    dataset = ba_dataset(_file(tmp_path, "Region;Berichtsjahr;Bewerber\n06611;2019;1\n"))
    assert {k: v for k, v in dataset.source.items() if k != "code"} == {
        "publisher": "Statistik der Bundesagentur für Arbeit",
        "title": "Ausbildungsmarktbilanz (Bewerber*innen und Berufsausbildungsstellen)",
        "attribution": "Quelle: Statistik der Bundesagentur für Arbeit; BIBB-Erhebung zum 30. September",
        "licence": "Statistik der BA: Nutzung mit Quellenangabe",
        "url": "https://statistik.arbeitsagentur.de",
    }
    problems = _problems(_file(tmp_path, "Region;Berichtsjahr;KldB;Bewerber\n06611;20x9;;1\n06611;2019;99999;1\n"),
                         match="Zeitraum „20x9“ ist unbekannt")
    assert problems[0][2].startswith("Zeitraum „20x9“ ist unbekannt. Erlaubt: 2023")
    assert problems[1][2] == "„99999“ ist kein Code der KldB 2010 (Fassung 2020)."
