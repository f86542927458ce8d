"""Tenant administration in the German UI: accounts, roles and invitations; the overview of what
an administrator manages. The Django admin stays with the platform operator."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from .forms import InvitationAcceptForm, InvitationForm, RoleAddForm
from .invitations import invitation_path, invitation_user
from .models import RoleAssignment, User
from .selectors import role_organisations, tenant_members
from .services import invitation_send, role_assign, role_remove, user_deactivate, user_invite


def _require_admin(request):
    if request.tenant is None or not request.user.has_perm("core.manage_users", request.tenant):
        raise PermissionDenied


def _optional_url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@login_required
def administration(request):
    """What a tenant administrator manages, each with its page."""
    _require_admin(request)
    links = [
        (_("Konten, Rollen und Einladungen"), reverse("core:members"),
         _("Personen einladen, Rollen vergeben und entziehen, Konten abschalten.")),
        (_("Organisationen und Ansprechpersonen"), reverse("organisations:index"),
         _("Akteure im Gebiet anlegen und pflegen, Ansprechpersonen mit Einwilligung.")),
        (_("Gebiete und Stadtteile"), reverse("regions:index"),
         _("Eigene Stadtteile als GeoJSON auf der Seite einer Gemeinde hochladen.")),
        (_("Rechtliche Seiten"), _optional_url("core:legal_edit"),
         _("Impressum, Datenschutzerklärung und Erklärung zur Barrierefreiheit des Mandanten.")),
        (_("Rückmeldungen zur Barrierefreiheit"), _optional_url("core:feedback_list"),
         _("Gemeldete Barrieren lesen und als erledigt markieren.")),
        (_("Einbettung (erlaubte Websites)"), _optional_url("opendata_embed:origins"),
         _("Websites, auf denen Karte und Widget eingebettet werden dürfen.")),
        (_("Änderungsprotokoll"), reverse("core:audit_log"), _("Wer hat wann was geändert.")),
    ]
    return render(request, "core/administration.html", {"links": [link for link in links if link[1]]})


@never_cache
@login_required
def members(request):
    _require_admin(request)
    tenant = request.tenant
    form = InvitationForm(request.POST or None, organisations=role_organisations(tenant))
    if request.method == "POST" and form.is_valid():
        user, needs_link = user_invite(tenant=tenant, invited_by=request.user, **form.cleaned_data)
        if needs_link:
            link = request.build_absolute_uri(invitation_path(user))
            invitation_send(user=user, link=link, tenant=tenant)
            messages.success(request, _("Einladung für %(email)s erstellt und per E-Mail versandt.")
                             % {"email": user.email})
        else:
            messages.success(request, _("%(user)s hat jetzt die Rolle „%(role)s“.")
                             % {"user": user, "role": dict(form.fields["role"].choices)[form.cleaned_data["role"]]})
        return redirect("core:member", pk=user.pk)
    return render(request, "core/members.html", {"members": tenant_members(tenant), "form": form})


@never_cache
@login_required
def member(request, pk):
    _require_admin(request)
    tenant = request.tenant
    user = get_object_or_404(User.objects.filter(role_assignments__tenant=tenant).distinct(), pk=pk)
    form = RoleAddForm(request.POST if request.POST.get("action") == "add" else None,
                       organisations=role_organisations(tenant))
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "add" and form.is_valid():
            role_assign(user=user, tenant=tenant, role=form.cleaned_data["role"],
                        organisation=form.cleaned_data["organisation"])
            messages.success(request, _("Rolle hinzugefügt."))
            return redirect("core:member", pk=user.pk)
        if action == "remove":
            assignment = get_object_or_404(RoleAssignment, pk=request.POST.get("assignment"), user=user, tenant=tenant)
            if user == request.user and assignment.role == "tenant_admin":
                messages.error(request, _("Die eigene Administrationsrolle kann nicht entzogen werden."))
            else:
                role_remove(assignment=assignment)
                messages.success(request, _("Rolle entzogen."))
            return redirect("core:member", pk=user.pk) if user.role_assignments.filter(
                tenant=tenant).exists() else redirect("core:members")
        if action == "deactivate":
            if user == request.user:
                messages.error(request, _("Das eigene Konto kann nicht abgeschaltet werden."))
                return redirect("core:member", pk=user.pk)
            switched_off = user_deactivate(tenant=tenant, user=user)
            messages.success(request, _("Konto abgeschaltet.") if switched_off else _(
                "Alle Rollen in diesem Mandanten entzogen; das Konto bleibt für andere Mandanten aktiv."))
            return redirect("core:members")
    assignments = list(user.role_assignments.filter(tenant=tenant).select_related("organisation"))
    pending = not user.has_usable_password() and user.is_active
    return render(request, "core/member.html", {
        "member": user, "assignments": assignments, "form": form,
        "invitation_link": request.build_absolute_uri(invitation_path(user)) if pending else "",
    })


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
def invitation_accept(request, uidb64, token):
    user = invitation_user(uidb64, token)
    if user is None:
        return render(request, "core/invitation_invalid.html", status=400)
    if request.user.is_authenticated and request.user != user:
        return render(request, "core/invitation_invalid.html", {"other_user": True}, status=400)
    form = InvitationAcceptForm(user, request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Ihr Passwort ist gesetzt. Bitte melden Sie sich mit Ihrem Benutzernamen "
                                        "%(username)s an.") % {"username": user.username})
            return redirect("core:login")
    elif request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    return render(request, "core/invitation_accept.html", {"form": form, "invited": user})
