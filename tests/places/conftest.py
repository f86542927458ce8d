"""Lernortkarte fixtures: real school rows (Bochum from the NRW list, Kassel and Fulda from the
Hessen list), loaded through the product's own importers."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.conf import settings

SCHOOLS = settings.DATA_DIR / "schools"
NRW_FILE = SCHOOLS / "nrw_schulen_2024_25.csv"
HESSEN_FILE = SCHOOLS / "hessen_schulen_2016.json"


def nrw_rows_of(ags: str) -> str:
    """The real NRW file cut down to one Gemeinde (header kept, rows unchanged)."""
    text = NRW_FILE.read_text(encoding="utf-8-sig")
    reader = csv.reader(io.StringIO(text))
    header = next(reader)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in reader:
        if row[2] == ags:
            writer.writerow(row)
    return out.getvalue()


def hessen_rows_in(*postcode_prefixes: str) -> list[dict]:
    rows = json.loads(HESSEN_FILE.read_text(encoding="utf-8"))
    return [r for r in rows if any(f", {p}" in (r.get("address") or "") for p in postcode_prefixes)]


@pytest.fixture
def school_places(db, tmp_path):
    """Bochum's 97 real schools and the Kassel and Fulda schools, as Lernorte."""
    from bildungskette.places.importers import hessen_places_import, nrw_places_import

    nrw = tmp_path / "nrw_bochum.csv"
    nrw.write_text(nrw_rows_of("5911000"), encoding="utf-8")
    hessen = tmp_path / "hessen_kassel_fulda.json"
    hessen.write_text(json.dumps(hessen_rows_in("341", "360", "361"), ensure_ascii=False), encoding="utf-8")
    nrw_places_import(nrw)
    hessen_places_import(hessen)


@pytest.fixture
def place_factory(db):
    from bildungskette.places.models import Category, LearningPlace

    counter = {"n": 0}

    def make(name=None, category="bibliothek", tenant=None, lat=51.3127, lon=9.4797, **fields):
        from bildungskette.places.services import PlaceLocator

        counter["n"] += 1
        location = PlaceLocator().locate(lat, lon)
        cat = Category.objects.get(code=category)
        place = LearningPlace.objects.create(
            name=name or f"Lernort {counter['n']}", category=cat, tenant=tenant, latitude=lat, longitude=lon,
            region=location.gemeinde, kreis_code=location.kreis_code, source="Testdaten", licence="CC0",
            **fields,
        )
        place.categories.add(cat)
        return place

    return make


def rejected(call, match: str) -> list[tuple]:
    """An import of Lernorte that must be refused whole: its problems, and nothing stored."""
    from bildungskette.places.models import LearningPlace
    from tests.conftest import rejection_problems

    problems = rejection_problems(call, match)
    assert not LearningPlace.objects.exists()
    return problems
