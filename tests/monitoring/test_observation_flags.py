"""Observation-level flags (vorläufig, berichtigt, geschätzt) of the input values are shown beside
the indicator value in tables, embeds, exports and the API – not only on the source page."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from bildungskette.monitoring.models import Value

URL = "/monitoring/indikatoren/quote-ohne-hsa/"


@pytest.fixture
def provisional_kassel(leavers, kassel_seed):
    changed = Value.objects.filter(region__code="06611", value__isnull=False).update(flag="p")
    assert changed
    Value.objects.filter(region__code="06", value__isnull=False).update(flag="s")


@pytest.mark.django_db
def test_flag_shown_beside_the_value_in_the_table(client, provisional_kassel):
    html = client.get(URL + "?gebiet=06611").content.decode()
    assert '8,8 % <abbr class="flag" title="vorläufige Zahl">p</abbr>' in html
    assert '<abbr class="flag" title="geschätzte Zahl">s</abbr>' in html  # Hessen in the comparison


@pytest.mark.django_db
def test_flag_in_csv_xlsx_and_api(client, provisional_kassel):
    text = client.get(URL + "daten.csv?gebiet=06611").content.decode("utf-8-sig")
    assert "Kassel (Kreisfreie Stadt);06611;Schuljahr 2022/23;8,8;%;p = vorläufige Zahl;" in text
    assert "Hessen;06;Schuljahr 2022/23;6;%;s = geschätzte Zahl;" in text
    sheet = load_workbook(io.BytesIO(client.get(URL + "daten.xlsx?gebiet=06611").content)).active
    header = [c.value for c in sheet[1]]
    kassel = next(r for r in sheet.iter_rows(values_only=True) if r[1] == "Kassel (Kreisfreie Stadt)")
    assert kassel[header.index("Kennzeichen")] == "p = vorläufige Zahl"
    results = client.get("/api/monitoring/indicators/quote-ohne-hsa/results?region=06611").json()
    rows = results if isinstance(results, list) else results.get("results", results.get("data", []))
    flagged = [r for r in rows if r.get("region") == "06611" and r.get("value") is not None]
    assert flagged and all(r["flags"] == ["p"] and r["flag_labels"] == ["vorläufige Zahl"] for r in flagged)


@pytest.mark.django_db
def test_unflagged_values_have_no_marker(client, leavers, kassel_seed):
    html = client.get(URL + "?gebiet=06611").content.decode()
    assert 'class="flag"' not in html
    csv_text = client.get(URL + "daten.csv?gebiet=06611").content.decode("utf-8-sig")
    assert "Kassel (Kreisfreie Stadt);06611;Schuljahr 2022/23;8,8;%;;" in csv_text
