"""Embeds and their settings under /offene-daten/ (the catalogue sits at /katalog/, urls_root.py)."""

from django.urls import path

from . import embeds

app_name = "opendata_embed"
urlpatterns = [
    path("einbetten/<slug:slug>/indikator/<slug:code>/", embeds.indicator, name="indicator"),
    path("einbetten/<slug:slug>/indikator/<slug:code>.svg", embeds.indicator_svg, name="indicator_svg"),
    path("einbetten/<slug:slug>/karte/<slug:code>/", embeds.indicator_map, name="map"),
    path("einbetten/<slug:slug>/lernorte/", embeds.places, name="places"),
    path("einbetten/erlaubte-websites/", embeds.origins, name="origins"),
]
