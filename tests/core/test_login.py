import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

from bildungskette.core.models import Role

pytestmark = pytest.mark.django_db


def test_login_and_role_start_page(client, tenant, make_user):
    make_user(role=Role.COORDINATION, tenant=tenant, username="koordination", password="Geheim-12345")
    response = client.post("/anmelden/", {"username": "koordination", "password": "Geheim-12345"}, follow=True)
    html = response.content.decode()
    assert "Guten Tag" in html and "OloV-Region Kassel" in html
    assert "Koordination" in html


def test_wrong_password_shows_german_error(client, tenant, make_user):
    make_user(role=Role.COORDINATION, tenant=tenant, username="k")
    response = client.post("/anmelden/", {"username": "k", "password": "falsch"})
    assert response.status_code == 200
    assert "Bitte Benutzername und Passwort eingeben" in response.content.decode()


def test_login_slows_down_after_failures_instead_of_locking(client, tenant, make_user):
    make_user(role=Role.COORDINATION, tenant=tenant, username="ziel", password="Geheim-12345")
    with freeze_time("2026-11-30 10:00:00"):
        for _ in range(4):
            client.post("/anmelden/", {"username": "ziel", "password": "falsch"})
        response = client.post("/anmelden/", {"username": "ziel", "password": "Geheim-12345"})
    assert response.status_code == 429
    assert "Bitte warten Sie 1 Sekunde" in response.content.decode()
    with freeze_time("2026-11-30 10:00:01"):
        assert client.post("/anmelden/", {"username": "ziel", "password": "Geheim-12345"}).status_code == 302


def test_second_factor_is_asked_once_configured(client, tenant, make_user):
    user = make_user(role=Role.MONITORING, tenant=tenant, username="mon", password="Geheim-12345")
    device = TOTPDevice.objects.create(user=user, name="App", confirmed=True)
    response = client.post("/anmelden/", {"username": "mon", "password": "Geheim-12345"})
    assert response.status_code == 302 and response.url == "/anmelden/code/"
    assert "_auth_user_id" not in client.session  # not logged in before the code
    bad = client.post("/anmelden/code/", {"token": "000000"})
    assert "nicht gültig" in bad.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # django-otp slows down guessing after a failure
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    ok = client.post("/anmelden/code/", {"token": code})
    assert ok.status_code == 302 and client.session["_auth_user_id"] == str(user.pk)


def test_totp_setup_shows_qr_code(client_as, tenant, make_user):
    client = client_as(make_user(role=Role.TENANT_ADMIN, tenant=tenant))
    html = client.get("/konto/zweiter-faktor/").content.decode()
    assert "<svg" in html and "Authenticator" in html


def test_logout_needs_post(client_as, tenant, make_user):
    client = client_as(make_user(role=Role.COORDINATION, tenant=tenant))
    assert client.get("/abmelden/").status_code == 405
    assert client.post("/abmelden/").status_code == 302
