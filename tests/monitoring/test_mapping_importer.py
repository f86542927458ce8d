"""Own tables through a named column mapping, in detail (docs/monitoring.md): the definition check,
keys with lost leading zeros, school years, fixed periods, the tenant's own mapping before the
shared one, Stadtteile by name or key, breakdowns and statistics of the dataset, and every problem
with line and column. Expected values are worked out by hand.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest

from bildungskette.monitoring.importers.mapping import (
    _region_code,
    mapping_dataset,
    mapping_definition_check,
    mapping_detect,
    mapping_values_parse,
    stadtteil_codes,
)
from bildungskette.monitoring.models import ColumnMapping
from tests.conftest import rejection_problems

UNKNOWN_PERIOD = ("Zeitraum „{}“ ist unbekannt. Erlaubt: 2023, 2022/23 (Schuljahr), BJ2018/19 (Berichtsjahr), "
                  "2019-08 (Monat), 2019-09-30 (Stichtag), 2019-Q3 (Quartal), 2019-H2 (Halbjahr), WS2019/20, SS2020.")
SOURCE = {"code": "eigene", "publisher": "Jugendamt", "title": "Eigene Zahlen", "attribution": "Jugendamt"}


def _definition(**changes):
    definition = {"region_column": "AGS", "period_column": "Jahr",
                  "values": [{"column": "Kinder", "statistic": "kita.kinder", "name": "Kinder in Kitas",
                              "unit": "Personen", "categories": {"alters-gruppe": "u3"}},
                             {"column": "Plätze", "statistic": "kita.plaetze"}],
                  "source": SOURCE}
    definition.update(changes)
    return definition


def _mapping(tenant=None, name="kita", label="", **changes):
    return ColumnMapping.objects.create(tenant=tenant, name=name, label=label, definition=_definition(**changes))


def _file(tmp_path, text, name="t.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_definition_check_names_every_gap():
    assert mapping_definition_check({"period": "irgendwann", "values": [{"column": "A"}],
                                     "source": {"code": "c"}}) == [
        "Die Spalte mit dem Regionalschlüssel fehlt.",
        UNKNOWN_PERIOD.format("irgendwann"),
        "Jede Wertspalte braucht „column“ und „statistic“.",
        "Quelle: „publisher“ fehlt.", "Quelle: „title“ fehlt.", "Quelle: „attribution“ fehlt."]
    assert mapping_definition_check({"source": SOURCE, "region_column": "A"}) == [
        "Zeitraum fehlt: eine Spalte oder ein fester Zeitraum.", "Mindestens eine Wertspalte angeben."]
    assert mapping_definition_check(_definition()) == []
    assert mapping_definition_check(_definition(period_column="", period="2023")) == []


def test_a_mapping_is_never_guessed():
    assert mapping_detect("x.csv") is False


@pytest.mark.parametrize("raw,code", [("6611", "06611"), ("6", "06"), ("6611000", "06611000"), ("06611", "06611"),
                                      (" 5911 ", "05911"), ("064", "064"), ("DG", "DG"), ("12345", "12345")])
def test_lost_leading_zeros_are_restored(raw, code):
    assert _region_code(raw) == code


@pytest.mark.django_db
def test_values_periods_and_dataset(tmp_path, tenant):
    mapping = _mapping(label="Kita-Statistik")
    path = _file(tmp_path, "AGS;Jahr;Kinder;Plätze\n6611;2023;1200;1300\n;;;\n06633;2022/23;.;-\n")
    dataset = mapping_dataset(path, tenant=tenant, fmt="mapping:kita")
    assert [(v["statistic"], v["region"], v["period"], v["categories"], v["value"], v["flag"], v["line"])
            for v in dataset.values] == [
        ("kita.kinder", "06611", "2023", {"alters-gruppe": "u3"}, Decimal(1200), "", 2),
        ("kita.plaetze", "06611", "2023", {}, Decimal(1300), "", 2),
        ("kita.kinder", "06633", "2022/23", {"alters-gruppe": "u3"}, None, ".", 4),
        ("kita.plaetze", "06633", "2022/23", {}, Decimal(0), "-", 4),
    ]
    assert dataset.format == "mapping:kita"
    assert dataset.source == {**SOURCE, "tenant_owned": True}
    assert dataset.breakdowns == {"alters-gruppe": ("Alters Gruppe", [("u3", "u3")])}
    assert dataset.statistics == [
        {"code": "kita.kinder", "name": "Kinder in Kitas", "unit": "Personen", "breakdowns": ["alters-gruppe"]},
        {"code": "kita.plaetze", "name": "kita.plaetze", "unit": "Anzahl", "breakdowns": []}]
    assert dataset.notes == ["Spaltenzuordnung „Kita-Statistik“"]
    assert mapping == ColumnMapping.objects.get()


@pytest.mark.django_db
def test_two_columns_of_one_statistic_share_it_and_its_breakdown(tmp_path):
    _mapping(values=[{"column": "U3", "statistic": "kita.kinder", "categories": {"alter": "u3"}},
                     {"column": "Ü3", "statistic": "kita.kinder", "categories": {"alter": "ue3"}}])
    dataset = mapping_dataset(_file(tmp_path, "AGS;Jahr;U3;Ü3\n06611;2023;1;2\n"), fmt="mapping:kita")
    assert dataset.breakdowns == {"alter": ("Alter", [("u3", "u3"), ("ue3", "ue3")])}
    assert [s["code"] for s in dataset.statistics] == ["kita.kinder"]


@pytest.mark.django_db
def test_school_years_fixed_periods_and_the_option(tmp_path):
    _mapping(period_kind="school_year")
    dataset = mapping_dataset(_file(tmp_path, "AGS;Jahr;Kinder;Plätze\n06611;2023;1;2\n06611;2022/23;3;4\n"),
                              fmt="mapping:kita")
    # A plain year is the year the school year ends in (school_year_code): 2023 → 2022/23.
    assert [v["period"] for v in dataset.values] == ["2022/23", "2022/23", "2022/23", "2022/23"]
    _mapping(name="fest", period_column="", period="2021")
    dataset = mapping_dataset(_file(tmp_path, "AGS;Kinder;Plätze\n06611;1;2\n"), mapping="fest")
    assert {v["period"] for v in dataset.values} == {"2021"}


@pytest.mark.django_db
def test_the_tenants_own_mapping_comes_before_the_shared_one(tmp_path, tenant, other_tenant):
    _mapping(label="gemeinsam")
    _mapping(tenant=other_tenant, label="fremd")
    path = _file(tmp_path, "AGS;Jahr;Kinder;Plätze\n06611;2023;1;2\n")
    assert mapping_dataset(path, tenant=tenant, fmt="mapping:kita").notes == ["Spaltenzuordnung „gemeinsam“"]
    _mapping(tenant=tenant, label="eigen")
    assert mapping_dataset(path, tenant=tenant, fmt="mapping:kita").notes == ["Spaltenzuordnung „eigen“"]
    assert rejection_problems(lambda: mapping_dataset(path, tenant=tenant, fmt="mapping:gibt-es-nicht"),
                     match=re.escape('Spaltenzuordnung „gibt-es-nicht“ ist unbekannt.')) == [
        (None, None, "Spaltenzuordnung „gibt-es-nicht“ ist unbekannt.")]


@pytest.mark.django_db
def test_every_problem_is_named(tmp_path):
    _mapping()
    text = ("AGS;Jahr;Kinder;Plätze\n"
            "99999;2023;1;2\n"  # unknown region
            "06611;nie;1;2\n"  # no period
            "06611;2023;eins;2\n"  # no number
            "06611\n")  # short row: no period
    assert rejection_problems(lambda: mapping_dataset(_file(tmp_path, text), fmt="mapping:kita"),
                     match=re.escape(UNKNOWN_PERIOD.format("nie"))) == [
        (3, "Jahr", UNKNOWN_PERIOD.format("nie")),
        (4, "Kinder", "„eins“ ist weder eine Zahl noch ein Sonderzeichen der amtlichen Statistik"),
        (5, "Jahr", UNKNOWN_PERIOD.format("")),
        (2, "AGS", "Regionalschlüssel „99999“ ist unbekannt."),
        (2, "AGS", "Regionalschlüssel „99999“ ist unbekannt."),
    ]


@pytest.mark.django_db
def test_missing_columns_and_empty_files(tmp_path):
    _mapping()
    assert rejection_problems(lambda: mapping_dataset(_file(tmp_path, "AGS;Kinder\n06611;1\n"), fmt="mapping:kita"),
                     match=re.escape('Spalte fehlt')) == [
        (1, "Jahr", "Spalte fehlt"), (1, "Plätze", "Spalte fehlt")]
    assert rejection_problems(lambda: mapping_dataset(_file(tmp_path, ""), fmt="mapping:kita"),
                     match=re.escape('Die Datei ist leer.')) == [
        (None, None, "Die Datei ist leer.")]


@pytest.mark.django_db
def test_column_names_with_spaces_and_capitals_are_found(tmp_path):
    _mapping(region_column=" ags ", period_column="JAHR ",
             values=[{"column": " kinder", "statistic": "kita.kinder"}])
    dataset = mapping_dataset(_file(tmp_path, "AGS;Jahr;Kinder\n06611;2023;5\n"), fmt="mapping:kita")
    assert [(v["region"], v["value"]) for v in dataset.values] == [("06611", Decimal(5))]


@pytest.fixture
def stadtteile(tenant):
    from bildungskette.regions.selectors import region_by_code
    from bildungskette.regions.services import stadtteile_import_geojson

    def square(x):
        return [[x, 51.30], [x + 0.01, 51.30], [x + 0.01, 51.31], [x, 51.31], [x, 51.30]]

    features = [{"type": "Feature", "properties": {"name": name, "id": key},
                 "geometry": {"type": "Polygon", "coordinates": [square(9.40 + i * 0.02)]}}
                for i, (name, key) in enumerate([("Mitte", "01"), ("Bad  Wilhelmshöhe", "15")])]
    stadtteile_import_geojson(tenant=tenant, gemeinde=region_by_code("06611000"),
                              content=json.dumps({"type": "FeatureCollection", "features": features}).encode(),
                              key_property="id")


@pytest.mark.django_db
def test_stadtteile_by_name_or_key(tmp_path, tenant, stadtteile, other_tenant):
    codes = stadtteil_codes(tenant, "06611000")
    assert set(codes) >= {"mitte", "bad wilhelmshöhe"}
    _mapping(tenant=tenant, stadtteile_of="06611000", period_column="", period="2023",
             values=[{"column": "Kinder", "statistic": "kita.kinder"}])
    path = _file(tmp_path, "AGS;Kinder\nMITTE;5\nBad Wilhelmshöhe;6\n")
    dataset = mapping_dataset(path, tenant=tenant, fmt="mapping:kita")
    assert [v["region"] for v in dataset.values] == [codes["mitte"], codes["bad wilhelmshöhe"]]
    assert {code: code for code in codes.values()} == {codes[key]: codes[key] for key in ("01", "15")}, \
        "each Stadtteil is found by its key (the last part of its code) as well"
    path = _file(tmp_path, "AGS;Kinder\n01;5\n15;6\n")
    assert [v["region"] for v in mapping_dataset(path, tenant=tenant, fmt="mapping:kita").values] == [
        codes["mitte"], codes["bad wilhelmshöhe"]]
    assert rejection_problems(lambda: stadtteil_codes(None, "06611000"),
                     match="Stadtteil-Statistiken gehören einem Mandanten") == [
        (None, None, "Stadtteil-Statistiken gehören einem Mandanten: bitte mit Mandant importieren.")]
    assert rejection_problems(lambda: stadtteil_codes(other_tenant, "06611000"),
                     match=re.escape('Für die Gemeinde 06611000 sind keine Stadtteile angelegt.')) == [
        (None, None, "Für die Gemeinde 06611000 sind keine Stadtteile angelegt.")]


@pytest.mark.parametrize("text,values", [
    ("Kinder u3 = kita.kinder altersgruppe=U 3 | Kinder in Kitas | Personen",
     [{"column": "Kinder u3", "statistic": "kita.kinder", "categories": {"altersgruppe": "u"},
       "name": "Kinder in Kitas", "unit": "Personen"}]),
    ("A = x.y\n\nB = x.z Geschlecht=weiblich | Frauen",
     [{"column": "A", "statistic": "x.y", "categories": {}, "name": "", "unit": "Anzahl"},
      {"column": "B", "statistic": "x.z", "categories": {"geschlecht": "weiblich"}, "name": "Frauen",
       "unit": "Anzahl"}]),
    ("A =", [{"column": "A", "statistic": "", "categories": {}, "name": "", "unit": "Anzahl"}]),
    ("", []),
])
def test_the_editor_value_lines(text, values):
    assert mapping_values_parse(text) == values


def test_an_editor_line_without_equals_is_named():
    with pytest.raises(ValueError, match="^Zeile 2: erwartet „Spalte = merkmal.code“.$"):
        mapping_values_parse("A = x.y\nKinder")


@pytest.mark.django_db
def test_the_delimiter_of_the_mapping_is_used_and_a_lone_zero_is_a_number(tmp_path):
    _mapping(delimiter="|", period_column="", period="2023",
             values=[{"column": "Kinder", "statistic": "kita.kinder"}])
    dataset = mapping_dataset(_file(tmp_path, "AGS|Kinder\n06611|0\n06633|12\n"), fmt="mapping:kita")
    # In an own table "0" is the number zero; only official tables use it as a sign ("less than half a unit").
    assert [(v["region"], v["value"], v["flag"]) for v in dataset.values] == [
        ("06611", Decimal(0), ""), ("06633", Decimal(12), "")]
