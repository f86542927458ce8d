"""Lernortkarte permissions.

Everyone reads published entries. A provider (partner or school's transition manager) maintains
the places and offers of its own organisation; its changes wait for the tenant's coordination.
Coordination and tenant admins edit their tenant's entries directly, review and import.
"""

import rules

from bildungskette.core.models import Role
from bildungskette.core.rules import is_coordination, is_partner, is_tenant_admin, is_transition_manager
from bildungskette.core.selectors import user_role_assignments


@rules.predicate
def acts_for_provider(user, entry) -> bool:
    """The user holds a partner or transition-manager role for the entry's operator or provider."""
    if entry is None or not user.is_authenticated:
        return False
    org_id = getattr(entry, "operator_id", None) or getattr(entry, "provider_id", None)
    if org_id is None:
        return False
    for assignment in user.role_assignments.all():
        if assignment.organisation_id == org_id and assignment.role in {Role.PARTNER, Role.TRANSITION_MANAGER}:
            return True
    return False


@rules.predicate
def is_published(user, entry) -> bool:
    return entry is not None and entry.status == "published"


@rules.predicate
def provides_in_tenant(user, tenant) -> bool:
    """For add_*: the user acts for an organisation in this tenant (object = tenant)."""
    return any(a.organisation_id and a.role in {Role.PARTNER, Role.TRANSITION_MANAGER}
               for a in user_role_assignments(user, tenant))


can_manage = is_tenant_admin | is_coordination

rules.add_perm("places.view_learningplace", is_published | can_manage | acts_for_provider)
rules.add_perm("places.view_offer", is_published | can_manage | acts_for_provider)
# The object is the tenant the entry is created in.
rules.add_perm("places.add_learningplace", can_manage | (is_partner & provides_in_tenant)
               | (is_transition_manager & provides_in_tenant))
rules.add_perm("places.add_offer", can_manage | (is_partner & provides_in_tenant)
               | (is_transition_manager & provides_in_tenant))
rules.add_perm("places.change_learningplace", can_manage | acts_for_provider)
rules.add_perm("places.change_offer", can_manage | acts_for_provider)
# The object is the tenant whose queue is reviewed.
rules.add_perm("places.review_changeproposal", can_manage)
rules.add_perm("places.import_learningplace", can_manage)
