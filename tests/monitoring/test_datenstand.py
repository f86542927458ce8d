"""The Datenstand page lists every source of the demo with its newest period; old inputs are marked."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.db.models import Max, Q
from freezegun import freeze_time

from bildungskette.core.models import Role, Tenant
from bildungskette.monitoring.models import Period, Source, Value
from bildungskette.monitoring.sources.selectors import is_stale
from tests.conftest import browser_login

from .genesis_fake import TABLE, transport


def _rows(html: str) -> dict[str, str]:
    """Source code → the text of its table row."""
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", html, flags=re.S):
        if m := re.search(r'href="/monitoring/quellen/([^/]+)/"', row):
            rows[m[1]] = unescape(re.sub(r"<[^>]+>", " ", row))
    return rows


@pytest.mark.django_db
def test_datenstand_lists_every_demo_source_with_its_newest_period(demo_data, client_as, make_user):
    tenant = Tenant.objects.get(slug="olov-kassel")
    officer = make_user(role=Role.MONITORING, tenant=tenant)
    html = client_as(officer).get("/monitoring/datenstand/").content.decode()
    rows = _rows(html)
    sources = Source.objects.filter(Q(tenant__isnull=True) | Q(tenant=tenant), values__isnull=False).distinct()
    assert sources.count() >= 7  # three GENESIS tables, Kassel seed, synthetic series, BA and BIBB (nachgebaut)
    for source in sources:
        newest_end = Value.objects.filter(source=source).aggregate(m=Max("period__end"))["m"]
        labels = set(
            Period.objects.filter(
                end=newest_end, pk__in=Value.objects.filter(source=source).values("period_id")
            ).values_list("label", flat=True)
        )
        assert source.code in rows, source.code
        assert any(label in rows[source.code] for label in labels), (source.code, labels, rows[source.code])
    assert "synthetisch / nachgebaut" in rows["ba-ausbildungsmarkt-tabelle-nachgebaut"]
    assert "Jetzt aktualisieren" in html


@pytest.mark.django_db
def test_public_datenstand_has_no_subscription_controls(demo_data, client):
    html = client.get("/monitoring/datenstand/").content.decode()
    assert "genesis-21111-02-06-4" in html
    assert "Jetzt aktualisieren" not in html and "Zugangsdaten" not in html


@pytest.mark.django_db
def test_stale_inputs_are_marked_on_the_indicator_page_and_in_the_datasheet(demo_data, client, settings):
    period = Period.objects.get(code="2022/23")  # ends 31.07.2023
    with freeze_time("2024-06-30"):
        assert not is_stale(period)
        fresh = client.get("/monitoring/indikatoren/quote-ohne-hsa/?gebiet=06611").content.decode()
        assert "Veraltete Daten" not in fresh
    with freeze_time("2026-11-30"):
        assert is_stale(period)  # older than 24 months
        page = client.get("/monitoring/indikatoren/quote-ohne-hsa/?gebiet=06611").content.decode()
        assert "Veraltete Daten" in page and "älter als 24 Monate" in page
        sheet = client.get("/monitoring/datenblatt/06611/").content.decode()
        assert "veraltet" in sheet
        settings.MONITORING_STALE_AFTER_MONTHS = 60
        assert not is_stale(period)
        assert (
            "Veraltete Daten" not in client.get("/monitoring/indikatoren/quote-ohne-hsa/?gebiet=06611").content.decode()
        )


@pytest.mark.browser
@pytest.mark.django_db
def test_datenstand_in_the_browser(demo_data, browser_page, screenshot, settings):
    from bildungskette.monitoring.sources.services import credential_set, subscription_create

    settings.MONITORING_GENESIS_TRANSPORT = "tests.monitoring.genesis_fake.transport"
    transport.reset()
    tenant = Tenant.objects.get(slug="olov-kassel")
    credential_set(tenant=tenant, instance="regionalstatistik", username="olov-kassel", password="demo")
    subscription_create(
        tenant=tenant, instance="regionalstatistik", table_code=TABLE, regional_variable="KREISE", regional_key="06"
    )
    page = browser_page
    browser_login(page, "kassel.monitoring", "Bildung-2026")
    page.goto(page.base_url + "/monitoring/datenstand/")
    assert page.get_by_role("heading", name="Datenstand", exact=True).is_visible()
    page.get_by_role("button", name="Jetzt aktualisieren").click()
    page.wait_for_load_state()
    # The demo already holds this table from its classic CSV; the web service's copy lands in the
    # same statistics (one reader for both layouts), so every value is found unchanged.
    assert "Werte unverändert – nichts geändert" in page.content()
    page.get_by_role("button", name="Jetzt aktualisieren").click()
    page.wait_for_load_state()
    assert "Keine neueren Daten seit Stand" in page.content()
    assert page.get_by_role("rowheader", name=re.compile("21111-02-06-4")).count() == 1
    screenshot(page, "monitoring-datenstand")

    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], [v["id"] for v in serious]
