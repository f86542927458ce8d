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
]
