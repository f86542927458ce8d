from django.urls import path

from . import views

app_name = "places"
urlpatterns = [
    path("", views.place_map, name="map"),
    path("liste/", views.place_index, name="list"),
    path("angebote/", views.offer_index, name="offers"),
    path("in-der-naehe/", views.places_nearby, name="nearby"),
    path("widget/", views.place_widget, name="widget"),
    path("widget/<slug:slug>/", views.place_widget, name="widget_tenant"),
    path("einbetten/", views.widget_snippet, name="embed"),
    path("<int:pk>/", views.place_page, name="detail"),
    path("angebote/<int:pk>/", views.offer_page, name="offer"),
    path("meine/", views.provider_home, name="mine"),
    path("neu/", views.place_new, name="new"),
    path("<int:pk>/bearbeiten/", views.place_edit, name="edit"),
    path("<int:pk>/bestaetigen/", views.entry_confirm_view, {"kind": "place"}, name="confirm"),
    path("angebote/neu/", views.offer_new, name="offer_new"),
    path("angebote/<int:pk>/bearbeiten/", views.offer_edit, name="offer_edit"),
    path("angebote/<int:pk>/bestaetigen/", views.entry_confirm_view, {"kind": "offer"}, name="offer_confirm"),
    path("pruefung/", views.review_index, name="review"),
    path("pruefung/<str:kind>/<int:pk>/", views.review_decide, name="review_decide"),
    path("import/", views.import_upload, name="import"),
    path("import/<int:pk>/", views.import_status, name="import_status"),
]
