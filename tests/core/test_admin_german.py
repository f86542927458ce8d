"""The Django admin is the operator's tool and speaks German throughout."""

import re

import pytest
from django.contrib import admin

from bildungskette.core.models import Role

pytestmark = pytest.mark.django_db

# Leftovers the review found, and the English of the packages without a German translation.
ENGLISH = re.compile(r"TOTP device|Task Result|Tasks Database|\bEnabled\b|\bDisabled\b|Whether|\bthe\b|Otp_Totp|"
                     r"Django_Otp|Expires At|Session key|\bTenant:|\bRegion:|\bUser:|access attempt|\bCan add\b|"
                     r"Choose all|\bRemove\b")


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", "\n", html)


def test_every_admin_list_and_form_is_german(client, make_user, tenant):
    operator = make_user(username="betrieb")
    operator.is_superuser = operator.is_staff = True
    operator.save()
    client.force_login(operator, backend="django.contrib.auth.backends.ModelBackend")
    urls = ["/verwaltung/", f"/verwaltung/core/user/{operator.pk}/change/",
            f"/verwaltung/core/tenant/{tenant.pk}/change/"]
    for model in admin.site._registry:
        urls += [f"/verwaltung/{model._meta.app_label}/{model._meta.model_name}/",
                 f"/verwaltung/{model._meta.app_label}/{model._meta.model_name}/add/"]
    found = {}
    for url in urls:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="de")
        assert response.status_code in {200, 403}, url
        hits = sorted(set(ENGLISH.findall(_visible_text(response.content.decode()))))
        if hits:
            found[url] = hits
    assert found == {}
    assert len(urls) > 40


def test_the_admin_is_for_the_operator_only(client_as, make_user, tenant):
    tenant_admin = make_user(role=Role.TENANT_ADMIN, tenant=tenant)
    tenant_admin.is_staff = True  # even a staff flag set by mistake does not open it
    tenant_admin.save()
    response = client_as(tenant_admin).get("/verwaltung/")
    assert response.status_code == 302 and response["Location"].startswith("/verwaltung/login/")
