"""The official regions from the package data (bildungskette/data), imported by the session fixture through
the real importer."""

import json

import pytest
from django.conf import settings

from bildungskette.core.importing import ImportRejected
from bildungskette.regions.importers import regions_import
from bildungskette.regions.models import Region, RegionKind
from bildungskette.regions.selectors import region_by_code, region_locate, region_place
from bildungskette.regions.services import stadtteile_import_geojson

pytestmark = pytest.mark.django_db


def test_all_official_levels_are_there():
    official = Region.objects.filter(tenant__isnull=True)
    assert official.filter(kind=RegionKind.BUND).count() == 1
    assert official.filter(kind=RegionKind.LAND).count() == 16
    assert official.filter(kind=RegionKind.REGIERUNGSBEZIRK).count() == 19
    # 401 Kreise in the boundary file (31.12.2018), of which Eisenach has since merged into the
    # Wartburgkreis (2021); plus 75 former Kreise that statistics still name (Sachsen 2008, Sachsen-Anhalt 2007,
    # Mecklenburg-Vorpommern 2011, Göttingen/Osterode 2016, Aachen 2009, Hannover 2001).
    kreise = official.filter(kind=RegionKind.KREIS)
    assert kreise.filter(boundary__isnull=False).count() == 401
    assert kreise.filter(valid_until__isnull=True).count() == 400
    assert kreise.filter(valid_until__isnull=False).count() == 76
    # Gemeindeverzeichnis 31.12.2020: every Satzart-60 row (Gemeinden and gemeindefreie Gebiete) but the
    # two unbewohnte Gebiete outside any Kreis (coastal waters 13000999, the German-Luxembourg 07000999).
    gemeinden = official.filter(kind=RegionKind.GEMEINDE)
    assert gemeinden.count() == 11002
    assert gemeinden.filter(designation__startswith="gemeindefreies Gebiet").count() == 208
    # Every current Kreis has a boundary and sits below its Land or Regierungsbezirk.
    assert not kreise.filter(valid_until__isnull=True, boundary__isnull=True).exists()


def test_every_gemeinde_has_its_official_name():
    gemeinden = Region.objects.filter(kind=RegionKind.GEMEINDE, tenant__isnull=True)
    assert not gemeinden.filter(name__startswith="Gemeinde ").exists()
    assert not gemeinden.filter(name="").exists()
    assert region_by_code("06633001").name == "Ahnatal"
    baunatal = region_by_code("06633003")
    assert (baunatal.name, baunatal.designation) == ("Baunatal", "Stadt")
    assert baunatal.ars == "066330003003"
    # Oberweser and Wahlsburg merged into Wesertal on 1.1.2020: the 2020 directory has only Wesertal.
    assert region_by_code("06633030").name == "Wesertal"
    assert region_by_code("06633021") is None


def test_former_kreise_map_to_todays_territory():
    osterode = region_by_code("03156")
    assert osterode.valid_until.isoformat() == "2016-10-31" and osterode.boundary is None
    assert [r.code for r in osterode.successors.all()] == ["03159"]
    assert osterode.title == "Osterode am Harz (Landkreis), bis 2016"
    old_goettingen = region_by_code("03152")
    assert old_goettingen.parent.code == "03"
    assert old_goettingen.title != region_by_code("03159").title
    eisenach = region_by_code("16056")
    assert eisenach.valid_until.isoformat() == "2021-06-30" and eisenach.boundary is not None
    assert [r.code for r in eisenach.successors.all()] == ["16063"]
    assert sorted(r.code for r in region_by_code("13052").successors.all()) == ["13071", "13075"]
    assert [r.code for r in region_by_code("03159").predecessors.order_by("code")] == ["03152", "03156"]


def test_kassel_facts_and_tree():
    kassel = region_by_code("06611")
    assert kassel.name == "Kassel"
    assert kassel.designation == "Kreisfreie Stadt"
    assert kassel.population == 202137  # sum of its Gemeinden (one: the city) on 31.12.2019
    assert kassel.parent.code == "066" and kassel.parent.name == "Kassel"
    assert kassel.parent.parent.code == "06" and kassel.parent.parent.name == "Hessen"
    assert kassel.boundary["type"] in {"Polygon", "MultiPolygon"}
    gemeinde = region_by_code("06611000")
    assert gemeinde.parent == kassel and gemeinde.ars == "066110000000"
    assert gemeinde.name == "Kassel"  # a kreisfreie Stadt is its own single Gemeinde
    assert gemeinde.designation == "documenta-Stadt"  # "Kassel, documenta-Stadt" in the directory


