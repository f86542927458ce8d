"""Privacy by design: access log, Art. 15 export, Art. 17 erasure, retention job with a frozen clock,
consent age rule, handover only with a recorded basis, no names in logs."""

import datetime
import json
import logging

import pytest
from django.core.exceptions import ValidationError
from freezegun import freeze_time

from bildungskette.core.models import AuditEntry, Role
from bildungskette.transitions.models import (
    AccessLogEntry,
    Activity,
    Destination,
    FollowUp,
    Handover,
    LegalBasis,
    Student,
)
from bildungskette.transitions.services import (
    activity_record,
    consent_record,
    destination_set,
    handover_create,
    retention_apply,
)

from .conftest import leaver


def test_every_read_of_a_student_is_logged_and_visible_to_data_protection_only(
        client_as, make_user, tenant, manager_a, school_a, student_factory):
    student = student_factory(school_a)
    client_as(manager_a).get(f"/uebergaenge/schueler/{student.pk}/")
    entry = AccessLogEntry.objects.get(action="student")
    assert entry.student_ids == [student.pk] and entry.actor == manager_a
    officer = make_user(role=Role.DATA_PROTECTION, tenant=tenant)
    page = client_as(officer).get("/uebergaenge/datenschutz/")
    assert page.status_code == 200 and "Einzelansicht" in page.content.decode()
    assert student.pseudonym not in page.content.decode()
    assert client_as(manager_a).get("/uebergaenge/datenschutz/").status_code == 403


def test_art15_export_contains_everything_about_the_student_and_nothing_about_others(
        client_as, manager_a, school_a, student_factory, option, kaoa):
    school_a.names_enabled = True
    school_a.save()
    student = student_factory(school_a, first_name="Mia", last_name="Beispiel")
    other = student_factory(school_a, first_name="Ole", last_name="Anders")
    activity_record(student=student, kind="bfe", on_date=datetime.date(2026, 3, 2), occupation="Tischler*in")
    activity_record(student=other, kind="internship", on_date=datetime.date(2026, 3, 2), occupation="Bäcker*in")
    destination_set(student=student, kind="planned", option=option("DUAL"), on_date=datetime.date(2026, 5, 1))
    consent_record(student=student, purpose="handover", legal_basis=LegalBasis.CONSENT, text_version="v2",
                   given_by="guardian", given_on=datetime.date(2026, 5, 1))
    response = client_as(manager_a).get(f"/uebergaenge/schueler/{student.pk}/auskunft/")
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    text = response.content.decode()
    assert data["schueler_in"]["pseudonym"] == student.pseudonym
    assert data["schueler_in"]["vorname"] == "Mia" and data["schueler_in"]["nachname"] == "Beispiel"
    assert data["aktivitaeten"][0]["beruf"] == "Tischler*in"
    assert data["anschluesse"][0]["anschluss"].startswith("DUAL")
    assert data["rechtsgrundlagen_einwilligungen"][0]["version"] == "v2"
    assert data["zugriffe"], "the access log entries about this person belong to the export"
    for foreign in (other.pseudonym, "Ole", "Anders", "Bäcker"):
        assert foreign not in text


def test_art17_erasure_removes_the_person_in_one_step(client_as, manager_a, school_a, student_factory, option):
    student = student_factory(school_a)
    activity_record(student=student, kind="bfe", on_date=datetime.date(2026, 3, 2), occupation="Tischler*in")
    leaver(student)
    destination_set(student=student, kind="actual", option=option("UNBE"), on_date=datetime.date(2026, 9, 30))
    assert FollowUp.objects.filter(student=student).exists()
    pk, pseudonym = student.pk, student.pseudonym
    client = client_as(manager_a)
    assert client.post(f"/uebergaenge/schueler/{pk}/loeschen/", {"confirm": "falsch"}).status_code == 200
    assert Student.objects.filter(pk=pk).exists()
    client.post(f"/uebergaenge/schueler/{pk}/loeschen/", {"confirm": pseudonym})
    assert not Student.objects.filter(pk=pk).exists()
    assert not Activity.objects.filter(student_id=pk).exists() and not FollowUp.objects.filter(student_id=pk).exists()
    assert not Destination.objects.filter(student_id=pk).exists()
    for entry in AuditEntry.objects.filter(model_label__startswith="transitions."):
        assert pseudonym not in json.dumps(entry.changes) + entry.object_repr
    assert AccessLogEntry.objects.filter(action="erase", student_ids=[pk]).exists()


