"""Organisation pages: list with filters, detail with contact persons, create and edit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from .forms import OrganisationForm, PersonForm
from .models import OrganisationType
from .selectors import organisation_list, organisations_visible_to, people_visible_to
from .services import organisation_create, organisation_update, person_create

REFERENCE_REFUSAL = _lazy(
    "„%(name)s“ ist ein gemeinsamer Referenzeintrag (z. B. aus dem amtlichen Schulverzeichnis) und gilt für alle "
    "Mandanten. Ändern kann ihn nur der Betrieb der Plattform; nichts wurde geändert. Bitte melden Sie Korrekturen "
    "dem Betrieb oder der Quelle des Eintrags.")


def organisation_index(request):
    query = (request.GET.get("q") or "").strip()
    type_ = request.GET.get("art") or ""
    only_area = request.GET.get("gebiet", "1" if request.tenant else "") == "1"
    qs = organisation_list(tenant=request.tenant, query=query, type=type_, in_tenant_area=only_area)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "organisations/index.html", {
        "page": page, "query": query, "type": type_, "types": OrganisationType.choices, "only_area": only_area,
        "can_add": request.tenant is not None and request.user.has_perm("organisations.add_organisation",
                                                                          request.tenant),
    })


def organisation_detail(request, pk):
    organisation = get_object_or_404(organisations_visible_to(request.tenant).select_related("region", "tenant"),
                                     pk=pk)
    return render(request, "organisations/detail.html", {
        "organisation": organisation,
        "people": people_visible_to(request.tenant, organisation),
        "can_edit": request.user.has_perm("organisations.change_organisation", organisation),
        "can_add_person": request.tenant is not None and request.user.has_perm("organisations.add_person",
                                                                                 request.tenant),
        "person_form": PersonForm(),
    })


@login_required
def organisation_new(request):
    if request.tenant is None or not request.user.has_perm("organisations.add_organisation", request.tenant):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = organisation_create(tenant=request.tenant, **form.cleaned_data)
        messages.success(request, _("Organisation angelegt."))
        return redirect("organisations:detail", pk=organisation.pk)
    return render(request, "organisations/form.html", {"form": form, "title": _("Neue Organisation")})


@login_required
def organisation_edit(request, pk):
    organisation = get_object_or_404(organisations_visible_to(request.tenant), pk=pk)
    if not request.user.has_perm("organisations.change_organisation", organisation):
        if organisation.tenant_id is None:
            messages.error(request, REFERENCE_REFUSAL % {"name": organisation.name})
            return redirect("organisations:detail", pk=organisation.pk)
        raise PermissionDenied
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        organisation_update(organisation=organisation, **{k: form.cleaned_data[k] for k in form.changed_data})
        messages.success(request, _("Änderungen gespeichert."))
        return redirect("organisations:detail", pk=organisation.pk)
    return render(request, "organisations/form.html", {"form": form, "title": organisation.name})


@login_required
def person_new(request, pk):
    organisation = get_object_or_404(organisations_visible_to(request.tenant), pk=pk)
    if request.tenant is None or not request.user.has_perm("organisations.add_person", request.tenant):
        raise PermissionDenied
    form = PersonForm(request.POST)
    if form.is_valid():
        person_create(tenant=request.tenant, organisation=organisation, **form.cleaned_data)
        messages.success(request, _("Ansprechperson hinzugefügt."))
    else:
        messages.error(request, _("Bitte die Angaben prüfen."))
    return redirect("organisations:detail", pk=organisation.pk)
