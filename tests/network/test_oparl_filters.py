"""OParl list filters at their limits: ``modified_since`` / ``modified_until`` work on the time of
the last change (not the creation), ``created_since`` / ``created_until`` on the creation; both
ends are inclusive (OParl 1.1, 2.7: "since" ≥, "until" ≤)."""

from __future__ import annotations

import datetime
from urllib.parse import quote

import pytest
from django.utils import timezone
from freezegun import freeze_time

from bildungskette.network import services

pytestmark = pytest.mark.django_db

CREATED = timezone.make_aware(datetime.datetime(2026, 10, 1, 9, 0))
UPDATED = timezone.make_aware(datetime.datetime(2026, 11, 2, 14, 30))


def _iso(moment: datetime.datetime, seconds: int = 0) -> str:
    return quote((moment + datetime.timedelta(seconds=seconds)).isoformat())


@pytest.fixture
def changed_meeting(net):
    with freeze_time(CREATED):
        meeting = services.meeting_create(body=net.steering, title="Sitzung Herbst",
                                          starts_at=CREATED + datetime.timedelta(days=40), location="Kassel")
        untouched = services.meeting_create(body=net.steering, title="Sitzung unverändert",
                                            starts_at=CREATED + datetime.timedelta(days=50), location="Kassel")
    with freeze_time(UPDATED):
        services.meeting_update(meeting=meeting, location="Rathaus Kassel")
    meeting.refresh_from_db()
    assert meeting.created_at == CREATED and meeting.updated_at == UPDATED
    return meeting, untouched


def _titles(client, params: str, path: str = "/oparl/v1/body/olov-kassel/meetings") -> set[str]:
    response = client.get(f"{path}?{params}")
    assert response.status_code == 200
    return {m["name"] for m in response.json()["data"]}


@pytest.mark.parametrize(
    "params,expected",
    [
        # Just before and exactly at the update: the changed meeting is in; just after: out.
        (f"modified_since={_iso(UPDATED, -1)}", {"Sitzung Herbst"}),
        (f"modified_since={_iso(UPDATED)}", {"Sitzung Herbst"}),
        (f"modified_since={_iso(UPDATED, 1)}", set()),
        # Between creation and update: only the change counts, so the unchanged one is out.
        (f"modified_since={_iso(CREATED, 3600)}", {"Sitzung Herbst"}),
        (f"modified_until={_iso(CREATED, 3600)}", {"Sitzung unverändert"}),
        (f"modified_until={_iso(UPDATED)}", {"Sitzung Herbst", "Sitzung unverändert"}),
        (f"modified_until={_iso(UPDATED, -1)}", {"Sitzung unverändert"}),
        # Creation filters ignore the later change.
        (f"created_since={_iso(CREATED, 3600)}", set()),
        (f"created_since={_iso(CREATED)}", {"Sitzung Herbst", "Sitzung unverändert"}),
        (f"created_until={_iso(CREATED)}", {"Sitzung Herbst", "Sitzung unverändert"}),
        (f"created_until={_iso(CREATED, -1)}", set()),
    ],
)
def test_meeting_list_filters(client, changed_meeting, params, expected):
    assert _titles(client, params) == expected


def test_organization_meetings_filter_on_the_change_too(client, net, changed_meeting):
    path = f"/oparl/v1/organization/{net.steering.pk}/meetings"
    assert _titles(client, f"modified_since={_iso(CREATED, 3600)}", path) == {"Sitzung Herbst"}
    assert _titles(client, f"modified_since={_iso(UPDATED, 1)}", path) == set()


def test_a_time_without_offset_is_local_time(client, changed_meeting):
    local = timezone.localtime(UPDATED).replace(tzinfo=None)
    assert _titles(client, f"modified_since={quote(local.isoformat())}") == {"Sitzung Herbst"}
    later = local + datetime.timedelta(seconds=1)
    assert _titles(client, f"modified_since={quote(later.isoformat())}") == set()


def test_a_bad_time_is_a_400_with_the_parameter_named(client, changed_meeting):
    response = client.get("/oparl/v1/body/olov-kassel/meetings?modified_until=morgen")
    assert response.status_code == 400
    assert "modified_until" in response.content.decode()


def test_an_unencoded_plus_in_the_offset_still_counts(client, changed_meeting):
    # "…+01:00" typed into a URL arrives as "… 01:00" (a plus means a space in query strings).
    raw = timezone.localtime(UPDATED + datetime.timedelta(seconds=1)).isoformat()
    assert "+" in raw
    assert _titles(client, f"modified_since={raw}") == set()
    raw_before = timezone.localtime(UPDATED - datetime.timedelta(seconds=1)).isoformat()
    assert _titles(client, f"modified_since={raw_before}") == {"Sitzung Herbst"}
