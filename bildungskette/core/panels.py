"""Start-page panels of the foundation (apps add their own in their AppConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from .models import Role, RoleAssignment
from .navigation import StartPanel, start_panel_register
from .selectors import audit_entries_for_tenant


def _admin_context(request):
    tenant = request.tenant
    return {
        "entries": list(audit_entries_for_tenant(tenant)[:5]) if tenant else [],
        "user_count": RoleAssignment.objects.filter(tenant=tenant).values("user").distinct().count(),
    }


def panels_register() -> None:
    start_panel_register(StartPanel(
        "about", _("Was Sie hier finden"), "core/panels/about.html", roles=frozenset({"public"}), order=10,
    ))
    start_panel_register(StartPanel(
        "administration", _("Administration des Mandanten"), "core/panels/administration.html",
        roles=frozenset({Role.TENANT_ADMIN}), order=90, context=_admin_context,
    ))
    start_panel_register(StartPanel(
        "security", _("Ihr Konto"), "core/panels/security.html",
        roles=frozenset({Role.TENANT_ADMIN, Role.COORDINATION, Role.MONITORING, Role.DATA_PROTECTION}), order=95,
    ))
