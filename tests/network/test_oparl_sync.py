"""OParl that syncs: created/modified everywhere, modified_since on the modification time,
deleted objects for syncing clients, limit, pages past the end, JSON errors, and a crawl of a
body with more than 100 meetings that follows every link once and validates every object."""

from __future__ import annotations

import datetime
from collections import Counter
from urllib.parse import parse_qs, urlparse

import pytest
from django.utils import timezone
from freezegun import freeze_time

from bildungskette.network import services

from .conftest import at
from .test_oparl import get, validate

pytestmark = pytest.mark.django_db
MEETINGS = "/oparl/v1/body/olov-kassel/meetings"


def _objects(value):
    """Every OParl object in a response, nested ones included."""
    if isinstance(value, dict):
        if "type" in value and str(value["type"]).startswith("https://schema.oparl.org/"):
            yield value
        for nested in value.values():
            yield from _objects(nested)
    elif isinstance(value, list):
        for nested in value:
            yield from _objects(nested)


def _links(value):
    if isinstance(value, dict):
        for nested in value.values():
            yield from _links(nested)
    elif isinstance(value, list):
        for nested in value:
            yield from _links(nested)
    elif isinstance(value, str) and value.startswith("http://testserver/oparl/"):
        yield value


@pytest.fixture
def many_meetings(published, net):
    start = at(-400)
    for i in range(120):
        services.meeting_create(body=net.steering, title=f"Sitzung {i + 3}",
                                starts_at=start + datetime.timedelta(days=i), location=f"Raum {i}")
    return published


def test_crawl_visits_every_page_once_and_every_object_validates(client, many_meetings):
    seen: Counter = Counter()
    queue = ["http://testserver/oparl/v1/system"]
    objects = 0
    meeting_ids = set()
    while queue:
        url = queue.pop()
        if seen[url]:
            continue
        seen[url] += 1
        data = get(client, url)
        for obj in _objects(data):
            objects += 1
            validate(obj)
            assert obj.get("created") and obj.get("modified"), obj["id"]
            if obj["type"].endswith("/Meeting"):
                meeting_ids.add(obj["id"])
        queue.extend(link for link in _links(data) if not seen[link])
    meeting_pages = [u for u in seen if urlparse(u).path == MEETINGS]
    pages = sorted(parse_qs(urlparse(u).query).get("page", ["1"])[0] for u in meeting_pages)
    # the list without ?page= (from the Body) and page=1 are the same page under two URLs
    assert sorted(set(pages)) == ["1", "2"] and max(seen.values()) == 1
    assert len(meeting_ids) == 121 and objects > 600
    first = get(client, MEETINGS)
    assert first["pagination"] == {"totalElements": 121, "elementsPerPage": 100, "currentPage": 1, "totalPages": 2}
    last = get(client, first["links"]["last"])
    assert len(last["data"]) == 21 and "next" not in last["links"] and last["links"]["prev"]


def test_limit_is_honoured_up_to_the_maximum(client, many_meetings):
    page = get(client, MEETINGS + "?limit=7&page=3")
    assert len(page["data"]) == 7 and page["pagination"]["elementsPerPage"] == 7
    assert page["pagination"]["totalPages"] == 18  # 121 / 7, rounded up
    assert "limit=7" in page["links"]["next"] and "page=4" in page["links"]["next"]
    everything = get(client, MEETINGS + "?limit=100000")
    assert everything["pagination"]["elementsPerPage"] == 1000 and len(everything["data"]) == 121


@pytest.mark.parametrize("query,status,words", [
    ("modified_since=garbage", 400, "modified_since"),
    ("created_until=2026-13-45", 400, "created_until"),
    ("limit=0", 400, "limit"),
    ("limit=zehn", 400, "limit"),
    ("page=-1", 400, "page"),
    ("page=999", 404, "Seite 999"),
])
def test_invalid_parameters_answer_with_a_json_error(client, published, query, status, words):
    response = client.get(f"{MEETINGS}?{query}")
    assert response.status_code == status
    body = response.json()
    assert body["type"] == "Error" and body["status"] == status and words in body["message"]
    assert response["Access-Control-Allow-Origin"] == "*"


def test_unknown_object_answers_json_404(client, published):
    response = client.get("/oparl/v1/meeting/987654")
    assert response.status_code == 404 and response.json()["type"] == "Error"


def _iso(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).isoformat()


