"""iCalendar feeds (RFC 5545) of meetings: one per body, one per person, and one event per invitation.

Calendar programs cannot log in, so feeds of internal bodies and of persons are reached through a
signed link that only the platform can issue (``feed_token``); public bodies need no token.
"""

from __future__ import annotations

import datetime

from django.core import signing
from django.utils import timezone
from icalendar import Calendar, Event, vText

from bildungskette.core.ical import ical_calendar, ical_uid
from bildungskette.core.models import AuditEntry

from .models import Meeting, MeetingStatus

PRODID = "-//Bildungskette//Netzwerk und Gremien//DE"
_SALT = "bildungskette.network.feed"


def feed_token(kind: str, pk: int) -> str:
    return signing.dumps({"k": kind, "id": pk}, salt=_SALT, compress=True)


def feed_token_check(token: str, kind: str, pk: int | None = None) -> int | None:
    """The object id a valid token grants, or None."""
    try:
        data = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    if data.get("k") != kind or (pk is not None and data.get("id") != pk):
        return None
    return data.get("id")


def _calendar(name: str) -> Calendar:
    return ical_calendar(name=name, prodid=PRODID)


def meeting_sequences(meetings) -> dict[int, int]:
    """SEQUENCE per meeting: how often it was changed after creation (the audit log counts it)."""
    from django.db.models import Count

    ids = [str(m.pk) for m in meetings]
    rows = (
        AuditEntry.objects.filter(model_label=Meeting._meta.label, object_id__in=ids, action="update")
        .values("object_id")
        .annotate(n=Count("id"))
    )
    return {int(r["object_id"]): r["n"] for r in rows}


def _event(meeting: Meeting, *, url: str = "", host: str = "localhost", sequence: int = 0) -> Event:
    event = Event()
    event.add("uid", ical_uid("meeting", meeting.pk, host))
    event.add("summary", f"{meeting.body}: {meeting.title}")
    start = meeting.starts_at.astimezone(datetime.UTC)
    event.add("dtstart", start)
    event.add("dtend", (meeting.ends_at or meeting.starts_at + datetime.timedelta(hours=2)).astimezone(datetime.UTC))
    event.add("dtstamp", (meeting.updated_at or timezone.now()).astimezone(datetime.UTC))
    event.add("last-modified", (meeting.updated_at or timezone.now()).astimezone(datetime.UTC))
    event.add("sequence", sequence)
    location = meeting.location or (meeting.video_url and "Videokonferenz") or ""
    if location:
        event.add("location", vText(location))
    description = []
    if meeting.video_url:
        description.append(f"Videokonferenz: {meeting.video_url}")
    if meeting.is_synthetic:
        description.append("Beispieldaten (synthetisch).")
    if url:
        description.append(url)
        event.add("url", url)
    if description:
        event.add("description", "\n".join(description))
    event.add("status", "CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED")
    return event


def meetings_ical(name: str, meetings, *, url_for=None, host: str = "localhost") -> bytes:
    cal = _calendar(name)
    meetings = list(meetings)
    sequences = meeting_sequences(meetings)
    for meeting in meetings:
        cal.add_component(
            _event(meeting, url=url_for(meeting) if url_for else "", host=host, sequence=sequences.get(meeting.pk, 0))
        )
    return cal.to_ical()


def meeting_ical(meeting: Meeting, *, url: str = "", host: str = "localhost") -> bytes:
    cal = _calendar(str(meeting.body))
    cal.add_component(_event(meeting, url=url, host=host, sequence=meeting_sequences([meeting]).get(meeting.pk, 0)))
    return cal.to_ical()
