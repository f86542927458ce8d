"""Start page per role, login with rate limiting and optional second factor, tenant switch, audit log."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from .auth.throttle import client_ip, login_failure_record, login_success_record, login_wait
from .forms import LoginForm, TokenForm
from .language import translated
from .middleware import SESSION_TENANT_KEY
from .navigation import start_panels
from .selectors import audit_entries_for_tenant, user_role_assignments, user_roles

PENDING_USER_KEY = "bildungskette_pending_2fa_user"


def _public_start(request) -> bool:
    return not request.user.is_authenticated


@translated(when=_public_start)
def start(request):
    """Signed in: what each role has to do. Anonymous: the citizen start page."""
    if _public_start(request):
        from .public import citizen_start_context
        from .selectors import public_tenant_for

        return render(request, "core/citizen_start.html", citizen_start_context(request, public_tenant_for(request)))
    tenant = request.tenant
    roles = user_roles(request.user, tenant) if request.user.is_authenticated else set()
    if request.user.is_superuser:
        roles = roles | {"operator"}  # the platform operator's own panel (new Kommunen)
    panels = []
    for panel in start_panels(roles or {"public"}):
        if not panel.roles and request.user.is_authenticated and not roles:
            continue
        context = panel.context(request) if panel.context else {}
        panels.append({"panel": panel, "context": context})
    return render(request, "core/start.html", {
        "panels": panels,
        "assignments": user_role_assignments(request.user, tenant),
    })


def health(request):
    """``/health/``: "ok" without touching the database – the reverse proxy's liveness check for
    each app server, and the framework's floor in ``make loadtest`` (middleware, routing, response)."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


@sensitive_post_parameters("password")
def login(request):
    """The one login flow: password (with progressive delay), then the second factor if set up."""
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST":
        username, ip = request.POST.get("username", ""), client_ip(request)
        wait = login_wait(username=username, ip=ip)
        if wait:
            # Refused without checking the password, so guessing does not get faster by hammering.
            return render(request, "core/login.html", {"form": LoginForm(request), "wait": wait.seconds,
                                                       "next": _safe_next(request)}, status=429)
        if not form.is_valid():
            login_failure_record(username=username, ip=ip)
            return render(request, "core/login.html", {"form": form, "next": _safe_next(request)})
        login_success_record(username=username, ip=ip)
        user = form.get_user()
        if user_has_device(user, confirmed=True):
            request.session[PENDING_USER_KEY] = user.pk
            request.session["bildungskette_next"] = _safe_next(request)
            return redirect("core:login_token")
        auth_login(request, user)
        return redirect(_safe_next(request))
    return render(request, "core/login.html", {"form": form, "next": request.GET.get("next", "")})


def login_token(request):
    from .models import User

    user_id = request.session.get(PENDING_USER_KEY)
    user = User.objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user is None:
        return redirect("core:login")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in TOTPDevice.objects.filter(user=user, confirmed=True):
            allowed, _details = device.verify_is_allowed()
            if not allowed:
                form.add_error("token", _("Zu viele Fehlversuche – bitte einen Moment warten."))
                break
            if device.verify_token(form.cleaned_data["token"]):
                target = request.session.get("bildungskette_next", "/")
                auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                otp_login(request, device)
                return redirect(target)
        else:
            form.add_error("token", _("Der Code ist nicht gültig."))
    return render(request, "core/login_token.html", {"form": form})


def logout(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    auth_logout(request)
    messages.info(request, _("Sie sind abgemeldet."))
    return redirect("core:start")


@login_required
def tenant_switch(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    wanted = request.POST.get("tenant")
    for tenant in request.available_tenants:
        if str(tenant.id) == wanted:
            request.session[SESSION_TENANT_KEY] = tenant.id
            messages.success(request, _("Sie arbeiten jetzt im Mandanten „%(name)s“.") % {"name": tenant.name})
            break
    return redirect(_safe_next(request))


@login_required
def audit_log(request):
    if request.tenant is None or not request.user.has_perm("core.view_auditentry", request.tenant):
        raise PermissionDenied
    from .audit_display import audit_entries_display, model_display
    from .selectors import audit_filter_choices

    model_label = request.GET.get("modell") or None
    object_id = request.GET.get("objekt") or None
    person = request.GET.get("person") or ""
    qs = audit_entries_for_tenant(request.tenant, model_label=model_label, object_id=object_id,
                                  actor_id=int(person) if person.isdigit() else None)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    choices = audit_filter_choices(request.tenant)
    return render(request, "core/audit_log.html", {
        "page": page, "rows": audit_entries_display(page.object_list), "model_label": model_label or "",
        "object_id": object_id or "", "person": person, "people": choices["people"],
        "model_choices": sorted(((label, model_display(label)) for label in choices["model_labels"]),
                                key=lambda c: c[1]),
        "object_name": model_display(model_label) if model_label else "",
    })


@login_required
def totp_setup(request):
    """Optional second factor for staff: scan the QR code, confirm with a first code."""
    device = TOTPDevice.objects.filter(user=request.user).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="Authenticator", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and "disable" in request.POST:
        # Switching the factor off needs a current code: a session left open is not enough.
        if form.is_valid() and device.confirmed and device.verify_is_allowed()[0] and device.verify_token(
                form.cleaned_data["token"]):
            TOTPDevice.objects.filter(user=request.user).delete()
            messages.info(request, _("Zweiter Faktor ausgeschaltet."))
            return redirect("core:totp_setup")
        if form.is_valid():
            form.add_error("token", _("Der Code ist nicht gültig. Der zweite Faktor bleibt eingeschaltet."))
    elif request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save()
            messages.success(request, _("Zweiter Faktor eingerichtet. Ab der nächsten Anmeldung wird der Code "
                                        "abgefragt."))
            return redirect("core:totp_setup")
        form.add_error("token", _("Der Code ist nicht gültig."))
    qr_svg = None if device.confirmed else segno.make(device.config_url, error="m").svg_inline(scale=4)
    return render(request, "core/totp_setup.html", {"device": device, "form": form, "qr_svg": qr_svg})


def permission_denied(request, exception=None):
    return render(request, "core/403.html", status=403)


def not_found(request, exception=None):
    return render(request, "core/404.html", status=404)


def server_error(request):
    return render(request, "core/500.html", status=500)

