"""The standing matrix: role × URL × own/other school. Only school A's transition manager reads
school A's pupils: not school B's manager, not roles tied to school A that are not transition
management (partner, coordination at the school), not tenant-wide roles, not the other tenant, not
the superuser. Reads go through direct URLs and through the company portal."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from .conftest import person_urls

pytestmark = pytest.mark.django_db

def pages_listing_pupil_a(w) -> set[str]:
    a, s = w.school_a.pk, w.pupil_a.pk
    return {f"/uebergaenge/schulen/{a}/klassen/9a/", f"/uebergaenge/schueler/{s}/",
            f"/uebergaenge/schueler/{s}/auskunft/", f"/uebergaenge/schueler/{s}/loeschen/",
            "/uebergaenge/nachverfolgung/", f"/uebergaenge/veranstaltungen/{w.event.pk}/",
            f"/api/transitions/schools/{a}/students"}


OUTSIDERS = ["tm_b", "tenant_admin", "coordination", "coordination_at_school_a", "partner_at_school_a",
             "monitoring", "data_protection", "tm_other_tenant", "superuser"]


def test_own_transition_manager_reads_own_pupils(client_as, world):
    client = client_as(world.users["tm_a"])
    for url in person_urls(world):
        response = client.get(url)
        assert response.status_code == 200, url
        if url in pages_listing_pupil_a(world):
            assert world.pupil_a.pseudonym in response.content.decode(), url
        assert world.pupil_b.pseudonym not in response.content.decode(), url


@pytest.mark.parametrize("role", OUTSIDERS)
def test_nobody_else_reads_school_a_pupils(client_as, world, role):
    client = client_as(world.users[role])
    for url in person_urls(world):
        response = client.get(url)
        body = response.content.decode(errors="replace")
        assert world.pupil_a.pseudonym not in body, f"{role} reads {url}"
        if url.startswith("/uebergaenge/schueler/") or "/schulen/" in url and "/api/" not in url:
            assert response.status_code in (302, 403, 404), f"{role} {url} → {response.status_code}"


@pytest.mark.parametrize("role", [r for r in OUTSIDERS if r != "data_protection"] + ["tm_a"])
def test_access_log_only_for_data_protection(client_as, world, role):
    assert client_as(world.users[role]).get("/uebergaenge/datenschutz/").status_code in (302, 403)


def test_data_protection_reads_the_access_log(client_as, world):
    assert client_as(world.users["data_protection"]).get("/uebergaenge/datenschutz/").status_code == 200


@pytest.mark.parametrize("role", OUTSIDERS + ["tm_a"])
def test_indirect_path_through_the_company_portal(client, world, role):
    """The attack: add the own address as a company contact, request the link, sign in as the
    company, read and touch the bookings of the school(s). Only tenant-wide administration and
    coordination may add contacts (their scope covers every school); for everyone else the path is
    closed at the first step."""
    client.force_login(world.users[role], backend="django.contrib.auth.backends.ModelBackend")
    email = f"{role}@angriff.example"
    response = client.post("/uebergaenge/veranstaltungen/betriebskontakte/",
                           {"organisation": world.company.pk, "name": role, "email": email})
    tenant_wide = role in {"tenant_admin", "coordination"}
    assert (response.status_code == 302) is tenant_wide, f"{role}: {response.status_code}"
    client.logout()
    client.post("/uebergaenge/betriebe/anmelden/", {"email": email})
    assert len(mail.outbox) == (1 if tenant_wide else 0)
    if tenant_wide:
        return
    portal = client.get(f"/uebergaenge/betriebe/veranstaltungen/{world.event.pk}/")
    assert portal.status_code == 403 and world.pupil_b.pseudonym not in portal.content.decode()
    client.post(f"/uebergaenge/betriebe/buchungen/{world.booking_b.pk}/bestaetigen/")
    world.booking_b.refresh_from_db()
    assert world.booking_b.status == "requested"


def test_the_company_sees_only_bookings_of_its_events(client, world, tenant):
    from bildungskette.organisations.models import Organisation, OrganisationType
    from bildungskette.transitions.models import CompanyContact

    other = Organisation.objects.create(tenant=tenant, name="Andere AG", type=OrganisationType.BETRIEB)
    CompanyContact.objects.create(tenant=tenant, organisation=other, name="Herr Anders", email="a@andere.example")
    client.post("/uebergaenge/betriebe/anmelden/", {"email": "a@andere.example"})
    token = re.search(r"/betriebe/link/([^/\s]+)/", mail.outbox[-1].body).group(1)
    client.post("/uebergaenge/betriebe/link/", {"token": token})
    assert client.get("/uebergaenge/betriebe/").status_code == 200
    assert client.get(f"/uebergaenge/betriebe/veranstaltungen/{world.event.pk}/").status_code == 404
    assert client.post(f"/uebergaenge/betriebe/buchungen/{world.booking_a.pk}/bestaetigen/").status_code == 404


@pytest.mark.parametrize(("role", "status"), [("tenant_admin", 200), ("superuser", 403), ("tm_a", 403),
                                              ("coordination", 403), ("data_protection", 403)])
def test_change_log_only_for_the_tenants_own_administrators(client_as, world, role, status):
    assert client_as(world.users[role]).get("/protokoll/").status_code == status
