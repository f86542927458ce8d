from django.urls import path

from . import tenant_admin, views

app_name = "core"
urlpatterns = [
    path("", views.start, name="start"),
    path("anmelden/", views.login, name="login"),
    path("anmelden/code/", views.login_token, name="login_token"),
    path("abmelden/", views.logout, name="logout"),
    path("mandant/", views.tenant_switch, name="tenant_switch"),
    path("protokoll/", views.audit_log, name="audit_log"),
    path("konto/zweiter-faktor/", views.totp_setup, name="totp_setup"),
    path("mandant/verwaltung/", tenant_admin.administration, name="administration"),
    path("mandant/konten/", tenant_admin.members, name="members"),
    path("mandant/konten/<int:pk>/", tenant_admin.member, name="member"),
    path("einladung/<str:uidb64>/<str:token>/", tenant_admin.invitation_accept, name="invitation_accept"),
]
