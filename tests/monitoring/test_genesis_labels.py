"""How the GENESIS table reader understands the words of a table: totals, the breakdown a category
label belongs to, breakdown names in titles (singular), unit, time and Land rows, the statistic and
period in a title, school years, and which category contains another (a sub-total). Expected values
follow the docstrings and the wording of real GENESIS and Regionaldatenbank tables.
"""

from __future__ import annotations

import pytest

from bildungskette.monitoring.importers.genesis import (
    Role,
    _containing_mark,
    _is_region_row,
    _is_time_label_row,
    _is_time_row,
    _is_total,
    _is_unit_row,
    _leftover_name,
    _school_year,
    _singular,
    _span,
    _title_period,
    _title_statistic,
    category_kind,
    title_variables,
)


@pytest.mark.parametrize("label,total", [("Insgesamt", True), (" gesamt ", True), ("ALLE", True), ("Total", True),
                                         ("Deutschland insgesamt", True), ("weiblich", False), ("", False)])
def test_totals(label, total):
    assert _is_total(label) is total


@pytest.mark.parametrize("label,kind", [
    ("männlich", "Geschlecht"), (" Weiblich ", "Geschlecht"), ("maennlich", "Geschlecht"), ("Männer", "Geschlecht"),
    ("Frauen", "Geschlecht"), ("divers", "Geschlecht"), ("ohne Angabe (Geschlecht)", "Geschlecht"),
    ("Ausländer", "Nationalität"), ("ausländische Schüler", "Nationalität"), ("Deutsche", "Nationalität"),
    ("deutsch", "Nationalität"), ("Deutsche(r)", "Nationalität"),
    ("schwerbehinderte Menschen", "Schwerbehinderung"),
    ("Langzeitarbeitslose", "Dauer der Arbeitslosigkeit"),
    ("ohne Hauptschulabschluss", "Abschlussart"), ("allgemeine Hochschulreife", "Abschlussart"),
    ("15 bis unter 20 Jahren", "Altersgruppe"), ("unter 3 Jahre", "Altersgruppe"), ("unter 25", "Altersgruppe"),
    ("15-jährige", "Altersgruppe"), ("Volljährige", "Altersgruppe"), ("65 Jahre und mehr", "Altersgruppe"),
    ("mit 18 Jahren", "Altersgruppe"), ("im Jahr", None),
    ("Grundschulen", None), ("Januar", None), ("Jahreswert", None),
])
def test_the_breakdown_a_category_label_belongs_to(label, kind):
    assert category_kind(label) == kind


@pytest.mark.parametrize("word,single", [
    ("Schularten", "Schulart"), ("Altersgruppen", "Altersgruppe"), ("Todesursachen", "Todesursache"),
    ("Wirtschaftszweigen", "Wirtschaftszweig"), ("Wirtschaftszweige", "Wirtschaftszweig"),
    ("Altersjahre", "Altersjahr"), ("Ausbildungsbereiche", "Ausbildungsbereich"), ("Jahrgangsklassen",
                                                                                 "Jahrgangsklasse"),
    ("Jahrgangsstufen", "Jahrgangsstufe"), ("Schulformen", "Schulform"), ("Ausbildungsbereichen",
                                                                          "Ausbildungsbereich"),
    ("SCHULARTEN", "SCHULart"), ("Geschlecht", "Geschlecht"),
])
def test_breakdown_names_become_singular(word, single):
    assert _singular(word) == single


@pytest.mark.parametrize("title,names", [
    ("Gestorbene: Deutschland, Jahre, Todesursachen, Geschlecht", ["Todesursache", "Geschlecht"]),
    ("Schüler: Bundesländer, Schuljahr, Schularten; Geschlecht und Nationalität - Stand", [
        "Schulart", "Geschlecht", "Nationalität"]),
    ("Sozialversicherungspflichtig Beschäftigte nach Geschlecht, Nationalität und Wirtschaftszweigen - Stichtag "
     "30.06. - regionale Tiefe: Kreise", ["Geschlecht", "Nationalität", "Wirtschaftszweig"]),
    ("Bevölkerung nach Altersgruppen - Stichtag", ["Altersgruppe"]),
    ("Arbeitslose: Kreise, Monate, Stichtag, Quartale, Jahr, Zeit", []),
    ("Bevölkerungsstand", []),
])
def test_breakdown_names_in_titles(title, names):
    assert title_variables(title) == names


@pytest.mark.parametrize("cells,unit", [
    (["", "Anzahl", " Anzahl "], True), (["Prozent", "%", "1000 EUR", "Tsd. Euro", "EUR je Einwohner"], True),
    (["Personen je qkm"], True), (["", ""], False), (["Anzahl", "weiblich"], False), ([], False),
])
def test_unit_rows(cells, unit):
    assert _is_unit_row(cells) is unit


