"""Start page: the latest published reports, for everyone (also the public)."""

from django.utils.translation import gettext_lazy as _

from bildungskette.core.navigation import StartPanel, start_panel_register


def _context(request) -> dict:
    from .selectors import reports_published

    return {"reports": list(reports_published().order_by("-updated_at")[:3])}


def panels_register() -> None:
    start_panel_register(
        StartPanel("reports", _("Bildungsberichte"), "reports/panels/latest.html", order=90, context=_context)
    )
