"""Erasure that erases: after Art. 17 erasure and after the retention job, an erased pupil's
markers appear in no table and no text or JSON column of the whole database (the change log
included), and the erasure ledger erases a restored backup's copy again."""

# ruff: noqa: F811  (the transition fixtures are imported by name and requested as arguments)

from __future__ import annotations

import base64
import datetime
import io
import json
import re

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.db import connection
from freezegun import freeze_time

from bildungskette.core.models import AuditEntry
from bildungskette.transitions.erasure import ledger_matches, ledger_record
from bildungskette.transitions.models import Activity, Consent, Destination, FollowUp, LegalBasis, Student
from bildungskette.transitions.services import (
    activity_record,
    consent_record,
    destination_set,
    follow_up_update,
    handover_create,
    retention_apply,
)
from tests.transitions.conftest import (  # noqa: F401  (fixtures)
    kaoa,
    leaver,
    manager_a,
    option,
    school_a,
    school_factory,
    student_factory,
)

_TEXT_TYPES = {"CharField", "TextField", "JSONField", "EmailField", "SlugField", "URLField", "GenericIPAddressField",
               "FilePathField", "FileField", "ImageField"}


def database_scan(markers: list[str]) -> list[str]:
    """Every text and JSON column of every model's table (auto-created m2m tables included):
    the places where any marker still occurs."""
    found = []
    covered = set()
    for model in apps.get_models(include_auto_created=True):
        covered.add(model._meta.db_table)
        columns = [f for f in model._meta.concrete_fields if f.get_internal_type() in _TEXT_TYPES]
        if not columns:
            continue
        for row in model._base_manager.values_list("pk", *[f.attname for f in columns]).iterator():
            for field, value in zip(columns, row[1:], strict=True):
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
                for marker in markers:
                    if marker in text:
                        found.append(f"{model._meta.db_table}.{field.column} (id {row[0]}): {marker}")
    # The database cache (rendered charts, core.charts) has no model: its values are base64 of a
    # pickle, in which a text is stored as plain UTF-8, so it is scanned decoded.
    from django.conf import settings

    for cache in settings.CACHES.values():
        if cache["BACKEND"].endswith("DatabaseCache") and cache["LOCATION"] in connection.introspection.table_names():
            table = cache["LOCATION"]
            covered.add(table)
            with connection.cursor() as cursor:
                cursor.execute(f'SELECT cache_key, value FROM "{table}"')  # noqa: S608 (name from settings)
                for key, value in cursor.fetchall():
                    text = base64.b64decode(value).decode("utf-8", "ignore")
                    found += [f"{table}.value ({key}): {marker}" for marker in markers if marker in text]
    # django_migrations holds only app and migration names.
    tables = {t for t in connection.introspection.table_names()
              if not t.startswith("sqlite_") and t != "django_migrations"}
    assert tables <= covered, f"tables without a model escape the scan: {sorted(tables - covered)}"
    return found


def _pupil_with_everything(student_factory, school, option, tag: str):
    student = student_factory(school)
    markers = {k: f"ZZ{tag}{k}Q7" for k in ("NOTE", "OCCUPATION", "PLANNED", "CONSENT", "FOLLOWUP")}
    activity_record(student=student, kind="bfe", on_date=datetime.date(2026, 3, 2),
                    occupation=markers["OCCUPATION"], note=markers["NOTE"])
    destination_set(student=student, kind="planned", option=option("DUAL"), on_date=datetime.date(2026, 5, 1),
                    occupation=markers["PLANNED"])
    consent_record(student=student, purpose="handover", legal_basis=LegalBasis.CONSENT,
                   text_version=markers["CONSENT"], given_by="guardian", given_on=datetime.date(2026, 5, 1))
    leaver(student)
    destination_set(student=student, kind="actual", option=option("UNBE"), on_date=datetime.date(2026, 9, 30))
    follow_up = FollowUp.objects.get(student=student)
    follow_up_update(follow_up=follow_up, notes=markers["FOLLOWUP"])
    # Edits after creation: update entries must not carry values either.
    follow_up_update(follow_up=FollowUp.objects.get(pk=follow_up.pk), notes=markers["FOLLOWUP"] + " ergänzt")
    # Handed over to the Agentur on the consent above: erasure must take the handover along.
    handover_create(student=student, recipient="ba", on_date=datetime.date(2026, 10, 1))
    student.refresh_from_db()
    return student, [*markers.values(), student.pseudonym]


