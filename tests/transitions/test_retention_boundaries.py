"""Retention and erasure at their limits: the cut-off day itself (kept) and the day before
(deleted), the 29th to 31st of a month (end-of-month clamp, leap years), the access log's cut-off
instant, and the change log scrubbed of every person-level value that was deleted.

Cut-off dates are worked out by hand from the policy defaults (follow-up and handover 6 months,
student record 36 months, access log 24 months).
"""

import datetime
import json
import logging

import pytest
from django.db.models import RestrictedError
from django.utils import timezone
from freezegun import freeze_time

from bildungskette.core.models import AuditEntry
from bildungskette.organisations.models import Organisation, OrganisationType
from bildungskette.transitions.erasure import ledger_hashes, ledger_matches
from bildungskette.transitions.models import (
    AccessLogEntry,
    Activity,
    Consent,
    Destination,
    FollowUp,
    Handover,
    LegalBasis,
    Student,
)
from bildungskette.transitions.services import (
    access_log_record,
    activity_record,
    booking_create,
    consent_record,
    destination_set,
    event_create,
    follow_up_update,
    handover_create,
    months_before,
    retention_apply,
    student_erase,
)

from .conftest import leaver


@pytest.mark.parametrize(
    "day,months,expected",
    [
        ("2026-03-31", 1, "2026-02-28"),  # 31st into a 28-day February
        ("2026-03-30", 1, "2026-02-28"),
        ("2026-03-29", 1, "2026-02-28"),
        ("2028-03-31", 1, "2028-02-29"),  # leap year
        ("2028-03-30", 1, "2028-02-29"),
        ("2028-03-29", 1, "2028-02-29"),
        ("2026-05-31", 1, "2026-04-30"),  # 31st into a 30-day month
        ("2026-08-31", 6, "2026-02-28"),  # the retention run on 31 August
        ("2026-08-30", 6, "2026-02-28"),
        ("2026-08-29", 6, "2026-02-28"),
        ("2026-08-28", 6, "2026-02-28"),
        ("2026-08-27", 6, "2026-02-27"),
        ("2026-12-31", 6, "2026-06-30"),
        ("2027-01-31", 6, "2026-07-31"),  # across the turn of the year
        ("2027-01-15", 6, "2026-07-15"),
        ("2026-01-31", 1, "2025-12-31"),
        ("2026-06-30", 12, "2025-06-30"),
        ("2029-06-30", 36, "2026-06-30"),
        ("2026-07-31", 0, "2026-07-31"),
    ],
)
def test_months_before_clamps_to_the_end_of_the_month(day, months, expected):
    assert months_before(datetime.date.fromisoformat(day), months) == datetime.date.fromisoformat(expected)


def _follow_up_leaver(student_factory, school, option, left_on):
    student = leaver(student_factory(school, "10a", 10), left_on=left_on)
    destination_set(student=student, kind="actual", option=option("UNBE"), on_date=left_on)
    assert FollowUp.objects.filter(student=student).exists()
    return student


@pytest.mark.parametrize("today", ["2026-08-31", "2026-08-30", "2026-08-29"])
def test_follow_up_cut_off_day_is_kept_and_the_day_before_is_deleted_on_the_29th_to_31st(
        school_a, student_factory, option, today):
    # Six months before 29, 30 or 31 August 2026 is 28 February 2026 (clamped).
    on_cutoff = _follow_up_leaver(student_factory, school_a, option, datetime.date(2026, 2, 28))
    before = _follow_up_leaver(student_factory, school_a, option, datetime.date(2026, 2, 27))
    with freeze_time(today):
        result = retention_apply()
    assert result.follow_ups == 1
    assert FollowUp.objects.filter(student=on_cutoff).exists()
    assert not FollowUp.objects.filter(student=before).exists()


def test_follow_up_cut_off_across_the_turn_of_the_year(school_a, student_factory, option):
    on_cutoff = _follow_up_leaver(student_factory, school_a, option, datetime.date(2026, 7, 31))
    before = _follow_up_leaver(student_factory, school_a, option, datetime.date(2026, 7, 30))
    result = retention_apply(today=datetime.date(2027, 1, 31))
    assert result.follow_ups == 1
    assert FollowUp.objects.filter(student=on_cutoff).exists()
    assert not FollowUp.objects.filter(student=before).exists()


