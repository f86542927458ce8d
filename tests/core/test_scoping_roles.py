"""Every role against own and foreign objects, for each selector and permission that guards
person-level or tenant data – including roles tied to the same organisation (a partner or a
coordination account at the school itself), which must not read the school's pupils.

The expected outcome for each role is written out in tables (from the role model in
docs/architecture.md and the domain README), not derived from the code's predicates.
"""

from __future__ import annotations

import pytest
import rules
from django.contrib import admin
from django.http import Http404

from bildungskette.core.models import Role
from bildungskette.core.rules import acts_for_organisation
from bildungskette.organisations.models import Organisation, OrganisationType
from bildungskette.organisations.services import person_create
from bildungskette.transitions.selectors import (
    can_see_aggregates,
    school_get,
    schools_managed_by,
    student_get,
    students_visible_to,
)

pytestmark = pytest.mark.django_db

ALL_ROLES = [Role.TENANT_ADMIN, Role.COORDINATION, Role.MONITORING, Role.TRANSITION_MANAGER, Role.PARTNER,
             Role.DATA_PROTECTION]


@pytest.fixture
def schools(tenant, other_tenant):
    from bildungskette.regions.selectors import region_by_code
    from bildungskette.transitions.services import school_ensure, student_create

    def school(external_id, name, t):
        org = Organisation.objects.create(external_id=external_id, name=name, type=OrganisationType.SCHULE,
                                          region=region_by_code("06611000"))
        return school_ensure(tenant=t, organisation=org)

    a = school("HE-9203", "Offene Schule Waldau", tenant)
    b = school("HE-7113", "Fasanenhofschule", tenant)
    foreign = school("NRW-1", "Schule in Bochum", other_tenant)
    pupils = {s: student_create(school=s, grade=9, class_name="9a", identity=f"test|{s.pk}") for s in (a, b, foreign)}
    return a, b, foreign, pupils


# Whose pupils each account may read (school A's, B's, the foreign tenant's); only the transition
# manager of exactly that school, in that school's tenant.
PERSON_LEVEL = [
    # role, tenant ("own"/"other"), tied to ("a"/"b"/"foreign"/None), visible schools
    (Role.TRANSITION_MANAGER, "own", "a", {"a"}),
    (Role.TRANSITION_MANAGER, "own", "b", {"b"}),
    (Role.TRANSITION_MANAGER, "other", "foreign", {"foreign"}),
    (Role.TRANSITION_MANAGER, "other", "a", set()),  # school A's organisation, but in the other tenant
    (Role.PARTNER, "own", "a", set()),  # a partner tied to the school itself
    (Role.COORDINATION, "own", "a", set()),  # coordination at the school itself
    (Role.MONITORING, "own", "a", set()),
    (Role.TENANT_ADMIN, "own", "a", set()),
    (Role.DATA_PROTECTION, "own", "a", set()),
    (Role.COORDINATION, "own", None, set()),
    (Role.MONITORING, "own", None, set()),
    (Role.TENANT_ADMIN, "own", None, set()),
    (Role.DATA_PROTECTION, "own", None, set()),
    (Role.PARTNER, "own", None, set()),
]


@pytest.mark.parametrize("role,where,tied_to,visible", PERSON_LEVEL)
def test_who_reads_which_pupils(make_user, tenant, other_tenant, schools, role, where, tied_to, visible):
    a, b, foreign, pupils = schools
    by_name = {"a": a, "b": b, "foreign": foreign}
    organisation = by_name[tied_to].organisation if tied_to else None
    user = make_user(role=role, tenant=tenant if where == "own" else other_tenant, organisation=organisation)
    seen = set()
    for t in (tenant, other_tenant):
        seen |= {name for name, s in by_name.items() if s in set(schools_managed_by(user, t))}
        students = set(students_visible_to(user, t))
        assert students == {pupils[by_name[n]] for n in visible if by_name[n].tenant_id == t.pk}
        for name, s in by_name.items():
            if name in visible and s.tenant_id == t.pk:
                assert student_get(user, t, pupils[s].pk) == pupils[s]
                assert school_get(user, t, s.pk) == s
            else:
                with pytest.raises(Http404, match="^$"):  # a bare 404: it tells nothing
                    student_get(user, t, pupils[s].pk)
                with pytest.raises(Http404, match="^$"):  # a bare 404: it tells nothing
                    school_get(user, t, s.pk)
    assert seen == visible


