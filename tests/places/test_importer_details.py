"""The Lernort importers in detail: which files are recognised (and which not), how categories,
columns and constants are found, what is cut to the database's field lengths, what a rejected file
names, and what an import leaves in the report and the change log.

Written against the surviving mutants of `make mutation MODULES=places-importers` (docs/testing.md);
each expectation is the documented behaviour, worked out by hand.
"""

from __future__ import annotations

import json
import re

import pytest

from bildungskette.core.importing import importer_for
from bildungskette.core.models import AuditEntry
from bildungskette.organisations.models import Organisation, OrganisationType
from bildungskette.places import importers
from bildungskette.places.importers import (
    _is_places_csv,
    _is_point_geojson,
    hessen_places_import,
    nrw_places_import,
    places_csv_import,
    places_geojson_import,
)
from bildungskette.places.models import LearningPlace

from .conftest import hessen_rows_in, nrw_rows_of, rejected

pytestmark = pytest.mark.django_db


def _file(tmp_path, name, content):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path



# --------------------------------------------------------------------------- recognising a CSV of Lernorte

ROWS = "Stadtbibliothek;bibliothek\nMusikschule;musikschule\nMuseum;museum\n"


@pytest.mark.parametrize("name,content", [
    ("orte.csv", "Name;Kategorie\n" + ROWS),
    ("ORTE.CSV", "Name;Kategorie\n" + ROWS),  # the suffix in any case
    ("orte.csv", '"Name","Kategorie"\n"Stadtbibliothek","bibliothek"\n"Musikschule","musikschule"\n'),
    ("orte.csv", "\ufeffName;Kategorie\n" + ROWS),  # Excel's byte-order mark
    ("orte.csv", "Träger Name;Name;Art\n" + ROWS),  # a column name with a space
    ("orte.csv", "BEZEICHNUNG,TYP\nA,bibliothek\n"),
])
def test_a_csv_with_a_name_and_a_category_column_is_recognised(tmp_path, name, content):
    path = _file(tmp_path, name, content)
    assert _is_places_csv(path) is True
    assert importer_for(path).format == "places-csv"


def test_a_windows_1252_csv_is_recognised(tmp_path):
    path = _file(tmp_path, "orte.csv", "Name;Kategorie;Straße\nBücherei;bibliothek;Hauptstraße 1\n".encode("cp1252"))
    assert _is_places_csv(path) is True


@pytest.mark.parametrize("name,content", [
    ("orte.csv", "Name;Ort\n" + ROWS),  # no category column
    ("orte.csv", "Kategorie;Ort\n" + ROWS),  # no name column
    ("orte.txt", "Name;Kategorie\n" + ROWS),  # not a .csv
    ("orte.csv", "Nummer;Ort\nName;Kategorie\n"),  # the names are in a data row, not the header
])
def test_a_csv_without_both_columns_in_its_header_is_not_recognised(tmp_path, name, content):
    assert _is_places_csv(_file(tmp_path, name, content)) is False


def test_the_csv_header_is_read_from_the_first_1000_bytes(tmp_path):
    # "name;" + filler + ";art": "art" ends at byte 1001, one beyond what is read.
    filler = "x" * (1001 - len("name;") - len(";art"))
    assert _is_places_csv(_file(tmp_path, "a.csv", f"name;{filler};art\n")) is False
    filler = "x" * (1000 - len("name;") - len(";art"))
    assert _is_places_csv(_file(tmp_path, "b.csv", f"name;{filler};art\n")) is True


# --------------------------------------------------------------------------- recognising GeoJSON points

POINTS = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "geometry": {"type": "Point", "coordinates": [9.4947, 51.3137]},
     "properties": {"name": "Stadtbibliothek", "kategorie": "bibliothek"}}]}


@pytest.mark.parametrize("name", ["orte.geojson", "orte.json", "ORTE.JSON", "orte.GeoJSON"])
def test_a_feature_collection_of_points_is_recognised(tmp_path, name):
    path = _file(tmp_path, name, json.dumps(POINTS))
    assert _is_point_geojson(path) is True