def test_active_students_follow_ups_are_never_deleted(school_a, student_factory, option):
    student = student_factory(school_a, "10a", 10)
    destination_set(student=student, kind="actual", option=option("UNBE"), on_date=datetime.date(2020, 1, 1))
    Student.objects.filter(pk=student.pk).update(left_on=datetime.date(2020, 1, 1))  # a date, but not left
    result = retention_apply(today=datetime.date(2026, 11, 30))
    assert result.follow_ups == 0 and FollowUp.objects.filter(student=student).exists()


def _handover(student_factory, school, option, on_date):
    student = leaver(student_factory(school, "10a", 10))
    destination_set(student=student, kind="actual", option=option("NOKEAN"), on_date=datetime.date(2026, 7, 1))
    consent_record(student=student, purpose="handover", legal_basis=LegalBasis.SGB_III_31A,
                   given_on=datetime.date(2026, 7, 1))
    return handover_create(student=student, recipient="ba", on_date=on_date)


def test_handover_cut_off_day(school_a, student_factory, option):
    on_cutoff = _handover(student_factory, school_a, option, datetime.date(2026, 2, 28))
    before = _handover(student_factory, school_a, option, datetime.date(2026, 2, 27))
    result = retention_apply(today=datetime.date(2026, 8, 31))
    assert result.handovers == 1
    assert set(Handover.objects.values_list("pk", flat=True)) == {on_cutoff.pk}
    assert not Handover.objects.filter(pk=before.pk).exists()


def test_student_record_cut_off_day(school_a, student_factory):
    # 36 months before 31 August 2029 is 31 August 2026.
    on_cutoff = leaver(student_factory(school_a), left_on=datetime.date(2026, 8, 31))
    before = leaver(student_factory(school_a), left_on=datetime.date(2026, 8, 30))
    active = student_factory(school_a)
    result = retention_apply(today=datetime.date(2029, 8, 31))
    assert result.students == 1
    assert set(Student.objects.values_list("pk", flat=True)) == {on_cutoff.pk, active.pk}
    assert before.pk not in set(Student.objects.values_list("pk", flat=True))


def test_access_log_cut_off_instant(tenant, school_a):
    # 24 months before 30 November 2026: entries from 30 November 2024, 00:00 on are kept.
    cutoff = timezone.make_aware(datetime.datetime(2024, 11, 30, 0, 0))
    for at in (cutoff - datetime.timedelta(seconds=1), cutoff):
        with freeze_time(at):
            access_log_record(tenant=tenant, action="student", what="Einzelansicht", school=school_a,
                              student_ids=[1])
    result = retention_apply(today=datetime.date(2026, 11, 30), tenant=tenant)
    assert result.access_log == 1
    assert list(AccessLogEntry.objects.values_list("at", flat=True)) == [cutoff]


def test_retention_of_one_tenant_leaves_the_other_alone(school_a, school_factory, student_factory, option,
                                                        tenant_factory):
    other = tenant_factory("bochum", "Stadt Bochum", land_code="05")
    school_other = school_factory("NRW-1", "Schule Bochum", tenant_=other)
    mine = _follow_up_leaver(student_factory, school_a, option, datetime.date(2025, 1, 1))
    theirs = _follow_up_leaver(student_factory, school_other, option, datetime.date(2025, 1, 1))
    result = retention_apply(today=datetime.date(2026, 11, 30), tenant=school_a.tenant)
    assert result.follow_ups == 1
    assert not FollowUp.objects.filter(student=mine).exists() and FollowUp.objects.filter(student=theirs).exists()


# --------------------------------------------------------------------------- change log scrubbed


PERSONAL = ["Mutter anrufen", "Tischler", "Konditor", "Einwilligung-v7"]