def test_retention_job_deletes_follow_up_data_six_months_after_leaving(school_a, student_factory, option, tenant):
    student = leaver(student_factory(school_a, "10a", 10), left_on=datetime.date(2026, 6, 30))
    destination_set(student=student, kind="actual", option=option("NOKEAN"), on_date=datetime.date(2026, 9, 1))
    consent_record(student=student, purpose="handover", legal_basis=LegalBasis.SGB_III_31A,
                   given_on=datetime.date(2026, 9, 1))
    with freeze_time("2026-09-02"):
        handover_create(student=student, recipient="ba")
    recent = leaver(student_factory(school_a, "10b", 10), left_on=datetime.date(2026, 11, 1))
    destination_set(student=recent, kind="actual", option=option("UNBE"), on_date=datetime.date(2026, 11, 2))
    with freeze_time("2026-12-29"):
        result = retention_apply()
        assert result.follow_ups == 0 and FollowUp.objects.count() == 2
    with freeze_time("2027-01-02"):
        result = retention_apply()
    assert result.follow_ups == 1
    assert not FollowUp.objects.filter(student=student).exists()
    assert FollowUp.objects.filter(student=recent).exists(), "younger follow-up data stays"
    assert Handover.objects.exists(), "handovers count six months from the handover, not from leaving"
    with freeze_time("2027-03-05"):
        result = retention_apply()
    assert result.handovers == 1 and not Handover.objects.exists()
    assert Student.objects.filter(pk=student.pk).exists(), "the record itself has a longer period"
    with freeze_time("2029-07-01"):
        retention_apply()
    assert not Student.objects.filter(pk=student.pk).exists()


def test_self_consent_needs_the_configured_age(school_a, student_factory):
    student = student_factory(school_a)
    with pytest.raises(ValidationError, match="erst ab 14 Jahren möglich") as exc:
        consent_record(student=student, purpose="company", legal_basis=LegalBasis.CONSENT, text_version="1",
                       given_by="student", age_at_consent=13, given_on=datetime.date(2026, 5, 1))
    assert "14" in str(exc.value)
    consent_record(student=student, purpose="company", legal_basis=LegalBasis.CONSENT, text_version="1",
                   given_by="student", age_at_consent=14, given_on=datetime.date(2026, 5, 1))


def test_handover_only_with_a_recorded_legal_basis_or_consent(school_a, student_factory, option):
    student = leaver(student_factory(school_a, "10a", 10))
    destination_set(student=student, kind="actual", option=option("NOKEAN"), on_date=datetime.date(2026, 9, 1))
    with pytest.raises(ValidationError, match="ist nur mit erfasster Rechtsgrundlage"):
        handover_create(student=student, recipient="jba")
    basis = consent_record(student=student, purpose="handover", legal_basis=LegalBasis.SGB_III_31A,
                           given_on=datetime.date(2026, 9, 1))
    assert handover_create(student=student, recipient="ba").consent == basis
    from bildungskette.transitions.services import consent_withdraw

    consent_withdraw(consent=basis)  # the young person objects
    student.refresh_from_db()
    with pytest.raises(ValidationError, match="ist nur mit erfasster Rechtsgrundlage"):
        handover_create(student=student, recipient="ba")


def test_unknown_and_no_next_step_open_follow_ups_of_their_own_kind(school_a, student_factory, option):
    a = leaver(student_factory(school_a, "10a", 10))
    b = leaver(student_factory(school_a, "10a", 10))
    destination_set(student=a, kind="actual", option=option("UNBE"), on_date=datetime.date(2026, 9, 1))
    destination_set(student=b, kind="actual", option=option("NOKEAN"), on_date=datetime.date(2026, 9, 1))
    assert a.follow_ups.get().reason == "unknown" and b.follow_ups.get().reason == "none"
    destination_set(student=a, kind="actual", option=option("DUAL"), on_date=datetime.date(2026, 10, 1))
    assert a.follow_ups.get().status == "done"


def test_no_names_in_log_output(caplog, school_a, client_as, manager_a):
    from bildungskette.transitions.services import class_list_import

    school_a.names_enabled = True
    school_a.save()
    csv_text = "Nachname;Vorname;Jahrgang;Klasse\nMusterfrau;Erika;9;9a\n"
    with caplog.at_level(logging.DEBUG):
        class_list_import(school=school_a, raw=csv_text.encode(), actor=manager_a)
        student = Student.objects.get()
        client_as(manager_a).get(f"/uebergaenge/schueler/{student.pk}/")
    assert "Erika" not in caplog.text and "Musterfrau" not in caplog.text
    assert student.pseudonym not in caplog.text
    for entry in AuditEntry.objects.all():
        assert "Erika" not in json.dumps(entry.changes, ensure_ascii=False)


def test_retention_command_with_a_reference_date(school_a, student_factory, option):
    from io import StringIO

    from django.core.management import call_command

    student = leaver(student_factory(school_a, "10a", 10), left_on=datetime.date(2026, 6, 30))
    destination_set(student=student, kind="actual", option=option("UNBE"), on_date=datetime.date(2026, 9, 1))
    out = StringIO()
    call_command("transitions-retention", "--stichtag", "2026-12-30", stdout=out)
    assert "0 Nachverfolgungen" in out.getvalue() and FollowUp.objects.exists()
    call_command("transitions-retention", "--stichtag", "2027-01-01", stdout=out)
    assert "1 Nachverfolgungen" in out.getvalue() and not FollowUp.objects.exists()
