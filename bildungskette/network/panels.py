"""Navigation entry and start-page panel: the bodies a person works in, the next meetings and
the open action items (for a partner: those of its own bodies and organisation)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bildungskette.core.models import Role
from bildungskette.core.navigation import NavEntry, StartPanel, nav_register, start_panel_register


def _panel_context(request) -> dict:
    from .selectors import action_item_list, bodies_visible_to, meetings_upcoming, sees_whole_tenant

    tenant = request.tenant
    if tenant is None:
        return {}
    bodies = bodies_visible_to(request.user, tenant).filter(tenant=tenant)
    staff = sees_whole_tenant(request.user, tenant)
    if staff:
        bodies_shown = list(bodies.filter(parent__isnull=True).order_by("name")[:8])
    else:
        bodies_shown = list(bodies.order_by("name")[:8])
    open_items = action_item_list(user=request.user, tenant=tenant).order_by("due_date", "id")
    today = timezone.localdate()
    agreements_due = []
    if staff:
        from .selectors import agreement_deadlines, agreements_visible_to

        for agreement in agreements_visible_to(request.user, tenant).filter(tenant=tenant, status="active"):
            reasons = agreement_deadlines(agreement, today)
            if reasons:
                agreements_due.append((agreement, "; ".join(reasons)))
    return {
        "agreements_due": agreements_due,
        "bodies": bodies_shown,
        "meetings": meetings_upcoming(body_ids=bodies.values("pk"), limit=4),
        "items": list(open_items[:6]),
        "open_count": open_items.count(),
        "overdue_count": open_items.filter(due_date__lt=today).count(),
        "staff": staff,
        "today": today,
    }


def panels_register() -> None:
    nav_register(NavEntry("network", _("Netzwerk & Gremien"), "network:index", order=30))
    start_panel_register(
        StartPanel(
            "network",
            _("Ihre Gremien"),
            "network/panels/network.html",
            roles=frozenset({Role.COORDINATION, Role.PARTNER}),
            order=20,
            context=_panel_context,
        )
    )
