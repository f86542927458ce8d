"""Every page with person-level data is sent with ``Cache-Control: no-store``. The walk takes every
URL pattern of the transition area (pages, company portal, access log, Art. 15 export, API) and
the audit log, fills in the world's ids, and requests each as the person allowed to see it."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from bildungskette.transitions.services import company_link_token

pytestmark = pytest.mark.django_db

PUBLIC = {"/uebergaenge/veranstaltungen.ics"}  # the public calendar feed may be cached


def _patterns(resolver, prefix=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from _patterns(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def _fill(route: str, w) -> str:
    values = {"class_name": "9a", "token": company_link_token(w.contact), "consent_pk": "1",
              "uidb64": "x", "token2": "x"}
    if route.startswith(("uebergaenge/schulen/", "api/transitions/schools/")):
        values["pk"] = str(w.school_a.pk)
    elif route.startswith("uebergaenge/schueler/"):
        values["pk"] = str(w.pupil_a.pk)
    elif route.startswith("uebergaenge/nachverfolgung/"):
        values["pk"] = str(w.follow_up_a.pk)
    elif "buchungen" in route:
        values["pk"] = str(w.booking_a.pk)
    else:
        values["pk"] = str(w.event.pk)
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], route)


def person_level_routes() -> list[str]:
    routes = [r for r in _patterns(get_resolver())
              if r.startswith(("uebergaenge/", "api/transitions/", "protokoll/", "konto/"))]
    assert len(routes) > 40  # the walk really covers the area
    return routes


def test_every_person_level_page_is_no_store(client, client_as, world):
    routes = person_level_routes()
    staff = {"uebergaenge/datenschutz/": "data_protection", "protokoll/": "tenant_admin",
             "uebergaenge/statistik/": "coordination", "uebergaenge/statistik.csv": "coordination"}
    checked = 0
    for route in routes:
        url = _fill(route, world)
        if url in PUBLIC:
            continue
        if route.startswith("uebergaenge/betriebe/"):
            client.logout()
            client.post("/uebergaenge/betriebe/link/", {"token": company_link_token(world.contact)})
        else:
            client_as(world.users[staff.get(route, "tm_a")])
        response = client.get(url)
        assert "no-store" in response.get("Cache-Control", ""), f"{url} ({response.status_code})"
        checked += 1
    assert checked == len(routes) - len(PUBLIC)


def test_the_pages_that_matter_really_answer_200(client, client_as, world):
    """The walk above must not pass on error pages only: the main pages answer with content."""
    client_as(world.users["tm_a"])
    for url in [f"/uebergaenge/schueler/{world.pupil_a.pk}/", f"/uebergaenge/schueler/{world.pupil_a.pk}/auskunft/",
                f"/uebergaenge/schulen/{world.school_a.pk}/klassen/9a/", "/uebergaenge/nachverfolgung/"]:
        response = client.get(url)
        assert response.status_code == 200 and "no-store" in response["Cache-Control"], url
    client_as(world.users["data_protection"])
    assert "no-store" in client.get("/uebergaenge/datenschutz/")["Cache-Control"]
    client_as(world.users["tenant_admin"])
    response = client.get("/protokoll/")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    client.logout()
    client.post("/uebergaenge/betriebe/link/", {"token": company_link_token(world.contact)})
    response = client.get(f"/uebergaenge/betriebe/veranstaltungen/{world.event.pk}/")
    assert response.status_code == 200 and world.pupil_a.pseudonym in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_public_pages_stay_cacheable(client, world):
    assert "no-store" not in client.get("/gebiete/").get("Cache-Control", "")