def test_city_states_and_lands_without_regierungsbezirk():
    assert region_by_code("11").kind == RegionKind.LAND
    assert region_by_code("02").name == "Hamburg"
    assert region_by_code("11000").parent.code == "11"
    # Niedersachsen has no Regierungsbezirke since 2005: Kreise hang directly below the Land.
    assert region_by_code("03101").parent.code == "03"


def test_population_rolls_up():
    hessen = region_by_code("06")
    kreise = Region.objects.filter(kind=RegionKind.KREIS, code__startswith="06")
    assert hessen.population == sum(k.population for k in kreise)
    assert region_by_code("DG").population > 82_000_000


def test_reimport_is_idempotent():
    before = Region.objects.count()
    report = regions_import(settings.DATA_DIR)
    assert Region.objects.count() == before
    assert report.created == 0 and report.updated == 0
    assert report.unchanged == before


def test_missing_files_are_rejected_in_german(tmp_path):
    with pytest.raises(ImportRejected, match="Gebietsdateien nicht gefunden"):
        regions_import(tmp_path)


def test_point_in_polygon_finds_kreis_and_gemeinde():
    # Kassel Rathaus and Fulda Dom
    assert region_locate(51.3127, 9.4797, kind=RegionKind.KREIS).code == "06611"
    assert region_locate(50.5536, 9.6722, kind=RegionKind.KREIS).code == "06631"
    place = region_place(51.3127, 9.4797)
    assert place["gemeinde"].code == "06611000"
    assert region_locate(0.0, 0.0, kind=RegionKind.KREIS) is None


def _square(lon, lat, d=0.01):
    return {"type": "Polygon", "coordinates": [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d],
                                                 [lon, lat]]]}


def test_tenant_uploads_stadtteile_and_points_are_located(tenant, other_tenant):
    kassel = region_by_code("06611000")
    content = json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "Mitte", "nr": "01"}, "geometry": _square(9.47, 51.31)},
        {"type": "Feature", "properties": {"name": "Wesertor", "nr": "02"}, "geometry": _square(9.49, 51.32)},
    ]}).encode()
    report = stadtteile_import_geojson(tenant=tenant, gemeinde=kassel, content=content, key_property="nr")
    assert report.created == 2
    assert stadtteile_import_geojson(tenant=tenant, gemeinde=kassel, content=content, key_property="nr").updated == 2
    assert Region.objects.filter(kind=RegionKind.STADTTEIL, tenant=tenant).count() == 2
    assert region_place(51.315, 9.475, tenant=tenant)["stadtteil"].name == "Mitte"
    # Another tenant does not see (and is not located into) these Stadtteile.
    assert region_place(51.315, 9.475, tenant=other_tenant)["stadtteil"] is None


def test_bad_stadtteil_file_changes_nothing(tenant):
    kassel = region_by_code("06611000")
    content = json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "Gut"}, "geometry": _square(9.47, 51.31)},
        {"type": "Feature", "properties": {"name": "Linie"}, "geometry": {"type": "LineString",
                                                                          "coordinates": [[9, 51], [9.1, 51.1]]}},
    ]}).encode()
    with pytest.raises(ImportRejected, match="Zeile 2, Spalte geometry: „Linie“ ist keine Fläche") as exc:
        stadtteile_import_geojson(tenant=tenant, gemeinde=kassel, content=content)
    assert "Zeile 2" in str(exc.value.problems[0]) and "keine Fläche" in str(exc.value.problems[0])
    assert not Region.objects.filter(kind=RegionKind.STADTTEIL).exists()
    with pytest.raises(ImportRejected, match="UTF-8"):
        stadtteile_import_geojson(tenant=tenant, gemeinde=kassel, content="{}".encode("utf-16"))


def test_bulk_locator_agrees_with_single_lookup(tenant):
    from bildungskette.regions.selectors import RegionLocator

    kassel = region_by_code("06611000")
    content = json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "Mitte"}, "geometry": _square(9.47, 51.31)}]}).encode()
    stadtteile_import_geojson(tenant=tenant, gemeinde=kassel, content=content)
    locator = RegionLocator(tenant=tenant)
    found = locator.place(51.315, 9.475)
    assert found["kreis"].code == "06611" and found["gemeinde"].code == "06611000"
    assert found["stadtteil"].name == "Mitte" and found["approximate"] is False
    fulda = locator.place(50.5536, 9.6722)
    assert fulda["kreis"].code == "06631" and fulda["approximate"] is True  # Landkreis: nearest centre
    assert locator.place(None, None)["kreis"] is None
    assert RegionLocator(code_prefix="05").place(51.3127, 9.4797)["kreis"] is None  # only NRW loaded