def test_modified_since_uses_the_modification_time_not_the_creation(client, net):
    t0 = timezone.make_aware(datetime.datetime(2026, 3, 1, 9, 0))
    t1 = timezone.make_aware(datetime.datetime(2026, 6, 1, 9, 0))
    second = datetime.timedelta(seconds=1)
    with freeze_time(t0):
        meeting = services.meeting_create(body=net.steering, title="Frühjahr", starts_at=at(5), location="Kassel")
    with freeze_time(t1):
        services.meeting_update(meeting=meeting, title="Frühjahr (verlegt)")

    def names(**params):
        query = "&".join(f"{k}={_iso(v).replace('+', '%2B')}" for k, v in params.items())
        return [m["name"] for m in get(client, f"{MEETINGS}?{query}")["data"]]

    assert names(modified_since=t1 - second) == ["Frühjahr (verlegt)"]
    assert names(modified_since=t1) == ["Frühjahr (verlegt)"]  # the bound is inclusive
    assert names(modified_since=t1 + second) == []
    assert names(modified_until=t1 - second) == []
    assert names(modified_until=t1) == ["Frühjahr (verlegt)"]
    assert names(created_since=t0 + second) == []
    assert names(created_until=t0) == ["Frühjahr (verlegt)"]
    item = get(client, MEETINGS)["data"][0]
    assert item["created"] == _iso(t0) and item["modified"] == _iso(t1)


def test_a_changed_agenda_item_makes_its_meeting_modified(client, net):
    t0 = timezone.make_aware(datetime.datetime(2026, 3, 1, 9, 0))
    t1 = timezone.make_aware(datetime.datetime(2026, 6, 1, 9, 0))
    with freeze_time(t0):
        meeting = services.meeting_create(body=net.steering, title="Sitzung", starts_at=at(5))
        item = services.agenda_item_add(meeting=meeting, title="Bericht")
    with freeze_time(t1):
        services.agenda_item_update(item=item, title="Bericht der Koordination")
    since = _iso(t1 - datetime.timedelta(seconds=1)).replace("+", "%2B")
    data = get(client, f"{MEETINGS}?modified_since={since}")["data"]
    assert [m["name"] for m in data] == ["Sitzung"] and data[0]["modified"] == _iso(t1)
    assert data[0]["agendaItem"][0]["modified"] == _iso(t1) and data[0]["agendaItem"][0]["created"] == _iso(t0)
    items = get(client, f"/oparl/v1/body/olov-kassel/agendaitems?modified_since={since}")["data"]
    assert [i["name"] for i in items] == ["Bericht der Koordination"]


def test_deleted_objects_reach_syncing_clients(client, net, published):
    meeting = published["meeting"]
    termin = meeting.agenda_items.get(title="Termin")
    termin_pk, meeting_pk = termin.pk, meeting.pk
    deleted_at = timezone.make_aware(datetime.datetime(2026, 11, 30, 12, 0))
    with freeze_time(deleted_at):
        services.agenda_item_delete(item=termin)
        meeting.delete()
    since = "2026-11-30T11:00:00%2B01:00"
    listed = get(client, f"{MEETINGS}?modified_since={since}")["data"]
    tomb = next(m for m in listed if m.get("deleted"))
    assert tomb["id"] == f"http://testserver/oparl/v1/meeting/{meeting_pk}" and tomb["modified"] == _iso(deleted_at)
    validate(tomb)
    assert all(not m.get("deleted") for m in get(client, MEETINGS)["data"])  # plain lists show only live objects
    assert get(client, f"{MEETINGS}?modified_since=2026-11-30T13:00:01%2B01:00")["data"] == []
    assert get(client, f"/oparl/v1/meeting/{meeting_pk}") == tomb
    items = get(client, f"/oparl/v1/body/olov-kassel/agendaitems?modified_since={since}")["data"]
    assert {i["id"].rsplit("/", 1)[1] for i in items if i.get("deleted")} >= {str(termin_pk)}
    for obj in items:
        validate(obj)
    papers = get(client, f"/oparl/v1/body/olov-kassel/papers?modified_since={since}")["data"]
    assert len([p for p in papers if p.get("deleted")]) == 2  # the meeting's decisions went with it
    internal = net.working_group.meetings.get()
    internal.delete()
    assert client.get(f"/oparl/v1/meeting/{internal.pk or 0}").status_code == 404  # never public, no tombstone