def test_a_latin_1_byte_does_not_stop_the_recognition(tmp_path):
    text = json.dumps(POINTS).replace("Stadtbibliothek", "B\u00fccherei").encode("latin-1")
    assert _is_point_geojson(_file(tmp_path, "orte.geojson", text)) is True


@pytest.mark.parametrize("name,data", [
    ("orte.txt", POINTS),
    ("orte.geojson", {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": []}, "properties": {}}]}),
    ("orte.geojson", {"type": "Feature", "geometry": {"type": "Point", "coordinates": [9.49, 51.31]}}),
])
def test_other_json_is_not_recognised_as_points(tmp_path, name, data):
    assert _is_point_geojson(_file(tmp_path, name, json.dumps(data))) is False


def test_points_are_looked_for_in_the_first_4000_bytes(tmp_path):
    def collection(pad):
        return ('{"type": "FeatureCollection", "x": "' + "y" * pad + '", "features": [{"geometry": {"type": '
                '"Point"}}]}')
    base = len(collection(0)[:collection(0).index('"Point"') + len('"Point"')])
    assert _is_point_geojson(_file(tmp_path, "a.geojson", collection(4000 - base))) is True
    assert _is_point_geojson(_file(tmp_path, "b.geojson", collection(4001 - base))) is False


# --------------------------------------------------------------------------- categories, columns and constants


def test_a_category_is_found_by_code_by_name_in_any_case_and_by_school_form(tmp_path, tenant):
    path = _file(tmp_path, "orte.csv", "Name;Kategorie\nA;jugend\nB;JUGENDZENTRUM / JUGENDHILFE\n"
                                       "C;Förderschule Realschule/Gymnasium\n")
    report = places_csv_import(path, tenant=tenant)
    assert report.created == 3
    assert dict(LearningPlace.objects.values_list("name", "category__code")) == {
        "A": "jugend", "B": "jugend", "C": "foerderschule"}


def test_a_category_code_is_a_constant_only_for_the_category(tmp_path, tenant):
    path = _file(tmp_path, "orte.csv", "Name;Kategorie\nA;bibliothek\n")
    assert rejected(lambda: places_csv_import(path, tenant=tenant, mapping="strasse=bibliothek"),
                     match=re.escape('Spalte für „strasse“ nicht gefunden')) == [
        (1, "bibliothek", "Spalte für „strasse“ nicht gefunden")]


def test_the_format_option_carries_the_mapping_and_a_colon_in_a_constant(tmp_path, tenant):
    path = _file(tmp_path, "orte.csv", "Einrichtung;Art\nBücherei;bibliothek\n")
    places_csv_import(path, tenant=tenant, format="places-csv:name=Einrichtung,kategorie=Art,quelle=Quelle: Schulamt")
    assert LearningPlace.objects.get().source == "Quelle: Schulamt"


def test_an_explicit_mapping_wins_over_the_format_option(tmp_path, tenant):
    path = _file(tmp_path, "orte.csv", "Einrichtung;Art\nBücherei;bibliothek\n")
    places_csv_import(path, tenant=tenant, mapping="name=Einrichtung,kategorie=Art",
                      format="places-csv:name=Art,kategorie=bibliothek")
    assert LearningPlace.objects.get().name == "Bücherei"


def test_a_missing_tenant_is_refused_with_the_whole_message(tmp_path):
    path = _file(tmp_path, "orte.csv", "Name;Kategorie\nA;bibliothek\n")
    assert rejected(lambda: places_csv_import(path, tenant=None),
                     match="Lernorte aus eigenen Dateien gehören einem Mandanten") == [
        (None, None, "Lernorte aus eigenen Dateien gehören einem Mandanten: bitte --tenant angeben.")]


def test_every_text_is_cut_to_its_field_length(tmp_path, tenant):
    long = {"name": 301, "strasse": 201, "plz": 6, "ort": 121, "telefon": 61, "email": 255, "website": 201,
            "quelle": 301, "lizenz": 121, "oeffnungszeiten": 301, "sprachen": 201, "id": 90}
    header = ";".join(["kategorie", *long])
    row = ";".join(["bibliothek", *("a" * n for n in long.values())])
    places_csv_import(_file(tmp_path, "orte.csv", f"{header}\n{row}\n"), tenant=tenant)
    place = LearningPlace.objects.get()
    assert {f: len(getattr(place, f)) for f in ["name", "street", "postcode", "city", "phone", "email", "website",
                                                 "source", "licence", "opening_hours", "languages", "external_id"]} == {
        "name": 300, "street": 200, "postcode": 5, "city": 120, "phone": 60, "email": 254, "website": 200,
        "source": 300, "licence": 120, "opening_hours": 300, "languages": 200, "external_id": 80}


def test_a_place_inside_a_stadtteil_gets_it(tmp_path, tenant):
    from bildungskette.regions.selectors import region_by_code
    from bildungskette.regions.services import stadtteile_import_geojson

    square = [[9.45, 51.30], [9.50, 51.30], [9.50, 51.33], [9.45, 51.33], [9.45, 51.30]]
    stadtteile_import_geojson(tenant=tenant, gemeinde=region_by_code("06611000"), content=json.dumps(
        {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "Mitte"},
                                                    "geometry": {"type": "Polygon", "coordinates": [square]}}]}
    ).encode())
    path = _file(tmp_path, "orte.csv", "Name;Kategorie;lat;lon\nDrinnen;bibliothek;51.3137;9.4947\n"
                                       "Draußen;bibliothek;51.29;9.43\n")
    places_csv_import(path, tenant=tenant)
    assert dict(LearningPlace.objects.values_list("name", "stadtteil__name")) == {"Drinnen": "Mitte",
                                                                                  "Draußen": None}


