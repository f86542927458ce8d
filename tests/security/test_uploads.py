"""Uploads are bounded: every file input has a size limit (setting ``UPLOAD_LIMITS``), tested at
exactly the limit and one byte more; a 50 MB upload of each kind ends quickly with a German
message; large Lernort files are imported by a background task."""

# ruff: noqa: F811  (the transition fixtures are imported by name and requested as arguments)

from __future__ import annotations

import html
import importlib
import inspect
import tracemalloc
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile

from bildungskette.core.models import Role
from bildungskette.core.uploads import LimitedFileField
from bildungskette.places.models import BackgroundImport, LearningPlace
from tests.transitions.conftest import kaoa, manager_a, school_a, school_factory  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

MB50 = 50 * 1000 * 1000


def _file_fields():
    """(form class, field name, field) for every file input of every app's forms module."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("bildungskette."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.forms")
        except ModuleNotFoundError:
            continue
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                for field_name, field in cls.base_fields.items():
                    if isinstance(field, forms.FileField):
                        found.append((cls, field_name, field))
    return found


FILE_FIELDS = _file_fields()


def test_every_file_input_has_a_limit():
    assert len(FILE_FIELDS) >= 7, [f"{c.__name__}.{n}" for c, n, _f in FILE_FIELDS]
    unbounded = [f"{c.__module__}.{c.__name__}.{n}" for c, n, f in FILE_FIELDS if not isinstance(f, LimitedFileField)]
    assert unbounded == []


@pytest.mark.parametrize(("form", "name", "field"), FILE_FIELDS,
                         ids=[f"{c.__name__}.{n}" for c, n, _f in FILE_FIELDS])
def test_limit_boundary(form, name, field, settings):
    settings.UPLOAD_LIMITS = {**settings.UPLOAD_LIMITS, field.kind: 1000}
    assert field.clean(SimpleUploadedFile("genau.csv", b"a" * 1000)).size == 1000
    with pytest.raises(forms.ValidationError, match=r"zu groß \(1001 Byte\); erlaubt sind höchstens 1000 Byte"):
        field.clean(SimpleUploadedFile("zu-gross.csv", b"a" * 1001))


def test_default_limits_are_what_the_help_texts_say(settings):
    assert settings.UPLOAD_LIMITS["klassenliste"] == 2 * 1024 * 1024
    assert settings.UPLOAD_LIMITS["stadtteile"] == 10 * 1024 * 1024
    assert settings.UPLOAD_LIMITS["lernorte"] == 20 * 1024 * 1024
    assert settings.UPLOAD_LIMITS["monitoring"] == 100 * 1024 * 1024


@pytest.fixture
def coordinator(make_user, tenant, client_as):
    return client_as(make_user(role=Role.COORDINATION, tenant=tenant))


# Time and memory of these uploads are measured by `make bench` (bench/bench_uploads.py, in separate
# processes), not here: these tests check what the user gets.


def _big(name: str, head: bytes = b"") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, head + b"x" * (MB50 - len(head)))


def test_50_mb_stadtteile_upload_is_refused_with_a_german_message(coordinator):
    response = coordinator.post("/gebiete/06611000/stadtteile/", {
        "file": _big("gross.geojson", b'{"type": "FeatureCollection", "features": ['), "name_property": "name"},
        follow=True)
    assert response.status_code == 200
    assert "Die Datei ist zu groß (47,7 MB); erlaubt sind höchstens 10,0 MB" in " ".join(
        str(m) for m in response.context["messages"])


def test_50_mb_class_list_is_refused_with_a_german_message(client_as, manager_a, school_a):
    response = client_as(manager_a).post(f"/uebergaenge/schulen/{school_a.pk}/klassenliste/", {
        "file": _big("liste.csv", b"Nachname;Vorname;Jahrgang;Klasse\n")})
    assert response.status_code == 200
    assert "Die Datei ist zu groß (47,7 MB); erlaubt sind höchstens 2,0 MB" in html.unescape(response.content.decode())


def test_50_mb_lernort_file_is_refused_with_a_german_message(coordinator):
    response = coordinator.post("/lernorte/import/", {
        "file": _big("orte.csv", b"name;kategorie\n"), "format": "auto", "mapping": ""})
    assert response.status_code == 200
    assert "erlaubt sind höchstens 20,0 MB" in html.unescape(response.content.decode())
    assert not BackgroundImport.objects.exists()


def test_a_monitoring_file_over_its_limit_is_refused_with_a_german_message(make_user, tenant, client_as, settings):
    settings.UPLOAD_LIMITS = {**settings.UPLOAD_LIMITS, "monitoring": 1000}
    client = client_as(make_user(role=Role.MONITORING, tenant=tenant))
    response = client.post("/monitoring/importe/", {"file": SimpleUploadedFile("daten.csv", b"x" * 1001),
                                                    "format": "auto"})
    assert "Die Datei ist zu groß (1001 Byte); erlaubt sind höchstens 1000 Byte" in html.unescape(
        response.content.decode())
    from bildungskette.monitoring.models import ImportRun

    assert not ImportRun.objects.exists()


FLAT = Path(__file__).resolve().parents[1] / "monitoring" / "fixtures" / "genesis" / "12411-01-01-4_ffcsv_2020.csv"


def test_a_large_monitoring_file_is_read_by_a_background_task_not_in_the_request(make_user, tenant, client_as,
                                                                                  settings, monkeypatch):
    from types import SimpleNamespace

    from bildungskette.monitoring import tasks, views
    from bildungskette.monitoring.models import ImportRun

    settings.MONITORING_IMPORT_INLINE_LIMIT = 1000
    queued = []  # the queue, as the worker would see it (tests otherwise run tasks immediately)
    monkeypatch.setattr(views, "import_run_preview", SimpleNamespace(enqueue=queued.append))
    client = client_as(make_user(role=Role.MONITORING, tenant=tenant))
    response = client.post("/monitoring/importe/", {
        "file": SimpleUploadedFile("12411-01-01-4_flat.csv", FLAT.read_bytes()), "format": "auto"})
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/monitoring/importe/{run.pk}/"
    # The request recognised the format from the first bytes and only kept the file.
    assert queued == [run.pk] and run.format == "ffcsv" and run.status == "queued" and run.preview == {}
    page = html.unescape(client.get(response["Location"]).content.decode())
    assert "Die Datei ist groß: die Vorschau wird im Hintergrund erstellt" in page
    tasks.import_run_preview.call(run.pk)  # what the worker does
    run.refresh_from_db()
    assert run.status == "preview" and run.preview["values"] == 1614  # every data row of the flat file


def test_a_small_monitoring_file_still_gets_its_preview_in_the_request(make_user, tenant, client_as):
    from bildungskette.monitoring.models import ImportRun

    client = client_as(make_user(role=Role.MONITORING, tenant=tenant))
    client.post("/monitoring/importe/", {"file": SimpleUploadedFile("12411-01-01-4_flat.csv", FLAT.read_bytes()),
                                         "format": "auto"})
    assert ImportRun.objects.get().status == "preview"


def test_format_detection_reads_a_bounded_prefix(tmp_path):
    """20 MB of a flat file: recognising it must not read (let alone decode) the whole file."""
    from bildungskette.core.importing import importer_for

    path = tmp_path / "gross.csv"
    rows = FLAT.read_bytes()
    with path.open("wb") as fh:
        while fh.tell() < 20 * 1000 * 1000:
            fh.write(rows)
    tracemalloc.start()
    try:
        assert importer_for(path).format == "ffcsv"
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2 * 1000 * 1000, f"detection held {peak / 1e6:.1f} MB"


LERNORTE = ("Einrichtung;Art;Nr;Breite;Länge\n"
            "Stadtbibliothek Kassel;bibliothek;B1;51,3137;9,4947\n"
            "Musikschule Kassel;Musikschule;M1;51.3150;9.4870\n").encode()
MAPPING = "name=Einrichtung,kategorie=Art,id=Nr,breite=Breite,laenge=Länge"


def test_large_lernort_file_runs_as_a_background_task(coordinator, settings, tenant):
    settings.PLACES_IMPORT_INLINE_LIMIT = 100
    response = coordinator.post("/lernorte/import/", {"file": SimpleUploadedFile("orte.csv", LERNORTE),
                                                      "format": "places-csv", "mapping": MAPPING})
    job = BackgroundImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/lernorte/import/{job.pk}/"
    assert job.status == "done" and job.result["created"] == 2  # the test backend runs tasks immediately
    assert not Path(job.stored_path).exists(), "the kept file is removed after the import"
    assert set(LearningPlace.objects.filter(tenant=tenant).values_list("name", flat=True)) == {
        "Stadtbibliothek Kassel", "Musikschule Kassel"}
    page = html.unescape(coordinator.get(response["Location"]).content.decode())
    assert "fertig" in page and "orte.csv" in page


def test_rejected_background_import_shows_german_messages(coordinator, settings):
    settings.PLACES_IMPORT_INLINE_LIMIT = 10
    bad = LERNORTE.replace(b"bibliothek", b"gibtsnicht")
    response = coordinator.post("/lernorte/import/", {"file": SimpleUploadedFile("orte.csv", bad),
                                                      "format": "places-csv", "mapping": MAPPING}, follow=True)
    assert BackgroundImport.objects.get().status == "rejected"
    text = html.unescape(response.content.decode())
    assert "Import abgelehnt" in text and "Zeile 2" in text and "unbekannte Kategorie" in text
    assert not LearningPlace.objects.exists()


def test_small_lernort_file_is_still_imported_in_the_request(coordinator):
    response = coordinator.post("/lernorte/import/", {"file": SimpleUploadedFile("orte.csv", LERNORTE),
                                                      "format": "places-csv", "mapping": MAPPING})
    assert response.status_code == 200 and not BackgroundImport.objects.exists()
    assert LearningPlace.objects.count() == 2
