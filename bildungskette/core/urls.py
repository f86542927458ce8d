from django.urls import path

from . import tenant_admin, views
from .auth import views as auth_views

app_name = "core"
urlpatterns = [
    path("", views.start, name="start"),
    path("health/", views.health, name="health"),
    path("anmelden/", views.login, name="login"),
    path("anmelden/code/", views.login_token, name="login_token"),
    path("abmelden/", views.logout, name="logout"),
    path("mandant/", views.tenant_switch, name="tenant_switch"),
    path("protokoll/", views.audit_log, name="audit_log"),
    path("konto/zweiter-faktor/", views.totp_setup, name="totp_setup"),
    path("konto/passwort/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("konto/passwort/geaendert/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("passwort-vergessen/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("passwort-vergessen/gesendet/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("passwort-neu/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("passwort-neu/fertig/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("mandant/verwaltung/", tenant_admin.administration, name="administration"),
    path("mandant/konten/", tenant_admin.members, name="members"),
    path("mandant/konten/<int:pk>/", tenant_admin.member, name="member"),
    path("einladung/<str:uidb64>/<str:token>/", tenant_admin.invitation_accept, name="invitation_accept"),
]
