"""The Azubi-Manager's start panel: unfilled places by occupation, recruitment targets, upcoming
matching events (Messen, tours) with the outcomes of past ones, the Passung trend of the home region
and – kept apart – the live reports of the companies."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bildungskette.core.models import Role
from bildungskette.core.navigation import StartPanel, start_panel_register


def _upcoming(tenant) -> list[dict]:
    from .models import Messe, Tour

    now = timezone.now()
    items = [{"title": m.title, "starts_at": m.event.starts_at, "kind": "Messe", "messe": m}
             for m in Messe.objects.filter(tenant=tenant, event__starts_at__gte=now).select_related("event")]
    items += [{"title": t.event.title, "starts_at": t.event.starts_at, "kind": "Tour", "tour": t}
              for t in Tour.objects.filter(tenant=tenant, event__starts_at__gte=now).select_related("event")]
    return sorted(items, key=lambda i: i["starts_at"])[:5]


def _azubi_context(request) -> dict:
    from bildungskette.core.charts import chart_svg

    from .figures import passung_trend, trend_chart_spec
    from .models import Messe
    from .selectors import (
        event_outcomes,
        groups_for,
        home_regions,
        live_counts,
        passung_matrix,
        recruit_targets,
    )

    tenant = request.tenant
    if tenant is None:
        return {}
    groups = groups_for(tenant)
    home, agency = home_regions(tenant)
    if not groups or agency is None:
        return {"groups": groups}
    group = groups[0]
    matrix = passung_matrix(codes=group.kldb_codes, region=agency, sort="-unbesetzt")
    points = passung_trend(codes=group.kldb_codes, region=agency)
    outcomes = event_outcomes(tenant)
    live = live_counts(tenant, group.kldb_codes)
    return {
        "group": group,
        "agency": agency,
        "matrix": matrix,
        "unfilled": [r for r in matrix.rows if isinstance(r.counts.get("unbesetzt"), int)][:5],
        "targets": recruit_targets(codes=group.kldb_codes, home=agency)[:3],
        "messen": list(Messe.objects.filter(tenant=tenant).select_related("event")[:3]),
        "upcoming": _upcoming(tenant),
        "outcomes": outcomes,
        "points": points,
        "trend_svg": chart_svg(trend_chart_spec(points, region_name=agency.name),
                               description=str(_("AubA und Versorgungsprobleme je Berichtsjahr; Werte in der "
                                                 "Tabelle „Entwicklung“.")))
        if len(points) > 1 else "",
        "live_total": sum(r.places for r in live),
    }


def panels_register() -> None:
    start_panel_register(StartPanel(
        "passung-azubi", _("Azubi-Recruiting: Passung und Messen"), "passung/panels/azubi.html",
        roles=frozenset({Role.COORDINATION, Role.TENANT_ADMIN}), order=30, context=_azubi_context,
    ))
