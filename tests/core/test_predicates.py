"""The shared permission checks, called directly (Django's own superuser short-cut in ``has_perm``
would hide what they decide): the object's tenant, a role in that tenant, a role for the whole
tenant, and acting for an organisation, including a shared organisation without tenant. Every role
against own and foreign objects; expected values follow the docstrings of bildungskette/core/rules.py.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from bildungskette.core.models import Role
from bildungskette.core.rules import (
    acts_for_organisation,
    has_role_in_object_tenant,
    has_tenant_wide_role,
    is_coordination,
    object_tenant,
)
from bildungskette.organisations.models import Organisation, OrganisationType
from bildungskette.organisations.services import person_create

pytestmark = pytest.mark.django_db


class _WithTenant:
    def __init__(self, tenant):
        self.tenant = tenant


def test_the_tenant_of_an_object(tenant):
    assert object_tenant(None) is None
    assert object_tenant(tenant) == tenant
    assert object_tenant(_WithTenant(tenant)) == tenant
    assert object_tenant(object()) is None  # no tenant attribute: no tenant, no error


@pytest.fixture
def superuser(make_user):
    user = make_user()
    user.is_superuser = True
    user.save()
    return user


def test_a_role_counts_in_its_own_tenant_only(make_user, tenant, other_tenant, superuser):
    coordination = make_user(role=Role.COORDINATION, tenant=tenant)
    assert has_role_in_object_tenant(coordination, tenant, Role.COORDINATION) is True
    assert has_role_in_object_tenant(coordination, _WithTenant(tenant), Role.COORDINATION, Role.MONITORING) is True
    assert has_role_in_object_tenant(coordination, tenant, Role.MONITORING) is False
    assert has_role_in_object_tenant(coordination, other_tenant, Role.COORDINATION) is False
    assert has_role_in_object_tenant(coordination, object(), Role.COORDINATION) is False  # no tenant
    assert has_role_in_object_tenant(AnonymousUser(), tenant, Role.COORDINATION) is False
    # The superuser passes role checks by default, not where it is switched off (person-level data) …
    assert has_role_in_object_tenant(superuser, tenant, Role.COORDINATION) is True
    assert has_role_in_object_tenant(superuser, object(), Role.COORDINATION) is True
    assert has_role_in_object_tenant(superuser, tenant, Role.COORDINATION, superuser_passes=False) is False
    # … and the predicates built from it do the same.
    assert is_coordination(superuser, tenant) is True
    assert is_coordination(coordination, other_tenant) is False


def test_a_tenant_wide_role_has_no_organisation(make_user, tenant, other_tenant, superuser):
    school = Organisation.objects.create(tenant=tenant, name="Schule", type=OrganisationType.SCHULE)
    whole = make_user(role=Role.COORDINATION, tenant=tenant)
    at_school = make_user(role=Role.COORDINATION, tenant=tenant, organisation=school)
    assert has_tenant_wide_role(whole, tenant, Role.COORDINATION) is True
    assert has_tenant_wide_role(whole, _WithTenant(tenant), Role.MONITORING, Role.COORDINATION) is True
    assert has_tenant_wide_role(whole, tenant, Role.MONITORING) is False
    assert has_tenant_wide_role(whole, other_tenant, Role.COORDINATION) is False
    assert has_tenant_wide_role(whole, None, Role.COORDINATION) is False
    assert has_tenant_wide_role(at_school, tenant, Role.COORDINATION) is False  # tied to one organisation
    assert has_tenant_wide_role(superuser, tenant, Role.COORDINATION) is False  # no superuser bypass
    assert has_tenant_wide_role(AnonymousUser(), tenant, Role.COORDINATION) is False


def test_acting_for_an_organisation_of_the_tenant(make_user, tenant, other_tenant):
    school = Organisation.objects.create(tenant=tenant, name="Schule", type=OrganisationType.SCHULE)
    other = Organisation.objects.create(tenant=tenant, name="Andere Schule", type=OrganisationType.SCHULE)
    partner = make_user(role=Role.PARTNER, tenant=tenant, organisation=school)
    contact = person_create(tenant=tenant, organisation=school, name="Frau Kontakt")
    without = make_user(role=Role.COORDINATION, tenant=tenant).role_assignments.get()  # organisation_id None
    assert acts_for_organisation(partner, school) is True
    assert acts_for_organisation(partner, contact) is True  # an object of the organisation
    assert acts_for_organisation(partner, other) is False
    assert acts_for_organisation(partner, without) is False
    assert acts_for_organisation(partner, None) is False
    assert acts_for_organisation(AnonymousUser(), school) is False
    elsewhere = make_user(role=Role.PARTNER, tenant=other_tenant, organisation=school)
    assert acts_for_organisation(elsewhere, school) is False, "a role in another tenant does not count"


def test_acting_for_a_shared_organisation_in_any_tenant_of_the_role(make_user, tenant, other_tenant):
    shared = Organisation.objects.create(tenant=None, name="Berufskolleg (Landesliste)",
                                         type=OrganisationType.SCHULE)
    in_bochum = make_user(role=Role.PARTNER, tenant=other_tenant, organisation=shared)
    coordination = make_user(role=Role.COORDINATION, tenant=tenant)
    assert acts_for_organisation(in_bochum, shared) is True
    assert acts_for_organisation(coordination, shared) is False
    assert acts_for_organisation(make_user(), shared) is False  # no role anywhere
