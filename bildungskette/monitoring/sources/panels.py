"""Start-page panel: "Neue Daten: …" for the people who follow the indicators concerned."""

from django.utils.translation import gettext_lazy as _

from bildungskette.core.models import Role
from bildungskette.core.navigation import StartPanel, start_panel_register


def _notices_context(request) -> dict:
    from .selectors import notices_for

    return {"notices": notices_for(request.user, request.tenant)}


def sources_panels_register() -> None:
    start_panel_register(
        StartPanel(
            "monitoring-new-data",
            _("Neue Daten"),
            "monitoring/sources/panel_notices.html",
            roles=frozenset({Role.COORDINATION, Role.MONITORING, Role.TENANT_ADMIN}),
            order=14,
            context=_notices_context,
        )
    )
