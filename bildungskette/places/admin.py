"""The taxonomy (categories, Schulform mapping, target groups, topics) is managed here."""

from django.contrib import admin

from .models import Category, ChangeProposal, LearningPlace, Offer, SchoolFormMapping, TargetGroup, Topic


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "parent", "schema_type", "education_stage", "age_min", "age_max", "order"]
    list_filter = ["parent", "education_stage"]
    search_fields = ["name", "code"]


@admin.register(SchoolFormMapping)
class SchoolFormMappingAdmin(admin.ModelAdmin):
    list_display = ["label", "category"]
    list_filter = ["category"]
    search_fields = ["label"]


@admin.register(TargetGroup)
class TargetGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "is_bne"]
    list_filter = ["is_bne"]


@admin.register(LearningPlace)
class LearningPlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "city", "kreis_code", "status", "last_verified", "is_synthetic"]
    list_filter = ["status", "category", "is_synthetic"]
    search_fields = ["name", "city", "external_id"]
    raw_id_fields = ["operator", "region", "stadtteil"]
    filter_horizontal = ["categories", "target_groups"]


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ["title", "place", "provider", "status", "last_verified", "is_synthetic"]
    list_filter = ["status", "topics", "is_synthetic"]
    search_fields = ["title"]
    raw_id_fields = ["place", "provider", "region"]


@admin.register(ChangeProposal)
class ChangeProposalAdmin(admin.ModelAdmin):
    list_display = ["__str__", "tenant", "status", "submitted_by", "submitted_at", "reviewed_by"]
    list_filter = ["status", "tenant"]
    raw_id_fields = ["place", "offer"]
