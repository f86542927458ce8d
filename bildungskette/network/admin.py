from django.contrib import admin

from .models import ActionItem, Body, Commitment, CooperationAgreement, Decision, Meeting, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]
    filter_horizontal = ["delegates", "deputies"]


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "tenant", "is_public"]
    list_filter = ["tenant", "type", "is_public"]
    search_fields = ["name", "short_name"]
    inlines = [MembershipInline]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "body", "starts_at", "status", "is_synthetic"]
    list_filter = ["tenant", "status", "is_synthetic"]
    search_fields = ["title"]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["reference", "meeting", "is_public"]
    search_fields = ["reference", "text"]


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["title", "body", "owner_organisation", "due_date", "status"]
    list_filter = ["tenant", "status"]
    search_fields = ["title"]


class CommitmentInline(admin.TabularInline):
    model = Commitment
    extra = 0


@admin.register(CooperationAgreement)
class CooperationAgreementAdmin(admin.ModelAdmin):
    list_display = ["title", "tenant", "signed_on", "status"]
    list_filter = ["tenant", "status"]
    inlines = [CommitmentInline]
