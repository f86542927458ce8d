"""iCalendar (RFC 5545) pieces shared by every feed: globally unique UIDs and calendars that are
never empty of components."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Timezone


def calendar_host(request) -> str:
    """The installation's host name for UIDs: ``BILDUNGSKETTE_HOST`` if set, else the request's host."""
    configured = getattr(settings, "BILDUNGSKETTE_HOST", "")
    return configured or request.get_host().rsplit(":", 1)[0].strip("[]") or "localhost"


def ical_uid(kind: str, pk: int, host: str) -> str:
    """``<kind>-<id>@<host>``: unique across installations (RFC 5545 §3.8.4.7 recommends the host part)."""
    return f"{kind}-{pk}@{host}"


def ical_calendar(*, name: str, prodid: str) -> Calendar:
    """A calendar with the installation's time zone as VTIMEZONE, so a feed without events still
    holds a component (RFC 5545 requires at least one) and clients show local times."""
    cal = Calendar()
    cal.add("prodid", prodid)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    tzid = timezone.get_current_timezone_name()
    cal.add("x-wr-timezone", tzid)
    today = timezone.localdate()
    cal.add_component(
        Timezone.from_tzid(tzid, first_date=datetime.date(today.year - 5, 1, 1),
                           last_date=datetime.date(today.year + 5, 12, 31))
    )
    return cal
