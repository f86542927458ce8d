"""Start-page panels: what a transition manager, a coordinator and the data-protection officer
have to do today."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bildungskette.core.models import Role
from bildungskette.core.navigation import StartPanel, start_panel_register


def _manager_context(request):
    from . import selectors as sel
    from .models import FollowUpStatus

    schools = list(sel.schools_managed_by(request.user, request.tenant))
    items = []
    for school in schools:
        items.append({
            "school": school,
            "without_offer": sel.september_guarantee(school).count(),
            "overdue": school.students.filter(follow_ups__status=FollowUpStatus.OPEN,
                                              follow_ups__due_on__lt=timezone.localdate()).count(),
        })
    return {"items": items}


def _coordination_context(request):
    from .statistics import statistics_years, tenant_tables

    if not statistics_years(request.tenant):
        return {"headline": []}
    return {"headline": tenant_tables(request.tenant)["headline"][-3:]}


def _data_protection_context(request):
    from .selectors import access_log

    return {"entries": list(access_log(request.tenant)[:5])}


def _public_events_context(request):
    from .selectors import events_public

    return {"events": list(events_public(getattr(request, "public_tenant", None))[:5])}


def panels_register() -> None:
    start_panel_register(StartPanel(
        "transitions-events", _("Nächste Veranstaltungen"), "transitions/panels/public_events.html",
        roles=frozenset({"public"}), order=14, context=_public_events_context))
    start_panel_register(StartPanel(
        "transitions-school", _("Übergänge an Ihrer Schule"), "transitions/panels/manager.html",
        roles=frozenset({Role.TRANSITION_MANAGER}), order=20, context=_manager_context))
    start_panel_register(StartPanel(
        "transitions-aggregates", _("Übergangsmonitoring"), "transitions/panels/coordination.html",
        roles=frozenset({Role.COORDINATION, Role.MONITORING}), order=40, context=_coordination_context))
    start_panel_register(StartPanel(
        "transitions-access-log", _("Zugriffe auf Schülerdaten"), "transitions/panels/data_protection.html",
        roles=frozenset({Role.DATA_PROTECTION}), order=20, context=_data_protection_context))
