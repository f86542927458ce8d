"""Writes and reads of the network area: chair rotation, meetings from invitation to minutes,
follow-up, agreements, reminders."""

from __future__ import annotations

import datetime
import io

import pypdfium2
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from icalendar import Calendar

from bildungskette.core.models import AuditEntry
from bildungskette.network import services
from bildungskette.network.documents import agenda_pdf, minutes_pdf
from bildungskette.network.models import ActionItemStatus, CommitmentStatus, MeetingStatus
from bildungskette.network.selectors import agenda_tree, chair_on, chair_overview, chair_schedule

from .conftest import at

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    pdf = pypdfium2.PdfDocument(io.BytesIO(data))
    return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))


def test_yearly_chair_rotation_alternates_and_names_next_years_chair(net):
    rotation = services.chair_rotation_set(body=net.steering, starts_on=datetime.date(2013, 8, 1),
                                           organisations=[net.schulamt, net.agentur], term_months=12)
    schedule = chair_schedule(rotation, until=datetime.date(2017, 7, 31))
    assert [(t.starts_on.year, t.organisation) for t in schedule] == [
        (2013, net.schulamt), (2014, net.agentur), (2015, net.schulamt), (2016, net.agentur)]
    assert schedule[0].ends_on == datetime.date(2014, 7, 31)
    # The Strategieklausur early 2016 fell in the Schulamt's term (Aug 2015 – Jul 2016).
    assert chair_on(rotation, datetime.date(2016, 2, 1)).organisation == net.schulamt
    assert chair_on(rotation, datetime.date(2013, 7, 31)) is None
    overview = chair_overview(net.steering, today=datetime.date(2026, 11, 22))
    assert overview["current"].organisation == net.agentur  # term Aug 2026 – Jul 2027
    assert overview["next_year"].organisation == net.schulamt
    assert overview["next"].starts_on == datetime.date(2027, 8, 1)


def test_chair_rotation_needs_two_organisations(net):
    with pytest.raises(ValidationError, match="mindestens zwei Organisationen"):
        services.chair_rotation_set(body=net.steering, starts_on=datetime.date(2020, 1, 1),
                                    organisations=[net.agentur])


def test_body_cannot_be_nested_under_itself_or_another_tenant(net):
    with pytest.raises(ValidationError, match="nicht unter sich selbst"):
        services.body_update(body=net.steering, parent=net.working_group)
    with pytest.raises(ValidationError, match="übergeordnete Gremium gehört zu einem anderen Mandanten"):
        services.body_create(tenant=net.tenant, name="X", type="facharbeitsgruppe", parent=net.other_body)


def test_membership_of_another_tenants_organisation_is_rejected(net):
    with pytest.raises(ValidationError, match="Die Organisation gehört zu einem anderen Mandanten"):
        services.membership_add(body=net.steering, organisation=net.bochum_agentur, role="mitglied")


def test_agenda_is_numbered_as_a_tree(net, meeting_with_minutes):
    numbers = [(n, item.title) for n, item, _k in agenda_tree(meeting_with_minutes["meeting"], flat=True)]
    assert numbers == [("1", "Regionale Zielvereinbarung"), ("2", "Ausbildungsbörse"), ("2.1", "Termin"),
                       ("3", "Vertrauliches")]
    with pytest.raises(ValidationError, match="höchstens zwei Ebenen"):  # no third level
        sub = meeting_with_minutes["meeting"].agenda_items.get(title="Termin")
        services.agenda_item_add(meeting=meeting_with_minutes["meeting"], parent=sub, title="zu tief")


def test_invitation_goes_to_delegates_and_deputies_with_agenda_pdf_and_calendar_entry(net, mailoutbox):
    meeting = services.meeting_create(body=net.steering, title="3. Sitzung", starts_at=at(14), location="Kassel")
    services.agenda_item_add(meeting=meeting, title="Begrüßung", duration_minutes=5)
    result = services.meeting_invite(meeting=meeting)
    # Agentur: delegate + deputy; Stadt: the organisation's address; Schulamt has none; IHK left.
    assert sorted(result["sent"]) == ["erika.beispiel@example.org", "max.vertretung@example.org",
                                      "olov@example.org"]
    assert result["missing"] == ["Staatliches Schulamt für den Landkreis und die Stadt Kassel"]
    assert len(mailoutbox) == 3
    message = mailoutbox[0]
    assert "3. Sitzung" in message.subject
    assert "TOP 1 Begrüßung (5 Min.)" in message.body
    names = {a[0]: a for a in message.attachments}
    pdf = next(a for a in message.attachments if a[2] == "application/pdf")[1]
    assert "Begrüßung" in pdf_text(pdf)
    ics = next(a for a in message.attachments if a[2] == "text/calendar")[1]
    event = Calendar.from_ical(ics).walk("VEVENT")[0]
    assert "3. Sitzung" in str(event["summary"])
    assert names
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.INVITED and meeting.invited_at is not None


def test_cancelled_meeting_cannot_be_invited(net):
    meeting = services.meeting_create(body=net.steering, title="abgesagt", starts_at=at(3), location="Kassel")
    services.meeting_cancel(meeting=meeting)
    with pytest.raises(ValidationError, match="abgesagten Sitzung"):
        services.meeting_invite(meeting=meeting)


