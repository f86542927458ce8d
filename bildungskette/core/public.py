"""The citizen's side of a tenant: its public start page with the one search box, and the pages
every public authority website needs (Impressum, Datenschutzerklärung, Erklärung zur
Barrierefreiheit with its feedback form, Leichte Sprache), which the tenant's administration edits
here in the German UI."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from .auth.throttle import client_ip, rate_limited
from .forms import AccessibilityFeedbackForm, LegalPagesForm
from .language import translated
from .markup import markdown_html
from .models import Tenant
from .navigation import start_panels
from .search import MIN_QUERY, search_query_clean, search_run
from .selectors import accessibility_feedback_for, legal_pages_of
from .services import accessibility_feedback_mark, accessibility_feedback_submit, legal_pages_ensure

# A sender may report this many barriers per hour (counted by a keyed hash of the address, see
# core/auth/throttle.py); enough for a person, too few for a script.
FEEDBACK_LIMIT = 5
FEEDBACK_WINDOW = datetime.timedelta(hours=1)


def citizen_start_context(request, tenant: Tenant | None) -> dict:
    """The public panels (search comes first in the template, then nearby, events, Datenblatt …)."""
    request.public_tenant = tenant
    panels = [{"panel": p, "context": p.context(request) if p.context else {}} for p in start_panels({"public"})]
    legal = legal_pages_of(tenant) if tenant else None
    return {"panels": panels, "public_tenant": tenant, "legal": legal,
            "tenants": [] if tenant else list(Tenant.objects.order_by("name"))}


@translated
def kommune_start(request, tenant_slug):
    tenant = get_object_or_404(Tenant, slug=tenant_slug)
    return render(request, "core/citizen_start.html", citizen_start_context(request, tenant))


@translated
def kommunen(request):
    return render(request, "core/kommunen.html", {"tenants": Tenant.objects.order_by("name")})


@translated
def search(request):
    """One search box over regions, places, offers and events; works without JavaScript."""
    query = search_query_clean(request.GET.get("q"))
    tenant = Tenant.objects.filter(slug=request.GET.get("mandant") or "").first()
    groups = search_run(query, tenant=tenant)
    return render(request, "core/search.html", {
        "query": query, "groups": groups, "too_short": bool(query) and len(query) < MIN_QUERY,
        "min_query": MIN_QUERY, "search_tenant": tenant,
    })


# ---------------------------------------------------------------------------------------------
# The legal pages, public


def _legal(tenant_slug):
    tenant = get_object_or_404(Tenant, slug=tenant_slug)
    return tenant, legal_pages_of(tenant)


@translated
def imprint(request, tenant_slug):
    tenant, legal = _legal(tenant_slug)
    return render(request, "core/legal/text_page.html", {
        "tenant": tenant, "legal": legal, "title": _("Impressum"),
        "html": markdown_html(legal.imprint, heading_level=2)})


@translated
def privacy(request, tenant_slug):
    tenant, legal = _legal(tenant_slug)
    return render(request, "core/legal/text_page.html", {
        "tenant": tenant, "legal": legal, "title": _("Datenschutzerklärung"),
        "html": markdown_html(legal.privacy, heading_level=2)})


@translated
def easy_language(request, tenant_slug):
    tenant, legal = _legal(tenant_slug)
    return render(request, "core/legal/easy_language.html", {
        "tenant": tenant, "legal": legal, "html": markdown_html(legal.easy_language, heading_level=2)})


@translated
def accessibility(request, tenant_slug):
    """The Erklärung zur Barrierefreiheit (structure of BITV 2.0 § 7 and the EU model statement)
    with its feedback form: stored for the tenant, the tenant notified by e-mail."""
    tenant, legal = _legal(tenant_slug)
    form = AccessibilityFeedbackForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if rate_limited(kind="a11y_feedback", value=client_ip(request), limit=FEEDBACK_LIMIT,
                        window=FEEDBACK_WINDOW):
            form.add_error(None, _("Sie haben in der letzten Stunde schon mehrere Rückmeldungen geschickt. "
                                   "Bitte versuchen Sie es später noch einmal oder schreiben Sie uns eine E-Mail."))
            status = 429
        elif form.is_valid():
            accessibility_feedback_submit(tenant=tenant, **form.cleaned_data)
            messages.success(request, _("Vielen Dank. Ihre Rückmeldung ist bei %(tenant)s angekommen.")
                             % {"tenant": tenant.name})
            return redirect("core:accessibility", tenant_slug=tenant.slug)
        else:
            status = 400
    return render(request, "core/legal/accessibility.html", {
        "tenant": tenant, "legal": legal, "form": form,
        "gaps": markdown_html(legal.accessibility_gaps), "contact": markdown_html(legal.feedback_contact),
        "arbitration": markdown_html(legal.arbitration),
    }, status=status)


# ---------------------------------------------------------------------------------------------
# The tenant administration edits them and reads the feedback


def _require_admin(request) -> Tenant:
    if request.tenant is None or not request.user.has_perm("core.manage_users", request.tenant):
        raise PermissionDenied
    return request.tenant


@login_required
def legal_edit(request):
    tenant = _require_admin(request)
    pages = legal_pages_ensure(tenant=tenant)
    form = LegalPagesForm(request.POST or None, instance=pages)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Die rechtlichen Seiten sind gespeichert."))
        return redirect("core:legal_edit")
    return render(request, "core/legal/edit.html", {"form": form, "tenant": tenant, "legal": pages})


@never_cache
@login_required
def feedback_list(request):
    tenant = _require_admin(request)
    if request.method == "POST":
        pk = request.POST.get("feedback", "")
        if pk.isdigit():
            accessibility_feedback_mark(tenant=tenant, pk=int(pk), handled=request.POST.get("handled") == "1")
            messages.success(request, _("Rückmeldung aktualisiert."))
        return redirect("core:feedback_list")
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    page = Paginator(accessibility_feedback_for(tenant), 25).get_page(request.GET.get("page"))
    return render(request, "core/legal/feedback_list.html", {"page": page, "tenant": tenant})

