"""Passung permissions: the tenant's staff (administration, coordination – e.g. the Azubi-Manager –,
monitoring) read; coordination and administration save groups, run Messe allocations and manage tours.
Schools' transition managers also see the training places companies report and the tours.

Companies have no user account: a company contact signed in with its e-mail link changes only its
own company's training places in its own tenant (``company_may_change``)."""

from __future__ import annotations

import rules

from bildungskette.core.rules import is_coordination, is_tenant_admin, is_tenant_staff, is_transition_manager

can_see_passung = is_tenant_staff
can_steer_passung = is_coordination | is_tenant_admin
can_see_training_places = is_tenant_staff | is_transition_manager

rules.add_perm("passung.view", can_see_passung)
rules.add_perm("passung.change", can_steer_passung)
rules.add_perm("passung.view_trainingplaces", can_see_training_places)


@rules.predicate
def company_may_change(contact, place) -> bool:
    """An active company contact, for a current place of its own company in its own tenant."""
    return (contact is not None and place is not None and contact.is_active
            and place.organisation_id == contact.organisation_id and place.tenant_id == contact.tenant_id
            and place.withdrawn_at is None)


rules.add_rule("passung.company_change_trainingplace", company_may_change)
