"""Bad files never break a page: each upload that used to end in a server error now ends in a
German message with line and column, and a bad boundary already stored does not break the map."""

# ruff: noqa: F811  (the transition fixtures are imported by name and requested as arguments)

from __future__ import annotations

import codecs
import html
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from bildungskette.core.models import Role
from bildungskette.places.models import LearningPlace
from bildungskette.regions.models import Region, RegionKind
from tests.transitions.conftest import kaoa, manager_a, school_a, school_factory  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

HUGE = 1e308
DEEP = "[" * 100_000 + "]" * 100_000


def _square(lon=9.45, lat=51.30, d=0.01):
    return [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]]


def _stadtteile(coordinates) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "Kaputtstadt"},
         "geometry": {"type": "Polygon", "coordinates": coordinates}}]}).encode()


def _messages(response) -> str:
    return " | ".join(str(m) for m in response.context["messages"]) if response.context else ""


@pytest.fixture
def coordinator(make_user, tenant, client_as):
    return client_as(make_user(role=Role.COORDINATION, tenant=tenant))


def _upload_stadtteile(client, content: bytes):
    return client.post("/gebiete/06611000/stadtteile/", {
        "file": SimpleUploadedFile("stadtteile.geojson", content, "application/geo+json"), "name_property": "name"},
        follow=True)


def test_stadtteile_with_coordinates_of_1e308_are_rejected(coordinator):
    response = _upload_stadtteile(coordinator, _stadtteile(_square(lon=HUGE)))
    assert response.status_code == 200
    text = _messages(response)
    assert "Zeile 1, Spalte geometry" in text and "außerhalb von WGS84" in text
    assert not Region.objects.filter(kind=RegionKind.STADTTEIL, name="Kaputtstadt").exists()
    assert coordinator.get("/gebiete/06611000/").status_code == 200


def test_stadtteile_outside_wgs84_but_finite_are_rejected(coordinator):
    response = _upload_stadtteile(coordinator, _stadtteile(_square(lat=95.0)))
    assert "außerhalb von WGS84" in _messages(response)
    assert not Region.objects.filter(name="Kaputtstadt").exists()


def test_a_good_stadtteil_still_goes_in(coordinator):
    response = _upload_stadtteile(coordinator, _stadtteile(_square()))
    assert "1 neu" in _messages(response)
    assert Region.objects.get(name="Kaputtstadt").kind == RegionKind.STADTTEIL


def test_region_page_survives_a_bad_boundary_already_stored(coordinator, tenant):
    gemeinde = Region.objects.get(code="06611000")
    Region.objects.create(code="kassel:06611000:bad", name="Altlast", kind=RegionKind.STADTTEIL, parent=gemeinde,
                          tenant=tenant, boundary={"type": "Polygon", "coordinates": _square(lon=HUGE)},
                          bbox_west=HUGE, bbox_east=HUGE, bbox_south=51.3, bbox_north=51.31,
                          centre_lat=51.3, centre_lon=HUGE)
    Region.objects.create(code="kassel:06611000:odd", name="Unsinn", kind=RegionKind.STADTTEIL, parent=gemeinde,
                          tenant=tenant, boundary={"type": "Polygon", "coordinates": [[["a", None], 7]]})
    response = coordinator.get("/gebiete/06611000/")
    assert response.status_code == 200
    assert "<svg" in response.content.decode()


def test_stadtteile_deeply_nested_json_is_a_german_message(coordinator):
    response = _upload_stadtteile(coordinator, DEEP.encode())
    text = _messages(response)
    assert response.status_code == 200 and "zu tief verschachtelt" in text and "Zeile 1, Spalte 101" in text


def test_class_list_with_binary_content_is_a_german_message(client_as, manager_a, school_a):
    raw = b"Nachname;Vorname;Jahrgang;Klasse\n\x81\x8d\x8f\x90\x9d\x00\xff binary"
    response = client_as(manager_a).post(f"/uebergaenge/schulen/{school_a.pk}/klassenliste/", {
        "file": SimpleUploadedFile("liste.csv", raw, "text/csv")})
    assert response.status_code == 200
    text = html.unescape(response.content.decode())
    assert "Zeile 2, Spalte 1: Die Datei ist keine Textdatei" in text


def test_class_list_with_nul_bytes_is_a_german_message(client_as, manager_a, school_a):
    raw = b"Nachname;Vorname;Jahrgang;Klasse\nA;B;9;9a\x00\n"
    response = client_as(manager_a).post(f"/uebergaenge/schulen/{school_a.pk}/klassenliste/", {
        "file": SimpleUploadedFile("liste.csv", raw, "text/csv")})
    assert "Zeile 2, Spalte 9: Die Datei enthält Binärdaten" in html.unescape(response.content.decode())


def _places_upload(client, name: str, content: bytes, fmt: str = "auto", mapping: str = ""):
    return client.post("/lernorte/import/", {"file": SimpleUploadedFile(name, content), "format": fmt,
                                             "mapping": mapping})


def test_lernort_csv_with_garbage_is_a_german_message(coordinator):
    raw = b"name;kategorie\nBibliothek;bibliothek\n\x81\x81\x81;\x9d\n"
    response = _places_upload(coordinator, "orte.csv", raw, fmt="places-csv")
    assert response.status_code == 200
    assert "Zeile 3, Spalte 1: Die Datei ist keine Textdatei" in html.unescape(response.content.decode())
    assert not LearningPlace.objects.exists()


def test_lernort_geojson_deeply_nested_is_a_german_message(coordinator):
    response = _places_upload(coordinator, "orte.geojson", DEEP.encode(), fmt="places-geojson")
    assert response.status_code == 200
    assert "zu tief verschachtelt" in html.unescape(response.content.decode())


def test_lernort_hessen_json_deeply_nested_is_a_german_message(coordinator):
    response = _places_upload(coordinator, "schulen.json", DEEP.encode(), fmt="places-schools-hessen")
    assert response.status_code == 200
    assert "zu tief verschachtelt" in html.unescape(response.content.decode())


def _kaoa_folder(tmp_path, settings, broken: bytes):
    folder = tmp_path / "kaoa"
    folder.mkdir()
    for source in (settings.DATA_DIR / "kaoa").iterdir():
        if source.is_file():
            (folder / source.name).write_bytes(source.read_bytes())
    (folder / "berufsfelder.csv").write_bytes(broken)
    return folder


def test_kaoa_cli_with_garbage_is_a_german_message(tmp_path, settings, kaoa):
    folder = _kaoa_folder(tmp_path, settings, b"kuerzel,bezeichnung\n\x81\xfe\xff\x00garbage\n")
    with pytest.raises(CommandError, match=r"berufsfelder.csv: Die Datei ist keine Textdatei"):
        call_command("import", str(folder), "--format", "kaoa", stdout=io.StringIO())


def test_kaoa_cli_reads_utf16(tmp_path, settings, kaoa):
    original = (settings.DATA_DIR / "kaoa" / "berufsfelder.csv").read_text(encoding="utf-8-sig")
    folder = _kaoa_folder(tmp_path, settings, codecs.BOM_UTF16_LE + original.encode("utf-16-le"))
    call_command("import", str(folder), "--format", "kaoa", stdout=io.StringIO())
    from bildungskette.transitions.models import OccupationalField

    rows = len([line for line in original.splitlines()[1:] if line.strip()])
    current = OccupationalField.objects.filter(catalogue__is_current=True, catalogue__kind="kaoa")
    assert current.count() == rows and current.values("catalogue").distinct().count() == 1
