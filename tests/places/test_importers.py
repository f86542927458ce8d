"""The real school directories and generic files through the Lernort importers."""

from __future__ import annotations

import json
import re

import pytest
from django.core.management import CommandError, call_command

from bildungskette.core.importing import ImportRejected, importer_for
from bildungskette.organisations.models import Organisation
from bildungskette.places.importers import places_csv_import, places_geojson_import
from bildungskette.places.models import LearningPlace

from .conftest import HESSEN_FILE, NRW_FILE, hessen_rows_in, nrw_rows_of, rejected

pytestmark = pytest.mark.django_db


def _import(path, *args):
    from io import StringIO

    out = StringIO()
    call_command("import", str(path), *args, stdout=out)
    return out.getvalue()


def test_cli_detects_school_lists_as_lernort_files():
    assert importer_for(NRW_FILE).format == "places-schools-nrw"
    assert importer_for(HESSEN_FILE).format == "places-schools-hessen"


def test_nrw_file_bochum_has_97_schools_9_berufskollegs():
    output = _import(NRW_FILE)
    assert "5407 neu" in output
    bochum = LearningPlace.objects.filter(region__code="05911000")
    assert bochum.count() == 97
    assert bochum.filter(category__code="beruflich").count() == 9
    assert set(bochum.values_list("kreis_code", flat=True)) == {"05911"}  # 5911000 lost its leading zero
    place = LearningPlace.objects.get(external_id="NRW-100020")
    assert place.operator == Organisation.objects.get(external_id="NRW-100020")
    assert "IT.NRW" in place.source and "dl-de/by-2-0" in place.licence and place.last_verified
    # Real geocoding errors (a school placed in France) stay in the list but off the map, and are reported.
    assert LearningPlace.objects.get(external_id="NRW-191218").latitude is None
    assert "NRW-191218" in output


def test_nrw_rows_imported_twice_create_no_duplicates(tmp_path):
    path = tmp_path / "nrw_bochum.csv"
    path.write_text(nrw_rows_of("5911000"), encoding="utf-8")
    assert "97 neu" in _import(path)
    second = _import(path)
    assert "0 neu, 0 aktualisiert, 97 unverändert" in second
    assert LearningPlace.objects.count() == 97
    assert Organisation.objects.filter(external_id__startswith="NRW-").count() == 97


def test_broken_nrw_row_is_reported_with_line_and_nothing_half_imported(tmp_path):
    lines = nrw_rows_of("5911000").splitlines()
    broken = lines[3].split(",")
    broken[4] = "12AB"  # Schulnummer
    lines[3] = ",".join(broken)
    path = tmp_path / "nrw_kaputt.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Zeile 4, Spalte Schulnummer") as error:
        _import(path)
    assert "Zeile 4" in str(error.value) and "Schulnummer" in str(error.value)
    assert not LearningPlace.objects.exists()
    assert not Organisation.objects.filter(external_id__startswith="NRW-").exists()


def test_hessen_rows_are_merged_into_one_place_per_school(tmp_path):
    rows = hessen_rows_in("341", "360", "361")  # Kassel and Fulda from the real list
    path = tmp_path / "hessen_kassel_fulda.json"
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    assert importer_for(path).format == "places-schools-hessen"
    _import(path)
    assert LearningPlace.objects.filter(external_id__startswith="HE-").count() == len({r["id"] for r in rows}) < len(
        rows)
    assert LearningPlace.objects.filter(kreis_code="06611").count() > 40  # Stadt Kassel
    assert LearningPlace.objects.filter(kreis_code="06631").count() > 40  # Landkreis Fulda
    by_id = {}
    for r in rows:
        by_id.setdefault(r["id"], []).append(r["school_type"])
    repeated = next(i for i, types in by_id.items() if len(types) > 1)
    place = LearningPlace.objects.get(external_id=repeated)
    assert place.school_forms == [by_id[repeated][0]]
    assert "CC0" in place.licence and "JedeSchule" in place.source


def test_school_with_several_types_gets_all_categories_and_the_specific_one_first():
    from bildungskette.places.services import school_form_categories

    primary, categories, unknown = school_form_categories(["Förderstufe", "Grundschulen", "Realschule", "Neu"])
    assert primary.code == "realschule"
    assert [c.code for c in categories] == ["weiterfuehrend", "grundschule", "realschule"]
    assert unknown == ["Neu"]


