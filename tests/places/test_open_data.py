"""Open data of the Lernorte: the CSV escapes formulas and comes with CSVW metadata that keeps
keys as text; read with the ``csvw`` package (an independent CSVW implementation)."""

from __future__ import annotations

import csv
import io
import json

import csvw
import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def hostile_place(place_factory):
    return place_factory(name='=HYPERLINK("http://böse.example","Klick")', street="=1+1", phone="@SUM(A1:A3)",
                         postcode="01001", city="-Flensburg", website="https://example.org/-a")


def test_export_csv_escapes_formulas(client, hostile_place):
    text = client.get("/api/lernorte/export.csv").content.decode("utf-8-sig")
    row = next(r for r in csv.DictReader(io.StringIO(text), delimiter=";") if r["id"] == str(hostile_place.pk))
    assert row["name"] == '\'=HYPERLINK("http://böse.example","Klick")'
    assert (row["strasse"], row["telefon"], row["ort"]) == ("'=1+1", "'@SUM(A1:A3)", "'-Flensburg")
    assert row["plz"] == "01001" and row["website"] == "https://example.org/-a"
    assert row["lat"] == "51.3127" and row["synthetisch"] == "nein"


def test_export_csv_read_with_its_csvw_metadata_keeps_leading_zeros(client, hostile_place, tmp_path):
    response = client.get("/api/lernorte/export.csv")
    link = response["Link"]
    assert 'rel="describedby"' in link and "export.csv-metadata.json" in link
    meta = client.get("/api/lernorte/export.csv-metadata.json").json()
    assert meta["url"] == "http://testserver/api/lernorte/export.csv"
    columns = {c["name"]: c for c in meta["tableSchema"]["columns"]}
    assert columns["plz"]["datatype"] == columns["gemeinde"]["datatype"] == "string"
    assert columns["lat"]["schema:unitText"].startswith("Grad")
    (tmp_path / "export.csv").write_bytes(response.content)
    (tmp_path / "export.csv-metadata.json").write_text(json.dumps(meta | {"url": "export.csv"}), encoding="utf-8")
    rows = list(csvw.Table.from_file(tmp_path / "export.csv-metadata.json").iterdicts())
    row = next(r for r in rows if r["id"] == hostile_place.pk)
    assert row["plz"] == "01001" and row["gemeinde"] == "06611000" and row["kreis"] == "06611"
    assert float(row["lat"]) == 51.3127 and row["synthetisch"] is False
