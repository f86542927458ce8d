"""The Agenturbezirk ↔ Kreis list against the official Gemeindeverzeichnis (GV100AD, 30.11.2023).

Every Gemeinde record (Satzart 60) of the GV100AD carries the field „Arbeitsagenturbezirk“ at
positions 186–190: three digits for the Agentur für Arbeit, two for its Geschäftsstelle. The fixture
holds the Kreis and Gemeinde records of Nordrhein-Westfalen and Hessen unchanged (see
fixtures/gv100ad/SOURCES.md); it is read here by plain slicing, never through the product's loader.
"""

from __future__ import annotations

import csv
import datetime
from collections import defaultdict
from pathlib import Path

import pytest
from django.conf import settings

from bildungskette.monitoring.models import AgencyDistrictMember
from bildungskette.monitoring.sources.agencies import agencies_load
from bildungskette.monitoring.sources.selectors import agency_of
from bildungskette.regions.models import Region, RegionKind

GV100AD = Path(__file__).parent / "fixtures" / "gv100ad" / "GV100AD_301123_Land05_06.txt"
STAND = datetime.date(2023, 11, 30)


def gv100ad_agencies() -> tuple[dict[str, set[str]], dict[str, str]]:
    """Kreis key → the Agentur numbers of its Gemeinden; Kreis key → name."""
    agencies: dict[str, set[str]] = defaultdict(set)
    names = {}
    for line in GV100AD.read_text(encoding="utf-8").splitlines():
        if line.startswith("40"):
            names[line[10:15]] = line[22:72].strip()
        elif line.startswith("60") and line[185:190].strip():  # gemeindefreie Gebiete have none
            assert line[2:10] == "20231130"
            agencies[line[10:15]].add(line[185:188])
    return agencies, names


def csv_rows() -> list[dict]:
    path = settings.DATA_DIR / "regions" / "agenturbezirke.csv"
    return list(csv.DictReader(path.open(encoding="utf-8"), delimiter=";"))


def test_every_kreis_of_the_gemeindeverzeichnis_has_one_agentur_and_our_list_agrees():
    agencies, names = gv100ad_agencies()
    assert len(agencies) == 53 + 26  # NRW, Hessen
    for kreis, numbers in agencies.items():
        assert len(numbers) == 1, (kreis, names[kreis], numbers)
    ours = {}
    for row in csv_rows():
        assert row["kreis"] not in ours, f"{row['kreis']} steht zweimal in der Liste"
        ours[row["kreis"]] = row["nummer"]
    assert ours == {kreis: next(iter(numbers)) for kreis, numbers in agencies.items()}


def test_one_number_and_one_name_per_agentur():
    by_code = defaultdict(set)
    for row in csv_rows():
        by_code[row["agentur"]].add((row["nummer"], row["name"]))
    assert all(len(v) == 1 for v in by_code.values())
    numbers = [next(iter(v))[0] for v in by_code.values()]
    assert len(numbers) == len(set(numbers)) == 42


def test_gross_gerau_belongs_to_bad_homburg_not_darmstadt():
    agencies, names = gv100ad_agencies()
    assert names["06433"] == "Groß-Gerau"
    assert agencies["06433"] == agencies["06434"] == {"433"}  # with the Hochtaunuskreis
    assert agencies["06411"] != agencies["06433"]
    row = next(r for r in csv_rows() if r["kreis"] == "06433")
    assert (row["agentur"], row["nummer"]) == ("aa-bad-homburg", "433")


@pytest.mark.django_db
def test_each_kreis_of_hessen_and_nrw_in_exactly_one_agenturbezirk_on_the_stand_date():
    agencies_load()
    agencies, _ = gv100ad_agencies()
    kreise = Region.objects.filter(
        kind=RegionKind.KREIS, code__in=list(agencies), tenant__isnull=True, valid_until__isnull=True
    )
    assert kreise.count() == len(agencies)
    for kreis in kreise:
        members = [
            m
            for m in AgencyDistrictMember.objects.filter(kreis=kreis).select_related("agency")
            if m.valid_from <= STAND and (m.valid_to is None or m.valid_to >= STAND)
        ]
        assert len(members) == 1, kreis.code
        agency = agency_of(kreis, on=STAND)
        assert agency == members[0].agency
        assert agency.designation == f"Agenturbezirk {next(iter(agencies[kreis.code]))}"
