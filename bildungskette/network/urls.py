from django.urls import path, re_path

from . import views

app_name = "network"
urlpatterns = [
    path("", views.index, name="index"),
    path("gremien/neu/", views.body_new, name="body_new"),
    path("gremien/<int:pk>/", views.body_detail, name="body"),
    path("gremien/<int:pk>/bearbeiten/", views.body_edit, name="body_edit"),
    path("gremien/<int:pk>/mitglieder/neu/", views.membership_new, name="membership_new"),
    path("gremien/<int:pk>/sitzungen/neu/", views.meeting_new, name="meeting_new"),
    path("gremien/<int:pk>/kalender.ics", views.body_ical, name="body_ical"),
    path("mitgliedschaften/<int:pk>/", views.membership_edit, name="membership_edit"),
    path("kalender/person/<str:token>.ics", views.person_ical, name="person_ical"),
    path("sitzungen/<int:pk>/", views.meeting_detail_view, name="meeting"),
    path("sitzungen/<int:pk>/bearbeiten/", views.meeting_edit, name="meeting_edit"),
    path("sitzungen/<int:pk>/absagen/", views.meeting_cancel, name="meeting_cancel"),
    path("sitzungen/<int:pk>/tagesordnung/", views.agenda_item_new, name="agenda_item_new"),
    path("sitzungen/<int:pk>/einladen/", views.meeting_invite, name="meeting_invite"),
    path("sitzungen/<int:pk>/protokoll/", views.minutes_edit, name="minutes"),
    path("sitzungen/<int:pk>/protokoll/freigeben/", views.minutes_approve, name="minutes_approve"),
    path("sitzungen/<int:pk>/beschluesse/", views.decision_new, name="decision_new"),
    path("sitzungen/<int:pk>/aufgaben/", views.action_item_new, name="action_item_new"),
    path("sitzungen/<int:pk>/einladung.pdf", views.meeting_agenda_pdf, name="agenda_pdf"),
    path("sitzungen/<int:pk>/protokoll.pdf", views.meeting_minutes_pdf, name="minutes_pdf"),
    path("sitzungen/<int:pk>/termin.ics", views.meeting_ics, name="meeting_ics"),
    path("dokumente/<int:pk>/", views.document_download, name="document"),
    path("aufgaben/", views.action_items, name="action_items"),
    path("aufgaben/<int:pk>/", views.action_item_update, name="action_item"),
    path("vereinbarungen/", views.agreements, name="agreements"),
    path("vereinbarungen/neu/", views.agreement_form, name="agreement_new"),
    path("vereinbarungen/<int:pk>/", views.agreement_detail, name="agreement"),
    path("vereinbarungen/<int:pk>/bearbeiten/", views.agreement_form, name="agreement_edit"),
    path("vereinbarungen/<int:pk>/zusagen/", views.commitment_new, name="commitment_new"),
    path("zusagen/<int:pk>/", views.commitment_update, name="commitment_update"),
    path("netzwerkkarte/", views.network_view, name="graph"),
    re_path(r"^netzwerkkarte\.(?P<fmt>svg|png)$", views.network_download, name="graph_download"),
]