CSV = """Einrichtung;Art;Nr;Straße;PLZ;Ort;Breite;Länge
Stadtbibliothek Kassel;bibliothek;B1;Obere Königsstraße 3;34117;Kassel;51,3137;9,4947
Musikschule Kassel;Musikschule;M1;Friedrich-Ebert-Str. 1;34117;Kassel;51.3150;9.4870
"""
MAPPING = "name=Einrichtung,kategorie=Art,id=Nr,breite=Breite,laenge=Länge"


def test_generic_csv_with_column_mapping_is_idempotent(tmp_path, tenant):
    path = tmp_path / "orte.csv"
    path.write_text(CSV, encoding="utf-8")
    report = places_csv_import(path, tenant=tenant, mapping=MAPPING)
    assert (report.created, report.updated) == (2, 0)
    library = LearningPlace.objects.get(name="Stadtbibliothek Kassel")
    assert library.category.code == "bibliothek" and library.tenant == tenant
    assert library.region.code == "06611000" and library.kreis_code == "06611"
    assert library.latitude == pytest.approx(51.3137)
    assert LearningPlace.objects.get(name="Musikschule Kassel").category.code == "musikschule"
    again = places_csv_import(path, tenant=tenant, mapping=MAPPING)
    assert (again.created, again.unchanged) == (0, 2)
    assert LearningPlace.objects.count() == 2


def test_generic_csv_broken_row_rejects_the_whole_file(tmp_path, tenant):
    path = tmp_path / "orte.csv"
    path.write_text(CSV + "Unbekannt;Raumschiff;X1;;;;51;9\nOhne Ort;bibliothek;X2;;;;91;9\n", encoding="utf-8")
    with pytest.raises(ImportRejected, match="Zeile 4, Spalte Art: unbekannte Kategorie „Raumschiff“") as error:
        places_csv_import(path, tenant=tenant, mapping=MAPPING)
    messages = [str(p) for p in error.value.problems]
    assert any("Zeile 4" in m and "Raumschiff" in m for m in messages)
    assert any("Zeile 5" in m and "Breite" in m for m in messages)
    assert not LearningPlace.objects.exists()


def test_generic_csv_needs_a_tenant_and_a_known_mapping(tmp_path, tenant):
    path = tmp_path / "orte.csv"
    path.write_text(CSV, encoding="utf-8")
    with pytest.raises(ImportRejected, match="Mandanten"):
        places_csv_import(path, tenant=None, mapping=MAPPING)
    with pytest.raises(ImportRejected, match="Zielfeld"):
        places_csv_import(path, tenant=tenant, mapping="titel=Einrichtung")


def test_cli_format_carries_the_mapping(tmp_path, tenant):
    path = tmp_path / "orte.csv"
    path.write_text(CSV, encoding="utf-8")
    output = _import(path, "--format", f"places-csv:{MAPPING}", "--tenant", tenant.slug)
    assert "2 neu" in output


def test_geojson_points_with_constant_category(tmp_path, tenant):
    data = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [9.6757, 50.5535]},
         "properties": {"titel": "Vonderau Museum", "kennung": "vm"}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [9.68, 50.55]},
         "properties": {"titel": "Kinder-Akademie", "kennung": "ka"}},
    ]}
    path = tmp_path / "museen.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert importer_for(path).format == "places-geojson"
    report = places_geojson_import(path, tenant=tenant, mapping="name=titel,kategorie=museum,id=kennung")
    assert report.created == 2
    museum = LearningPlace.objects.get(external_id=f"{tenant.slug}:vm")
    assert museum.category.code == "museum" and museum.kreis_code == "06631"
    data["features"][1]["geometry"] = {"type": "Polygon", "coordinates": []}
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ImportRejected, match="Zeile 2"):
        places_geojson_import(path, tenant=tenant, mapping="name=titel,kategorie=museum,id=kennung")


def test_schulform_mapping_is_managed_in_the_database(tmp_path):
    from bildungskette.places.models import Category, SchoolFormMapping

    SchoolFormMapping.objects.filter(label="Weiterbildungskolleg").update(
        category=Category.objects.get(code="weiterbildung"))
    SchoolFormMapping.objects.filter(label="Freie Waldorfschule").delete()
    path = tmp_path / "nrw_bochum.csv"
    path.write_text(nrw_rows_of("5911000"), encoding="utf-8")
    output = _import(path)
    bochum = LearningPlace.objects.filter(kreis_code="05911")
    assert bochum.filter(category__code="weiterbildung").count() == 1
    assert bochum.filter(category__code="schule-sonstige").count() == 3  # the three Waldorfschulen
    assert "Schulformen ohne Zuordnung" in output and "Freie Waldorfschule" in output