def _person_with_history(student_factory, school, option, left_on):
    student = leaver(student_factory(school, "10a", 10), left_on=left_on)
    activity_record(student=student, kind="bfe", on_date=datetime.date(2026, 3, 2), occupation="Tischler*in")
    destination_set(student=student, kind="actual", option=option("UNBE"), on_date=left_on,
                    occupation="Konditor*in")
    follow_up = FollowUp.objects.get(student=student)
    follow_up_update(follow_up=follow_up, notes="Mutter anrufen, Tel. 0561 1234")
    consent_record(student=student, purpose="handover", legal_basis=LegalBasis.CONSENT,
                   text_version="Einwilligung-v7", given_by="guardian", given_on=left_on)
    return student, follow_up


def _log_text(model_label: str, ids) -> str:
    entries = AuditEntry.objects.filter(model_label=model_label, object_id__in=[str(i) for i in ids])
    return " ".join(json.dumps(e.changes, ensure_ascii=False) + e.object_repr for e in entries)


def test_retention_scrubs_the_deleted_follow_ups_from_the_change_log(school_a, student_factory, option):
    student, follow_up = _person_with_history(student_factory, school_a, option, datetime.date(2026, 1, 31))
    # Person-level entries name the changed fields, never their values (core.audit, person_level=True).
    logged = _log_text("transitions.FollowUp", [follow_up.pk])
    assert "notes" in logged and "Mutter anrufen" not in logged, "precondition: the change was logged, without value"
    result = retention_apply(today=datetime.date(2026, 8, 31))
    assert result.follow_ups == 1
    assert "notes" not in _log_text("transitions.FollowUp", [follow_up.pk]), "scrubbed after the delete"
    # That something happened stays visible.
    assert AuditEntry.objects.filter(model_label="transitions.FollowUp", object_id=str(follow_up.pk)).exists()
    assert "occupation" in _log_text("transitions.Activity", student.activities.values_list("pk", flat=True)), \
        "the record itself is kept longer, and with it its history"


def test_retention_of_a_student_record_scrubs_everything_about_the_person(school_a, student_factory, option):
    student, _follow_up = _person_with_history(student_factory, school_a, option, datetime.date(2026, 1, 31))
    pseudonym = student.pseudonym
    retention_apply(today=datetime.date(2029, 2, 1))  # 36 months after 31 January 2026 have passed
    assert not Student.objects.filter(pk=student.pk).exists()
    text = " ".join(json.dumps(e.changes, ensure_ascii=False) + e.object_repr
                    for e in AuditEntry.objects.filter(model_label__startswith="transitions."))
    for value in [pseudonym, *PERSONAL]:
        assert value not in text


def test_erasure_scrubs_everything_about_the_person_and_nothing_about_others(school_a, student_factory, option,
                                                                              manager_a):
    student, _follow_up = _person_with_history(student_factory, school_a, option, datetime.date(2026, 7, 31))
    other = leaver(student_factory(school_a, "10b", 10))
    activity_record(student=other, kind="bfe", on_date=datetime.date(2026, 3, 2), occupation="Gärtner*in")
    pseudonym, pk = student.pseudonym, student.pk
    student_erase(student=student, actor=manager_a)
    text = " ".join(json.dumps(e.changes, ensure_ascii=False) + e.object_repr
                    for e in AuditEntry.objects.filter(model_label__startswith="transitions."))
    for value in [pseudonym, *PERSONAL]:
        assert value not in text
    # The other pupil's history is untouched: its entries still name their fields and object.
    others = AuditEntry.objects.filter(model_label="transitions.Activity",
                                       object_id__in=[str(i) for i in other.activities.values_list("pk", flat=True)])
    assert others.exists() and all("occupation" in e.changes and e.object_repr != "(gelöscht)" for e in others)
    entry = AccessLogEntry.objects.get(action="erase", student_ids=[pk])
    assert entry.actor == manager_a and entry.school == school_a


# --------------------------------------------------------------------------- every object, exactly


def _scrubbed(model_label: str, ids) -> list[AuditEntry]:
    entries = list(AuditEntry.objects.filter(model_label=model_label, object_id__in=[str(i) for i in ids]))
    assert entries, f"precondition: {model_label} {list(ids)} has change-log entries"
    return [e for e in entries if e.changes != {} or e.object_repr != "(gelöscht)"]


