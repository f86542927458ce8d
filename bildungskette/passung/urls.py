from django.urls import path

from . import views

app_name = "passung"

urlpatterns = [
    path("", views.index, name="index"),
    path("gruppen/speichern/", views.group_save, name="group_save"),
    path("rekrutierung/", views.recruit, name="recruit"),
    path("rekrutierung.csv", views.recruit_csv, name="recruit_csv"),
    path("messen/", views.messe_index, name="messe_index"),
    path("messen/<int:pk>/", views.messe_detail, name="messe"),
    path("messen/<int:pk>/zuteilen/", views.messe_run, name="messe_run"),
    path("ausbildungsplaetze/", views.training_places, name="training_places"),
    path("live/", views.live, name="live"),
    path("touren/", views.tours, name="tours"),
    path("touren/neu/", views.tour_new, name="tour_new"),
    path("touren/<int:pk>/", views.tour_edit, name="tour_edit"),
    path("begegnungen/", views.outcomes, name="outcomes"),
    path("entwicklung/", views.trends, name="trends"),
    path("entwicklung.pdf", views.trends_pdf, name="trends_pdf"),
    path("betriebe/ausbildungsplaetze/", views.company_places, name="company_places"),
    path("betriebe/ausbildungsplaetze/neu/", views.company_place_new, name="company_place_new"),
    path("betriebe/ausbildungsplaetze/<int:pk>/", views.company_place_edit, name="company_place"),
    path("betriebe/ausbildungsplaetze/<int:pk>/zurueckziehen/", views.company_place_withdraw,
         name="company_place_withdraw"),
]
