"""GENESIS keys in detail: every time format, quarters and half-years, Länder names, region keys
that the region files lack (created under the right parent or refused), and the detection of Länder
that round their figures (at least 20 non-zero values, all multiples of 10, 5 or 3).

Expected values are worked out by hand from the formats documented in `time_parse` and in
docs/monitoring.md.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from bildungskette.monitoring.importers.genesis import (
    ParsedTable,
    Record,
    _month_of,
    _quarter_of,
    genesis_region_keys,
    genesis_regions_resolve,
    genesis_rounded_lands,
    land_key,
    multiple_of,
    time_parse,
)
from bildungskette.regions.models import Region, RegionKind


@pytest.mark.parametrize("text,code", [
    ("2020", "2020"),
    ("  2020 ", "2020"),
    ("31.12.2018", "2018-12-31"),
    ("2018-12-31", "2018-12-31"),
    ("Januar 2020", "2020-01"),
    ("Dezember   2020", "2020-12"),
    ("MÄRZ 2021", "2021-03"),
    ("Maerz 2021", "2021-03"),
    ("Foo 2020", None),
    ("1. Quartal 2020", "2020-Q1"),
    ("4.Quartal 2020", "2020-Q4"),
    ("q2 2020", "2020-Q2"),
    ("5. Quartal 2020", None),
    ("2020 Q3", "2020-Q3"),
    ("2020-Q4", "2020-Q4"),
    ("2020Q1", "2020-Q1"),
    ("1. Halbjahr 2019", "2019-H1"),
    ("2. halbjahr 2019", "2019-H2"),
    ("3. Halbjahr 2019", None),
    ("WS 2019/20", "WS2019/20"),
    ("Wintersemester2019/20", "WS2019/20"),
    ("ws 2019/20", "WS2019/20"),
    ("SS 2020", "SS2020"),
    ("sommersemester 2020", "SS2020"),
    ("2022/23", "2022/23"),
    ("schuljahr 2022/23", "2022/23"),
    ("Berichtsjahr 2018/19", "BJ2018/19"),
    ("BJ 2018/19", "BJ2018/19"),
    ("bj2018/19", "BJ2018/19"),
    ("31.12.18", None),
    ("20201", None),
    ("", None),
])
def test_every_time_format(text, code):
    assert time_parse(text) == code


@pytest.mark.parametrize("text,quarter", [
    ("1. Quartal", "Q1"), (" 4.Quartal ", "Q4"), ("Quartal 2", "Q2"), ("quartal3", "Q3"), ("Q4", "Q4"), ("q1", "Q1"),
    ("1. Halbjahr", "H1"), ("2. HALBJAHR", "H2"), ("5. Quartal", None), ("3. Halbjahr", None), ("Januar", None),
])
def test_quarters_and_half_years(text, quarter):
    assert _quarter_of(text) == quarter


@pytest.mark.parametrize("text,month", [(" Januar ", 1), ("MÄRZ", 3), ("maerz", 3), ("Dezember", 12), ("Foo", None)])
def test_months(text, month):
    assert _month_of(text) == month


@pytest.mark.parametrize("name,key", [
    ("Deutschland", "DG"), ("  deutschland   insgesamt ", "DG"), ("Bundesgebiet", "DG"), ("Insgesamt", "DG"),
    ("Schleswig-Holstein", "01"), ("  Nordrhein-Westfalen ", "05"), ("HESSEN", "06"), ("Thüringen", "16"),
    ("Atlantis", None),
])
def test_land_names(name, key):
    assert land_key(name) == key


def _record(region, name="", line=1, value=Decimal(1)):
    return Record(line=line, column="C", statistic="s", unit="Anzahl", region=region, region_name=name,
                  period="2020", categories={}, value=value, flag="")


def test_region_keys_keep_the_first_name_and_line():
    table = ParsedTable("99999-01", "Test", records=[_record("06611", "Kassel", 4), _record("06611", "Anders", 9),
                                                     _record("05911", "Bochum", 12)])
    assert genesis_region_keys(table) == {"06611": ("Kassel", 4), "05911": ("Bochum", 12)}


@pytest.mark.django_db
def test_missing_official_regions_are_created_under_their_parent():
    keys = {
        "06611": ("Kassel", 3),  # exists
        "06611999": ("  Testgemeinde  ", 4),  # a Gemeinde under the Kreis
        "06999": ("Testkreis, Landkreis", 5),  # a Kreis under the Land
        "06999001": ("Testdorf", 6),  # a Gemeinde under the Kreis created just before it
        "039": ("Statistische Region Testland", 7),
        "037": ("Regierungsbezirk Test", 8),
        "06699": ("Testkreis im Regierungsbezirk Kassel", 9),  # a Kreis under its Regierungsbezirk
        "00001": ("Nirgendwo", 10),  # unknown Land: named, and the others are still resolved
    }
    for code in ["06611999", "06999", "06999001", "039", "037", "06699"]:
        assert not Region.objects.filter(code=code).exists(), f"precondition: {code} is not in the region files"
    table = ParsedTable("12345-01", "Test")
    mapping, notes = genesis_regions_resolve(table, create=True, keys=keys)
    assert [(p.line, p.message) for p in table.problems] == [
        (10, "Regionalschlüssel „00001“ (Nirgendwo) ist unbekannt: kein Land 00.")]
    assert set(mapping) == set(keys) - {"00001"}
    assert mapping["06611"] == Region.objects.get(code="06611", tenant__isnull=True).pk
    created = {r.code: r for r in Region.objects.filter(code__in=["06611999", "06999", "06999001", "039", "037",
                                                                  "06699"])}
    assert {code: (r.kind, r.parent.code, r.name) for code, r in created.items()} == {
        "06611999": (RegionKind.GEMEINDE, "06611", "Testgemeinde"),
        "06999": (RegionKind.KREIS, "06", "Testkreis"),
        "06999001": (RegionKind.GEMEINDE, "06999", "Testdorf"),
        "039": (RegionKind.STATISTISCHE_REGION, "03", "Statistische Region Testland"),
        "037": (RegionKind.REGIERUNGSBEZIRK, "03", "Regierungsbezirk Test"),
        "06699": (RegionKind.KREIS, "066", "Testkreis im Regierungsbezirk Kassel"),
    }
    assert all(mapping[code] == r.pk for code, r in created.items())
    assert created["06999"].source == "aus GENESIS-Tabelle 12345-01 (nicht in den amtlichen Gebietsdateien)"
    assert notes == ["037 Regierungsbezirk Test", "039 Statistische Region Testland", "06611999 Testgemeinde",
                     "06699 Testkreis im Regierungsbezirk Kassel", "06999 Testkreis, Landkreis", "06999001 Testdorf"]


@pytest.mark.django_db
def test_without_create_missing_regions_are_only_named():
    table = ParsedTable("12345-01", "Test", records=[_record("06611", "Kassel", 3),
                                                     _record("06611999", " Testgemeinde ", 4),
                                                     _record("06611998", "Zweite Gemeinde", 5)])
    mapping, notes = genesis_regions_resolve(table, create=False)
    assert set(mapping) == {"06611"} and table.problems == []
    assert notes == ["06611998 Zweite Gemeinde", "06611999 Testgemeinde"]
    assert not Region.objects.filter(code="06611999").exists()


@pytest.mark.django_db
def test_unknown_lands_are_refused_with_line_and_name():
    keys = {"17": ("Atlantis", 3), "17001": ("Atlantis-Kreis", 4), "06611": ("Kassel", 5)}
    table = ParsedTable("12345-01", "Test")
    mapping, notes = genesis_regions_resolve(table, create=True, keys=keys)
    assert set(mapping) == {"06611"} and notes == []
    assert [(p.line, p.column, p.message) for p in table.problems] == [
        (3, "B", "Regionalschlüssel „17“ (Atlantis) ist unbekannt."),
        (4, "B", "Regionalschlüssel „17001“ (Atlantis-Kreis) ist unbekannt: kein Land 17."),
    ]


def test_multiples_need_twenty_non_zero_values():
    assert multiple_of([Decimal(5)] * 20, 5) is True
    assert multiple_of([Decimal(5)] * 19 + [Decimal(0)] * 5, 5) is False  # zeros do not count
    assert multiple_of([Decimal(5)] * 19 + [Decimal(7)], 5) is False
    assert multiple_of([Decimal(10)] * 20, 3) is False


def _land_records(region, values):
    return [_record(region, value=Decimal(v) if v is not None else None) for v in values]


def test_rounded_lands_are_found_with_the_largest_step():
    table = ParsedTable("12345-01", "Test", records=[
        *_land_records("01002", [Decimal("10.5")] + [10] * 20),  # Schleswig-Holstein: decimals, no rounding
        *_land_records("05911", [10, 20, 30, 40] * 5 + [None]),  # NRW: multiples of 10 (and of 5)
        *_land_records("06611", [5, 15, 25, 35] * 5 + [0]),  # Hessen: multiples of 5
        *_land_records("09162", [3, 6, 9, 12] * 5),  # Bayern: multiples of 3
        *_land_records("03241", [1, 2, 3, 4] * 5),  # Niedersachsen: not rounded
        *_land_records("DG", [10] * 20),  # Germany as a whole is no Land
    ])
    assert genesis_rounded_lands(table) == {"05": 10, "06": 5, "09": 3}
