"""The coordination's start panel: goals off track, open overlaps, the next review."""

from django.utils.translation import gettext_lazy as _

from bildungskette.core.models import Role
from bildungskette.core.navigation import StartPanel, start_panel_register


def _coordination_context(request) -> dict:
    from .models import OverlapDecision, StrategyReview
    from .progress import Status
    from .selectors import goal_forest, overlap_rows, period_current

    tenant = request.tenant
    if tenant is None:
        return {}
    period = period_current(tenant)
    attention = []
    if period is not None:
        for root in goal_forest(period):
            for node in root.walk():
                if node.progress.status in (Status.OFF_TRACK, Status.MODERATE) and node.indicators:
                    attention.append(node)
    open_overlaps = sum(1 for row in overlap_rows(tenant) if row.decision is None)
    return {
        "period": period,
        "attention": attention[:6],
        "attention_count": len(attention),
        "open_overlaps": open_overlaps,
        "decided_overlaps": OverlapDecision.objects.filter(tenant=tenant).count(),
        "review": StrategyReview.objects.filter(tenant=tenant, status="open").order_by("held_on").first(),
    }


def _partner_context(request) -> dict:
    from .selectors import goal_forest, goals_visible_to, period_current

    tenant = request.tenant
    period = period_current(tenant) if tenant else None
    if period is None:
        return {}
    visible = set(goals_visible_to(request.user, tenant).filter(period=period).values_list("id", flat=True))
    nodes = [n for root in goal_forest(period) for n in root.walk() if n.goal.id in visible and n.depth == 0]
    return {"period": period, "nodes": nodes}


def panels_register() -> None:
    start_panel_register(StartPanel(
        "strategy-partner", _("Ziele Ihrer Gremien"), "strategy/panels/partner.html",
        roles=frozenset({Role.PARTNER}), order=25, context=_partner_context,
    ))
    start_panel_register(StartPanel(
        "strategy-coordination", _("Strategie und Ziele"), "strategy/panels/coordination.html",
        roles=frozenset({Role.COORDINATION}), order=20, context=_coordination_context,
    ))