# --------------------------------------------------------------------------- what a rejected file names


def test_a_bad_coordinate_is_named_by_its_own_column(tmp_path, tenant):
    path = _file(tmp_path, "orte.csv", "Name;Kategorie;lat;lng\nA;bibliothek;abc;9,5\nB;bibliothek;51,3;200\n")
    assert rejected(lambda: places_csv_import(path, tenant=tenant), match=re.escape('keine Zahl: „abc“')) == [
        (2, "lat", "keine Zahl: „abc“"), (3, "lng", "200.0 liegt außerhalb von 5.8…15.1")]


def test_a_duplicate_without_id_column_names_the_id_and_the_later_rows_are_still_checked(tmp_path, tenant):
    path = _file(tmp_path, "orte.csv", "Name;Kategorie;PLZ\nA;bibliothek;34117\nA;bibliothek;34117\n"
                                       "B;raumschiff;34117\n")
    assert rejected(lambda: places_csv_import(path, tenant=tenant),
                     match=re.escape('doppelte Kennung „a-34117“ (schon in Zeile 2)')) == [
        (3, "id", "doppelte Kennung „a-34117“ (schon in Zeile 2)"),
        (4, "Kategorie", "unbekannte Kategorie „raumschiff“")]


def test_a_short_row_is_read_with_empty_values(tmp_path, tenant):
    path = _file(tmp_path, "orte.csv", "Name;Kategorie;Ort;PLZ\nA;bibliothek\n")
    places_csv_import(path, tenant=tenant)
    assert LearningPlace.objects.values_list("city", "postcode").get() == ("", "")


def test_an_empty_file_is_refused(tmp_path, tenant):
    path = _file(tmp_path, "orte.csv", "")
    assert rejected(lambda: places_csv_import(path, tenant=tenant),
                     match=re.escape('Die Datei ist leer.')) == [(None, None, "Die Datei ist leer.")]


def test_a_tie_of_separators_in_the_header_means_comma(tmp_path, tenant):
    path = _file(tmp_path, "orte.csv", "Name;Kategorie,Ort\nA;bibliothek,Kassel\n")
    assert rejected(lambda: places_csv_import(path, tenant=tenant),
                     match=re.escape('keine Spalte zugeordnet (Zuordnung z. B. name=Spaltenname)')) == [
        (1, "name", "keine Spalte zugeordnet (Zuordnung z. B. name=Spaltenname)"),
        (1, "kategorie", "keine Spalte zugeordnet (Zuordnung z. B. kategorie=Spaltenname)")]


