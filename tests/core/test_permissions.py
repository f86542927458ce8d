"""Permission matrix: role × action × own/other tenant, for the foundation's objects."""

import pytest

from bildungskette.core.models import Role
from bildungskette.organisations.models import Organisation, OrganisationType, Person

pytestmark = pytest.mark.django_db

ROLES = [None, *Role.values]


@pytest.fixture
def world(tenant, other_tenant):
    own_org = Organisation.objects.create(tenant=tenant, name="Agentur für Arbeit Kassel",
                                          type=OrganisationType.AGENTUR_FUER_ARBEIT)
    other_org = Organisation.objects.create(tenant=other_tenant, name="Agentur für Arbeit Bochum",
                                            type=OrganisationType.AGENTUR_FUER_ARBEIT)
    shared = Organisation.objects.create(tenant=None, name="Offene Schule Waldau", type=OrganisationType.SCHULE,
                                         external_id="HE-TEST")
    person = Person.objects.create(tenant=tenant, organisation=own_org, name="A. Beispiel")
    return {"own_org": own_org, "other_org": other_org, "reference": shared, "person": person}


# (permission, object key, roles allowed in the OWN tenant). In the other tenant nobody is allowed
# except for reading shared reference data, which everyone may.
MATRIX = [
    ("core.view_auditentry", "tenant", {Role.TENANT_ADMIN}),
    ("organisations.add_organisation", "tenant", {Role.TENANT_ADMIN, Role.COORDINATION}),
    ("organisations.change_organisation", "own_org", {Role.TENANT_ADMIN, Role.COORDINATION}),
    ("organisations.delete_organisation", "own_org", {Role.TENANT_ADMIN, Role.COORDINATION}),
    ("organisations.view_organisation", "own_org", set(Role.values)),
    ("organisations.change_person", "person", {Role.TENANT_ADMIN, Role.COORDINATION}),
    ("organisations.view_person", "person", set(Role.values)),
    ("regions.upload_stadtteile", "tenant", {Role.TENANT_ADMIN, Role.COORDINATION, Role.MONITORING}),
]


@pytest.mark.parametrize("perm,key,allowed", MATRIX, ids=[m[0] for m in MATRIX])
@pytest.mark.parametrize("role", ROLES, ids=[r or "public" for r in ROLES])
def test_matrix_own_and_other_tenant(perm, key, allowed, role, world, tenant, other_tenant, make_user):
    from django.contrib.auth.models import AnonymousUser

    own_user = make_user(role=role, tenant=tenant) if role else AnonymousUser()
    foreign_user = make_user(role=role, tenant=other_tenant) if role else AnonymousUser()
    obj = tenant if key == "tenant" else world[key]
    assert own_user.has_perm(perm, obj) is (role in allowed), f"{role} in own tenant"
    assert foreign_user.has_perm(perm, obj) is False, f"{role} from another tenant"


@pytest.mark.parametrize("role", ROLES, ids=[r or "public" for r in ROLES])
def test_everyone_reads_shared_reference_data_nobody_changes_it(role, world, tenant, make_user):
    from django.contrib.auth.models import AnonymousUser

    user = make_user(role=role, tenant=tenant) if role else AnonymousUser()
    assert user.has_perm("organisations.view_organisation", world["reference"])
    assert not user.has_perm("organisations.change_organisation", world["reference"])


def test_partner_edits_only_its_own_organisation(world, tenant, make_user):
    partner = make_user(role=Role.PARTNER, tenant=tenant, organisation=world["own_org"])
    assert partner.has_perm("organisations.change_organisation", world["own_org"])
    assert not partner.has_perm("organisations.change_organisation", world["other_org"])
    school_manager = make_user(role=Role.TRANSITION_MANAGER, tenant=tenant, organisation=world["reference"])
    # Acting for a shared school lets the transition manager keep its entry current.
    assert school_manager.has_perm("organisations.change_organisation", world["reference"])
    assert not school_manager.has_perm("organisations.change_organisation", world["own_org"])