def test_erasure_leaves_no_trace_in_any_table(client_as, manager_a, school_a, student_factory, option):
    student, markers = _pupil_with_everything(student_factory, school_a, option, "ERA")
    other, other_markers = _pupil_with_everything(student_factory, school_a, option, "KEEP")
    assert len(database_scan(markers)) >= 5, "the scan finds the markers while the pupil exists"
    response = client_as(manager_a).post(f"/uebergaenge/schueler/{student.pk}/loeschen/",
                                         {"confirm": student.pseudonym})
    assert response.status_code == 302
    assert not Student.objects.filter(pk=student.pk).exists()
    assert database_scan(markers) == []
    assert set(other_markers) <= {hit.rsplit(": ", 1)[1] for hit in database_scan(other_markers)}, \
        "the other pupil's data is untouched"
    # The log still says that something was deleted, by whom – without values.
    deletes = AuditEntry.objects.filter(model_label="transitions.FollowUp", action="delete")
    assert deletes.count() == 1 and list(deletes.get().changes.values()) == [None] * len(deletes.get().changes)


def test_retention_leaves_no_trace_in_any_table(school_a, student_factory, option):
    student, markers = _pupil_with_everything(student_factory, school_a, option, "RET")
    with freeze_time("2029-07-01"):
        result = retention_apply()
    assert result.students == 1 and not Student.objects.filter(pk=student.pk).exists()
    assert database_scan(markers) == []


def test_person_level_audit_entries_never_hold_values(school_a, student_factory, option):
    _student, markers = _pupil_with_everything(student_factory, school_a, option, "AUD")
    entries = AuditEntry.objects.filter(model_label__in=["transitions.Student", "transitions.Activity",
                                                          "transitions.Destination", "transitions.FollowUp",
                                                          "transitions.Consent"])
    assert entries.count() >= 7
    for entry in entries:
        assert all(value is None for value in entry.changes.values()), entry.changes
        assert not any(m in entry.object_repr for m in markers)
    assert "notes" in entries.filter(model_label="transitions.FollowUp", action="update").first().changes


def _backup() -> str:
    objects = [*Student.objects.all(), *Activity.objects.all(), *Destination.objects.all(),
               *FollowUp.objects.all(), *Consent.objects.all()]
    return serializers.serialize("json", objects)


def _restore(dump: str) -> None:
    for obj in serializers.deserialize("json", dump):
        obj.save()


def test_erasure_ledger_erases_a_restored_backup_again(client_as, manager_a, school_a, student_factory,
                                                        option, settings, tmp_path):
    settings.ERASURE_LEDGER_PATH = tmp_path / "ledger" / "ledger.txt"
    erased, markers = _pupil_with_everything(student_factory, school_a, option, "LED")
    kept, kept_markers = _pupil_with_everything(student_factory, school_a, option, "STAY")
    dump = _backup()
    client_as(manager_a).post(f"/uebergaenge/schueler/{erased.pk}/loeschen/", {"confirm": erased.pseudonym})
    assert not Student.objects.filter(pk=erased.pk).exists()
    ledger_text = settings.ERASURE_LEDGER_PATH.read_text()
    header, *lines = ledger_text.splitlines()
    assert header.startswith("# ") and len(lines) == 1 and re.fullmatch(r"[0-9a-f]{64}", lines[0]), \
        "the ledger holds one salted hash, no id, pseudonym or value"

    _restore(dump)  # what a restored backup brings back
    assert Student.objects.filter(pk=erased.pk).exists() and database_scan(markers)
    out = io.StringIO()
    call_command("erasure-reapply", stdout=out)
    assert "1 Datensätze" in out.getvalue()
    assert not Student.objects.filter(pk=erased.pk).exists()
    assert database_scan(markers) == []
    assert Student.objects.filter(pk=kept.pk).exists(), "pupils not in the ledger stay"
    call_command("erasure-reapply", stdout=io.StringIO())
    assert Student.objects.filter(pk=kept.pk).exists()


def test_ledger_does_not_hit_a_later_record_with_a_reused_id(settings, tmp_path):
    settings.ERASURE_LEDGER_PATH = tmp_path / "ledger.txt"
    created = datetime.datetime(2026, 5, 1, 8, 0, tzinfo=datetime.UTC)
    ledger_record([("transitions.Student", 41, created)])
    assert ledger_matches("transitions.Student", [(41, created)]) == [41]
    assert ledger_matches("transitions.Student", [(41, created + datetime.timedelta(seconds=2))]) == []
    assert ledger_matches("transitions.Student", [(42, created)]) == []


def test_retention_records_erased_pupils_in_the_ledger(school_a, student_factory, option, settings,
                                                       tmp_path):
    settings.ERASURE_LEDGER_PATH = tmp_path / "ledger.txt"
    student, _markers = _pupil_with_everything(student_factory, school_a, option, "RLD")
    with freeze_time("2029-07-01"):
        retention_apply()
    assert ledger_matches("transitions.Student", [(student.pk, student.created_at)]) == [student.pk]


pytestmark = pytest.mark.django_db
