"""Region pages: the index, one region with its facts, map and sub-regions, Stadtteil upload."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from bildungskette.core.importing import ImportRejected
from bildungskette.core.language import translated

from .forms import StadtteilUploadForm
from .maps import MapPoint, MapShape, svg_map_data
from .models import Region, RegionKind
from .selectors import region_ancestors, region_children, regions_visible_to, tenant_regions
from .services import stadtteile_import_geojson


@translated
def region_index(request):
    query = (request.GET.get("q") or "").strip()
    results = None
    if query:
        qs = regions_visible_to(request.tenant).filter(Q(name__icontains=query) | Q(code__startswith=query))
        results = Paginator(qs.defer("boundary").select_related("parent").order_by("kind", "name"), 50).get_page(
            request.GET.get("page")
        )
    laender = Region.objects.filter(kind=RegionKind.LAND, tenant__isnull=True).defer("boundary").order_by("name")
    return render(
        request,
        "regions/index.html",
        {
            "query": query,
            "results": results,
            "laender": laender,
            "tenant_regions": tenant_regions(request.tenant) if request.tenant else [],
        },
    )


def region_detail(request, code):
    region = regions_visible_to(request.tenant).select_related("parent", "tenant").filter(code=code).first()
    if region is None or not request.user.has_perm("regions.view_region", region):
        raise Http404(_("Gebiet nicht gefunden"))
    children = Paginator(region_children(region, request.tenant), 100).get_page(request.GET.get("page"))
    members = list(region.members.defer("boundary").order_by("code")) if region.kind in {
        RegionKind.GROUP, RegionKind.AGENTURBEZIRK} else []

    shapes, points = [], []
    if region.boundary:
        shapes.append(MapShape(region.boundary, region.title, "area area--focus"))
    for member in region.members.exclude(boundary__isnull=True):
        shapes.append(MapShape(member.boundary, member.title, "area area--focus", href=member.code))
    child_shapes = regions_visible_to(request.tenant).filter(parent=region, boundary__isnull=False)
    for child in child_shapes.only("code", "name", "boundary"):
        shapes.append(MapShape(child.boundary, child.name, "area area--child", href=child.code))
    if region.kind in {RegionKind.KREIS, RegionKind.GEMEINDE} or members:
        gemeinde_parents = [region] + members
        for g in Region.objects.filter(parent__in=gemeinde_parents, kind=RegionKind.GEMEINDE).only(
                "name", "centre_lat", "centre_lon"):
            if g.centre_lat is not None:
                points.append(MapPoint(g.centre_lat, g.centre_lon, g.name))
    if region.kind in {RegionKind.KREIS, RegionKind.GEMEINDE} and region.bbox_west is not None:
        # Neighbouring Kreise as light context, each a link.
        neighbours = Region.objects.filter(
            kind=RegionKind.KREIS, tenant__isnull=True, bbox_west__lte=region.bbox_east,
            bbox_east__gte=region.bbox_west, bbox_south__lte=region.bbox_north, bbox_north__gte=region.bbox_south,
        ).exclude(pk=region.pk).exclude(code=region.code[:5]).only("code", "name", "kind", "designation",
                                                                   "valid_until", "boundary")
        shapes = [MapShape(n.boundary, n.title, "area area--context", href=n.code) for n in neighbours] + shapes
    focus = [sh for sh in shapes if "area--focus" in sh.css_class]
    svg = svg_map_data(shapes, points, focus=focus or None) if shapes else None

    can_upload = region.kind == RegionKind.GEMEINDE and request.tenant is not None and request.user.has_perm(
        "regions.upload_stadtteile", request.tenant)
    return render(
        request,
        "regions/detail.html",
        {
            "region": region,
            "ancestors": region_ancestors(region),
            "children": children,
            "members": members,
            "successors": list(region.successors.defer("boundary").order_by("code")) if region.valid_until else [],
            "predecessors": list(region.predecessors.defer("boundary").order_by("code")),
            "svg": svg,
            "can_upload": can_upload,
            "upload_form": StadtteilUploadForm() if can_upload else None,
        },
    )


def stadtteile_upload(request, code):
    region = Region.objects.filter(code=code, kind=RegionKind.GEMEINDE).first()
    if region is None:
        raise Http404
    if request.method != "POST" or request.tenant is None or not request.user.has_perm(
            "regions.upload_stadtteile", request.tenant):
        raise PermissionDenied
    form = StadtteilUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            report = stadtteile_import_geojson(
                tenant=request.tenant, gemeinde=region, content=form.cleaned_data["file"].read(),
                name_property=form.cleaned_data["name_property"], key_property=form.cleaned_data["key_property"],
            )
        except ImportRejected as exc:
            for problem in exc.problems[:20]:
                messages.error(request, str(problem))
        else:
            messages.success(request, report.summary())
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("regions:detail", code=region.code)
