from django.urls import path

from . import public, tenant_admin, views
from .auth import views as auth_views

app_name = "core"
urlpatterns = [
    path("", views.start, name="start"),
    path("suche/", public.search, name="search"),
    path("kommunen/", public.kommunen, name="kommunen"),
    path("kommune/<slug:tenant_slug>/", public.kommune_start, name="kommune"),
    path("kommune/<slug:tenant_slug>/impressum/", public.imprint, name="imprint"),
    path("kommune/<slug:tenant_slug>/datenschutz/", public.privacy, name="privacy"),
    path("kommune/<slug:tenant_slug>/barrierefreiheit/", public.accessibility, name="accessibility"),
    path("kommune/<slug:tenant_slug>/leichte-sprache/", public.easy_language, name="easy_language"),
    path("mandant/rechtliches/", public.legal_edit, name="legal_edit"),
    path("mandant/rueckmeldungen/", public.feedback_list, name="feedback_list"),
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
