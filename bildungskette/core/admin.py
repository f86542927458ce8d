from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry, RoleAssignment, Tenant, User


def admin_login(request, extra_context=None):
    """The admin has no login form of its own: it sends everyone to the one login flow that asks for
    the second factor (``core:login``), then back to where they wanted to go."""
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"), login_url=reverse("core:login"))


admin.site.login = admin_login


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    raw_id_fields = ["organisation"]


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "land_code"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = DjangoUserAdmin.fieldsets + ((_("Bildungskette"), {"fields": ["display_name"]}),)
    list_display = ["username", "display_name", "email", "is_active", "is_superuser"]
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