def test_a_semicolon_inside_a_comma_separated_header_does_not_switch_the_separator(tmp_path, tenant):
    path = _file(tmp_path, "orte.csv", "Name,Kategorie,Hinweis;Notiz\nA,bibliothek,x\n")
    places_csv_import(path, tenant=tenant)
    assert LearningPlace.objects.get().name == "A"


@pytest.mark.parametrize("limit,bad_rows,listed,rest", [(3, 3, 3, None), (3, 5, 3, "… und 2 weitere Probleme"),
                                                        (3, 4, 3, "… und 1 weitere Probleme")])
def test_problems_beyond_the_limit_are_counted_not_listed(tmp_path, tenant, monkeypatch, limit, bad_rows, listed,
                                                           rest):
    monkeypatch.setattr(importers, "MAX_PROBLEMS", limit)
    path = _file(tmp_path, "orte.csv", "Name;Kategorie\n" + "".join(f"O{i};raumschiff\n" for i in range(bad_rows)))
    problems = rejected(lambda: places_csv_import(path, tenant=tenant), match="unbekannte Kategorie „raumschiff“")
    assert problems[:listed] == [(i + 2, "Kategorie", "unbekannte Kategorie „raumschiff“") for i in range(listed)]
    assert problems[listed:] == ([(None, None, rest)] if rest else [])


# --------------------------------------------------------------------------- GeoJSON in detail


def _features(*features):
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


def _point(name, lon=9.4947, lat=51.3137, **props):
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {"name": name, "kategorie": "bibliothek", **props}}


def test_geojson_that_is_no_feature_collection_is_refused(tmp_path, tenant):
    path = _file(tmp_path, "orte.geojson", json.dumps([_point("A")]))
    assert rejected(lambda: places_geojson_import(path, tenant=tenant),
                     match=re.escape('Erwartet wird eine GeoJSON-FeatureCollection.')) == [
        (None, None, "Erwartet wird eine GeoJSON-FeatureCollection.")]


def test_every_bad_feature_is_named(tmp_path, tenant):
    polygon = {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": []}, "properties": {}}
    broken = {"type": "Feature", "geometry": {"type": "Point", "coordinates": ["x", 1]}, "properties": {}}
    no_props = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [9.49, 51.31]}, "properties": [1]}
    path = _file(tmp_path, "orte.geojson", _features(polygon, broken, no_props, _point("A", lon=2.35, lat=48.85)))
    assert rejected(lambda: places_geojson_import(path, tenant=tenant),
                     match=re.escape('erwartet Punkt, nicht Polygon')) == [
        (1, "geometry", "erwartet Punkt, nicht Polygon"),
        (2, "geometry", "ungültige Koordinaten"),
        (3, "feature", "kein GeoJSON-Feature mit properties und geometry"),
        (4, "geometry", "Punkt 48.85, 2.35 liegt nicht in Deutschland")]


def test_a_point_with_a_height_is_taken(tmp_path, tenant):
    feature = _point("A")
    feature["geometry"]["coordinates"] = [9.4947, 51.3137, 160.0]
    places_geojson_import(_file(tmp_path, "orte.geojson", _features(feature)), tenant=tenant)
    assert LearningPlace.objects.values_list("latitude", "longitude").get() == (pytest.approx(51.3137),
                                                                                pytest.approx(9.4947))


def test_a_feature_without_geometry_is_listed_without_a_point_even_with_coordinate_properties(tmp_path, tenant):
    feature = {"type": "Feature", "geometry": None,
               "properties": {"name": "Ohne Punkt", "kategorie": "bibliothek", "lat": "51.31", "lon": "9.49",
                              "strasse": None}}
    places_geojson_import(_file(tmp_path, "orte.geojson", _features(feature)), tenant=tenant)
    assert LearningPlace.objects.values_list("latitude", "longitude", "street").get() == (None, None, "")