@pytest.mark.parametrize("role", [r for r in ALL_ROLES if r != Role.TRANSITION_MANAGER])
def test_roles_tied_to_the_school_get_404_on_its_pupils_pages_and_api(client_as, make_user, tenant, schools, role):
    a, _b, _foreign, pupils = schools
    user = make_user(role=role, tenant=tenant, organisation=a.organisation)
    client = client_as(user)
    pupil = pupils[a]
    for url in [f"/uebergaenge/schueler/{pupil.pk}/", f"/uebergaenge/schueler/{pupil.pk}/auskunft/",
                f"/uebergaenge/schulen/{a.pk}/", f"/uebergaenge/schulen/{a.pk}/klassen/9a/",
                f"/api/transitions/schools/{a.pk}/students"]:
        response = client.get(url)
        assert response.status_code == 404, (role, url)
        assert pupil.pseudonym not in response.content.decode()


def test_the_schools_own_transition_manager_reads_them(client_as, make_user, tenant, schools):
    a, _b, _foreign, pupils = schools
    client = client_as(make_user(role=Role.TRANSITION_MANAGER, tenant=tenant, organisation=a.organisation))
    assert client.get(f"/uebergaenge/schueler/{pupils[a].pk}/").status_code == 200
    assert client.get(f"/api/transitions/schools/{a.pk}/students").status_code == 200


def test_no_pupils_for_the_superuser_or_anonymous(make_user, tenant, schools):
    from django.contrib.auth.models import AnonymousUser

    admin_user = make_user()
    admin_user.is_superuser = True
    admin_user.save()
    for user in (admin_user, AnonymousUser()):
        assert not students_visible_to(user, tenant).exists() and not schools_managed_by(user, tenant).exists()
    tm = make_user(role=Role.TRANSITION_MANAGER, tenant=tenant, organisation=schools[0].organisation)
    assert not students_visible_to(tm, None).exists() and not schools_managed_by(tm, None).exists()


# Tenant-level permissions of the transition area: which roles, in their own tenant. In a foreign
# tenant no role has any of them.
TENANT_PERMS = {
    "transitions.view_statistics": {Role.COORDINATION, Role.MONITORING, Role.TENANT_ADMIN},
    "transitions.view_accesslog": {Role.DATA_PROTECTION},
    "transitions.manage_events": {Role.COORDINATION, Role.TENANT_ADMIN, Role.TRANSITION_MANAGER},
    "transitions.change_policy": {Role.TENANT_ADMIN, Role.DATA_PROTECTION},
    "core.view_auditentry": {Role.TENANT_ADMIN},
    "core.view_tenant": set(ALL_ROLES),
    "organisations.add_organisation": {Role.TENANT_ADMIN, Role.COORDINATION},
    "organisations.add_person": set(ALL_ROLES),
    "monitoring.add_indicator": {Role.MONITORING, Role.TENANT_ADMIN},
    "monitoring.import_values": {Role.MONITORING, Role.TENANT_ADMIN},
}
AGGREGATES = {Role.COORDINATION, Role.MONITORING, Role.TENANT_ADMIN, Role.TRANSITION_MANAGER}