@pytest.mark.parametrize("cells,expected", [
    (["", "Jahr", " Stichtag "], True), (["Schuljahr", "Zeit"], True), (["Jahr", "weiblich"], False), (["", ""], False),
])
def test_time_label_rows(cells, expected):
    assert _is_time_label_row(cells) is expected


@pytest.mark.parametrize("cells,expected", [
    (["", "2020", "31.12.2021"], True), (["2022/23", "WS 2019/20"], True), (["2020", "Kassel"], False),
    (["", " "], False),
])
def test_time_rows(cells, expected):
    assert _is_time_row(cells) is expected


@pytest.mark.parametrize("cells,expected", [
    (["", "Hessen", "Nordrhein-Westfalen"], True), (["Deutschland", "Hessen"], True), (["Deutschland"], False),
    (["Hessen", "Kassel"], False), (["", ""], False),
])
def test_land_rows(cells, expected):
    assert _is_region_row(cells) is expected


@pytest.mark.parametrize("lines,found", [
    (["Absolventen und Abgänger", "Absolventen/Abgänger (Anzahl)"], ("Absolventen/Abgänger", "Anzahl")),
    (["Verfügbares Einkommen (EUR je Einwohner)", "Sonstiges"], ("Verfügbares Einkommen", "EUR je Einwohner")),
    (["Erste (Anzahl)", "Zweite (Prozent)"], ("Zweite", "Prozent")),  # the last line that names a unit
    (["Schüler (Gymnasium)"], None), (["Schüler"], None), ([], None),
])
def test_the_statistic_and_unit_in_the_title(lines, found):
    assert _title_statistic(lines) == found


@pytest.mark.parametrize("title,period", [
    ("Bevölkerung - Stichtag: 31.12.2022", "2022-12-31"), ("Stichtag 30.06.2020", "2020-06-30"),
    ("Schüler - Schuljahr: 2022/23", "2022/23"), ("Berichtsjahr 2019", "2019"), ("Jahr: 2021 - Kreise", "2021"),
    ("Jahr 20211", None), ("Bevölkerung", None),
])
def test_the_period_in_the_title(title, period):
    assert _title_period(title) == period


@pytest.mark.parametrize("code,title,school_year", [
    ("2022", "Schüler nach Schulart - Schuljahresbeginn", "2022/23"),
    ("2022", "Absolventen - SCHULJAHR", "2021/22"),
    ("2022", "Bevölkerung", "2022"),
    ("2022/23", "Schuljahr", "2022/23"),
    ("2022-12-31", "Schuljahr", "2022-12-31"),
])
def test_plain_years_in_school_tables(code, title, school_year):
    assert _school_year(code, title) == school_year


@pytest.mark.parametrize("label,span", [
    ("Produzierendes Gewerbe (B-F)", (ord("B"), ord("F") + 0.5)), ("Baugewerbe (F)", (ord("F"), ord("F") + 0.5)),
    ("15 bis unter 25 Jahre", (1015, 1025)), ("15 bis unter 25 Jahren", (1015, 1025)),
    ("unter 3 Jahre", (1000.0, 1003)), ("75 Jahre und mehr", (1075, 2000.0)), ("75 Jahre und älter", (1075, 2000.0)),
    (" Baugewerbe (F) ", (ord("F"), ord("F") + 0.5)), ("weiblich", None), ("(b-f)", None),
])
def test_what_a_category_covers(label, span):
    assert _span(label) == span


def test_a_category_that_contains_another_is_a_sub_total():
    cats = {
        "Produzierendes Gewerbe (B-F)": (Role.PART, ""),
        "Baugewerbe (F)": (Role.PART, ""),
        "Handel (G)": (Role.PART, ""),
        "15 bis unter 65 Jahre": (Role.PART, ""),
        "15 bis unter 25 Jahre": (Role.PART, ""),
        "25 bis unter 65 Jahre": (Role.PART, ""),
        "darunter: Bergbau (B)": (Role.SUBSET, ""),  # not a part: never a sub-total, never counted as inside
        "weiblich": (Role.PART, ""),
    }
    _containing_mark(cats)
    assert {label for label, (role, _) in cats.items() if role == Role.SUBTOTAL} == {
        "Produzierendes Gewerbe (B-F)", "15 bis unter 65 Jahre"}
    assert cats["darunter: Bergbau (B)"] == (Role.SUBSET, "")
    assert cats["Baugewerbe (F)"] == (Role.PART, "")


def test_two_equal_ranges_do_not_contain_each_other():
    cats = {"Baugewerbe (F)": (Role.PART, ""), "Bau (F)": (Role.PART, "")}
    _containing_mark(cats)
    assert cats == {"Baugewerbe (F)": (Role.PART, ""), "Bau (F)": (Role.PART, "")}


def test_a_leftover_name_or_a_numbered_one():
    assert _leftover_name(["Schulart", "Geschlecht"], {"Schulart"}, 0) == "Geschlecht"
    assert _leftover_name(["Schulart"], {"Schulart"}, 2) == "Merkmal 3"
    assert _leftover_name([], set(), 0) == "Merkmal 1"
