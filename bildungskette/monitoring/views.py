"""Monitoring pages: catalogue, indicator (series, comparison, ranking, map), Datenblatt, sources,
imports (upload → preview → confirm → progress), indicator editor with live preview."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bildungskette.core.charts import chart_svg
from bildungskette.core.exports import csvw_column, csvw_metadata, decimal_mark_from
from bildungskette.core.importing import ImportRejected
from bildungskette.regions.models import Region, RegionKind
from bildungskette.regions.selectors import tenant_regions

from . import figures
from .documents import datasheet_pdf, table_csv, table_xlsx
from .forms import IndicatorForm, MappingForm, UploadForm
from .importers import READERS, dataset_read, import_run_create, progress_read
from .models import ImportRun, ImportStatus, Indicator, Period, Theme, ValidationRule, Value
from .selectors import (
    FLAG_LABELS,
    breakdowns_of_source,
    indicator_periods,
    indicators_evaluate,
    indicators_visible_to,
    rule_checks,
    sources_visible_to,
    value_display,
    value_history,
    value_status,
)
from .services import indicator_create, indicator_update, indicator_validate, mapping_save
from .tasks import import_run_execute, import_run_preview


def _default_region(request) -> Region:
    if request.tenant is not None:
        regions = tenant_regions(request.tenant, with_boundary=False)
        if regions:
            return regions[0]
    return Region.objects.defer("boundary").get(code="DG", tenant__isnull=True)


def _region_from(request, param="gebiet") -> Region:
    code = (request.GET.get(param) or "").strip()
    if not code:
        return _default_region(request)
    region = figures.regions_filter_visible(Region.objects.defer("boundary"), request.tenant).filter(code=code).first()
    if region is None:
        raise Http404(_("Unbekanntes Gebiet"))
    return region


def _indicator_for(request, code) -> Indicator:
    return get_object_or_404(indicators_visible_to(request.user, request.tenant), code=code)


def _can_edit(request) -> bool:
    return request.tenant is not None and request.user.has_perm("monitoring.add_indicator", request.tenant)


def index(request):
    indicators = list(indicators_visible_to(request.user, request.tenant))
    themes = []
    for value, label in Theme.choices:
        items = [i for i in indicators if i.theme == value]
        themes.append({"code": value, "label": label, "indicators": items})
    return render(
        request,
        "monitoring/index.html",
        {
            "themes": themes,
            "can_edit": _can_edit(request),
            "can_import": request.tenant is not None
            and request.user.has_perm("monitoring.import_values", request.tenant),
            "region": _region_from(request),
        },
    )


def indicator_detail(request, code):
    indicator = _indicator_for(request, code)
    region = _region_from(request)
    picked = [c.strip() for c in (request.GET.get("vergleich") or "").split(",") if c.strip()]
    page = figures.indicator_page_build(
        indicator=indicator, region=region, tenant=request.tenant, picked=picked,
        period_code=request.GET.get("zeitraum"),
    )
    periods = page["periods"]
    return render(
        request,
        "monitoring/indicator.html",
        {
            **page,
            "picked": ",".join(picked),
            "can_edit": request.user.has_perm("monitoring.change_indicator", indicator),
            **_sources_context(request, indicator, region, periods),
            "embed_snippet": _embed_snippet(request, indicator, region),
        },
    )


def _sources_context(request, indicator, region, periods) -> dict:
    """Follow button, stale-input warning and the Agenturbezirk figures (monitoring/sources)."""
    from .sources.agencies import AGENCY_INDICATORS, agency_figures
    from .sources.selectors import is_following, is_stale, max_age_months

    newest = periods[-1] if periods else None
    return {
        "following": is_following(request.user, request.tenant, indicator),
        "inputs_newest": newest,
        "inputs_stale": is_stale(newest),
        "stale_months": max_age_months(),
        "agency_blocks": agency_figures(region, tenant=request.tenant) if indicator.code in AGENCY_INDICATORS else [],
    }


def _embed_snippet(request, indicator, region) -> dict | None:
    """Copy-paste snippets for the open-data embed of a public indicator (iframe and SVG image)."""
    from django.apps import apps

    if request.tenant is None or indicator.tenant_id or indicator.visibility != "public":
        return None
    if not apps.is_installed("bildungskette.opendata"):
        return None
    args = [request.tenant.slug, indicator.code]
    query = f"?gebiet={region.code}"
    frame = request.build_absolute_uri(reverse("opendata_embed:indicator", args=args) + query)
    image = request.build_absolute_uri(reverse("opendata_embed:indicator_svg", args=args) + query)
    title = f"{indicator.name} – {region.name}"
    return {
        "iframe": f'<iframe src="{frame}" title="{title}" width="640" height="520" loading="lazy" style="border:0">'
        "</iframe>",
        "image": f'<a href="{frame}"><img src="{image}" alt="{title}" width="640"></a>',
    }


def indicator_download(request, code, fmt):
    indicator = _indicator_for(request, code)
    region = _region_from(request)
    parents = figures.parent_regions(region)
    periods = indicator_periods(indicator=indicator, tenant=request.tenant)
    regions = [region] + parents
    labels = figures.region_labels(regions)
    results = indicators_evaluate(indicators=[indicator], regions=regions, periods=periods, tenant=request.tenant)
    header = ["Indikator", "Gebiet", "Schlüssel", "Zeitraum", "Wert", "Einheit", "Kennzeichen", "Hinweis",
              "gerundete Eingangswerte"]
    rows = []
    for who in regions:
        for p in periods:
            r = results[(indicator.code, who.pk, p.pk)]
            rows.append(
                [
                    indicator.name,
                    labels[who.pk],
                    who.code,
                    p.label,
                    r.rounded_value,
                    indicator.unit,
                    r.flag_text,
                    r.reason,
                    "ja" if r.rounded_inputs else "",
                ]
            )
    lines = [s.line_with_state for s in figures.sources_for(results.values())]
    name = f"{indicator.code}-{region.code}"
    return _file_response(
        request, fmt, indicator.short_name or indicator.name, header, rows, lines, name, unit=indicator.unit
    )


# Column kinds of the table files: "key" columns are text with leading zeros (AGS).
TABLE_KINDS = {"Schlüssel": "key", "Wert": "decimal"}


def _file_response(request, fmt, title, header, rows, lines, name, unit=""):
    """The table as XLSX, as CSV (``?dezimal=punkt``: machine-readable variant) or as the CSV's
    CSVW metadata (``fmt`` ``csv-metadata.json``); the CSV links its metadata (Link header)."""
    decimal_mark = decimal_mark_from(request)
    variant = "" if decimal_mark == "," else "-maschinenlesbar"
    if fmt == "xlsx":
        response = HttpResponse(
            table_xlsx(title, header, rows, lines),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    elif fmt == "csv":
        response = HttpResponse(
            table_csv(header, rows, lines, decimal_mark=decimal_mark), content_type="text/csv; charset=utf-8"
        )
        response["Link"] = (
            f'<{_sibling_url(request, "csv-metadata.json")}>; rel="describedby"; type="application/csvm+json"'
        )
    elif fmt == "csv-metadata.json":
        columns = [
            csvw_column(
                h,
                datatype="decimal" if TABLE_KINDS.get(h) == "decimal" else "string",
                unit=unit if TABLE_KINDS.get(h) == "decimal" else "",
                key=TABLE_KINDS.get(h) == "key",
                decimal_mark=decimal_mark,
            )
            for h in header
        ]
        csv_url = _sibling_url(request, "csv")
        meta = csvw_metadata(url=csv_url, title=title, columns=columns, decimal_mark=decimal_mark, sources=lines)
        response = JsonResponse(meta, json_dumps_params={"ensure_ascii": False, "indent": 1})
        response["Content-Type"] = "application/csvm+json; charset=utf-8"
        return response
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}{variant}.{fmt}"'
    return response


def _sibling_url(request, fmt: str) -> str:
    """The same table in another format (same query): ``daten.<fmt>`` or ``?format=<fmt>``."""
    query = request.GET.copy()
    path = request.path
    if "format" in query:
        query["format"] = fmt
    else:
        path = path.rsplit("/daten.", 1)[0] + "/daten." + fmt
    return request.build_absolute_uri(path + ("?" + query.urlencode() if query else ""))


def indicator_map(request, code):
    indicator = _indicator_for(request, code)
    land_code = request.GET.get("land") or (
        request.tenant.land_code if request.tenant and request.tenant.land_code else "DG"
    )
    parent = (
        Region.objects.defer("boundary")
        .filter(code=land_code, tenant__isnull=True, kind__in=[RegionKind.LAND, RegionKind.BUND])
        .first()
    )
    if parent is None:
        raise Http404(_("Unbekanntes Land"))
    periods = indicator_periods(indicator=indicator, tenant=request.tenant)
    period = next((p for p in periods if p.code == request.GET.get("zeitraum")), None) or (
        periods[-1] if periods else None
    )
    kreise = figures.kreise_for_map(parent)
    results = {}
    if period:
        evaluated = indicators_evaluate(indicators=[indicator], regions=kreise, periods=[period], tenant=request.tenant)
        results = {rid: r for (_, rid, _), r in evaluated.items()}
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx", "csv-metadata.json"):
        header = ["Gebiet", "Schlüssel", "Zeitraum", "Wert", "Einheit", "Kennzeichen", "Hinweis"]
        rows = [
            [
                k.title,
                k.code,
                period.label if period else "",
                results[k.pk].rounded_value if k.pk in results else None,
                indicator.unit,
                results[k.pk].flag_text if k.pk in results else "",
                results[k.pk].reason if k.pk in results else "",
            ]
            for k in kreise
        ]
        lines = [s.line_with_state for s in figures.sources_for(results.values())]
        lines.append("© GeoBasis-DE / BKG 2019 (Daten verändert)")
        return _file_response(
            request,
            fmt,
            indicator.short_name or indicator.name,
            header,
            rows,
            lines,
            f"{indicator.code}-karte-{parent.code}",
            unit=indicator.unit,
        )
    choropleth = figures.choropleth_build(indicator, kreise, results)
    lands = Region.objects.filter(kind=RegionKind.LAND, tenant__isnull=True).defer("boundary").order_by("name")
    return render(
        request,
        "monitoring/map.html",
        {
            "indicator": indicator,
            "parent": parent,
            "period": period,
            "periods": periods,
            "map": choropleth,
            "lands": lands,
            "sources": figures.sources_for(results.values()),
        },
    )


def datasheet(request, code=None):
    region = (
        figures.regions_filter_visible(Region.objects.defer("boundary"), request.tenant).filter(code=code).first()
        if code
        else _default_region(request)
    )
    if region is None:
        raise Http404(_("Unbekanntes Gebiet"))
    year = request.GET.get("jahr")
    year = int(year) if year and year.isdigit() else None
    sheet = figures.datasheet_build(region, year=year, tenant=request.tenant)
    if request.GET.get("format") == "pdf":
        response = HttpResponse(datasheet_pdf(sheet), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="datenblatt-{region.code}.pdf"'
        return response
    chart = figures.datasheet_chart(sheet)
    years = sorted(set(Period.objects.values_list("year", flat=True)), reverse=True)
    can_import = request.tenant is not None and request.user.has_perm("monitoring.import_values", request.tenant)
    from .sources.agencies import agency_figures

    return render(
        request,
        "monitoring/datasheet.html",
        {
            "sheet": sheet,
            "chart": chart,
            "years": years,
            "year": year,
            "can_import": can_import,
            "agency_blocks": agency_figures(region, tenant=request.tenant),
        },
    )


def source_index(request):
    qs = sources_visible_to(request.tenant).order_by("publisher", "table_code")
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(request, "monitoring/sources.html", {"page": page})


def source_detail(request, code):
    source = get_object_or_404(sources_visible_to(request.tenant), code=code)
    statistics = list(source.statistics.order_by("code"))
    values = (
        Value.objects.filter(source=source)
        .select_related("statistic", "region", "period")
        .defer("region__boundary")
        .order_by("region__code", "statistic__code", "categories")
    )
    if request.tenant is None:
        values = values.filter(tenant__isnull=True)
    region_code = (request.GET.get("gebiet") or "").strip()
    if region_code:
        values = values.filter(region__code=region_code)
    page = Paginator(values, 50).get_page(request.GET.get("page"))
    rows = [
        {
            "v": v,
            "display": value_display(v.value, v.flag),
            "flag": FLAG_LABELS.get(v.flag, ""),
            "status": value_status(v.flag, v.revised),
        }
        for v in page
    ]
    return render(
        request,
        "monitoring/source.html",
        {
            "source": source,
            "statistics": statistics,
            "page": page,
            "rows": rows,
            "region_code": region_code,
            "breakdowns": breakdowns_of_source(source),
        },
    )


def value_history_view(request, pk):
    """Every state of one value: the current figure and each earlier one a re-import replaced."""
    value = get_object_or_404(
        Value.objects.select_related("statistic", "region", "period", "source", "import_run").defer("region__boundary"),
        pk=pk,
    )
    if value.tenant_id is not None and value.tenant_id != getattr(request.tenant, "pk", None):
        raise Http404
    if not sources_visible_to(request.tenant).filter(pk=value.source_id).exists():
        raise Http404
    history = [
        {**h, "display": value_display(h["value"], h["flag"]), "flag_label": FLAG_LABELS.get(h["flag"], "")}
        for h in value_history(value)
    ]
    return render(request, "monitoring/value_history.html", {"value": value, "history": history})


def rules_index(request):
    if request.tenant is None or not request.user.has_perm("monitoring.import_values", request.tenant):
        raise PermissionDenied
    rules_ = list(ValidationRule.objects.all())
    report = []
    for rule in rules_:
        checks = rule_checks(rule=rule, tenant=request.tenant)
        report.append(
            {
                "rule": rule,
                "checked": sum(1 for c in checks if c.ok is not None),
                "violations": [c for c in checks if c.ok is False][:100],
                "violation_count": sum(1 for c in checks if c.ok is False),
            }
        )
    return render(request, "monitoring/rules.html", {"report": report})


# --------------------------------------------------------------------------- indicator editor


@login_required
def indicator_new(request):
    if not _can_edit(request):
        raise PermissionDenied
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            indicator = indicator_create(tenant=request.tenant, **form.cleaned_data)
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Indikator angelegt."))
            return redirect("monitoring:indicator", code=indicator.code)
    return render(
        request,
        "monitoring/indicator_form.html",
        {"form": form, "title": _("Neuer Indikator"), "region": _default_region(request)},
    )


@login_required
def indicator_edit(request, code):
    indicator = _indicator_for(request, code)
    if not request.user.has_perm("monitoring.change_indicator", indicator):
        raise PermissionDenied
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        fields = {k: form.cleaned_data[k] for k in form.changed_data if k != "code"}
        try:
            indicator_update(indicator=indicator, **fields)
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Änderungen gespeichert."))
            return redirect("monitoring:indicator", code=indicator.code)
    return render(
        request,
        "monitoring/indicator_form.html",
        {"form": form, "title": indicator.name, "indicator": indicator, "region": _default_region(request)},
    )


def indicator_preview(request):
    """Live preview for the editor: validation problems and the value for one region (JSON)."""
    if not _can_edit(request):
        raise PermissionDenied
    numerator = request.GET.get("numerator", "")
    denominator = request.GET.get("denominator", "")
    problems = indicator_validate(numerator=numerator, denominator=denominator, code=request.GET.get("code", ""))
    if problems:
        return JsonResponse({"ok": False, "problems": problems})
    try:
        factor = Decimal((request.GET.get("factor") or "1").replace(",", "."))
        decimals = int(request.GET.get("decimals") or 1)
    except (ValueError, ArithmeticError):
        return JsonResponse({"ok": False, "problems": [_("Faktor und Nachkommastellen müssen Zahlen sein.")]})
    probe = Indicator(
        code="_vorschau",
        name="Vorschau",
        numerator=numerator,
        denominator=denominator,
        factor=factor,
        decimals=min(decimals, 6),
    )
    region = _region_from(request)
    periods = indicator_periods(indicator=probe, tenant=request.tenant)[-5:]
    results = indicators_evaluate(indicators=[probe], regions=[region], periods=periods, tenant=request.tenant)
    return JsonResponse(
        {
            "ok": True,
            "region": region.name,
            "results": [
                {
                    "period": p.label,
                    "value": results[("_vorschau", region.pk, p.pk)].display(),
                    "reason": results[("_vorschau", region.pk, p.pk)].reason,
                }
                for p in periods
            ],
        }
    )


# --------------------------------------------------------------------------- imports


@login_required
def import_index(request):
    if request.tenant is None or not request.user.has_perm("monitoring.import_values", request.tenant):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None, tenant=request.tenant)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.MONITORING_IMPORT_INLINE_LIMIT:
            return _import_in_background(request, form)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / Path(upload.name).name
            with path.open("wb") as fh:
                for chunk in upload.chunks():
                    fh.write(chunk)
            fmt = form.cleaned_data["format"]
            try:
                if fmt == "auto":
                    from bildungskette.core.importing import importer_for

                    fmt = importer_for(path).format
                dataset = dataset_read(path, fmt, tenant=request.tenant)
            except ImportRejected as exc:
                form.add_error("file", _("Die Datei wurde abgelehnt, nichts wurde gespeichert:"))
                return render(
                    request,
                    "monitoring/imports.html",
                    {
                        "form": form,
                        "problems": [str(p) for p in exc.problems[:50]],
                        "more": max(0, len(exc.problems) - 50),
                        "runs": _runs(request),
                    },
                )
            run = import_run_create(
                path=path, fmt=fmt, tenant=request.tenant, user=request.user, status=ImportStatus.PREVIEW
            )
            run.preview = dataset.preview()
            run.save(update_fields=["preview"])
        return redirect("monitoring:import_detail", pk=run.pk)
    return render(request, "monitoring/imports.html", {"form": form, "runs": _runs(request)})


def _import_in_background(request, form):
    """A large file: recognise its format from a bounded prefix, keep it (copied in chunks) and let a
    background task read it for the preview, so no request reads a 50 MB file."""
    from bildungskette.core.importing import importer_for

    upload = form.cleaned_data["file"]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(upload.name).name
        with path.open("wb") as fh:
            for chunk in upload.chunks():
                fh.write(chunk)
        fmt = form.cleaned_data["format"]
        try:
            if fmt == "auto":
                fmt = importer_for(path).format
            if fmt.split(":", 1)[0] not in READERS:
                raise ImportRejected(_("Diese Datei ist keine Datei für das Bildungsmonitoring."))
        except ImportRejected as exc:
            form.add_error("file", _("Die Datei wurde abgelehnt, nichts wurde gespeichert:"))
            return render(request, "monitoring/imports.html", {
                "form": form, "problems": [str(p) for p in exc.problems[:50]],
                "more": max(0, len(exc.problems) - 50), "runs": _runs(request)})
        run = import_run_create(path=path, fmt=fmt, tenant=request.tenant, user=request.user,
                                status=ImportStatus.QUEUED, options={"stage": "preview"})
    import_run_preview.enqueue(run.pk)
    messages.info(request, _("Die Datei ist groß: die Vorschau wird im Hintergrund erstellt. Diese Seite zeigt sie, "
                             "sobald sie vorliegt; erst danach wird importiert."))
    return redirect("monitoring:import_detail", pk=run.pk)


def _runs(request):
    return Paginator(
        ImportRun.objects.filter(tenant=request.tenant).select_related("source", "created_by"), 20
    ).get_page(request.GET.get("page"))


def _own_run(request, pk) -> ImportRun:
    if request.tenant is None or not request.user.has_perm("monitoring.import_values", request.tenant):
        raise PermissionDenied
    return get_object_or_404(ImportRun, pk=pk, tenant=request.tenant)


@login_required
def import_detail(request, pk):
    run = _own_run(request, pk)
    return render(request, "monitoring/import_detail.html", {"run": run, "progress": progress_read(run)})


@login_required
@require_POST
def import_confirm(request, pk):
    run = _own_run(request, pk)
    if run.status != ImportStatus.PREVIEW:
        messages.error(request, _("Dieser Import wurde bereits gestartet."))
        return redirect("monitoring:import_detail", pk=run.pk)
    run.status = ImportStatus.QUEUED
    run.save(update_fields=["status"])
    import_run_execute.enqueue(run.pk, request.user.pk)
    return redirect("monitoring:import_detail", pk=run.pk)


@login_required
def import_status(request, pk):
    run = _own_run(request, pk)
    return JsonResponse(
        {
            "status": run.status,
            "status_label": run.get_status_display(),
            "progress": progress_read(run),
            "report": run.report,
            "url": reverse("monitoring:import_detail", args=[run.pk]),
        }
    )


@login_required
def mapping_new(request):
    if request.tenant is None or not request.user.has_perm("monitoring.import_values", request.tenant):
        raise PermissionDenied
    form = MappingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mapping = mapping_save(
                tenant=request.tenant,
                name=form.cleaned_data["name"],
                label=form.cleaned_data["label"],
                definition=form.definition(request.tenant),
            )
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Spaltenzuordnung „%(name)s“ gespeichert; sie steht beim Import als Format zur Wahl.")
                % {"name": mapping},
            )
            return redirect("monitoring:imports")
    return render(request, "monitoring/mapping_form.html", {"form": form})


def kleinraum(request):
    """Kleinräumig: the tenant's Stadtteile with the social index, its method and weights, and a map."""

    from . import social_index as kleinraum_index

    tenant = request.tenant
    gemeinden = list(
        Region.objects.filter(kind=RegionKind.GEMEINDE, children__tenant=tenant, children__kind=RegionKind.STADTTEIL)
        .defer("boundary").distinct().order_by("name")
    ) if tenant is not None else []
    chosen = request.GET.get("gemeinde", "")
    gemeinde = next((g for g in gemeinden if g.code == chosen), gemeinden[0] if gemeinden else None)
    measures = [("index", "Sozialindex")] + [(i.key, i.label) for i in kleinraum_index.INPUTS]
    measure = request.GET.get("merkmal", "index")
    context = {"gemeinden": gemeinden, "gemeinde": gemeinde, "measures": measures, "measure": measure,
               "method": kleinraum_index.METHOD, "disclosure": kleinraum_index.DISCLOSURE}
    if gemeinde is not None:
        index = kleinraum_index.social_index_compute(gemeinde=gemeinde, tenant=tenant)
        data = kleinraum_index.social_index_map(index, measure)
        svg = ""
        if data["map"]["features"]:
            spec = kleinraum_index.stadtteil_map_spec(data["map"], measure=data["measure"])
            svg = chart_svg(spec, title=f"{data['measure']} nach Stadtteilen",
                            description=f"Karte der {len(data['rows'])} Stadtteile von {gemeinde.name}; "
                                        "die Werte stehen in der Tabelle darunter.")
        context |= {"index": index, "data": data, "svg": mark_safe(svg),  # noqa: S308 (vl-convert, escaped)
                    "weights": kleinraum_index.weights_table(index)}
    return render(request, "monitoring/kleinraum.html", context)
