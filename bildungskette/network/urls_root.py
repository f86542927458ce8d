"""OParl 1.1 at the site root: /oparl/v1/… (the System object is /oparl/v1/system)."""

from django.urls import path

from . import oparl

app_name = "oparl"
urlpatterns = [
    path("oparl/v1/system", oparl.system, name="system"),
    path("oparl/v1/bodies", oparl.bodies, name="bodies"),
    path("oparl/v1/body/<slug:slug>", oparl.body, name="body"),
    path("oparl/v1/body/<slug:slug>/organizations", oparl.body_organizations, name="body_organizations"),
    path("oparl/v1/body/<slug:slug>/people", oparl.body_people, name="body_people"),
    path("oparl/v1/body/<slug:slug>/meetings", oparl.body_meetings, name="body_meetings"),
    path("oparl/v1/body/<slug:slug>/papers", oparl.body_papers, name="body_papers"),
    path("oparl/v1/body/<slug:slug>/agendaitems", oparl.body_agendaitems, name="body_agendaitems"),
    path("oparl/v1/body/<slug:slug>/files", oparl.body_files, name="body_files"),
    path("oparl/v1/body/<slug:slug>/memberships", oparl.body_memberships, name="body_memberships"),
    path("oparl/v1/organization/<int:pk>", oparl.organization, name="organization"),
    path("oparl/v1/organization/<int:pk>/meetings", oparl.organization_meetings, name="organization_meetings"),
    path("oparl/v1/institution/<int:pk>", oparl.institution, name="institution"),
    path("oparl/v1/membership/<int:pk>", oparl.membership, name="membership"),
    path("oparl/v1/membership/<int:pk>/person/<int:person_pk>", oparl.person_membership, name="person_membership"),
    path("oparl/v1/person/<int:pk>", oparl.person, name="person"),
    path("oparl/v1/meeting/<int:pk>", oparl.meeting, name="meeting"),
    path("oparl/v1/meeting/<int:pk>/invitation", oparl.meeting_invitation, name="meeting_invitation"),
    path("oparl/v1/location/<int:pk>", oparl.location, name="location"),
    path("oparl/v1/agendaitem/<int:pk>", oparl.agenda_item, name="agendaitem"),
    path("oparl/v1/file/<int:pk>", oparl.file, name="file"),
    path("oparl/v1/paper/<int:pk>", oparl.paper, name="paper"),
]
