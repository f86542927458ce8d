"""Datenstand page, subscriptions, "Jetzt aktualisieren", following an indicator."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..models import Indicator
from . import services
from .forms import CredentialForm, SubscriptionForm
from .models import SourceCredential
from .selectors import datenstand, max_age_months, subscriptions_of


def _may_manage(request) -> bool:
    return request.tenant is not None and request.user.has_perm("monitoring.import_values", request.tenant)


def datenstand_view(request):
    months = request.GET.get("alter", "")
    months = int(months) if months.isdigit() and 0 < int(months) < 600 else max_age_months()
    manage = _may_manage(request)
    context = {
        "states": datenstand(tenant=request.tenant, months=months),
        "months": months,
        "manage": manage,
    }
    if manage:
        context.update(
            {
                "subscriptions": subscriptions_of(request.tenant),
                "form": SubscriptionForm(),
                "credential_form": CredentialForm(),
                "credentials": list(SourceCredential.objects.filter(tenant=request.tenant)),
            }
        )
    return render(request, "monitoring/sources/datenstand.html", context)


@require_POST
def subscribe(request):
    if not _may_manage(request):
        raise PermissionDenied
    form = SubscriptionForm(request.POST)
    if form.is_valid():
        sub = services.subscription_create(tenant=request.tenant, user=request.user, **form.cleaned_data)
        messages.success(request, _("Abonniert: %(s)s") % {"s": sub})
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("monitoring:datenstand")


@require_POST
def credential_save(request):
    if not _may_manage(request):
        raise PermissionDenied
    form = CredentialForm(request.POST)
    if form.is_valid():
        services.credential_set(tenant=request.tenant, **form.cleaned_data)
        messages.success(request, _("Zugangsdaten gespeichert (verschlüsselt)."))
    else:
        messages.error(request, _("Zugangsdaten unvollständig."))
    return redirect("monitoring:datenstand")


@require_POST
def refresh_now(request):
    if not _may_manage(request):
        raise PermissionDenied
    from .tasks import subscriptions_refresh_task

    subscriptions_refresh_task.enqueue(request.tenant.pk, request.user.pk)
    messages.success(
        request, _("Aktualisierung gestartet. Der Verlauf unten zeigt Fortschritt und Ergebnis jedes Abonnements.")
    )
    return redirect("monitoring:datenstand")


@require_POST
def follow(request, code):
    if request.tenant is None or not request.user.is_authenticated:
        raise PermissionDenied
    indicator = get_object_or_404(Indicator, code=code)
    want = request.POST.get("folgen") == "1"
    services.indicator_follow(user=request.user, tenant=request.tenant, indicator=indicator, follow=want)
    if want:
        messages.success(request, _("Sie werden auf der Startseite informiert, wenn neue Daten eintreffen."))
    return redirect(request.POST.get("next") or "monitoring:index") if _safe(request) else redirect("monitoring:index")


def _safe(request) -> bool:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or ""
    return url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False)
