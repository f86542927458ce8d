"""Permission predicates shared by every app, and the core's own permissions.

Every predicate is tenant-aware: a role counts only in the tenant that owns the object.
Apps build their own ``rules.py`` from these predicates.
"""

from __future__ import annotations

import rules

from .models import Role, Tenant
from .selectors import user_organisation_ids, user_role_assignments, user_roles


def object_tenant(obj) -> Tenant | None:
    if obj is None:
        return None
    if isinstance(obj, Tenant):
        return obj
    return getattr(obj, "tenant", None)


def has_role_in_object_tenant(user, obj, *roles: str, superuser_passes: bool = True) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser and superuser_passes:
        return True
    tenant = object_tenant(obj)
    if tenant is None:
        return False
    return bool(user_roles(user, tenant) & set(roles))


def role_predicate(*roles: str, name: str) -> rules.Predicate:
    def check(user, obj=None) -> bool:
        return has_role_in_object_tenant(user, obj, *roles)

    return rules.predicate(check, name=name)


def tenant_wide_role_predicate(*roles: str, name: str) -> rules.Predicate:
    """The user holds one of the roles for the whole tenant (an assignment without an organisation).

    No superuser bypass: used for permissions whose scope must cover every school or person.
    """

    def check(user, obj=None) -> bool:
        return has_tenant_wide_role(user, obj, *roles)

    return rules.predicate(check, name=name)


def has_tenant_wide_role(user, obj, *roles: str) -> bool:
    """One of the roles, held for the whole tenant of ``obj`` (no organisation, no superuser bypass)."""
    tenant = object_tenant(obj)
    if tenant is None or not user.is_authenticated:
        return False
    return any(a.role in roles and a.organisation_id is None for a in user_role_assignments(user, tenant))


def own_role_predicate(*roles: str, name: str) -> rules.Predicate:
    """Like ``role_predicate`` but the superuser does not pass: for person-level permissions."""

    def check(user, obj=None) -> bool:
        return has_role_in_object_tenant(user, obj, *roles, superuser_passes=False)

    return rules.predicate(check, name=name)


# Permissions on person-level data (pupils, their access log). ``User.has_perm`` evaluates them
# without Django's superuser short-cut: the platform's operator is nobody's school.
PERSON_LEVEL_PERMISSIONS: set[str] = set()


def add_person_level_perm(name: str, predicate) -> None:
    PERSON_LEVEL_PERMISSIONS.add(name)
    rules.add_perm(name, predicate)


is_tenant_admin = role_predicate(Role.TENANT_ADMIN, name="is_tenant_admin")
is_coordination = role_predicate(Role.COORDINATION, name="is_coordination")
is_monitoring = role_predicate(Role.MONITORING, name="is_monitoring")
is_transition_manager = role_predicate(Role.TRANSITION_MANAGER, name="is_transition_manager")
is_partner = role_predicate(Role.PARTNER, name="is_partner")
is_data_protection = role_predicate(Role.DATA_PROTECTION, name="is_data_protection")
is_tenant_member = role_predicate(*Role.values, name="is_tenant_member")
# Staff of the tenant who steer (admins, coordination, monitoring).
is_tenant_staff = is_tenant_admin | is_coordination | is_monitoring


@rules.predicate
def acts_for_organisation(user, obj) -> bool:
    """The user holds a role for exactly this organisation (partner or school)."""
    if obj is None or not user.is_authenticated:
        return False
    tenant = object_tenant(obj)
    is_org = obj._meta.label == "organisations.Organisation"
    org_id = obj.pk if is_org else getattr(obj, "organisation_id", None)
    if org_id is None:
        return False
    tenants = [tenant] if tenant is not None else list(user.role_assignments.values_list("tenant", flat=True))
    for t in tenants:
        tenant_obj = t if isinstance(t, Tenant) else Tenant(pk=t)
        if org_id in user_organisation_ids(user, tenant_obj):
            return True
    return False


# The change log carries person-level entries (e.g. of pupils' records), so it is read by the
# tenant's own administrators only, not by the platform's superuser.
add_person_level_perm("core.view_auditentry", own_role_predicate(Role.TENANT_ADMIN, name="is_own_tenant_admin"))
rules.add_perm("core.manage_users", is_tenant_admin)
rules.add_perm("core.view_tenant", is_tenant_member)
