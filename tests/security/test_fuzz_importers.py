"""Fuzzed files for every importer and upload (hypothesis): whatever the bytes, the only failure
is the German ``ImportRejected`` with its messages – never another exception (which would be a
server error on an upload page or a traceback in the CLI)."""

# ruff: noqa: F811  (the transition fixtures are imported by name and requested as arguments)

from __future__ import annotations

import json

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bildungskette.core.importing import ImportRejected
from bildungskette.core.parsing import csv_rows, json_parse, text_decode
from bildungskette.organisations.importers import hessen_schools_import, nrw_schools_import
from bildungskette.places.importers import places_csv_import, places_geojson_import
from bildungskette.regions.models import Region
from bildungskette.regions.services import stadtteile_import_geojson
from bildungskette.transitions.importers import class_list_parse, kaoa_import
from tests.transitions.conftest import kaoa  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

FUZZ = settings(max_examples=40, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])

numbers = st.one_of(st.integers(min_value=-10**400, max_value=10**400), st.floats(allow_nan=False),
                    st.sampled_from([1e308, -1e308, 180.0, 90.0, 9.45, 51.3]))
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), numbers, st.text(max_size=12)),
    lambda children: st.one_of(st.lists(children, max_size=5),
                               st.dictionaries(st.text(max_size=10), children, max_size=5)),
    max_leaves=40)
positions = st.lists(st.one_of(numbers, st.text(max_size=3), st.none()), min_size=0, max_size=3)
rings = st.lists(st.one_of(positions, json_values), max_size=6)
geometries = st.one_of(
    json_values,
    st.fixed_dictionaries({"type": st.sampled_from(["Polygon", "MultiPolygon", "Point", "LineString", "x"]),
                           "coordinates": st.one_of(st.lists(rings, max_size=3), positions,
                                                    st.lists(st.lists(rings, max_size=2), max_size=2), json_values)}))
features = st.one_of(json_values, st.fixed_dictionaries({
    "type": st.just("Feature"),
    "properties": st.one_of(st.dictionaries(st.sampled_from(["name", "Einrichtung", "Art", "kategorie", "id"]),
                                            st.one_of(st.text(max_size=12), numbers, st.none()), max_size=4),
                            json_values),
    "geometry": geometries}))
feature_collections = st.fixed_dictionaries({"type": st.just("FeatureCollection"),
                                             "features": st.lists(features, min_size=0, max_size=4)})
json_documents = st.one_of(
    feature_collections.map(lambda d: json.dumps(d).encode()),
    json_values.map(lambda d: json.dumps(d).encode()),
    st.binary(max_size=400),
    st.integers(min_value=1, max_value=3000).map(lambda n: ("[" * n + "]" * n).encode()),
    st.integers(min_value=1, max_value=3000).map(lambda n: ('{"a":' * n + "1" + "}" * n).encode()),
    st.sampled_from([b"NaN", b"[Infinity]", b"1e999", b'{"features": [NaN]}', b"\xef\xbb\xbf{}", b""]),
)

cells = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)


def _csv_text(header: list[str]):
    rows = st.lists(st.lists(st.one_of(cells, st.sampled_from(['"', '"a""b', "9", "10", "9a", "w", "51,3",
                                                                "bibliothek", "\r", "\n"])),
                             max_size=len(header) + 2), max_size=6)
    delimiter = st.sampled_from([";", ",", "\t"])
    return st.tuples(rows, delimiter).map(lambda t: t[1].join(header) + "\n" + "\n".join(
        t[1].join(r) for r in t[0]))


def _encoded(texts):
    return st.tuples(texts, st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"])).map(
        lambda t: t[0].encode(t[1], errors="ignore"))


def csv_files(header):
    return st.one_of(_encoded(_csv_text(header)), st.binary(max_size=600),
                     st.tuples(_encoded(_csv_text(header)), st.binary(max_size=40)).map(lambda t: t[0] + t[1]))


def _only_german_rejection(call) -> None:
    try:
        with transaction.atomic():
            call()
    except ImportRejected as exc:
        assert exc.problems and all(str(p).strip() for p in exc.problems)


@FUZZ
@given(raw=json_documents)
def test_json_parse(raw):
    _only_german_rejection(lambda: json_parse(raw))


@FUZZ
@given(raw=st.one_of(st.binary(max_size=500), _encoded(cells)))
def test_text_and_csv(raw):
    _only_german_rejection(lambda: list(csv_rows(text_decode(raw), delimiter=";")))


@FUZZ
@given(raw=json_documents)
def test_stadtteile_upload(raw, tenant):
    gemeinde = Region.objects.get(code="06611000")
    _only_german_rejection(lambda: stadtteile_import_geojson(tenant=tenant, gemeinde=gemeinde, content=raw,
                                                             name_property="name", key_property="id"))


@FUZZ
@given(raw=csv_files(["Nachname", "Vorname", "Geburtsdatum", "Jahrgang", "Klasse", "Geschlecht", "Abschluss"]))
def test_class_list(raw):
    _only_german_rejection(lambda: class_list_parse(raw))


@FUZZ
@given(raw=csv_files(["Einrichtung", "Art", "Nr", "Breite", "Länge"]))
def test_lernort_csv(raw, tenant, tmp_path):
    path = tmp_path / "orte.csv"
    path.write_bytes(raw)
    _only_german_rejection(lambda: places_csv_import(
        path, tenant=tenant, mapping="name=Einrichtung,kategorie=Art,id=Nr,breite=Breite,laenge=Länge"))


@FUZZ
@given(raw=json_documents)
def test_lernort_geojson(raw, tenant, tmp_path):
    path = tmp_path / "orte.geojson"
    path.write_bytes(raw)
    _only_german_rejection(lambda: places_geojson_import(path, tenant=tenant,
                                                         mapping="name=Einrichtung,kategorie=Art"))


hessen_records = st.lists(st.one_of(json_values, st.fixed_dictionaries({
    "id": st.one_of(st.sampled_from(["HE-1", "HE-2"]), json_values), "name": json_values,
    "school_type": json_values, "address": json_values, "lat": numbers, "lon": numbers})), max_size=4)


@FUZZ
@given(raw=st.one_of(json_documents, hessen_records.map(lambda d: json.dumps(d).encode())))
def test_hessen_school_list(raw, tmp_path):
    path = tmp_path / "schulen.json"
    path.write_bytes(raw)
    _only_german_rejection(lambda: hessen_schools_import(path))


@FUZZ
@given(raw=csv_files(["Schulnummer", "Amtlicher Gemeindeschlüssel", "Schulform", "Amtliche Bezeichnung 1",
                      "latitude", "longitude"]))
def test_nrw_school_list(raw, tmp_path):
    path = tmp_path / "nrw.csv"
    path.write_bytes(raw)
    _only_german_rejection(lambda: nrw_schools_import(path))


@FUZZ
@given(name=st.sampled_from(["kategorien.csv", "merkmale.csv", "anschlussoptionen.csv", "berufsfelder.csv"]),
       raw=csv_files(["id", "kuerzel", "bezeichnung", "bezeichner", "jahrgaenge_kuerzel", "kategorie_bezeichner"]))
def test_kaoa_catalogue(name, raw, tmp_path_factory, kaoa):
    folder = tmp_path_factory.mktemp("kaoa")
    for source in (django_settings.DATA_DIR / "kaoa").iterdir():
        if source.is_file():
            (folder / source.name).write_bytes(source.read_bytes())
    (folder / name).write_bytes(raw)
    _only_german_rejection(lambda: kaoa_import(folder))
