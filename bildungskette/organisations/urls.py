from django.urls import path

from . import views

app_name = "organisations"
urlpatterns = [
    path("", views.organisation_index, name="index"),
    path("neu/", views.organisation_new, name="new"),
    path("<int:pk>/", views.organisation_detail, name="detail"),
    path("<int:pk>/bearbeiten/", views.organisation_edit, name="edit"),
    path("<int:pk>/personen/neu/", views.person_new, name="person_new"),
]
