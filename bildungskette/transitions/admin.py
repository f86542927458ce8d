"""Stammdatenverwaltung: catalogues and the destination mapping are editable by administrators.
Person-level records are deliberately not in the admin (they are only reachable through the
school's scoped screens, where every read is logged)."""

from django.contrib import admin

from .models import (
    Catalogue,
    CompanyContact,
    DestinationOption,
    Event,
    OccupationalField,
    School,
    StandardElement,
    TransitionPolicy,
)


class DestinationOptionInline(admin.TabularInline):
    model = DestinationOption
    fields = ["code", "title", "iabe_sector", "outcome", "group", "is_active"]
    extra = 0


@admin.register(Catalogue)
class CatalogueAdmin(admin.ModelAdmin):
    list_display = ["title", "land_code", "kind", "version", "is_current", "imported_at"]
    list_filter = ["kind", "land_code", "is_current"]
    inlines = [DestinationOptionInline]


@admin.register(StandardElement)
class StandardElementAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "level", "option_type", "catalogue"]
    list_filter = ["catalogue", "level"]
    search_fields = ["code", "title"]
    raw_id_fields = ["parent"]


@admin.register(DestinationOption)
class DestinationOptionAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "iabe_sector", "outcome", "group", "is_active", "catalogue"]
    list_editable = ["iabe_sector", "outcome", "group", "is_active"]
    list_filter = ["catalogue", "iabe_sector", "outcome"]


@admin.register(OccupationalField)
class OccupationalFieldAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "catalogue"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["organisation", "tenant", "names_enabled", "final_grade", "is_synthetic"]
    list_filter = ["tenant"]
    raw_id_fields = ["organisation", "stadtteil"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "starts_at", "capacity", "is_public", "tenant"]
    list_filter = ["tenant", "kind"]
    raw_id_fields = ["organisation"]


@admin.register(CompanyContact)
class CompanyContactAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "email", "is_active", "tenant"]
    raw_id_fields = ["organisation"]


@admin.register(TransitionPolicy)
class TransitionPolicyAdmin(admin.ModelAdmin):
    list_display = ["tenant", "disclosure_method", "min_cell", "self_consent_age", "follow_up_retention_months"]
