"""The catalogue lists indicators of every Leitfaden area with their feeding tables and whether the
installation has them."""

import pytest

from bildungskette.monitoring.models import Indicator, Theme


@pytest.mark.django_db
def test_every_area_has_indicators_with_tier_and_tables(leavers_imported, client):
    from bildungskette.monitoring.catalogue import catalogue_load

    catalogue_load()  # idempotent: twice gives the same catalogue
    for theme in Theme:
        assert Indicator.objects.filter(theme=theme.value, tenant__isnull=True).exists(), theme.label
    assert Indicator.objects.get(code="kita-betreuungsquote-u3").get_indicator_type_display() == "Kernindikator"
    assert Indicator.objects.get(code="bibliothek-entleihungen-je-ew").indicator_type == "ergaenzung"

    html = client.get("/berichte/katalog/").content.decode()
    for theme in Theme:
        assert f'id="bereich-{theme.value}"' in html
    # Leavers 21111-02-06-4 were imported: present; the Kita table 22543-03-01-4 was not: missing.
    row = html.split('data-indicator="quote-ohne-hsa"')[1].split("</tr>")[0]
    assert "21111-02-06-4" in row and "vorhanden" in row and "fehlt" not in row
    row = html.split('data-indicator="kita-betreuungsquote-u3"')[1].split("</tr>")[0]
    assert "22543-03-01-4" in row and "fehlt" in row and "vorhanden" not in row
    # The code was confirmed by a public source (shown), not by a file here.
    assert "Beleg für den Code" in row and "opendata.hessen.de" in row and "nicht an einer Originaldatei" not in row
    row = html.split('data-indicator="studierende"')[1].split("</tr>")[0]
    assert "21311-01-01-4" in row and "fehlt" in row and "pystatis" in row
    # No public source for a 3-to-6 Betreuungsquote table code: still marked as unchecked.
    row = html.split('data-indicator="kita-betreuungsquote-3-6"')[1].split("</tr>")[0]
    assert "22543-01-01-4" in row and "keine öffentliche Quelle gefunden" in row


@pytest.mark.django_db
def test_catalogue_coverage_says_missing_before_the_import(db):
    from bildungskette.monitoring.catalogue import catalogue_load
    from bildungskette.monitoring.selectors import catalogue_coverage

    catalogue_load()
    schools = next(a for a in catalogue_coverage() if a["code"] == "D")
    quote = next(r for r in schools["rows"] if r["indicator"].code == "quote-ohne-hsa")
    assert quote["tables"][0]["code"] == "21111-02-06-4" and quote["tables"][0]["present"] is False
    assert quote["complete"] is False


@pytest.mark.django_db
def test_public_start_page_links_to_the_reports(tenant, leavers_imported, client):
    from bildungskette.regions.models import Region
    from bildungskette.reports import services

    kassel = Region.objects.get(code="06611")
    report = services.report_create(tenant=tenant, title="Öffentlicher Bericht", region=kassel, template="ausschuss")
    html = client.get("/").content.decode()
    assert 'href="/berichte/"' in html and "Öffentlicher Bericht" not in html  # drafts are not listed
    for action in ("submit", "approve", "publish"):
        services.report_transition(report=report, action=action)
    html = client.get("/").content.decode()
    assert f'href="/berichte/{report.slug}/"' in html


def test_every_checked_table_code_names_its_evidence():
    from bildungskette.monitoring.catalogue import TABLE_EVIDENCE, TABLES

    checked = {code for code, (_, _, ok) in TABLES.items() if ok}
    assert checked == set(TABLE_EVIDENCE)
    assert {code for code, (_, _, ok) in TABLES.items() if not ok} >= {"22543-01-01-4", "KMK-GANZTAG", "DIE-VHS"}
