"""Administration of the strategy catalogues (programmes, target groups) and, for support, the rest."""

from django.contrib import admin

from . import models


@admin.register(models.Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "funder_level", "funder", "tenant"]
    list_filter = ["funder_level"]
    search_fields = ["name", "short_name"]


@admin.register(models.TargetGroup)
class TargetGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "tenant"]


class PartyInline(admin.TabularInline):
    model = models.AgreementParty
    extra = 1
    autocomplete_fields = ["organisation"]


@admin.register(models.GoalAgreement)
class GoalAgreementAdmin(admin.ModelAdmin):
    list_display = ["title", "tenant", "start_date", "end_date", "is_demo"]
    list_filter = ["tenant"]
    filter_horizontal = ["goals"]
    inlines = [PartyInline]


@admin.register(models.StrategyPeriod)
class StrategyPeriodAdmin(admin.ModelAdmin):
    list_display = ["name", "tenant", "start_year", "end_year", "status"]
    list_filter = ["tenant", "status"]


@admin.register(models.Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "period", "level"]
    list_filter = ["period"]
    search_fields = ["title", "code"]


@admin.register(models.Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["title", "tenant", "programme", "status", "is_demo"]
    list_filter = ["tenant", "status", "programme"]
    search_fields = ["title", "description"]
