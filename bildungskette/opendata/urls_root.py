"""The DCAT-AP.de catalogue at /katalog/ (documented in docs/open-data.md)."""

from django.urls import path

from . import views

app_name = "opendata"
urlpatterns = [
    path("katalog/", views.catalogue_page, name="catalogue_page"),
    path("katalog/dcat.ttl", views.catalogue, {"fmt": "ttl"}, name="catalogue_ttl"),
    path("katalog/dcat.jsonld", views.catalogue, {"fmt": "jsonld"}, name="catalogue_jsonld"),
    path("katalog/<slug:slug>/dcat.ttl", views.catalogue_tenant, {"fmt": "ttl"}, name="catalogue_tenant_ttl"),
    path("katalog/<slug:slug>/dcat.jsonld", views.catalogue_tenant, {"fmt": "jsonld"},
         name="catalogue_tenant_jsonld"),
]
