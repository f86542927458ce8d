"""Permissions of the transition area. Person-level data: only the school's own transition
managers (not coordination, not monitoring, not the platform's superuser). Aggregates under the
disclosure rule: coordination, monitoring, tenant admins. Access log: the data-protection role.
Company contacts (who then see booked pupils in the company portal): tenant-wide roles only."""

import rules

from bildungskette.core.models import Role
from bildungskette.core.rules import (
    add_person_level_perm,
    is_coordination,
    is_data_protection,
    is_monitoring,
    is_tenant_admin,
    own_role_predicate,
    tenant_wide_role_predicate,
)
from bildungskette.core.selectors import user_organisation_ids


@rules.predicate
def is_transition_manager_here(user, tenant=None) -> bool:
    """The user is transition manager of some school in this tenant (the object is the tenant)."""
    return bool(tenant is not None and user.is_authenticated
                and user_organisation_ids(user, tenant, role=Role.TRANSITION_MANAGER))

# Person-level data (schools, students) has no permission here: it is scoped in the queries
# (selectors.schools_managed_by / students_visible_to), so nothing can be reached outside them.
# Objects below are tenants: aggregated figures and the access log.
rules.add_perm("transitions.view_statistics", is_coordination | is_monitoring | is_tenant_admin)
add_person_level_perm("transitions.view_accesslog", own_role_predicate(Role.DATA_PROTECTION,
                                                                     name="is_own_data_protection"))
rules.add_perm("transitions.manage_events", is_coordination | is_tenant_admin | is_transition_manager_here)
# A company contact sees the pupils every school booked at the company's events, and events are
# open to every school of the tenant. So contacts are added only by roles whose scope covers every
# school of the tenant: tenant-wide administration or coordination (not a school's transition
# manager, not a coordination role tied to one organisation, not the superuser), or by the
# company itself in its portal.
add_person_level_perm("transitions.manage_company_contacts", tenant_wide_role_predicate(
    Role.TENANT_ADMIN, Role.COORDINATION, name="has_tenant_wide_steering_role"))
rules.add_perm("transitions.change_policy", is_tenant_admin | is_data_protection)
