"""The access log records every page that shows a pupil (also the follow-up edit page, the erase
page and the pseudonyms listed on event pages); the Art. 15 export carries the change history;
the superuser reads neither pupils, nor the access log, nor the change log."""

from __future__ import annotations

import json

import pytest

from bildungskette.transitions.models import AccessLogEntry

pytestmark = pytest.mark.django_db


def _logged(student_pk) -> list[str]:
    return [e.what for e in AccessLogEntry.objects.order_by("id") if student_pk in e.student_ids]


def test_follow_up_edit_page_is_logged(client_as, world):
    client_as(world.users["tm_a"]).get(f"/uebergaenge/nachverfolgung/{world.follow_up_a.pk}/")
    assert _logged(world.pupil_a.pk) == ["Nachverfolgung bearbeiten"]


def test_erase_page_is_logged(client_as, world):
    client_as(world.users["tm_a"]).get(f"/uebergaenge/schueler/{world.pupil_a.pk}/loeschen/")
    assert _logged(world.pupil_a.pk) == ["Löschseite"]


def test_event_page_logs_booked_and_offered_pseudonyms(client_as, world, student_factory):
    unbooked = student_factory(world.school_a, class_name="9b")
    page = client_as(world.users["tm_a"]).get(f"/uebergaenge/veranstaltungen/{world.event.pk}/").content.decode()
    assert world.pupil_a.pseudonym in page and unbooked.pseudonym in page
    entry = AccessLogEntry.objects.get(what__startswith="Veranstaltung")
    assert sorted(entry.student_ids) == sorted([world.pupil_a.pk, unbooked.pk])
    assert world.pupil_b.pk not in entry.student_ids


def test_art15_export_contains_the_change_history(client_as, world):
    from bildungskette.transitions.services import follow_up_update

    follow_up_update(follow_up=world.follow_up_a, notes="Rückruf vereinbart")
    data = json.loads(client_as(world.users["tm_a"]).get(
        f"/uebergaenge/schueler/{world.pupil_a.pk}/auskunft/").content)
    history = data["aenderungsverlauf"]
    records = [(h["datensatz"], h["aktion"]) for h in history]
    assert ("Student", "angelegt") in records and ("FollowUp", "geändert") in records
    assert ("Booking", "angelegt") in records
    # Person-level entries name the changed fields, never their values (core.audit, person_level=True):
    # the current values are in the export's record sections, the history says what changed when.
    follow_up_changes = [h["aenderungen"] for h in history
                         if h["datensatz"] == "FollowUp" and h["aktion"] == "geändert"]
    assert any("notes" in changes for changes in follow_up_changes)
    assert "Rückruf vereinbart" not in json.dumps(history, ensure_ascii=False)
    # Nothing about the pupil of the other school.
    assert world.pupil_b.pseudonym not in json.dumps(history, ensure_ascii=False)


def test_superuser_passes_no_person_level_permission(world):
    root = world.users["superuser"]
    # Pupils and schools have no permission of their own: they are scoped in the selectors
    # (students_visible_to), which the URL matrix in test_matrix.py checks for the superuser too.
    for perm, obj in [("transitions.view_accesslog", world.tenant),
                      ("transitions.manage_company_contacts", world.tenant),
                      ("core.view_auditentry", world.tenant)]:
        assert root.has_perm(perm, obj) is False, perm
    # Everything else (the platform's master data) stays with the superuser.
    assert root.has_perm("transitions.view_statistics", world.tenant) is True
    assert root.has_perm("core.manage_users", world.tenant) is True
    assert world.users["tenant_admin"].has_perm("core.view_auditentry", world.tenant) is True
