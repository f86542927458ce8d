"""OParl 1.1: every object the API returns validates against the specification's JSON schemas
(tests/network/fixtures/oparl, CC BY-SA 4.0, see its README.md), and nothing internal leaks."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlparse

import jsonschema
import pytest

from bildungskette.network import services

pytestmark = pytest.mark.django_db

SCHEMAS = {p.stem: json.loads(p.read_text()) for p in (Path(__file__).parent / "fixtures" / "oparl").glob("*.json")}
URL_FIELDS = {"id", "system", "body", "organization", "person", "meeting", "paper", "web", "accessUrl",
              "downloadUrl", "agendaItem", "file", "membership", "onBehalfOf", "subOrganizationOf"}


def validate(obj: dict) -> None:
    kind = obj["type"].rsplit("/", 1)[1]
    assert obj["type"] == f"https://schema.oparl.org/1.1/{kind}"
    jsonschema.validate(obj, SCHEMAS[kind], format_checker=jsonschema.FormatChecker())
    for key, value in obj.items():  # the schemas' "url" format is not checked by jsonschema itself
        if key in URL_FIELDS and isinstance(value, str):
            assert urlparse(value).scheme in ("http", "https"), (key, value)
        for nested in value if isinstance(value, list) else [value]:
            if isinstance(nested, dict) and "type" in nested:
                validate(nested)


def get(client, url: str) -> dict:
    response = client.get(url.replace("http://testserver", ""))
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/json")
    assert response["Access-Control-Allow-Origin"] == "*"
    return response.json()


def get_list(client, url: str) -> list[dict]:
    data = get(client, url)
    assert set(data["pagination"]) >= {"totalElements", "elementsPerPage", "currentPage", "totalPages"}
    for obj in data["data"]:
        validate(obj)
    return data["data"]


def test_system_body_and_all_lists_validate(client, net, published):
    system = get(client, "/oparl/v1/system")
    validate(system)
    assert system["oparlVersion"] == "https://schema.oparl.org/1.1/"
    bodies = get_list(client, system["body"])
    assert [b["name"] for b in bodies] == ["OloV-Region Kassel"]  # Bochum has no public body here
    body = bodies[0]
    validate(get(client, body["id"]))
    organizations = get_list(client, body["organization"])
    gremien = [o for o in organizations if o["organizationType"] == "Gremium"]
    assert [g["name"] for g in gremien] == ["OloV-Steuerungsgruppe Region Kassel"]  # not the internal FAG
    institutions = {o["name"] for o in organizations if o["organizationType"] == "Institution"}
    assert "Agentur für Arbeit Kassel" in institutions
    assert gremien[0]["memberCount"] == 3  # the IHK has left
    meetings = get_list(client, body["meeting"])
    assert [m["name"] for m in meetings] == ["2. Sitzung"]
    papers = get_list(client, body["paper"])
    assert {p["name"] for p in papers} == {"Datenbericht wird beauftragt.", "Börse im Mai."}
    assert all(p["paperType"] == "Beschluss" for p in papers)
    people = get_list(client, body["person"])
    assert [p["name"] for p in people] == ["Erika Beispiel"]  # the deputy did not consent to be listed
    files = get_list(client, body["file"])
    assert [f["name"] for f in files] == ["Zielvereinbarung (Entwurf)"]
    assert get_list(client, body["agendaItem"])
    memberships = get_list(client, body["membership"])
    assert len(memberships) == 4
    for m in memberships:
        validate(get(client, m["id"]))


def test_meeting_and_agenda_items_validate_and_hide_internal_items(client, published):
    meeting = get(client, f"/oparl/v1/meeting/{published['meeting'].pk}")
    validate(meeting)
    assert [(i["number"], i["name"], i["order"]) for i in meeting["agendaItem"]] == [
        ("1", "Regionale Zielvereinbarung", 1), ("2", "Ausbildungsbörse", 2), ("2.1", "Termin", 3)]
    assert meeting["agendaItem"][0]["resolutionText"] == "Datenbericht wird beauftragt."
    assert meeting["agendaItem"][0]["auxiliaryFile"][0]["name"] == "Zielvereinbarung (Entwurf)"
    assert meeting["invitation"]["mimeType"] == "application/pdf"
    assert client.get(urlparse(meeting["invitation"]["accessUrl"]).path)["Content-Type"] == "application/pdf"
    assert meeting["location"]["description"] == "Rathaus Kassel, Raum 101"
    validate(get(client, meeting["location"]["id"]))
    for item in meeting["agendaItem"]:
        validate(get(client, item["id"]))
    hidden = published["meeting"].agenda_items.get(title="Vertrauliches")
    assert client.get(f"/oparl/v1/agendaitem/{hidden.pk}").status_code == 404
    assert "Vertrauliches" not in json.dumps(meeting, ensure_ascii=False)
    assert "Räume reservieren" not in json.dumps(meeting, ensure_ascii=False)  # action items are internal


def test_internal_bodies_and_other_objects_are_not_published(client, net, published):
    internal_meeting = net.working_group.meetings.get()
    assert client.get(f"/oparl/v1/organization/{net.working_group.pk}").status_code == 404
    assert client.get(f"/oparl/v1/meeting/{internal_meeting.pk}").status_code == 404
    assert client.get(f"/oparl/v1/person/{net.deputy.pk}").status_code == 404
    assert client.get("/oparl/v1/body/bochum").status_code == 404


def test_lists_page_and_filter_by_modification(client, net, published, settings):
    from bildungskette.network import oparl

    for i in range(3):
        services.meeting_create(body=net.steering, title=f"Sitzung {i}", starts_at=published["meeting"].starts_at,
                                location="Kassel")
    original = oparl.PAGE_SIZE
    oparl.PAGE_SIZE = 2
    try:
        first = get(client, "/oparl/v1/body/olov-kassel/meetings")
        assert first["pagination"]["totalPages"] == 2 and len(first["data"]) == 2
        second = get(client, first["links"]["next"])
        assert len(second["data"]) == 2 and "next" not in second["links"]
    finally:
        oparl.PAGE_SIZE = original
    future = get(client, "/oparl/v1/body/olov-kassel/meetings?modified_since=2999-01-01T00:00:00%2B01:00")
    assert future["data"] == []
    assert client.get("/oparl/v1/body/olov-kassel/meetings?modified_since=gestern").status_code == 400
