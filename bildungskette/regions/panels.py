from django.utils.translation import gettext_lazy as _

from bildungskette.core.models import Role
from bildungskette.core.navigation import StartPanel, start_panel_register

from .selectors import tenant_regions


def _context(request):
    return {"regions": tenant_regions(request.tenant) if request.tenant else []}


def panels_register() -> None:
    start_panel_register(StartPanel(
        "tenant-area", _("Ihr Gebiet"), "regions/panels/tenant_area.html", roles=frozenset(Role.values),
        order=20, context=_context,
    ))
    start_panel_register(StartPanel(
        "operator", _("Betrieb der Plattform"), "regions/panels/operator.html", roles=frozenset({"operator"}),
        order=5,
    ))
