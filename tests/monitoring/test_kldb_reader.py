"""One KldB reader for both BA readers (``importers/ba.py`` and ``sources/ba_delivered.py``).

The same occupations, once as the documented balance CSV (bare codes) and once as a BA custom order
by occupation (``code title`` cells, region only in the first row of its block, „ohne Angabe zum
Zielberuf“ – the layout the R package badata reads from real BA orders, github.com/RegioHub/badata
``data-raw/employees.R``/``unemployed.R``), give the same categories. Expected titles are read here
from the classification file with nothing but ``gzip``/``csv``.
"""

from __future__ import annotations

import csv
import gzip
from decimal import Decimal

import pytest
from django.conf import settings
from openpyxl import Workbook

from bildungskette.core.importing import ImportRejected
from bildungskette.monitoring.importers import dataset_read, import_file
from bildungskette.monitoring.models import Value


def raw_titles() -> dict[str, str]:
    path = settings.DATA_DIR / "occupations" / "kldb2010_v2020.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    return {r[0].zfill(int(r[1])): r[2] for r in rows[1:] if len(r) > 2 and r[0].isdigit() and r[1].isdigit()}


CODES = ["62102", "81302"]


def balance_csv(tmp_path, codes=CODES):
    lines = ["Region;Berichtsjahr;KldB;Bewerber;unversorgte Bewerber"]
    lines.append("06611;2019;;1630;307")
    lines += [f"06611;2019;{c};{10 + i};{i}" for i, c in enumerate(codes)]
    path = tmp_path / "bilanz.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def custom_order_xlsx(tmp_path, rows):
    """Title rows, the two header rows in 13–14 and data from row 16 as in a BA custom order."""
    book = Workbook()
    ws = book.active
    ws["A1"] = "Bewerber und Berufsausbildungsstellen nach Berufen"
    ws["A3"] = "Berichtsjahr 2018/19"
    ws["A13"], ws["B13"], ws["C13"] = "Region", "Beruf nach KldB 2010", "Bewerber für Berufsausbildungsstellen"
    ws["C14"], ws["D14"] = "Insgesamt", "unversorgte Bewerber"
    line = 16
    for row in rows:
        for col, value in zip("ABCD", row, strict=False):
            ws[f"{col}{line}"] = value
        line += 1
    ws[f"A{line}"] = "© Statistik der Bundesagentur für Arbeit"
    path = tmp_path / "auftrag.xlsx"
    book.save(path)
    return path


def order_rows(titles, codes=CODES):
    rows = [("06611 Kassel, kreisfreie Stadt", "Insgesamt", 1630, 307)]
    rows += [(None, f"{c} {titles.get(c, 'unbekannt')}", 10 + i, i) for i, c in enumerate(codes)]
    return rows


@pytest.mark.django_db
def test_both_readers_give_the_same_occupations_with_the_classification_titles(tmp_path, catalogue):
    titles = raw_titles()
    balance = dataset_read(balance_csv(tmp_path), "ba")
    delivered = dataset_read(custom_order_xlsx(tmp_path, order_rows(titles)), "ba-statistik")
    expected = ("Beruf (KldB 2010)", [(c, titles[c]) for c in sorted(CODES)])
    assert balance.breakdowns["kldb"] == delivered.breakdowns["kldb"] == expected

    def cells(dataset):
        return sorted((v["statistic"], tuple(sorted(v["categories"].items())), v["value"]) for v in dataset.values)

    assert cells(balance) == cells(delivered)
    assert any(n.startswith("Berufe nach KldB 2010") for n in balance.notes)
    assert any(n.startswith("Berufe nach KldB 2010") for n in delivered.notes)


@pytest.mark.django_db
def test_region_filled_down_and_without_code_is_its_own_category_not_the_total(tmp_path, catalogue):
    titles = raw_titles()
    rows = [*order_rows(titles), (None, "ohne Angabe zum Zielberuf", 7, 2)]
    import_file(custom_order_xlsx(tmp_path, rows), fmt="ba-statistik")
    total = Value.objects.get(statistic__code="ba.bewerber", region__code="06611", categories="")
    assert total.value == Decimal(1630)
    without = Value.objects.get(statistic__code="ba.bewerber", region__code="06611", categories="kldb=ohne-angabe")
    assert without.value == Decimal(7)
    assert Value.objects.get(
        statistic__code="ba.bewerber", region__code="06611", categories="ba-status=unversorgt;kldb=62102"
    ).value == Decimal(0)
    assert Value.objects.filter(region__code="06611", categories__contains="kldb=").count() == 6


@pytest.mark.django_db
def test_a_code_outside_the_classification_is_refused_in_german_by_both(tmp_path, catalogue):
    titles = raw_titles()
    assert "99999" not in titles
    with pytest.raises(ImportRejected, match="„99999“ ist kein Code der KldB 2010") as info:
        import_file(balance_csv(tmp_path, ["62102", "99999"]), fmt="ba")
    assert any(
        p.line == 4 and p.column == "KldB" and "„99999“ ist kein Code der KldB 2010" in p.message
        for p in info.value.problems
    )
    with pytest.raises(ImportRejected, match="„99999“ ist kein Code der KldB 2010") as info:
        import_file(custom_order_xlsx(tmp_path, order_rows(titles, ["62102", "99999"])), fmt="ba-statistik")
    assert any(
        p.line == 18 and p.column == "B" and "„99999“ ist kein Code der KldB 2010" in p.message
        for p in info.value.problems
    )
    assert Value.objects.count() == 0