@pytest.mark.parametrize("role", ALL_ROLES)
def test_tenant_permissions_of_every_role_in_own_and_foreign_tenant(make_user, tenant, other_tenant, schools, role):
    organisation = schools[0].organisation if role in (Role.TRANSITION_MANAGER, Role.PARTNER) else None
    user = make_user(role=role, tenant=tenant, organisation=organisation)
    for perm, roles in TENANT_PERMS.items():
        assert user.has_perm(perm, tenant) is (role in roles), (perm, role)
        assert user.has_perm(perm, other_tenant) is False, (perm, role, "foreign tenant")
    assert can_see_aggregates(user, tenant) is (role in AGGREGATES)
    assert can_see_aggregates(user, other_tenant) is False
    assert can_see_aggregates(user, None) is False


def test_a_transition_manager_without_a_school_manages_no_events(make_user, tenant):
    user = make_user(role=Role.TRANSITION_MANAGER, tenant=tenant)
    assert user.has_perm("transitions.manage_events", tenant) is False


# People of a tenant's network (names, e-mail addresses): only members of that tenant read them;
# only admins and coordination change them.
PERSON_PERMS = {
    "organisations.view_person": set(ALL_ROLES),
    "organisations.change_person": {Role.TENANT_ADMIN, Role.COORDINATION},
}


@pytest.mark.parametrize("role", ALL_ROLES)
def test_people_of_the_network_own_and_foreign(make_user, tenant, other_tenant, role):
    own_org = Organisation.objects.create(tenant=tenant, name="Agentur Kassel",
                                          type=OrganisationType.AGENTUR_FUER_ARBEIT)
    foreign_org = Organisation.objects.create(tenant=other_tenant, name="Agentur Bochum",
                                              type=OrganisationType.AGENTUR_FUER_ARBEIT)
    own = person_create(tenant=tenant, organisation=own_org, name="Erika Beispiel")
    foreign = person_create(tenant=other_tenant, organisation=foreign_org, name="Max Muster")
    user = make_user(role=role, tenant=tenant, organisation=own_org if role == Role.PARTNER else None)
    for perm, roles in PERSON_PERMS.items():
        assert user.has_perm(perm, own) is (role in roles), (perm, role)
        assert user.has_perm(perm, foreign) is False, (perm, role)


def test_acts_for_organisation_only_for_its_own_organisation_and_tenant(make_user, tenant, other_tenant):
    mine = Organisation.objects.create(tenant=tenant, name="Träger A", type=OrganisationType.TRAEGER)
    other = Organisation.objects.create(tenant=tenant, name="Träger B", type=OrganisationType.TRAEGER)
    partner = make_user(role=Role.PARTNER, tenant=tenant, organisation=mine)
    assert acts_for_organisation(partner, mine) is True
    assert acts_for_organisation(partner, other) is False
    assert acts_for_organisation(partner, None) is False
    # An object of the other tenant that names the same organisation does not count.
    person_foreign = person_create(tenant=other_tenant, organisation=mine, name="Jemand")
    assert acts_for_organisation(partner, person_foreign) is False
    person_own = person_create(tenant=tenant, organisation=mine, name="Jemand anderes")
    assert acts_for_organisation(partner, person_own) is True
    no_org = make_user(role=Role.COORDINATION, tenant=tenant)
    assert acts_for_organisation(no_org, mine) is False


def test_every_permission_is_checked_somewhere():
    """A permission that no code checks protects nothing and misleads the reader of rules.py."""
    from pathlib import Path

    import bildungskette

    root = Path(bildungskette.__file__).parent
    code = "\n".join(p.read_text(encoding="utf-8") for p in root.rglob("*.py")
                     if p.name != "rules.py" and "migrations" not in p.parts)
    code += "\n".join(p.read_text(encoding="utf-8") for p in root.rglob("*.html"))
    admin_perms = {f"{model._meta.app_label}.{action}_{model._meta.model_name}"
                   for model in admin.site._registry for action in ("view", "add", "change", "delete")}
    unchecked = sorted(name for name in rules.permissions.permissions
                       if name.split(".")[0] in {"core", "monitoring", "network", "organisations", "places",
                                                 "regions", "strategy", "transitions"}
                       and f'"{name}"' not in code and f"'{name}'" not in code and name not in admin_perms)
    assert unchecked == []
