"""The platform operator's wizard for a new Kommune (the Django admin is not needed for it)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from bildungskette.core.invitations import invitation_path
from bildungskette.core.services import invitation_send

from .forms import TenantOnboardForm, module_choices
from .maps import MapShape, svg_map_data
from .models import Region, RegionKind
from .services import tenant_onboard

SEARCHABLE_KINDS = [RegionKind.LAND, RegionKind.REGIERUNGSBEZIRK, RegionKind.KREIS, RegionKind.GEMEINDE]


def region_search(query: str, limit: int = 25) -> list[Region]:
    """Official regions by name or key (AGS), Kreise before Gemeinden."""
    query = query.strip()
    if not query:
        return []
    match = Q(code__startswith=query) if query.isdigit() else Q(name__icontains=query)
    qs = Region.objects.filter(match, tenant__isnull=True, kind__in=SEARCHABLE_KINDS).defer("boundary")
    order = {kind: i for i, kind in enumerate(SEARCHABLE_KINDS)}
    return sorted(qs[:200], key=lambda r: (order[r.kind], len(r.code), r.name))[:limit]


def _region_label(region: Region) -> str:
    return f"{region.name} ({region.designation or region.get_kind_display()}, {region.code})"


def _preview_svg(regions: list[Region]) -> dict | None:
    shapes = [MapShape(r.boundary, r.name, "area area--focus") for r in regions if r.boundary]
    return svg_map_data(shapes, width=480) if shapes else None


@never_cache
@login_required
def tenant_onboard_wizard(request):
    if not request.user.is_superuser:
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    chosen_codes = data.getlist("regions") if data else []
    chosen = list(Region.objects.filter(code__in=chosen_codes, tenant__isnull=True, kind__in=SEARCHABLE_KINDS))
    found = region_search(data.get("search", "")) if data else []
    choices = {r.code: _region_label(r) for r in chosen + found}
    form = TenantOnboardForm(data, region_choices=choices.items())
    action = data.get("action") if data else None
    context = {"form": form, "found": found, "searched": bool(data and data.get("search")),
               "preview": _preview_svg(chosen), "chosen": chosen}
    if action == "create" and form.is_valid():
        by_code = {r.code: r for r in chosen}
        regions = [by_code[c] for c in form.cleaned_data["regions"] if c in by_code]
        tenant, admin = tenant_onboard(
            name=form.cleaned_data["name"], slug=slugify(form.cleaned_data["name"])[:60], regions=regions,
            modules=form.cleaned_data["modules"], admin_email=form.cleaned_data["admin_email"],
        )
        link = request.build_absolute_uri(invitation_path(admin))
        invitation_send(user=admin, link=link, tenant=tenant)
        return render(request, "regions/onboard_done.html", {
            "tenant": tenant, "admin": admin, "link": link, "regions": regions, "preview": _preview_svg(regions),
            "modules": [label for code, label in module_choices() if code in tenant.modules]})
    if action != "create" and data is not None:
        form.errors.clear()  # searching is not submitting: no error messages yet
    context["title"] = _("Neue Kommune anlegen")
    return render(request, "regions/onboard.html", context)
