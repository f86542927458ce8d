"""A small network for the tests: a steering group of the OloV-Region Kassel (tenant) with four real
member institutions from seed 000, delegates with e-mail addresses, and one internal working group;
plus a body of another tenant (Bochum) that nobody in Kassel may see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from bildungskette.core.models import Role
from bildungskette.network import services
from bildungskette.network.models import BodyType, MembershipRole
from bildungskette.organisations.models import OrganisationType as T
from bildungskette.organisations.services import organisation_create, person_create


@dataclass
class Net:
    tenant: object
    other_tenant: object
    steering: object
    working_group: object
    other_body: object
    agentur: object
    schulamt: object
    stadt: object
    ihk: object
    bochum_agentur: object
    delegate: object
    deputy: object
    users: dict


def at(days: int, hour: int = 10) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour, 0))


@pytest.fixture
def net(tenant, other_tenant, make_user) -> Net:
    agentur = organisation_create(tenant=tenant, name="Agentur für Arbeit Kassel", type=T.AGENTUR_FUER_ARBEIT,
                                  email="kassel@example.org")
    schulamt = organisation_create(tenant=tenant, name="Staatliches Schulamt für den Landkreis und die Stadt Kassel",
                                   type=T.SCHULAMT)
    stadt = organisation_create(tenant=tenant, name="Stadt und Landkreis Kassel", type=T.KOMMUNE,
                                email="olov@example.org")
    ihk = organisation_create(tenant=tenant, name="IHK Kassel-Marburg", type=T.IHK)
    bochum_agentur = organisation_create(tenant=other_tenant, name="Agentur für Arbeit Bochum",
                                         type=T.AGENTUR_FUER_ARBEIT)
    delegate = person_create(tenant=tenant, organisation=agentur, name="Erika Beispiel",
                             email="erika.beispiel@example.org", consent_to_list=True)
    deputy = person_create(tenant=tenant, organisation=agentur, name="Max Vertretung",
                           email="max.vertretung@example.org")
    steering = services.body_create(tenant=tenant, name="OloV-Steuerungsgruppe Region Kassel", short_name="OloV-SG",
                                    type=BodyType.STEERING_GROUP, is_public=True,
                                    key_partner_types=[T.AGENTUR_FUER_ARBEIT, T.SCHULAMT, T.JOBCENTER])
    services.membership_add(body=steering, organisation=agentur, role=MembershipRole.CO_CHAIR,
                            delegates=[delegate], deputies=[deputy])
    services.membership_add(body=steering, organisation=schulamt, role=MembershipRole.CO_CHAIR)
    services.membership_add(body=steering, organisation=stadt, role=MembershipRole.SECRETARIAT)
    services.membership_add(body=steering, organisation=ihk, role=MembershipRole.MEMBER,
                            end_date=timezone.localdate() - datetime.timedelta(days=30))
    working_group = services.body_create(tenant=tenant, name="Facharbeitsgruppe Übergang", parent=steering,
                                         type=BodyType.WORKING_GROUP, is_public=False)
    services.membership_add(body=working_group, organisation=stadt, role=MembershipRole.MEMBER)
    other_body = services.body_create(tenant=other_tenant, name="Steuerungsgremium KAoA Bochum",
                                      type=BodyType.STEERING_GROUP, is_public=False)
    services.membership_add(body=other_body, organisation=bochum_agentur, role=MembershipRole.MEMBER)
    users = {
        "coordination": make_user(role=Role.COORDINATION, tenant=tenant, username="koordination"),
        "admin": make_user(role=Role.TENANT_ADMIN, tenant=tenant, username="admin-kassel"),
        "monitoring": make_user(role=Role.MONITORING, tenant=tenant, username="monitoring"),
        "partner": make_user(role=Role.PARTNER, tenant=tenant, organisation=agentur, username="partner"),
        "ihk_partner": make_user(role=Role.PARTNER, tenant=tenant, organisation=ihk, username="ihk"),
        "other_coordination": make_user(role=Role.COORDINATION, tenant=other_tenant, username="bochum-koordination"),
        "other_partner": make_user(role=Role.PARTNER, tenant=other_tenant, organisation=bochum_agentur,
                                   username="bochum-partner"),
    }
    return Net(tenant, other_tenant, steering, working_group, other_body, agentur, schulamt, stadt, ihk,
               bochum_agentur, delegate, deputy, users)


@pytest.fixture
def meeting_with_minutes(net):
    """A held meeting with a two-level agenda, two decisions and three action items (one overdue)."""
    meeting = services.meeting_create(body=net.steering, title="2. Sitzung", starts_at=at(-10), ends_at=at(-10, 12),
                                      location="Rathaus Kassel, Raum 101")
    top1 = services.agenda_item_add(meeting=meeting, title="Regionale Zielvereinbarung", presenter="Koordination",
                                    duration_minutes=30)
    top2 = services.agenda_item_add(meeting=meeting, title="Ausbildungsbörse", duration_minutes=20)
    services.agenda_item_add(meeting=meeting, parent=top2, title="Termin", duration_minutes=10)
    services.agenda_item_add(meeting=meeting, title="Vertrauliches", is_public=False)
    d1 = services.decision_record(meeting=meeting, agenda_item=top1, text="Datenbericht wird beauftragt.")
    d2 = services.decision_record(meeting=meeting, agenda_item=top2, text="Börse im Mai.", votes_yes=3,
                                  votes_no=0, votes_abstain=1)
    today = timezone.localdate()
    items = [
        services.action_item_create(body=net.steering, decision=d1, title="Datenbericht vorlegen",
                                    owner_organisation=net.stadt, due_date=today - datetime.timedelta(days=2)),
        services.action_item_create(body=net.steering, decision=d2, title="Räume reservieren",
                                    owner_organisation=net.agentur, owner_person=net.delegate,
                                    due_date=today + datetime.timedelta(days=20)),
        services.action_item_create(body=net.steering, decision=d2, title="Schulen informieren",
                                    owner_organisation=net.schulamt, due_date=today + datetime.timedelta(days=30)),
    ]
    return {"meeting": meeting, "decisions": [d1, d2], "items": items, "top1": top1, "top2": top2}


def _load_network_demo() -> None:
    """Only what the network demo builds on: tenants and accounts (core demo), the seed organisations
    of organisations.demo (without importing the official school lists, which takes long) and the
    partner account of the Agentur für Arbeit Kassel; then the network demo itself."""
    from bildungskette.core.demo import DEMO_PASSWORD
    from bildungskette.core.demo import demo_load as core_demo
    from bildungskette.core.models import Tenant
    from bildungskette.core.services import role_assign, user_ensure
    from bildungskette.network.demo import demo_load as network_demo
    from bildungskette.organisations import demo as organisations_demo
    from bildungskette.organisations.services import organisation_ensure
    from bildungskette.regions.selectors import region_by_code

    core_demo()
    tenants = {t.slug: t for t in Tenant.objects.all()}
    for slug, rows in [("olov-kassel", organisations_demo.KASSEL_STEERING_GROUP + organisations_demo.KASSEL_OTHERS),
                       ("bochum", organisations_demo.BOCHUM_STEERING_GROUP + organisations_demo.BOCHUM_OTHERS)]:
        for name, short, type_, region in rows:
            organisation_ensure(tenant=tenants[slug], name=name, type=type_, short_name=short,
                                region=region_by_code(region))
    partner = user_ensure(username="kassel.partner", password=DEMO_PASSWORD, display_name="Agentur für Arbeit Kassel")
    role_assign(user=partner, tenant=tenants["olov-kassel"], role=Role.PARTNER,
                organisation=tenants["olov-kassel"].organisations.get(name="Agentur für Arbeit Kassel"))
    network_demo()


@pytest.fixture
def network_demo(db):
    _load_network_demo()


@pytest.fixture
def network_demo_live(db):
    _load_network_demo()


@pytest.fixture
def published(net, meeting_with_minutes, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path

    services.document_attach(tenant=net.tenant, title="Zielvereinbarung (Entwurf)",
                             uploaded=SimpleUploadedFile("ziel.pdf", b"%PDF-1.4 test", "application/pdf"),
                             agenda_item=meeting_with_minutes["top1"], meeting=meeting_with_minutes["meeting"])
    secret = meeting_with_minutes["meeting"].agenda_items.get(title="Vertrauliches")
    services.document_attach(tenant=net.tenant, title="Personalsache",
                             uploaded=SimpleUploadedFile("p.pdf", b"%PDF-1.4 geheim", "application/pdf"),
                             agenda_item=secret, meeting=meeting_with_minutes["meeting"])
    services.meeting_create(body=net.working_group, title="Interne FAG-Sitzung", starts_at=meeting_with_minutes[
        "meeting"].starts_at, location="Kassel")
    return meeting_with_minutes
