"""The Lernorte widget may be framed by the tenant's allowed websites (set in the German UI), the
operator-wide setting is only a fallback, and every other website is refused."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from bildungskette.opendata.services import embed_origin_add

pytestmark = pytest.mark.django_db


def _frame_ancestors(response) -> list[str]:
    csp = response.headers["Content-Security-Policy"]
    match = re.search(r"frame-ancestors ([^;]+)", csp)
    assert match, csp
    return match.group(1).split()


def test_tenant_widget_allows_the_tenants_origin_and_refuses_a_foreign_one(client, place_factory, tenant,
                                                                           other_tenant, settings):
    settings.PLACES_WIDGET_ORIGINS = []
    place_factory(name="Stadtbibliothek Kassel", tenant=tenant)
    embed_origin_add(tenant=tenant, origin="https://www.kassel.de/bildung")
    embed_origin_add(tenant=other_tenant, origin="https://www.fremde-stadt.de")

    response = client.get(reverse("places:widget_tenant", args=[tenant.slug]))
    assert response.status_code == 200
    assert "X-Frame-Options" not in response.headers
    allowed = _frame_ancestors(response)
    assert allowed == ["'self'", "https://www.kassel.de"]
    assert "https://www.fremde-stadt.de" not in allowed, "another tenant's website may not frame it"
    assert "Stadtbibliothek Kassel" in response.content.decode()

    other = _frame_ancestors(client.get(reverse("places:widget_tenant", args=[other_tenant.slug])))
    assert other == ["'self'", "https://www.fremde-stadt.de"]


def test_operator_setting_is_only_a_fallback(client, tenant, settings):
    settings.PLACES_WIDGET_ORIGINS = ["https://portal.land.example"]
    embed_origin_add(tenant=tenant, origin="https://www.kassel.de")
    assert _frame_ancestors(client.get(reverse("places:widget_tenant", args=[tenant.slug]))) == [
        "'self'", "https://www.kassel.de", "https://portal.land.example"]
    # Without a tenant in the address only the operator's list applies.
    assert _frame_ancestors(client.get(reverse("places:widget"))) == ["'self'", "https://portal.land.example"]


def test_unknown_tenant_widget_is_404(client):
    assert client.get(reverse("places:widget_tenant", args=["gibt-es-nicht"])).status_code == 404


def test_embed_page_of_a_signed_in_user_points_at_the_tenants_widget(client_as, make_user, tenant):
    embed_origin_add(tenant=tenant, origin="https://www.kassel.de")
    admin = client_as(make_user(role="tenant_admin", tenant=tenant))
    html = admin.get(reverse("places:embed")).content.decode()
    assert f"http://testserver/lernorte/widget/{tenant.slug}/" in html
    assert re.search(r'data-testid="embed-origins">[^<]*https://www\.kassel\.de', html)
    assert reverse("opendata_embed:origins") in html

