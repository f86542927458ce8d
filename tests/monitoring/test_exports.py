"""Indicator tables as files: formula-safe XLSX/CSV, CSVW metadata, machine-readable variant."""

from __future__ import annotations

import io
import json

import csvw
import pytest
from openpyxl import load_workbook

from bildungskette.monitoring.models import Indicator

URL = "/monitoring/indikatoren/quote-ohne-hsa/"


@pytest.fixture
def data(leavers, kassel_seed):
    return None


@pytest.fixture
def hostile_name(data):
    Indicator.objects.filter(code="quote-ohne-hsa").update(name="=1+1: Quote ohne HSA", short_name="=HSA: Quote")


@pytest.mark.django_db
def test_xlsx_with_colon_and_formula_in_the_name_is_text(client, hostile_name):
    for url in (URL + "daten.xlsx?gebiet=06611", URL + "karte/?land=06&format=xlsx"):
        response = client.get(url)
        assert response.status_code == 200, url
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet.title == "=HSA  Quote"
        formulas = [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
        assert formulas == []
    sheet = load_workbook(io.BytesIO(client.get(URL + "daten.xlsx?gebiet=06611").content)).active
    kassel = next(row for row in sheet.iter_rows(values_only=True) if row[1] == "Kassel (Kreisfreie Stadt)")
    assert kassel[0] == "=1+1: Quote ohne HSA" and kassel[2] == "06611"
    assert isinstance(kassel[4], float) and kassel[4] == 8.8
    key_cell = next(row for row in sheet.iter_rows() if row[1].value == "Kassel (Kreisfreie Stadt)")[2]
    assert key_cell.data_type == "s"
    csv_text = client.get(URL + "daten.csv?gebiet=06611").content.decode("utf-8-sig")
    assert "'=1+1: Quote ohne HSA;Kassel (Kreisfreie Stadt);06611;Schuljahr 2022/23;8,8;%" in csv_text


@pytest.mark.django_db
@pytest.mark.parametrize("query,decimal_char,expected", [("", ",", "8,8"), ("&dezimal=punkt", ".", "8.8")])
def test_csv_variants_read_with_csvw_metadata(client, data, tmp_path, query, decimal_char, expected):
    response = client.get(URL + "daten.csv?gebiet=06611" + query)
    assert f"Kassel (Kreisfreie Stadt);06611;Schuljahr 2022/23;{expected};%" in response.content.decode("utf-8-sig")
    assert response["Content-Disposition"].endswith(
        '-maschinenlesbar.csv"' if decimal_char == "." else '06611.csv"')
    meta_url = response["Link"].split(">")[0][1:]
    meta = client.get(meta_url.replace("http://testserver", "")).json()
    assert meta["url"] == "http://testserver" + URL + "daten.csv?gebiet=06611" + query
    wert = next(c for c in meta["tableSchema"]["columns"] if c["name"] == "wert")
    assert wert["schema:unitText"] == "%"
    assert ("maschinenlesbar" in meta["dc:description"]) == (decimal_char == ".")
    (tmp_path / "t.csv").write_bytes(response.content)
    (tmp_path / "t.csv-metadata.json").write_text(json.dumps(meta | {"url": "t.csv"}), encoding="utf-8")
    rows = list(csvw.Table.from_file(tmp_path / "t.csv-metadata.json").iterdicts())
    kassel = next(
        r for r in rows if r["gebiet"] == "Kassel (Kreisfreie Stadt)" and r["zeitraum"] == "Schuljahr 2022/23"
    )
    assert kassel["schluessel"] == "06611" and str(kassel["wert"]) == "8.8"


@pytest.mark.django_db
def test_map_csv_links_metadata_with_the_same_query(client, data):
    response = client.get(URL + "karte/?land=06&format=csv&dezimal=punkt")
    assert response["Link"].startswith(f"<http://testserver{URL}karte/?land=06&format=csv-metadata.json&dezimal=punkt>")
    meta = client.get(URL + "karte/?land=06&format=csv-metadata.json&dezimal=punkt").json()
    assert meta["url"] == f"http://testserver{URL}karte/?land=06&format=csv&dezimal=punkt"