# --------------------------------------------------------------------------- generic files: every field, every problem

def _csv(tmp_path, text, name="orte.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path



def test_generic_csv_stores_every_mapped_field_with_the_columns_found_by_their_usual_names(tmp_path, tenant):
    # No mapping: the columns are found by their usual names (any case); comma-separated.
    path = _csv(tmp_path, (
        "Bezeichnung,Typ,Kennung,Adresse,Postleitzahl,Stadt,LAT,lon,Tel,E-Mail,URL,Description,"
        "Öffnungszeiten,Languages,Source,License\n"
        "Stadtbibliothek Kassel,Bibliothek,B1,Obere Königsstraße 3,34117,Kassel,\"51,3137\",9.4947,0561 787,"
        "bib@kassel.invalid,https://bib.kassel.invalid,Bücher und mehr,Mo–Fr 10–18,\"deutsch, türkisch\","
        "Stadt Kassel,CC-BY-4.0\n"))
    report = places_csv_import(path, tenant=tenant)
    assert (report.created, report.updated, report.unchanged) == (1, 0, 0)
    place = LearningPlace.objects.get()
    assert place.external_id == f"{tenant.slug}:B1"
    assert (place.name, place.category.code, place.street, place.postcode, place.city) == (
        "Stadtbibliothek Kassel", "bibliothek", "Obere Königsstraße 3", "34117", "Kassel")
    assert (place.latitude, place.longitude) == (pytest.approx(51.3137), pytest.approx(9.4947))
    assert (place.phone, place.email, place.website) == ("0561 787", "bib@kassel.invalid",
                                                         "https://bib.kassel.invalid")
    assert (place.description, place.opening_hours, place.languages) == (
        "Bücher und mehr", "Mo–Fr 10–18", "deutsch, türkisch")
    assert (place.source, place.licence, place.tenant) == ("Stadt Kassel", "CC-BY-4.0", tenant)
    assert place.region.code == "06611000" and place.kreis_code == "06611"
    assert (place.age_min, place.age_max) == (place.category.age_min, place.category.age_max)


def test_generic_csv_without_id_is_keyed_by_name_and_postcode_and_names_its_file_as_source(tmp_path, tenant):
    path = _csv(tmp_path, "Name;Kategorie;PLZ\nJugendzentrum Nord;bibliothek;34127\n", name="jugend.csv")
    places_csv_import(path, tenant=tenant)
    place = LearningPlace.objects.get()
    assert place.external_id == f"{tenant.slug}:jugendzentrum-nord-34127"
    assert place.source == f"{tenant.name}: jugend.csv"
    assert place.latitude is None and place.longitude is None


def test_generic_csv_constants_for_category_source_and_licence(tmp_path, tenant):
    path = _csv(tmp_path, "Titel\nStadtmuseum\n")
    places_csv_import(path, tenant=tenant, mapping="name=titel; kategorie=museum\nquelle=Stadtarchiv,lizenz=CC0")
    place = LearningPlace.objects.get()
    assert (place.name, place.category.code, place.source, place.licence) == (
        "Stadtmuseum", "museum", "Stadtarchiv", "CC0")


def test_generic_csv_every_bad_row_is_named(tmp_path, tenant):
    path = _csv(tmp_path, (
        "Name;Kategorie;ID;Breite;Länge\n"
        "Gut;bibliothek;A;51,3;9,5\n"  # 2: fine
        ";bibliothek;B;51,3;9,5\n"  # 3: no name
        "Raumschiff;Raumschiff;C;51,3;9,5\n"  # 4: unknown category
        "Süd;bibliothek;D;47,1;9,5\n"  # 5: south of Germany
        "Nord;bibliothek;E;55,2;9,5\n"  # 6: north of Germany
        "West;bibliothek;F;51,3;5,7\n"  # 7: west
        "Ost;bibliothek;G;51,3;15,2\n"  # 8: east
        "Text;bibliothek;H;abc;9,5\n"  # 9: no number
        "Doppelt;bibliothek;A;51,3;9,5\n"  # 10: the id of line 2 again
        "Rand;bibliothek;I;47,2;15,1\n"))  # 11: on the edge of the box: fine
    assert rejected(lambda: places_csv_import(path, tenant=tenant), match=re.escape('Name fehlt')) == [
        (3, "Name", "Name fehlt"),
        (4, "Kategorie", "unbekannte Kategorie „Raumschiff“"),
        (5, "Breite", "47.1 liegt außerhalb von 47.2…55.1"),
        (6, "Breite", "55.2 liegt außerhalb von 47.2…55.1"),
        (7, "Länge", "5.7 liegt außerhalb von 5.8…15.1"),
        (8, "Länge", "15.2 liegt außerhalb von 5.8…15.1"),
        (9, "Breite", "keine Zahl: „abc“"),
        (10, "ID", "doppelte Kennung „A“ (schon in Zeile 2)"),
    ]


def test_generic_csv_headerrejected(tmp_path, tenant):
    assert rejected(lambda: places_csv_import(_csv(tmp_path, ""), tenant=tenant),
                     match=re.escape('Die Datei ist leer.')) == [
        (None, None, "Die Datei ist leer.")]
    path = _csv(tmp_path, "Ort;Breite\nKassel;51\n")
    assert rejected(lambda: places_csv_import(path, tenant=tenant),
                     match=re.escape('keine Spalte zugeordnet (Zuordnung z. B. name=Spaltenname)')) == [
        (1, "name", "keine Spalte zugeordnet (Zuordnung z. B. name=Spaltenname)"),
        (1, "kategorie", "keine Spalte zugeordnet (Zuordnung z. B. kategorie=Spaltenname)")]
    assert rejected(lambda: places_csv_import(path, tenant=tenant, mapping="name=Titel,kategorie=museum"),
                     match=re.escape('Spalte für „name“ nicht gefunden')) == [
        (1, "Titel", "Spalte für „name“ nicht gefunden")]


@pytest.mark.parametrize("spec,message", [
    ("name=Ort,kategorie", "Zuordnung „kategorie“ hat die Form Ziel=Spalte."),
    ("titel=Ort", "Unbekanntes Zielfeld „titel“. Bekannt: name, kategorie, id, strasse, plz, ort, breite, laenge, "
                  "telefon, email, website, beschreibung, oeffnungszeiten, sprachen, quelle, lizenz."),
])
def test_a_bad_column_mapping_is_refused_with_the_whole_message(spec, message):
    from bildungskette.places.importers import column_mapping_parse

    with pytest.raises(ImportRejected, match=re.escape(message)) as exc:
        column_mapping_parse(spec)
    assert [p.message for p in exc.value.problems] == [message]


def test_column_mapping_parse_splits_on_comma_semicolon_and_newline():
    from bildungskette.places.importers import column_mapping_parse

    assert column_mapping_parse(" name = Titel ;kategorie=Art=Typ\n\nid=Nr, ") == {
        "name": "Titel", "kategorie": "Art=Typ", "id": "Nr"}
    assert column_mapping_parse("") == {} and column_mapping_parse(None) == {}


def test_geojson_problems_are_named_by_feature(tmp_path, tenant):
    point = {"type": "Point", "coordinates": [9.68, 50.55]}
    features = [
        {"type": "Feature", "geometry": point, "properties": {"titel": "Gut"}},  # 1
        "kein Feature",  # 2
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": ["x", 1]}, "properties": {}},  # 3
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [2.35, 48.86]}, "properties": {}},  # 4
        {"type": "Feature", "geometry": {"type": "LineString", "coordinates": []}, "properties": {}},  # 5
    ]
    path = tmp_path / "orte.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    mapping = "name=titel,kategorie=museum"
    assert rejected(lambda: places_geojson_import(path, tenant=tenant, mapping=mapping),
                     match=re.escape('kein GeoJSON-Feature mit properties und geometry')) == [
        (2, "feature", "kein GeoJSON-Feature mit properties und geometry"),
        (3, "geometry", "ungültige Koordinaten"),
        (4, "geometry", "Punkt 48.86, 2.35 liegt nicht in Deutschland"),
        (5, "geometry", "erwartet Punkt, nicht LineString"),
    ]
    path.write_text(json.dumps({"type": "Feature"}), encoding="utf-8")
    assert rejected(lambda: places_geojson_import(path, tenant=tenant, mapping=mapping),
                     match=re.escape('Erwartet wird eine GeoJSON-FeatureCollection.')) == [
        (None, None, "Erwartet wird eine GeoJSON-FeatureCollection.")]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": None, "properties": {"titel": "Ohne Ort"}}]}), encoding="utf-8")
    assert places_geojson_import(path, tenant=tenant, mapping=mapping).created == 1
    place = LearningPlace.objects.get()
    assert (place.name, place.latitude, place.longitude) == ("Ohne Ort", None, None)
