"""The Azubi-Manager's start panel: unfilled places by occupation, recruitment targets, the next Messe."""

from django.utils.translation import gettext_lazy as _

from bildungskette.core.models import Role
from bildungskette.core.navigation import StartPanel, start_panel_register


def _azubi_context(request) -> dict:
    from .models import Messe
    from .selectors import groups_for, home_regions, passung_matrix, recruit_targets

    tenant = request.tenant
    if tenant is None:
        return {}
    groups = groups_for(tenant)
    home, agency = home_regions(tenant)
    if not groups or agency is None:
        return {"groups": groups}
    group = groups[0]
    matrix = passung_matrix(codes=group.kldb_codes, region=agency, sort="-unbesetzt")
    return {
        "group": group,
        "agency": agency,
        "matrix": matrix,
        "unfilled": [r for r in matrix.rows if isinstance(r.counts.get("unbesetzt"), int)][:5],
        "targets": recruit_targets(codes=group.kldb_codes, home=agency)[:3],
        "messen": list(Messe.objects.filter(tenant=tenant)[:3]),
    }


def panels_register() -> None:
    start_panel_register(StartPanel(
        "passung-azubi", _("Azubi-Recruiting: Passung und Messen"), "passung/panels/azubi.html",
        roles=frozenset({Role.COORDINATION, Role.TENANT_ADMIN}), order=30, context=_azubi_context,
    ))