def _person_with_every_object(tenant, student_factory, school, option, left_on):
    """A leaver with an entry of every person-level model in the change log: activity, destination,
    follow-up, consent, handover and booking."""
    student, follow_up = _person_with_history(student_factory, school, option, left_on)
    consent_record(student=student, purpose="handover", legal_basis=LegalBasis.SGB_III_31A, given_on=left_on)
    handover = handover_create(student=student, recipient="ba", on_date=left_on)
    company = Organisation.objects.create(tenant=tenant, name="Elektro Test GmbH", type=OrganisationType.BETRIEB)
    starts = timezone.now() + datetime.timedelta(days=10)
    event = event_create(tenant=tenant, organisation=company, title="E-Craft", starts_at=starts,
                         ends_at=starts + datetime.timedelta(hours=3), location="Kassel", capacity=5)
    booking = booking_create(event=event, student=student)
    objects = {
        "transitions.Student": [student.pk],
        "transitions.Activity": list(Activity.objects.filter(student=student).values_list("pk", flat=True)),
        "transitions.Destination": list(Destination.objects.filter(student=student).values_list("pk", flat=True)),
        "transitions.FollowUp": [follow_up.pk],
        "transitions.Consent": list(Consent.objects.filter(student=student).values_list("pk", flat=True)),
        "transitions.Handover": [handover.pk],
        "transitions.Booking": [booking.pk],
    }
    for label, ids in objects.items():
        assert ids and AuditEntry.objects.filter(model_label=label, object_id__in=[str(i) for i in ids]).exists(), \
            f"precondition: {label} is in the change log"
    return student, objects


def test_erasure_scrubs_the_change_log_of_every_object_of_the_person_exactly(
        tenant, school_a, student_factory, option, manager_a):
    student, objects = _person_with_every_object(tenant, student_factory, school_a, option,
                                                 datetime.date(2026, 7, 31))
    student_erase(student=student, actor=manager_a)
    for label, ids in objects.items():
        assert _scrubbed(label, ids) == [], f"{label}: every entry keeps only „(gelöscht)“ and no changes"


def test_retention_scrubs_the_change_log_of_every_object_of_an_expired_record_exactly(
        tenant, school_a, student_factory, option):
    student, objects = _person_with_every_object(tenant, student_factory, school_a, option,
                                                 datetime.date(2026, 1, 31))
    result = retention_apply(today=datetime.date(2029, 2, 1))
    assert result.students == 1 and not Student.objects.filter(pk=student.pk).exists()
    for label, ids in objects.items():
        assert _scrubbed(label, ids) == [], f"{label}: every entry keeps only „(gelöscht)“ and no changes"


def test_retention_scrubs_a_deleted_handover_from_the_change_log_exactly(school_a, student_factory, option):
    kept = _handover(student_factory, school_a, option, datetime.date(2026, 2, 28))
    gone = _handover(student_factory, school_a, option, datetime.date(2026, 2, 27))
    result = retention_apply(today=datetime.date(2026, 8, 31))
    assert result.handovers == 1
    assert _scrubbed("transitions.Handover", [gone.pk]) == []
    assert len(_scrubbed("transitions.Handover", [kept.pk])) >= 1, "the kept handover keeps its history"


def test_erasure_and_retention_write_the_ledger_so_a_restored_backup_is_erased_again(
        school_a, student_factory, settings, tmp_path):
    settings.ERASURE_LEDGER_PATH = tmp_path / "ledger.txt"
    erased = student_factory(school_a)
    expired = leaver(student_factory(school_a), left_on=datetime.date(2026, 1, 31))
    untouched = student_factory(school_a)
    rows = [(s.pk, s.created_at) for s in (erased, expired, untouched)]
    gone = sorted([erased.pk, expired.pk])
    student_erase(student=erased)  # the ledger is written by default
    retention_apply(today=datetime.date(2029, 2, 1))
    assert sorted(ledger_matches("transitions.Student", rows)) == gone
    assert len(ledger_hashes()) == 2


