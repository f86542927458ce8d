"""Issue #12: the second factor holds on every login path, login throttling per address and across
accounts without locking anybody out, password reset by e-mail and change by the user."""

import re

import pytest
from django.core import mail
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

from bildungskette.core.models import Role

pytestmark = pytest.mark.django_db

PASSWORD = "Geheim-12345-xy"


def _code(device) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


@pytest.fixture
def officer(make_user, tenant):
    user = make_user(role=Role.DATA_PROTECTION, tenant=tenant, username="dsb", password=PASSWORD)
    user.is_staff = True
    user.email = "dsb@kassel.example"
    user.save()
    return user


@pytest.fixture
def device(officer):
    return TOTPDevice.objects.create(user=officer, name="App", confirmed=True)


# --- second factor ----------------------------------------------------------------------------


def test_admin_login_sends_to_the_one_login_flow(client, officer, device):
    page = client.get("/verwaltung/login/?next=/verwaltung/core/user/")
    assert page.status_code == 302 and page.url == "/anmelden/?next=/verwaltung/core/user/"
    client.post("/verwaltung/login/", {"username": "dsb", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert client.get("/uebergaenge/datenschutz/").status_code == 302


def test_a_session_without_the_code_is_ended_on_every_page(client, officer, device):
    """Whatever path signed the user in with the password alone (the old admin login, another
    backend), the session does not reach person-level pages and ends."""
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/uebergaenge/datenschutz/")
    assert response.status_code == 302 and response.url.startswith("/anmelden/?next=/uebergaenge/datenschutz/")
    assert "_auth_user_id" not in client.session
    assert client.get("/verwaltung/").status_code == 302


def test_full_flow_with_code_reaches_the_access_log(client, officer, device):
    client.post("/anmelden/", {"username": "dsb", "password": PASSWORD})
    client.post("/anmelden/code/", {"token": _code(device)})
    assert client.get("/uebergaenge/datenschutz/").status_code == 200


def test_switching_the_second_factor_off_needs_a_current_code(client, officer, device):
    client.post("/anmelden/", {"username": "dsb", "password": PASSWORD})
    client.post("/anmelden/code/", {"token": _code(device)})
    client.post("/konto/zweiter-faktor/", {"disable": "1"})
    assert TOTPDevice.objects.filter(user=officer, confirmed=True).exists()
    wrong = client.post("/konto/zweiter-faktor/", {"disable": "1", "token": "000000"})
    assert "bleibt eingeschaltet" in wrong.content.decode()
    assert TOTPDevice.objects.filter(user=officer, confirmed=True).exists()
    device.refresh_from_db()
    device.throttle_reset()
    # The code used at login cannot be used again (django-otp); use the next time step's code.
    with _next_step(device):
        client.post("/konto/zweiter-faktor/", {"disable": "1", "token": _code(device)})
    assert not TOTPDevice.objects.filter(user=officer).exists()


def _next_step(device):
    import datetime

    from django.utils import timezone

    return freeze_time(timezone.now() + datetime.timedelta(seconds=device.step))


# --- login throttling -------------------------------------------------------------------------


def _fail(client, username, ip="10.0.0.1"):
    return client.post("/anmelden/", {"username": username, "password": "falsch"}, REMOTE_ADDR=ip)


def test_password_spray_from_one_address_is_slowed_across_accounts(client, make_user, tenant):
    make_user(role=Role.COORDINATION, tenant=tenant, username="echt", password=PASSWORD)
    with freeze_time("2026-11-30 10:00:00"):
        for n in range(3):
            assert _fail(client, f"konto{n}").status_code == 200  # three free failures
        assert _fail(client, "konto3").status_code == 200  # the fourth failure starts the delay
        refused = client.post("/anmelden/", {"username": "echt", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1")
        assert refused.status_code == 429 and "_auth_user_id" not in client.session
        # Another address is not affected by the spray.
        other = client.post("/anmelden/", {"username": "echt", "password": PASSWORD}, REMOTE_ADDR="10.0.0.2")
        assert other.status_code == 302


def test_delay_doubles_and_is_capped_per_address(client):
    import datetime

    from bildungskette.core.auth.throttle import login_wait

    start = datetime.datetime(2026, 11, 30, 10, 0, 0)
    now = start
    waits = []
    for n in range(13):
        with freeze_time(now):
            response = _fail(client, f"konto{n}")
            assert response.status_code == 200, f"attempt {n} should have been evaluated"
        with freeze_time(now):
            wait = login_wait(username=f"neu{n}", ip="10.0.0.1").seconds
        waits.append(wait)
        if wait:
            with freeze_time(now + datetime.timedelta(seconds=wait - 1)):
                assert _fail(client, "egal").status_code == 429  # one second early: refused
        now += datetime.timedelta(seconds=wait)
    assert waits[:3] == [0, 0, 0]
    assert waits[3:10] == [1, 2, 4, 8, 16, 32, 64]
    from bildungskette.core.auth.throttle import IP_DELAY_CAP

    assert max(waits) == IP_DELAY_CAP


def test_a_real_user_under_attack_waits_at_most_the_cap_and_is_never_locked_out(client, make_user, tenant):
    import datetime

    from bildungskette.core.auth.throttle import USER_DELAY_CAP

    make_user(role=Role.COORDINATION, tenant=tenant, username="ziel", password=PASSWORD)
    now = datetime.datetime(2026, 11, 30, 10, 0, 0)
    for n in range(30):  # an attacker from many addresses
        with freeze_time(now):
            _fail(client, "ziel", ip=f"10.1.{n}.1")
        now += datetime.timedelta(seconds=1)
    with freeze_time(now + datetime.timedelta(seconds=USER_DELAY_CAP)):
        ok = client.post("/anmelden/", {"username": "ziel", "password": PASSWORD}, REMOTE_ADDR="10.9.9.9")
        # Read the session at the same (frozen) moment: the session lives 8 hours, and outside the
        # frozen clock a session from 30 Nov 2026, 10:01 has long expired (this failed from 18:01 that day on).
        assert ok.status_code == 302 and client.session["_auth_user_id"]


# --- password reset and change ----------------------------------------------------------------


def test_password_reset_by_email(client, officer):
    response = client.post("/passwort-vergessen/", {"email": "DSB@kassel.example"})
    assert response.status_code == 302 and response.url == "/passwort-vergessen/gesendet/"
    assert len(mail.outbox) == 1 and "Neues Passwort" in mail.outbox[0].subject
    link = re.search(r"http://testserver(/passwort-neu/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert "Neues Passwort festlegen" in form.content.decode()
    set_url = form.redirect_chain[-1][0]
    assert "set-password" in set_url  # the token leaves the address before the form is shown
    done = client.post(set_url, {"new_password1": "Neu-Passwort-2026", "new_password2": "Neu-Passwort-2026"})
    assert done.status_code == 302 and done.url == "/passwort-neu/fertig/"
    assert client.post("/anmelden/", {"username": "dsb", "password": "Neu-Passwort-2026"}).status_code == 302
    client.post("/abmelden/")
    again = client.get(link, follow=True)
    assert "gilt nicht mehr" in again.content.decode()


def test_password_reset_link_expires_after_one_hour(client, officer):
    with freeze_time("2026-11-30 10:00:00"):
        client.post("/passwort-vergessen/", {"email": officer.email})
    link = re.search(r"http://testserver(/passwort-neu/\S+/)", mail.outbox[0].body).group(1)
    with freeze_time("2026-11-30 10:59:59"):
        assert "Neues Passwort festlegen" in client.get(link, follow=True).content.decode()
    with freeze_time("2026-11-30 11:00:01"):
        assert "gilt nicht mehr" in client.get(link, follow=True).content.decode()


def test_password_reset_answers_the_same_for_unknown_addresses_and_is_rate_limited(client, officer):
    assert client.post("/passwort-vergessen/", {"email": "niemand@x.example"}).status_code == 302
    assert mail.outbox == []
    for _ in range(4):
        assert client.post("/passwort-vergessen/", {"email": officer.email}).status_code == 302
    assert len(mail.outbox) == 3
    for n in range(5):
        client.post("/passwort-vergessen/", {"email": f"p{n}@x.example"})
    assert client.post("/passwort-vergessen/", {"email": officer.email}).status_code == 429


def test_user_changes_own_password(client, client_as, officer):
    client_as(officer)
    wrong = client.post("/konto/passwort/", {"old_password": "falsch", "new_password1": "Neu-Passwort-2026",
                                            "new_password2": "Neu-Passwort-2026"})
    assert wrong.status_code == 200 and "Das alte Passwort war falsch" in wrong.content.decode()
    ok = client.post("/konto/passwort/", {"old_password": PASSWORD, "new_password1": "Neu-Passwort-2026",
                                         "new_password2": "Neu-Passwort-2026"})
    assert ok.status_code == 302 and ok.url == "/konto/passwort/geaendert/"
    officer.refresh_from_db()
    assert officer.check_password("Neu-Passwort-2026")
    client.logout()
    assert client.get("/konto/passwort/").status_code == 302


def test_attempt_counters_are_kept_one_day_and_hold_no_clear_text(client):
    from bildungskette.core.models import AuthThrottleEvent

    with freeze_time("2026-11-29 09:00:00"):
        _fail(client, "alt@kassel.example", ip="10.5.5.5")
    with freeze_time("2026-11-30 09:00:01"):
        _fail(client, "neu", ip="10.5.5.6")
    keys = list(AuthThrottleEvent.objects.values_list("key", flat=True))
    assert len(keys) == 2  # the day-old pair is gone, the new pair is there
    assert not any("10.5.5" in k or "neu" in k for k in keys)