def test_minutes_attendance_and_decision_numbering(net, meeting_with_minutes):
    meeting = meeting_with_minutes["meeting"]
    d1, d2 = meeting_with_minutes["decisions"]
    year = timezone.localtime(meeting.starts_at).year
    assert (d1.reference, d2.reference) == (f"OloV-SG/{year}/01", f"OloV-SG/{year}/02")
    services.minutes_record(meeting=meeting, item_minutes={meeting_with_minutes["top1"].pk: "Bericht erstattet."},
                            summary="gut besucht", minutes_taker="Koordination")
    services.attendance_record(meeting=meeting, present={net.agentur.pk, net.stadt.pk}, excused={net.schulamt.pk})
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    statuses = {a.organisation_id: a.status for a in meeting.attendances.all()}
    # The IHK had left the body before the meeting: no attendance row for it.
    assert statuses == {net.agentur.pk: "present", net.stadt.pk: "present", net.schulamt.pk: "excused"}
    text = pdf_text(minutes_pdf(meeting))
    assert "Bericht erstattet." in text
    assert f"Beschluss OloV-SG/{year}/02" in text and "3 ja, 0 nein, 1 Enthaltungen" in text
    assert "Datenbericht vorlegen" in text
    assert "Vertrauliches" in pdf_text(agenda_pdf(meeting))  # internal agenda shows non-public items, marked
    assert AuditEntry.objects.filter(model_label="network.Decision", action="create").count() == 2


def test_action_item_owner_person_must_belong_to_owner_organisation(net, meeting_with_minutes):
    with pytest.raises(ValidationError, match="Die Person gehört nicht zur verantwortlichen Organisation"):
        services.action_item_create(body=net.steering, title="x", owner_organisation=net.stadt,
                                    owner_person=net.delegate)
    with pytest.raises(ValidationError, match="Die Sitzung gehört zu einem anderen Gremium"):
        services.action_item_create(body=net.working_group, title="x", meeting=meeting_with_minutes["meeting"])


def test_action_item_done_records_completion_date_and_reopening_clears_it(meeting_with_minutes):
    item = meeting_with_minutes["items"][0]
    assert item.is_overdue
    services.action_item_update_status(item=item, status=ActionItemStatus.DONE, today=datetime.date(2026, 5, 1))
    assert item.completed_on == datetime.date(2026, 5, 1) and not item.is_overdue
    services.action_item_update_status(item=item, status=ActionItemStatus.OPEN)
    assert item.completed_on is None and item.is_overdue


def test_commitment_fulfilled_needs_evidence_and_only_parties_commit(net):
    agreement = services.agreement_create(tenant=net.tenant, title="Arbeitsbündnis", subject="Zusammenarbeit",
                                          parties=[net.agentur, net.stadt], signed_on=datetime.date(2013, 12, 9))
    with pytest.raises(ValidationError, match="Nur Vertragspartner"):
        services.commitment_add(agreement=agreement, party=net.schulamt, text="nicht Partei")
    commitment = services.commitment_add(agreement=agreement, party=net.agentur, text="Berufsberatung an Schulen")
    with pytest.raises(ValidationError, match="Bitte einen Nachweis angeben"):
        services.commitment_update_status(commitment=commitment, status=CommitmentStatus.FULFILLED)
    services.commitment_update_status(commitment=commitment, status=CommitmentStatus.FULFILLED,
                                      evidence="Sprechzeitenplan liegt vor")
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.FULFILLED


def test_agreement_validity_must_not_end_before_it_starts(net):
    with pytest.raises(ValidationError, match="Das Ende der Gültigkeit liegt vor ihrem Beginn"):
        services.agreement_create(tenant=net.tenant, title="x", subject="y", valid_from=datetime.date(2020, 1, 1),
                                  valid_until=datetime.date(2019, 1, 1))


def test_reminders_before_review_date_once_per_window(net, mailoutbox):
    coordination = net.users["coordination"]
    coordination.email = "koordination@example.org"
    coordination.save()
    today = datetime.date(2026, 3, 1)
    agreement = services.agreement_create(tenant=net.tenant, title="Arbeitsbündnis Jugend und Beruf",
                                          subject="Zusammenarbeit", parties=[net.agentur],
                                          review_on=datetime.date(2026, 4, 15), reminder_days=60)
    services.agreement_create(tenant=net.tenant, title="Noch lange gültig", subject="z",
                              review_on=datetime.date(2027, 4, 15))
    services.reminders_send(today=datetime.date(2026, 1, 1))  # 104 days before: too early
    assert mailoutbox == []
    services.reminders_send(today=today)
    assert len(mailoutbox) == 1
    body = mailoutbox[-1].body
    assert "Arbeitsbündnis Jugend und Beruf: Überprüfung fällig am 15.04.2026" in body
    assert "Noch lange gültig" not in body
    assert mailoutbox[-1].to == ["koordination@example.org"]
    agreement.refresh_from_db()
    assert agreement.last_reminder_on == today
    services.reminders_send(today=today + datetime.timedelta(days=7))
    assert len(mailoutbox) == 1  # not reminded twice in the same window
