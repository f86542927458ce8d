from django.contrib import admin

from .models import Organisation, Person


class PersonInline(admin.TabularInline):
    model = Person
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "region", "tenant", "external_id"]
    list_filter = ["type", "tenant"]
    search_fields = ["name", "short_name", "external_id", "city"]
    raw_id_fields = ["region", "parent"]
    inlines = [PersonInline]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "function", "organisation", "tenant", "consent_to_list"]
    list_filter = ["tenant", "consent_to_list"]
    search_fields = ["name", "organisation__name"]
    raw_id_fields = ["organisation"]
