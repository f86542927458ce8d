"""The public API and open-data exports at /api/lernorte/ (outside the /lernorte/ pages)."""

from django.urls import path

from . import api

app_name = "places_api"
urlpatterns = [
    path("api/lernorte/", api.api_places, name="places"),
    path("api/lernorte/karte/", api.api_map, name="map"),
    path("api/lernorte/grenzen/", api.api_boundaries, name="boundaries"),
    path("api/lernorte/angebote/", api.api_offers, name="offers"),
    path("api/lernorte/export.geojson", api.export_geojson, name="export_geojson"),
    path("api/lernorte/export.csv", api.export_csv, name="export_csv"),
    path("api/lernorte/export.csv-metadata.json", api.export_csv_metadata, name="export_csv_metadata"),
    path("api/lernorte/<int:pk>/", api.api_place, name="place"),
]
