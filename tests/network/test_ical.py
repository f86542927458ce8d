"""iCal feeds as strict clients expect them: host-qualified UIDs, never a calendar without a
component, a small SEQUENCE that counts changes, and RFC 5545 text escaping."""

from __future__ import annotations

import pytest
from django.urls import reverse
from icalendar import Calendar

from bildungskette.network import services

from .conftest import at

pytestmark = pytest.mark.django_db


def test_uid_names_the_installation_host(client, net, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "bildung.kassel.example"]
    meeting = services.meeting_create(body=net.steering, title="Sitzung", starts_at=at(3))
    feed = client.get(reverse("network:body_ical", args=[net.steering.pk]), HTTP_HOST="bildung.kassel.example:8443")
    (event,) = Calendar.from_ical(feed.content).walk("VEVENT")
    assert str(event["uid"]) == f"meeting-{meeting.pk}@bildung.kassel.example"
    settings.BILDUNGSKETTE_HOST = "kassel.bildungskette.example"
    single = client.get(reverse("network:meeting_ics", args=[meeting.pk]))
    assert str(Calendar.from_ical(single.content).walk("VEVENT")[0]["uid"]) == (
        f"meeting-{meeting.pk}@kassel.bildungskette.example")


def test_a_body_without_meetings_still_gives_a_valid_calendar(client, net):
    feed = client.get(reverse("network:body_ical", args=[net.steering.pk]))
    assert feed.status_code == 200
    calendar = Calendar.from_ical(feed.content)
    assert calendar.walk("VEVENT") == []
    (tz,) = calendar.walk("VTIMEZONE")
    assert str(tz["tzid"]) == "Europe/Berlin" and tz.walk("STANDARD") and tz.walk("DAYLIGHT")
    assert b"BEGIN:VTIMEZONE\r\n" in feed.content


def test_sequence_counts_the_changes(client, net):
    meeting = services.meeting_create(body=net.steering, title="Sitzung", starts_at=at(3))

    def sequence():
        feed = client.get(reverse("network:body_ical", args=[net.steering.pk]))
        return int(Calendar.from_ical(feed.content).walk("VEVENT")[0]["sequence"])

    assert sequence() == 0
    services.meeting_update(meeting=meeting, location="Rathaus")
    services.meeting_update(meeting=meeting, starts_at=at(4))
    assert sequence() == 2


def test_text_with_commas_semicolons_and_newlines_is_escaped(client, net):
    title = "Budget, Teil 1; Vorlage\nzweite Zeile \\ Ende"
    services.meeting_create(body=net.steering, title=title, starts_at=at(3), location="Rathaus, Raum 1; EG")
    raw = client.get(reverse("network:body_ical", args=[net.steering.pk])).content
    unfolded = raw.replace(b"\r\n ", b"")
    assert b"SUMMARY:OloV-SG: Budget\\, Teil 1\\; Vorlage\\nzweite Zeile \\\\ Ende\r\n" in unfolded
    assert b"LOCATION:Rathaus\\, Raum 1\\; EG\r\n" in unfolded
    (event,) = Calendar.from_ical(raw).walk("VEVENT")
    assert str(event["summary"]) == f"OloV-SG: {title}" and str(event["location"]) == "Rathaus, Raum 1; EG"