def test_duplicate_ids_in_geojson_refuse_the_file(tmp_path, tenant):
    path = _file(tmp_path, "orte.geojson", _features(_point("A", id="x"), _point("B", id="x")))
    assert rejected(lambda: places_geojson_import(path, tenant=tenant),
                     match=re.escape('doppelte Kennung „x“ (schon in Zeile 1)')) == [
        (2, "id", "doppelte Kennung „x“ (schon in Zeile 1)")]


# --------------------------------------------------------------------------- report, batches, change log


def _import_entry(tenant):
    return AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT).latest("pk")


@pytest.mark.parametrize("kind", ["csv", "geojson"])
def test_an_import_reports_itself_and_is_in_the_tenants_change_log(tmp_path, tenant, kind):
    if kind == "csv":
        path = _file(tmp_path, "orte.csv", "Name;Kategorie\nA;bibliothek\n")
        report = places_csv_import(path, tenant=tenant)
    else:
        path = _file(tmp_path, "orte.geojson", _features(_point("A")))
        report = places_geojson_import(path, tenant=tenant)
    assert (report.importer, report.source, report.created) == (f"places-{kind}", path.name, 1)
    entry = _import_entry(tenant)
    assert (entry.tenant, entry.model_label, entry.object_repr) == (tenant, "places.LearningPlace",
                                                                    f"Lernorte aus {path.name}")
    assert entry.changes["created"] == 1


def test_a_file_larger_than_a_batch_is_stored_whole(tmp_path, tenant, monkeypatch):
    monkeypatch.setattr(importers, "STORE_BATCH", 2)
    path = _file(tmp_path, "orte.csv", "Name;Kategorie\n" + "".join(f"O{i};bibliothek\n" for i in range(5)))
    report = places_csv_import(path, tenant=tenant)
    assert report.created == 5
    assert sorted(LearningPlace.objects.values_list("name", flat=True)) == [f"O{i}" for i in range(5)]


def test_the_school_lists_report_and_log_what_they_did(tmp_path):
    nrw = _file(tmp_path, "nrw.csv", nrw_rows_of("5911000"))
    report = nrw_places_import(nrw)
    assert (report.importer, report.source, report.created) == ("places-schools-nrw", "nrw.csv", 97)
    assert report.notes[0].startswith("Organisationen – ")
    assert _import_entry(None).object_repr == "Lernorte aus dem Schulverzeichnis NRW"
    hessen = _file(tmp_path, "hessen.json", json.dumps(hessen_rows_in("341"), ensure_ascii=False))
    report = hessen_places_import(hessen)
    assert (report.importer, report.source) == ("places-schools-hessen", "hessen.json")
    assert report.notes[0].startswith("Organisationen – ")
    assert _import_entry(None).object_repr == "Lernorte aus der Schulliste Hessen"
    # The Hessen import makes places of the Hessen schools only: the 97 NRW places are not counted again.
    assert report.created == LearningPlace.objects.filter(external_id__startswith="HE-").count() > 0
    assert report.unchanged == 0


def test_the_school_lists_leave_a_tenants_own_organisations_alone(tmp_path, tenant):
    own = Organisation.objects.create(tenant=tenant, name="Eigene Schule", external_id="HE-999999",
                                      type=OrganisationType.SCHULE)
    own_nrw = Organisation.objects.create(tenant=tenant, name="Eigene Schule NRW", external_id="NRW-999999",
                                          type=OrganisationType.SCHULE)
    nrw_places_import(_file(tmp_path, "nrw.csv", nrw_rows_of("5911000")))
    hessen_places_import(_file(tmp_path, "hessen.json", json.dumps(hessen_rows_in("341"), ensure_ascii=False)))
    assert not LearningPlace.objects.filter(operator__in=[own, own_nrw]).exists()


def test_a_category_code_with_capitals_is_found_as_written(tmp_path, tenant):
    from bildungskette.places.models import Category

    Category.objects.create(code="VHS-Kurs", name="Kursort der Volkshochschule")
    path = _file(tmp_path, "orte.csv", "Name;Kategorie\nA;VHS-Kurs\nB;kursort der volkshochschule\n")
    places_csv_import(path, tenant=tenant)
    assert set(LearningPlace.objects.values_list("category__code", flat=True)) == {"VHS-Kurs"}
