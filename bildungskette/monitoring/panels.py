"""Start-page panels: what the monitoring and coordination roles see first."""

from django.utils.translation import gettext_lazy as _

from bildungskette.core.models import Role
from bildungskette.core.navigation import StartPanel, start_panel_register
from bildungskette.regions.selectors import tenant_regions

from .models import ImportRun, ImportStatus, Indicator


def _monitoring_context(request) -> dict:
    tenant = request.tenant
    runs = list(ImportRun.objects.filter(tenant=tenant).order_by("-created_at")[:3]) if tenant else []
    regions = tenant_regions(tenant) if tenant else []
    return {
        "runs": runs,
        "open_previews": sum(1 for r in runs if r.status == ImportStatus.PREVIEW),
        "region": regions[0] if regions else None,
        "indicator_count": Indicator.objects.count(),
    }


def _coordination_context(request) -> dict:
    tenant = request.tenant
    regions = tenant_regions(tenant) if tenant else []
    return {"regions": regions[:4]}


def _public_context(request) -> dict:
    """The Datenblatt of the region whose start page this is (the Bund where none is chosen). Only an
    official region has a public page: a tenant's own group region (e.g. the OloV-Region) is shown to
    its staff, not to the public, so the first official region of the area is linked instead."""
    tenant = getattr(request, "public_tenant", None)
    regions = [r for r in tenant_regions(tenant, with_boundary=False) if r.tenant_id is None] if tenant else []
    return {"region": regions[0] if regions else None}


def panels_register() -> None:
    start_panel_register(StartPanel(
        "monitoring-public-datasheet", _("Datenblatt Ihrer Region"), "monitoring/panels/public.html",
        roles=frozenset({"public"}), order=16, context=_public_context,
    ))
    start_panel_register(
        StartPanel(
            "monitoring-data",
            _("Bildungsmonitoring: Daten und Indikatoren"),
            "monitoring/panels/monitoring.html",
            roles=frozenset({Role.MONITORING}),
            order=15,
            context=_monitoring_context,
        )
    )
    start_panel_register(
        StartPanel(
            "monitoring-datasheet",
            _("Datenblatt für die Steuerungsgruppe"),
            "monitoring/panels/coordination.html",
            roles=frozenset({Role.COORDINATION, Role.MONITORING, Role.TENANT_ADMIN}),
            order=16,
            context=_coordination_context,
        )
    )
