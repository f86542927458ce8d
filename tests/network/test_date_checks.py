"""Dates that guard the user in the network area: attendance and minutes only from the meeting's start
(minutes of a future meeting never mark it "durchgeführt"), a decision prepared beforehand does not
either, and due dates in the past need the confirmation tick box."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from bildungskette.network import services
from bildungskette.network.forms import ActionItemForm, CommitmentForm
from bildungskette.network.models import ActionItem, MeetingStatus
from tests.security.forms_html import with_stand

from .conftest import at

pytestmark = pytest.mark.django_db

INSTANT = r"\d\d\.\d\d\.\d{4}, \d\d:\d\d Uhr"


@pytest.fixture
def future_meeting(net):
    meeting = services.meeting_create(body=net.steering, title="Sitzung 2027", starts_at=at(400, 14))
    services.agenda_item_add(meeting=meeting, title="Ausbildungsbörse")
    return meeting


def test_attendance_from_the_start_instant_not_a_microsecond_before(net, future_meeting):
    start = future_meeting.starts_at
    with pytest.raises(ValidationError, match=rf"Die Anwesenheit kann erst ab Beginn der Sitzung \({INSTANT}\)"):
        services.attendance_record(meeting=future_meeting, present={net.agentur.pk},
                                   now=start - datetime.timedelta(microseconds=1))
    assert not future_meeting.attendances.exists()
    services.attendance_record(meeting=future_meeting, present={net.agentur.pk}, now=start)
    assert future_meeting.attendances.get(organisation=net.agentur).status == "present"


def test_minutes_of_a_future_meeting_are_refused_and_do_not_mark_it_held(net, future_meeting):
    start = future_meeting.starts_at
    item = future_meeting.agenda_items.get()
    with pytest.raises(ValidationError, match=rf"Ein Protokoll kann erst ab Beginn der Sitzung \({INSTANT}\)"):
        services.minutes_record(meeting=future_meeting, item_minutes={item.pk: "vorab"},
                                now=start - datetime.timedelta(microseconds=1))
    future_meeting.refresh_from_db()
    item.refresh_from_db()
    assert future_meeting.status == MeetingStatus.PLANNED and item.minutes == ""
    services.minutes_record(meeting=future_meeting, item_minutes={item.pk: "Termin steht."}, now=start)
    future_meeting.refresh_from_db()
    assert future_meeting.status == MeetingStatus.HELD


def test_a_decision_prepared_before_the_meeting_leaves_it_planned(net, future_meeting):
    services.decision_record(meeting=future_meeting, text="Beschlussvorlage Ausbildungsbörse")
    future_meeting.refresh_from_db()
    assert future_meeting.status == MeetingStatus.PLANNED
    began = services.meeting_create(body=net.steering, title="heute", starts_at=timezone.now())
    services.decision_record(meeting=began, text="Beschluss in der Sitzung")
    began.refresh_from_db()
    assert began.status == MeetingStatus.HELD


def test_minutes_page_of_a_future_meeting_says_so_and_changes_nothing(net, future_meeting, client_as):
    client = client_as(net.users["coordination"])
    item = future_meeting.agenda_items.get()
    minutes = reverse("network:minutes", args=[future_meeting.pk])
    response = client.post(minutes, with_stand(client, minutes, {f"item_{item.pk}": "vorab",
                                                                 f"att_{net.agentur.pk}": "present"}))
    html = response.content.decode()
    assert response.status_code == 200 and "Ein Protokoll kann erst ab Beginn der Sitzung" in html
    assert "Anwesenheit und Protokoll können erst ab Beginn erfasst werden" in html
    future_meeting.refresh_from_db()
    assert future_meeting.status == MeetingStatus.PLANNED and not future_meeting.attendances.exists()


def _action_form(meeting, net, due: datetime.date, confirm: bool = False):
    data = {"aufgabe-title": "Räume buchen", "aufgabe-owner_organisation": str(net.stadt.pk),
            "aufgabe-due_date": due.isoformat()}
    if confirm:
        data["aufgabe-confirm_past_date"] = "on"
    return ActionItemForm(data, meeting=meeting, prefix="aufgabe")


def test_due_date_today_passes_yesterday_only_when_confirmed(net, future_meeting):
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    assert _action_form(future_meeting, net, today).is_valid()
    refused = _action_form(future_meeting, net, yesterday)
    assert not refused.is_valid()
    assert refused.errors["due_date"] == [
        f"Das Datum {yesterday:%d.%m.%Y} liegt in der Vergangenheit. Wenn das so gewollt ist, kreuzen Sie "
        "„Datum in der Vergangenheit bestätigen“ an."]
    assert _action_form(future_meeting, net, yesterday, confirm=True).is_valid()
    # The tick box sits right after the date field.
    names = list(refused.fields)
    assert names.index("confirm_past_date") == names.index("due_date") + 1


def test_action_item_with_past_due_date_through_the_view(net, future_meeting, client_as):
    client = client_as(net.users["coordination"])
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    data = {"aufgabe-title": "Nachtrag", "aufgabe-owner_organisation": str(net.stadt.pk),
            "aufgabe-due_date": yesterday.isoformat()}
    refused = client.post(reverse("network:action_item_new", args=[future_meeting.pk]), data, follow=True)
    assert "liegt in der Vergangenheit" in refused.content.decode()
    assert not ActionItem.objects.filter(title="Nachtrag").exists()
    client.post(reverse("network:action_item_new", args=[future_meeting.pk]),
                {**data, "aufgabe-confirm_past_date": "on"})
    assert ActionItem.objects.get(title="Nachtrag").due_date == yesterday


def test_commitment_due_date_in_the_past_needs_confirmation(net):
    agreement = services.agreement_create(tenant=net.tenant, title="Kooperation Übergang", subject="Übergang",
                                          parties=[net.agentur, net.stadt])
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    data = {"party": str(net.agentur.pk), "text": "Berufsberatung an allen Schulen", "due_date": yesterday}
    assert not CommitmentForm(data, agreement=agreement).is_valid()
    assert CommitmentForm({**data, "confirm_past_date": "on"}, agreement=agreement).is_valid()
    assert CommitmentForm({**data, "due_date": timezone.localdate()}, agreement=agreement).is_valid()
