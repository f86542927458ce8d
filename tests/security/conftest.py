"""One small world for the standing security suite: a tenant with two schools (each with its
transition manager and pupils), every other role, roles tied to school A that are not transition
management, the platform's superuser, a company whose event both schools booked with its contact,
and a second tenant with its own transition manager."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from bildungskette.core.models import Role
from tests.transitions import conftest as _transitions

# The transition tests' fixtures, reused (two schools of one tenant with their managers).
kaoa = _transitions.kaoa
school_factory = _transitions.school_factory
school_a = _transitions.school_a
school_b = _transitions.school_b
manager_a = _transitions.manager_a
manager_b = _transitions.manager_b
student_factory = _transitions.student_factory


@dataclass
class World:
    tenant: object
    school_a: object
    school_b: object
    pupil_a: object
    pupil_b: object
    follow_up_a: object
    event: object
    booking_a: object
    booking_b: object
    company: object
    contact: object
    users: dict = field(default_factory=dict)


@pytest.fixture
def world(tenant, other_tenant, make_user, school_a, school_b, manager_a, manager_b, student_factory,
          school_factory) -> World:
    from bildungskette.core.services import user_ensure
    from bildungskette.organisations.models import Organisation, OrganisationType
    from bildungskette.transitions.models import CompanyContact
    from bildungskette.transitions.services import booking_create, event_create, follow_up_open

    pupil_a = student_factory(school_a, class_name="9a")
    pupil_b = student_factory(school_b, class_name="9a")
    follow_up_a = follow_up_open(student=pupil_a, reason="unknown", due_on=datetime.date(2026, 12, 15))
    company = Organisation.objects.create(tenant=tenant, name="Elektro Welt GmbH", type=OrganisationType.BETRIEB)
    starts = timezone.now() + datetime.timedelta(days=10)
    event = event_create(tenant=tenant, organisation=company, title="E-Craft", starts_at=starts,
                         ends_at=starts + datetime.timedelta(hours=3), location="Kassel", capacity=10)
    booking_a = booking_create(event=event, student=pupil_a)
    booking_b = booking_create(event=event, student=pupil_b)
    contact = CompanyContact.objects.create(tenant=tenant, organisation=company, name="Frau Betrieb",
                                            email="ausbildung@elektro-welt.example")
    other_school = school_factory("HE-9999", "Schule im anderen Mandanten", tenant_=other_tenant)
    root = user_ensure(username="root", password="Root-Passwort-2026")
    root.is_superuser = root.is_staff = True
    root.save()
    org_a = school_a.organisation
    users = {
        "tm_a": manager_a,
        "tm_b": manager_b,
        "tenant_admin": make_user(role=Role.TENANT_ADMIN, tenant=tenant),
        "coordination": make_user(role=Role.COORDINATION, tenant=tenant),
        "coordination_at_school_a": make_user(role=Role.COORDINATION, tenant=tenant, organisation=org_a),
        "partner_at_school_a": make_user(role=Role.PARTNER, tenant=tenant, organisation=org_a),
        "monitoring": make_user(role=Role.MONITORING, tenant=tenant),
        "data_protection": make_user(role=Role.DATA_PROTECTION, tenant=tenant),
        "tm_other_tenant": make_user(role=Role.TRANSITION_MANAGER, tenant=other_tenant,
                                     organisation=other_school.organisation),
        "superuser": root,
    }
    return World(tenant=tenant, school_a=school_a, school_b=school_b, pupil_a=pupil_a, pupil_b=pupil_b,
                 follow_up_a=follow_up_a, event=event, booking_a=booking_a, booking_b=booking_b, company=company,
                 contact=contact, users=users)


def person_urls(w: World) -> list[str]:
    """Every page and API that shows pupils of school A."""
    a, s = w.school_a.pk, w.pupil_a.pk
    return [
        f"/uebergaenge/schulen/{a}/",
        f"/uebergaenge/schulen/{a}/klassen/9a/",
        f"/uebergaenge/schulen/{a}/klassen/9a/anschluesse/",
        f"/uebergaenge/schulen/{a}/september-garantie/",
        f"/uebergaenge/schueler/{s}/",
        f"/uebergaenge/schueler/{s}/auskunft/",
        f"/uebergaenge/schueler/{s}/loeschen/",
        f"/uebergaenge/nachverfolgung/{w.follow_up_a.pk}/",
        "/uebergaenge/nachverfolgung/",
        f"/uebergaenge/veranstaltungen/{w.event.pk}/",
        f"/api/transitions/schools/{a}/students",
    ]
