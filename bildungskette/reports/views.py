"""Thin views: the public report pages and the editor for signed-in staff."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bildungskette.core.markup import markdown_html
from bildungskette.monitoring import selectors as monitoring
from bildungskette.regions.models import Region

from . import services
from .documents import LICENCE_NOTE, block_svg, map_svg, snapshot_pdf
from .forms import BlockEditForm, BlockForm, CommentForm, ReportForm, ReportMetaForm
from .models import Block, Chapter, Report, ReportVersion
from .selectors import (
    block_payload,
    can_edit_reports,
    catalogue_overview,
    report_snapshot,
    reports_of_tenant,
    reports_published,
    version_latest,
)


def _render_snapshot(snapshot: dict) -> dict:
    """Add the HTML of text blocks and the SVG of charts (both derived only from the snapshot)."""
    shown = copy.deepcopy(snapshot)
    for chapter in shown["chapters"]:
        for block in chapter["blocks"]:
            if block["kind"] == "text":
                block["html"] = mark_safe(markdown_html(block.get("text", "")))  # noqa: S308 (escaped first)
            elif block["kind"] == "chart" and any(r["value"] is not None for r in block.get("rows", [])):
                block["svg"] = mark_safe(block_svg(block))  # noqa: S308 (vl-convert output, labels escaped)
            elif block["kind"] == "choropleth" and (block.get("map") or {}).get("features"):
                block["map_svg"] = mark_safe(map_svg(block))  # noqa: S308 (vl-convert output, labels escaped)
    return shown


# ------------------------------------------------------------------ public


def report_index(request):
    tenant = getattr(request, "tenant", None)
    can_edit = can_edit_reports(request.user, tenant)
    editable = reports_of_tenant(tenant) if can_edit else []
    rows = [(r, version_latest(r)) for r in reports_published()]
    return render(request, "reports/index.html", {"reports": rows, "editable": editable, "can_edit": can_edit})


def _public_version(slug: str, number: int | None) -> tuple[Report, ReportVersion]:
    report = get_object_or_404(Report.objects.select_related("region", "tenant"), slug=slug)
    versions = report.versions.all()
    version = versions.filter(number=number).first() if number else versions.order_by("-number").first()
    if version is None:
        raise Http404
    return report, version


def report_public(request, slug, number=None):
    report, version = _public_version(slug, number)
    return render(
        request,
        "reports/public.html",
        {"report": report, "version": version, "snapshot": _render_snapshot(version.snapshot),
         "versions": report.versions.order_by("-number"), "licence": LICENCE_NOTE},
    )


def report_pdf(request, slug, number=None):
    report, version = _public_version(slug, number)
    pdf = snapshot_pdf(version.snapshot, version=version.number,
                       published=f"{timezone.localtime(version.published_at):%d.%m.%Y}")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{report.slug}-fassung-{version.number}.pdf"'
    return response


def report_docx(request, slug, number=None):
    from .docx_export import snapshot_docx

    report, version = _public_version(slug, number)
    response = HttpResponse(
        snapshot_docx(version.snapshot, version=version.number),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="{report.slug}-fassung-{version.number}.docx"'
    return response


def catalogue(request):
    return render(request, "reports/catalogue.html", {"areas": catalogue_overview()})


# ------------------------------------------------------------------ editor


def _editable(request, report: Report) -> Report:
    if not request.user.has_perm("reports.change_report", report):
        raise PermissionDenied
    return report


@login_required
def report_new(request):
    tenant = request.tenant
    if not request.user.has_perm("reports.add_report", tenant):
        raise PermissionDenied
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        region = Region.objects.filter(code=form.cleaned_data["region"].strip()).first()
        if region is None:
            form.add_error("region", _("Unbekannter Regionalschlüssel."))
        else:
            report = services.report_create(tenant=tenant, title=form.cleaned_data["title"], region=region,
                                            template=form.cleaned_data["template"])
            return redirect("reports:edit", pk=report.pk)
    return render(request, "reports/new.html", {"form": form})


@login_required
def report_edit(request, pk):
    report = _editable(request, get_object_or_404(Report.objects.select_related("region", "tenant"), pk=pk))
    chapters = []
    indicators = monitoring.indicators_visible_to(request.user, request.tenant)
    for chapter in report.chapters.prefetch_related("blocks__comments__author"):
        blocks = []
        for block in chapter.blocks.all():
            payload = block_payload(block, report)
            blocks.append((block, _render_snapshot({"chapters": [{"blocks": [payload]}]})["chapters"][0]["blocks"][0]))
        chapters.append((chapter, blocks, BlockForm(indicators=indicators, prefix=f"c{chapter.pk}")))
    return render(
        request,
        "reports/edit.html",
        {"report": report, "chapters": chapters, "comment_form": CommentForm(),
         "versions": report.versions.order_by("-number"), "licence": LICENCE_NOTE},
    )


@login_required
@require_POST
def block_add(request, pk):
    chapter = get_object_or_404(Chapter.objects.select_related("report"), pk=pk)
    report = _editable(request, chapter.report)
    form = BlockForm(request.POST, indicators=monitoring.indicators_visible_to(request.user, request.tenant),
                     prefix=f"c{chapter.pk}")
    if form.is_valid():
        try:
            services.block_add(chapter=chapter, **form.cleaned_data)
            messages.success(request, _("Block hinzugefügt."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Block nicht gespeichert: ") + "; ".join(
            f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items() if f in form.fields))
    return redirect(f"{report_url(report)}#kapitel-{chapter.pk}")


def report_url(report: Report) -> str:
    from django.urls import reverse

    return reverse("reports:edit", kwargs={"pk": report.pk})


@login_required
def block_edit(request, pk):
    block = get_object_or_404(Block.objects.select_related("chapter__report"), pk=pk)
    report = _editable(request, block.chapter.report)
    indicators = monitoring.indicators_visible_to(request.user, request.tenant)
    initial = {f: getattr(block, f) for f in ("kind", "title", "text", "indicator_code", "section", "alt_text",
                                              "lock_version")}
    if block.kind == "choropleth":
        initial |= {"map_measure": block.section, "section": ""}
    form = BlockEditForm(request.POST or None, initial=initial, indicators=indicators)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        lock = data.pop("lock_version")
        try:
            services.block_update(block=block, lock_version=lock, **data)
            messages.success(request, _("Block gespeichert."))
            return redirect(f"{report_url(report)}#block-{block.pk}")
        except services.StaleEdit as exc:
            form.add_error(None, " ".join(exc.messages))
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
    return render(request, "reports/block_form.html", {"form": form, "block": block, "report": report},
                  status=409 if form.non_field_errors() else 200)


@login_required
@require_POST
def block_delete(request, pk):
    block = get_object_or_404(Block.objects.select_related("chapter__report"), pk=pk)
    report = _editable(request, block.chapter.report)
    try:
        services.block_delete(block=block)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("reports:edit", pk=report.pk)


@login_required
@require_POST
def block_move(request, pk):
    """Up/down buttons (plain POST forms, so reordering works with the keyboard and without JavaScript)."""
    block = get_object_or_404(Block.objects.select_related("chapter__report"), pk=pk)
    report = _editable(request, block.chapter.report)
    try:
        services.block_move(block=block, direction=request.POST.get("direction", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(f"{report_url(report)}#block-{block.pk}")


@login_required
def report_meta(request, pk):
    """Title, area and the synthetic mark of a draft; a stale form is refused (core.versioning)."""
    report = _editable(request, get_object_or_404(Report.objects.select_related("region"), pk=pk))
    initial = {"title": report.title, "region": report.region.code, "has_synthetic": report.has_synthetic}
    form = ReportMetaForm(request.POST or None, initial=initial, version_of=report)
    if request.method == "POST" and form.is_valid():
        region = Region.objects.filter(code=form.cleaned_data["region"].strip()).first()
        if region is None:
            form.add_error("region", _("Unbekannter Regionalschlüssel."))
        else:
            try:
                services.report_update(report=report, lock_version=report.lock_version,
                                       title=form.cleaned_data["title"], region=region,
                                       has_synthetic=form.cleaned_data["has_synthetic"])
                messages.success(request, _("Angaben gespeichert."))
                return redirect("reports:edit", pk=report.pk)
            except ValidationError as exc:
                form.add_error(None, " ".join(exc.messages))
    stale = any(e.code == "stale" for e in form.errors.as_data().get("__all__", [])) if form.is_bound else False
    return render(request, "reports/meta_form.html", {"form": form, "report": report}, status=409 if stale else 200)


@login_required
@require_POST
def block_comment(request, pk):
    block = get_object_or_404(Block.objects.select_related("chapter__report"), pk=pk)
    report = _editable(request, block.chapter.report)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.comment_add(block=block, author=request.user, text=form.cleaned_data["text"])
    return redirect(f"{report_url(report)}#block-{block.pk}")


@login_required
@require_POST
def report_action(request, pk):
    report = _editable(request, get_object_or_404(Report, pk=pk))
    action = request.POST.get("action", "")
    try:
        if action == "refresh":
            changes = services.report_refresh(report=report)
            messages.success(request, _("Aktualisiert: %(n)d geänderte Werte.") % {"n": len(changes)})
        else:
            if action == "approve" and not request.user.has_perm("reports.approve_report", report):
                raise PermissionDenied
            services.report_transition(report=report, action=action, user=request.user)
            messages.success(request, _("Status: %(s)s") % {"s": report.get_status_display()})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("reports:edit", pk=report.pk)


@login_required
def draft_pdf(request, pk):
    report = _editable(request, get_object_or_404(Report, pk=pk))
    pdf = snapshot_pdf(report_snapshot(report), version=None)
    return HttpResponse(pdf, content_type="application/pdf")
