from django.contrib import admin

from .models import Region, TenantArea


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "designation", "population", "tenant"]
    list_filter = ["kind", "tenant"]
    search_fields = ["code", "name", "ars"]
    raw_id_fields = ["parent"]
    filter_horizontal = ["members"]
    exclude = ["boundary"]


@admin.register(TenantArea)
class TenantAreaAdmin(admin.ModelAdmin):
    list_display = ["tenant", "region", "is_primary"]
    raw_id_fields = ["region"]