def test_erasure_without_ledger_writes_none(school_a, student_factory, settings, tmp_path):
    settings.ERASURE_LEDGER_PATH = tmp_path / "ledger.txt"
    student = student_factory(school_a)
    student_erase(student=student, ledger=False)
    assert ledger_hashes() == set()


def test_erasure_is_logged_in_the_access_log_and_the_server_log(school_a, student_factory, manager_a, caplog):
    student = student_factory(school_a)
    pk = student.pk
    with caplog.at_level(logging.INFO, logger="bildungskette.transitions.services"):
        student_erase(student=student, actor=manager_a)
    entry = AccessLogEntry.objects.get(action="erase", student_ids=[pk])
    assert entry.what == "Datensatz gelöscht (Art. 17 DSGVO)"
    assert f"student erased: id={pk}" in [r.getMessage() for r in caplog.records]


def _everything_expired(tenant, school, student_factory, option):
    """One expired follow-up, handover, student record and access-log entry in ``tenant``."""
    _follow_up_leaver(student_factory, school, option, datetime.date(2026, 1, 30))
    _handover(student_factory, school, option, datetime.date(2026, 1, 30))
    leaver(student_factory(school), left_on=datetime.date(2023, 1, 30))
    with freeze_time("2024-01-30"):
        access_log_record(tenant=tenant, action="student", what="Einzelansicht", school=school, student_ids=[1])


@pytest.fixture
def two_tenants(tenant, school_a, school_factory, tenant_factory, student_factory, option):
    other = tenant_factory("bochum", "Stadt Bochum", land_code="05")
    school_other = school_factory("NRW-1", "Schule Bochum", tenant_=other)
    _everything_expired(tenant, school_a, student_factory, option)
    _everything_expired(other, school_other, student_factory, option)
    return tenant, other


def _counts(t):
    return (FollowUp.objects.filter(tenant=t, student__left_on=datetime.date(2026, 1, 30)).count(),
            Handover.objects.filter(tenant=t, handed_over_on=datetime.date(2026, 1, 30)).count(),
            Student.objects.filter(tenant=t, left_on=datetime.date(2023, 1, 30)).count(),
            AccessLogEntry.objects.filter(tenant=t, at__lt=timezone.make_aware(datetime.datetime(2024, 2, 1))).count())


def test_retention_of_one_tenant_leaves_every_kind_of_the_other_alone(two_tenants):
    mine, theirs = two_tenants
    before = _counts(theirs)
    assert _counts(mine) == before == (1, 1, 1, 1), "precondition"
    result = retention_apply(today=datetime.date(2026, 8, 31), tenant=mine)
    assert (result.follow_ups, result.handovers, result.students, result.access_log) == (1, 1, 1, 1)
    assert _counts(mine) == (0, 0, 0, 0)
    assert _counts(theirs) == before


def test_retention_of_all_tenants_adds_up_and_logs_the_sum(two_tenants, caplog):
    with caplog.at_level(logging.INFO, logger="bildungskette.transitions.services"):
        result = retention_apply(today=datetime.date(2026, 8, 31))
    assert (result.follow_ups, result.handovers, result.students, result.access_log) == (2, 2, 2, 2)
    assert all(_counts(t) == (0, 0, 0, 0) for t in two_tenants)
    assert ("retention applied: 2 Nachverfolgungen, 2 Übermittlungen, 2 Schülerdatensätze, "
            "2 Protokolleinträge gelöscht") in [r.getMessage() for r in caplog.records]


def test_a_consent_cannot_be_deleted_under_its_handover_but_the_pupil_can_be_erased(
        school_a, student_factory, option):
    handover = _handover(student_factory, school_a, option, datetime.date(2026, 7, 1))
    with pytest.raises(RestrictedError, match="restricted foreign keys"):
        handover.consent.delete()
    student_erase(student=handover.student)
    assert not Handover.objects.filter(pk=handover.pk).exists()
    assert not Consent.objects.filter(pk=handover.consent_id).exists()
