"""Aggregated cohort statistics (disclosure-controlled), the data-protection officer's access log
and policy, and the catalogues."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from bildungskette.core.charts import chart_svg
from bildungskette.core.exports import csv_cell

from .. import selectors as sel
from .. import services
from ..forms import PolicyForm
from ..models import Catalogue, ElementLevel
from ..statistics import statistics_is_synthetic, tenant_tables
from .common import tenant_required

SOURCE_LINE = "Quelle: Übergangsmonitoring der Schulen im Übergangsmanagement (eigene Erhebung)"


def _sector_chart(table) -> str:
    values = []
    for line in table.lines():
        for column, cell in zip(table.columns, line["cells"], strict=True):
            if cell["share"] is not None:
                values.append({"Jahr": line["label"], "Anschluss": column, "Anteil": cell["share"]})
    if not values:
        return ""
    spec = {
        "data": {"values": values}, "width": 560, "height": 220,
        "mark": {"type": "bar"},
        "encoding": {
            "y": {"field": "Jahr", "type": "nominal", "title": "Abgangsjahr"},
            "x": {"field": "Anteil", "type": "quantitative", "stack": "zero", "title": "Anteil in %"},
            "color": {"field": "Anschluss", "type": "nominal", "sort": table.columns, "title": None,
                      "legend": {"orient": "bottom", "columns": 2, "labelLimit": 360}},
            "order": {"field": "Anschluss"},
        },
    }
    return chart_svg(spec, title=_("Anschlüsse nach iABE-Sektor und Abgangsjahr"),
                     description=_("Gestapelte Balken: Anteile der Abgänger*innen je Abgangsjahr nach iABE-Sektor, "
                                   "ohne Anschluss und mit unbekanntem Verbleib. Die Zahlen stehen in der Tabelle "
                                   "darunter; gesperrte Werte fehlen im Diagramm."))


@login_required
def statistics(request):
    tenant = tenant_required(request)
    school = None
    if not request.user.has_perm("transitions.view_statistics", tenant):
        managed = list(sel.schools_managed_by(request.user, tenant))
        if not managed:
            raise PermissionDenied
        school = managed[0]
    data = tenant_tables(tenant, school=school, disclose=school is None)
    return render(request, "transitions/statistics.html", {
        **data, "school": school, "synthetic": statistics_is_synthetic(tenant), "source_line": SOURCE_LINE,
        "chart": _sector_chart(data["tables"]["sector_by_year"]),
    })


class _EscapingWriter:
    """Every cell through core.exports (formula escaping; numbers stay numbers)."""

    def __init__(self, writer):
        self.writer = writer

    def writerow(self, row):
        self.writer.writerow([csv_cell(v) for v in row])


@login_required
def statistics_csv(request):
    """Disclosure-controlled tables as CSV (the same figures as on screen, never person-level)."""
    tenant = tenant_required(request)
    if not request.user.has_perm("transitions.view_statistics", tenant):
        raise PermissionDenied
    data = tenant_tables(tenant)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="uebergangsstatistik.csv"'
    writer = csv.writer(response, delimiter=";")
    writer = _EscapingWriter(writer)
    for table in data["tables"].values():
        writer.writerow([table.title])
        writer.writerow([table.row_label, *table.columns, _("insgesamt")])
        for line in table.lines():
            writer.writerow([line["label"], *["•" if c["value"] is None else c["value"] for c in line["cells"]],
                             "•" if line["total"] is None else line["total"]])
        writer.writerow([table.disclosed.note])
        writer.writerow([])
    if statistics_is_synthetic(tenant):
        writer.writerow([_("Hinweis: enthält synthetische Demodaten.")])
    writer.writerow([SOURCE_LINE])
    return response


@login_required
def access_log(request):
    tenant = tenant_required(request)
    if not request.user.has_perm("transitions.view_accesslog", tenant):
        raise PermissionDenied
    page = Paginator(sel.access_log(tenant), 50).get_page(request.GET.get("page"))
    policy = services.policy_for(tenant)
    form = PolicyForm(request.POST or None, initial={f: getattr(policy, f) for f in PolicyForm.base_fields},
                      version_of=policy)
    if request.method == "POST" and request.user.has_perm("transitions.change_policy", tenant) and form.is_valid():
        for key, value in form.cleaned_data.items():
            setattr(policy, key, value)
        policy.save()
        messages.success(request, _("Regeln gespeichert."))
        return redirect("transitions:access_log")
    return render(request, "transitions/access_log.html", {"page": page, "form": form, "policy": policy})


def catalogues(request):
    items = Catalogue.objects.filter(is_current=True).order_by("land_code", "kind")
    chosen = items.filter(pk=request.GET.get("katalog")).first() if request.GET.get("katalog", "").isdigit() else None
    chosen = chosen or items.first()
    elements = (chosen.elements.filter(level__in=[ElementLevel.CATEGORY, ElementLevel.FEATURE]).order_by("position")
                if chosen else [])
    return render(request, "transitions/catalogues.html", {
        "catalogues": items, "chosen": chosen, "elements": elements,
        "destinations": sel.destination_options().select_related("catalogue"),
        "fields": sel.occupational_fields(),
    })
