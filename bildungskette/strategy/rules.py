"""Strategy permissions. Staff (administration, coordination, monitoring) read everything of their
tenant; partners read the goals owned by bodies their organisation belongs to, and the measures
and agreements they take part in; only coordination changes anything."""

from __future__ import annotations

import rules

from bildungskette.core.rules import is_coordination, is_partner, is_tenant_staff, object_tenant
from bildungskette.core.selectors import user_organisation_ids


@rules.predicate
def partner_in_owning_body(user, goal) -> bool:
    """The goal (or the goal above it) is owned by a body in which the partner's organisation is a member."""
    from .selectors import partner_body_ids

    if goal is None or not user.is_authenticated or not hasattr(goal, "body_id"):
        return False
    bodies = partner_body_ids(user, goal.tenant)
    current, depth = goal, 0
    while current is not None and depth < 10:
        if current.body_id and current.body_id in bodies:
            return True
        current = current.parent
        depth += 1
    return False


@rules.predicate
def takes_part(user, obj) -> bool:
    """The user's organisation is responsible for the measure or party to the agreement."""
    if obj is None or not user.is_authenticated:
        return False
    orgs = user_organisation_ids(user, object_tenant(obj))
    if not orgs:
        return False
    if obj._meta.model_name == "measure":
        return obj.responsible_organisations.filter(id__in=orgs).exists() or obj.schools.filter(id__in=orgs).exists()
    if obj._meta.model_name == "goalagreement":
        return obj.parties.filter(organisation_id__in=orgs).exists()
    return False


@rules.predicate
def is_writable(user, obj) -> bool:
    """Archived strategies stay readable but are never changed."""
    period = getattr(obj, "period", None) if obj is not None and obj._meta.model_name != "strategyperiod" else obj
    if obj is not None and obj._meta.model_name == "goalindicator":
        period = obj.goal.period
    return period is None or not period.is_archived


def can_see_strategy(user, tenant) -> bool:
    return tenant is not None and (is_tenant_staff(user, tenant) or is_partner(user, tenant))


# The object for view_strategy / add_* / analysis permissions is the tenant.
rules.add_perm("strategy.view_strategy", is_tenant_staff | is_partner)
rules.add_perm("strategy.view_analysis", is_tenant_staff)
rules.add_perm("strategy.add_goal", is_coordination)
rules.add_perm("strategy.add_measure", is_coordination)
rules.add_perm("strategy.add_strategyreview", is_coordination)
rules.add_perm("strategy.add_goalagreement", is_coordination)
rules.add_perm("strategy.decide_overlap", is_coordination)

rules.add_perm("strategy.view_strategyperiod", is_tenant_staff | is_partner)
rules.add_perm("strategy.change_strategyperiod", is_coordination & is_writable)
rules.add_perm("strategy.view_goal", is_tenant_staff | partner_in_owning_body)
rules.add_perm("strategy.change_goal", is_coordination & is_writable)
rules.add_perm("strategy.add_goalassessment", is_coordination)
rules.add_perm("strategy.change_goalindicator", is_coordination & is_writable)
rules.add_perm("strategy.view_measure", is_tenant_staff | takes_part)
rules.add_perm("strategy.change_measure", is_coordination)
rules.add_perm("strategy.view_goalagreement", is_tenant_staff | takes_part)
rules.add_perm("strategy.change_goalagreement", is_coordination)
rules.add_perm("strategy.view_strategyreview", is_tenant_staff)
rules.add_perm("strategy.change_strategyreview", is_coordination)
