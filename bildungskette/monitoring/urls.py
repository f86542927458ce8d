from django.urls import path

from . import views
from .sources import views as sources_views

app_name = "monitoring"
urlpatterns = [
    path("", views.index, name="index"),
    path("indikatoren/neu/", views.indicator_new, name="indicator_new"),
    path("indikatoren/vorschau/", views.indicator_preview, name="indicator_preview"),
    path("indikatoren/<slug:code>/", views.indicator_detail, name="indicator"),
    path("indikatoren/<slug:code>/bearbeiten/", views.indicator_edit, name="indicator_edit"),
    path("indikatoren/<slug:code>/karte/", views.indicator_map, name="indicator_map"),
    path("indikatoren/<slug:code>/daten.<str:fmt>", views.indicator_download, name="indicator_download"),
    path("kleinraeumig/", views.kleinraum, name="kleinraum"),
    path("datenblatt/", views.datasheet, name="datasheet_default"),
    path("datenblatt/<str:code>/", views.datasheet, name="datasheet"),
    path("quellen/", views.source_index, name="sources"),
    path("quellen/<slug:code>/", views.source_detail, name="source"),
    path("werte/<int:pk>/verlauf/", views.value_history_view, name="value_history"),
    path("pruefregeln/", views.rules_index, name="rules"),
    path("importe/", views.import_index, name="imports"),
    path("importe/<int:pk>/", views.import_detail, name="import_detail"),
    path("importe/zuordnung/neu/", views.mapping_new, name="mapping_new"),
    path("importe/<int:pk>/starten/", views.import_confirm, name="import_confirm"),
    path("importe/<int:pk>/status/", views.import_status, name="import_status"),
    path("datenstand/", sources_views.datenstand_view, name="datenstand"),
    path("datenstand/abonnieren/", sources_views.subscribe, name="subscribe"),
    path("datenstand/zugang/", sources_views.credential_save, name="credential_save"),
    path("datenstand/aktualisieren/", sources_views.refresh_now, name="refresh_now"),
    path("indikatoren/<slug:code>/folgen/", sources_views.follow, name="follow"),
]
