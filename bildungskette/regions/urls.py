from django.urls import path

from . import onboarding, views

app_name = "regions"
urlpatterns = [
    path("", views.region_index, name="index"),
    path("neue-kommune/", onboarding.tenant_onboard_wizard, name="tenant_onboard"),
    path("<str:code>/", views.region_detail, name="detail"),
    path("<str:code>/stadtteile/", views.stadtteile_upload, name="stadtteile_upload"),
]
