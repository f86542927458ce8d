from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.contrib.auth.models import Group
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .admin_german import admin_labels_germanise
from .models import AuditEntry, RoleAssignment, Tenant, User

admin_labels_germanise()
# Roles come from RoleAssignment; Django's groups are not used (their permission names are English).
admin.site.unregister(Group)
# The Django admin is the platform operator's tool; tenant administrators work in the German UI.
admin.site.has_permission = lambda request: request.user.is_active and request.user.is_superuser


class UserCreationForm(AdminUserCreationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("usable_password")
        if field is not None:
            field.label = _("Anmeldung mit Passwort")
            field.choices = [("true", _("erlaubt")), ("false", _("nicht erlaubt"))]
            field.help_text = _("Ob sich das Konto mit einem Passwort anmelden kann. Ohne Passwort lädt die "
                                "Administration des Mandanten die Person mit einem Link ein.")


def admin_login(request, extra_context=None):
    """The admin has no login form of its own: it sends everyone to the one login flow that asks for
    the second factor (``core:login``), then back to where they wanted to go."""
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"), login_url=reverse("core:login"))


admin.site.login = admin_login


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    raw_id_fields = ["organisation"]


class UserChangeForm(DjangoUserChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        password = self.fields.get("password")
        if password is not None:
            password.help_text = (
                _("Passwörter werden nicht im Klartext gespeichert und sind daher nicht einsehbar.")
                if self.instance.has_usable_password() else
                _("Das Konto hat noch kein Passwort (Einladung offen oder Anmeldung mit Passwort abgeschaltet)."))


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "land_code"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    # Without Django's groups and single permissions: roles come from RoleAssignment below.
    fieldsets = tuple(
        (title, {**options, "fields": [f for f in options["fields"] if f not in {"groups", "user_permissions"}]})
        for title, options in DjangoUserAdmin.fieldsets
    ) + ((_("Bildungskette"), {"fields": ["display_name"]}),)
    filter_horizontal = ()
    list_filter = ["is_active", "is_superuser"]
    list_display = ["username", "display_name", "email", "is_active", "is_superuser"]
    add_form = UserCreationForm
    form = UserChangeForm
    inlines = [RoleAssignmentInline]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "tenant", "role", "organisation"]
    list_filter = ["tenant", "role"]
    raw_id_fields = ["user", "organisation"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log cannot be edited, not even by administrators."""

    list_display = ["created_at", "tenant", "actor_label", "action", "model_label", "object_repr"]
    list_filter = ["tenant", "action", "model_label"]
    search_fields = ["object_repr", "actor_label"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
