"""BA tables as delivered (XLSX with title rows, two-row header, symbols, footer), BIBB by Agenturbezirk,
the Agenturbezirk ↔ Kreis relation, and ANR/eANR at Agenturbezirk level with the note."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from bildungskette.core.importing import ImportRejected, importer_for
from bildungskette.monitoring.importers import import_file
from bildungskette.monitoring.models import AgencyDistrictMember, Indicator, Period, Source, Value
from bildungskette.monitoring.selectors import indicator_compute, number_de
from bildungskette.monitoring.sources.agencies import agencies_load, agency_figures
from bildungskette.monitoring.sources.samples import ausbildungsmarkt_figures, ausbildungsmarkt_xlsx, bibb_naa_xlsx
from bildungskette.monitoring.sources.selectors import agencies_for, agency_of
from bildungskette.regions.models import Region, RegionKind
from bildungskette.regions.selectors import region_by_code

HESSEN_KREISE = 26
NRW_KREISE = 53


@pytest.fixture
def agencies(db):
    return agencies_load()


@pytest.fixture
def market(tmp_path, catalogue, agencies):
    path = ausbildungsmarkt_xlsx(tmp_path / "ausbildungsmarkt.xlsx")
    report = import_file(path, fmt="ba-statistik")
    import_file(bibb_naa_xlsx(tmp_path / "bibb.xlsx"), fmt="ba-statistik")
    return report


def _value(stat, region, categories="", period="BJ2018/19"):
    v = Value.objects.get(statistic__code=stat, region__code=region, categories=categories, period__code=period)
    return v.value, v.flag


def _sheet(title_rows: dict, header: dict, rows: list[tuple], footer_row: int):
    book = Workbook()
    ws = book.active
    for cell, value in {**title_rows, **header}.items():
        ws[cell] = value
    for i, row in enumerate(rows, start=14):
        for col, value in zip("ABCDEFGHIJK", row, strict=False):
            ws[f"{col}{i}"] = value
    ws[f"A{footer_row}"] = "© Statistik der Bundesagentur für Arbeit"
    return book


@pytest.mark.django_db
def test_every_kreis_of_hessen_and_nrw_in_exactly_one_agenturbezirk(agencies):
    assert agencies == 42
    for land, count in (("06", HESSEN_KREISE), ("05", NRW_KREISE)):
        kreise = Region.objects.filter(
            kind=RegionKind.KREIS, code__startswith=land, tenant__isnull=True, valid_until__isnull=True
        )
        assert kreise.count() == count
        for kreis in kreise:
            assert AgencyDistrictMember.objects.filter(kreis=kreis).count() == 1, kreis.code
    fulda = Region.objects.get(code="aa-bad-hersfeld-fulda")
    assert fulda.kind == RegionKind.AGENTURBEZIRK
    assert sorted(fulda.members.values_list("code", flat=True)) == ["06631", "06632"]
    assert agency_of(region_by_code("06632")) == fulda


@pytest.mark.django_db
def test_validity_dates_decide_membership(agencies):
    kassel = Region.objects.get(code="aa-kassel")
    member = AgencyDistrictMember.objects.get(kreis__code="06636")
    assert agency_of(member.kreis, on=datetime.date(2012, 12, 31)) is None  # the 154 districts start in 2013
    member.valid_to = datetime.date(2020, 12, 31)
    member.save()
    assert agency_of(member.kreis, on=datetime.date(2020, 6, 1)) == kassel
    assert agency_of(member.kreis, on=datetime.date(2021, 1, 1)) is None


@pytest.mark.django_db
def test_ausbildungsmarkt_xlsx_layout_is_the_documented_one(tmp_path, agencies):
    path = ausbildungsmarkt_xlsx(tmp_path / "a.xlsx")
    ws = load_workbook(path).active
    assert "NACHGEBAUTE DATEI" in ws["A1"].value
    assert ws["A12"].value == "Region" and ws["B12"].value == "Bewerber für Berufsausbildungsstellen"
    assert ws["C12"].value is None  # merged: only the first cell carries the group
    assert ws["F13"].value == "unversorgte Bewerber"
    last = max(r for r in range(1, ws.max_row + 1) if ws[f"A{r}"].value)
    assert ws[f"A{last}"].value == "© Statistik der Bundesagentur für Arbeit"
    assert importer_for(path).format == "ba-statistik"


@pytest.mark.django_db
def test_ausbildungsmarkt_for_the_kreise_of_hessen_imports(market):
    assert market.created == 27 * 10  # Land + 26 Kreise, 10 value columns
    source = Source.objects.get(code="ba-ausbildungsmarkt-tabelle-nachgebaut")
    assert source.is_synthetic and source.publisher == "Statistik der Bundesagentur für Arbeit"
    assert _value("ba.bewerber", "06611") == (Decimal(1680), "")
    assert _value("ba.bewerber", "06611", "ba-status=unversorgt") == (Decimal(210), "")
    assert _value("ba.bewerber", "06611", "ba-status=mit-alternative") == (Decimal(150), "")
    assert _value("ba.stellen", "06611", "stellenart=betrieblich") == (Decimal(1830), "")
    assert _value("ba.stellen.unbesetzt", "06611") == (Decimal(260), "")
    statuses = ["ba-status=einmuendend", "ba-status=andere-ehemalige", "ba-status=mit-alternative"]
    statuses.append("ba-status=unversorgt")
    for region in Region.objects.filter(code__startswith="06", kind__in=["kreis", "land"], tenant__isnull=True):
        parts = Value.objects.filter(statistic__code="ba.bewerber", region=region, categories__in=statuses)
        assert sum(v.value for v in parts) == _value("ba.bewerber", region.code)[0], region.code
    kreise = Region.objects.filter(kind="kreis", code__startswith="06", tenant__isnull=True)
    hessen = sum(ausbildungsmarkt_figures(k)["bewerber"] for k in kreise)
    assert _value("ba.bewerber", "06") == (Decimal(hessen), "")


@pytest.mark.django_db
def test_symbols_and_kldb_rows(tmp_path, catalogue):
    book = _sheet(
        {"A1": "Bewerber und Berufsausbildungsstellen nach Berufen", "A3": "Berichtsmonat August 2019"},
        {
            "A12": "Region",
            "B12": "Beruf (KldB 2010)",
            "C12": "Bewerber",
            "E12": "Berufsausbildungsstellen",
            "C13": "Insgesamt",
            "D13": "unversorgte Bewerber",
            "E13": "Insgesamt",
            "F13": "unbesetzte",
        },
        [
            ("06611 Kassel, kreisfreie Stadt", "Insgesamt", 1630, 307, 1784, 279),
            ("06611 Kassel, kreisfreie Stadt", "62102 Berufe im Verkauf", 95, "*", 120, "-"),
            ("06611 Kassel, kreisfreie Stadt", "81302 Gesundheits- und Krankenpflege", "x", "x", 40, 3),
        ],
        18,
    )
    path = tmp_path / "berufe.xlsx"
    book.save(path)
    import_file(path, fmt="ba-statistik")
    assert _value("ba.bewerber", "06611", period="2019-08") == (Decimal(1630), "")
    assert _value("ba.bewerber", "06611", "ba-status=unversorgt;kldb=62102", "2019-08") == (None, ".")
    assert _value("ba.stellen.unbesetzt", "06611", "kldb=62102", "2019-08") == (Decimal(0), "-")
    assert _value("ba.bewerber", "06611", "kldb=81302", "2019-08") == (None, "x")
    assert not Source.objects.get(code="ba-ausbildungsmarkt-tabelle").is_synthetic


@pytest.mark.django_db
def test_problems_are_german_with_line_and_column_and_nothing_is_stored(tmp_path, catalogue):
    book = _sheet(
        {"A2": "Berichtsmonat September 2019"},
        {
            "A12": "Region",
            "B12": "Bewerber für Berufsausbildungsstellen",
            "B13": "Insgesamt",
            "C13": "unversorgte Bewerber",
        },
        [("06611 Kassel", 10, "zehn"), ("99999 Atlantis", 5)],
        17,
    )
    path = tmp_path / "kaputt.xlsx"
    book.save(path)
    with pytest.raises(ImportRejected, match="„zehn“ ist weder eine Zahl") as info:
        import_file(path, fmt="ba-statistik")
    problems = {(p.line, p.column): p.message for p in info.value.problems}
    assert "„zehn“ ist weder eine Zahl" in problems[(14, "C")]
    assert "Gebiet „99999 Atlantis“ ist unbekannt" in problems[(15, "A")]
    assert Value.objects.count() == 0


@pytest.mark.django_db
def test_arbeitsmarkt_and_sgb2_tables(tmp_path, catalogue):
    alo = _sheet(
        {"A1": "Arbeitsmarkt in Zahlen – Arbeitslose", "A3": "Berichtsmonat Juni 2019"},
        {
            "A12": "Region",
            "B12": "Arbeitslose",
            "D12": "Arbeitslosenquote bezogen auf alle zivilen Erwerbspersonen",
            "B13": "Insgesamt",
            "C13": "unter 25 Jahre",
            "D13": "Insgesamt",
            "E13": "unter 25 Jahre",
        },
        [("06611 Kassel, kreisfreie Stadt", 7702, 747, "7,1", "6,6")],
        16,
    )
    sgb2 = _sheet(
        {"A1": "Grundsicherung für Arbeitsuchende (SGB II)", "A3": "Berichtsmonat April 2019"},
        {
            "A12": "Region",
            "B12": "Erwerbsfähige Leistungsberechtigte",
            "E12": "Hilfequote",
            "B13": "unter 25 Jahre",
            "C13": "darunter arbeitsuchend",
            "D13": "darunter arbeitslos",
            "E13": "unter 25 Jahre",
        },
        [("06611 Kassel, kreisfreie Stadt", 3506, 1169, 594, "13,6")],
        16,
    )
    for name, book in (("alo.xlsx", alo), ("sgb2.xlsx", sgb2)):
        book.save(tmp_path / name)
        import_file(tmp_path / name, fmt="ba-statistik")
    assert _value("ba.arbeitslose", "06611", "altersgruppe=u25", "2019-06") == (Decimal(747), "")
    assert _value("ba.alq", "06611", "altersgruppe=u25", "2019-06") == (Decimal("6.6"), "")
    assert _value("ba.alq", "06611", "", "2019-06") == (Decimal("7.1"), "")
    assert _value("sgb2.elb", "06611", "altersgruppe=u25", "2019-04") == (Decimal(3506), "")
    assert _value("sgb2.elb", "06611", "altersgruppe=u25;sgb2-status=arbeitsuchend", "2019-04") == (
        Decimal(1169),
        "",
    )
    assert _value("sgb2.elb", "06611", "altersgruppe=u25;sgb2-status=arbeitslos", "2019-04") == (Decimal(594), "")
    assert _value("sgb2.hilfequote", "06611", "altersgruppe=u25", "2019-04") == (Decimal("13.6"), "")


@pytest.mark.django_db
def test_csv_of_the_table_api(tmp_path, catalogue, agencies):
    path = tmp_path / "api.csv"
    path.write_text(
        "Regionalschlüssel;Region;Zeit;Merkmal;Wert\n"
        "06611;Kassel;September 2019;Bewerber für Berufsausbildungsstellen | unversorgte Bewerber;210\n"
        "06633;Landkreis Kassel;September 2019;Berufsausbildungsstellen | unbesetzte Berufsausbildungsstellen;*\n",
        encoding="utf-8",
    )
    assert importer_for(path).format == "ba-statistik"
    import_file(path, fmt="ba-statistik")
    assert _value("ba.bewerber", "06611", "ba-status=unversorgt") == (Decimal(210), "")
    assert _value("ba.stellen.unbesetzt", "06633", "") == (None, ".")


@pytest.mark.django_db
def test_anr_and_eanr_at_agenturbezirk_level(market):
    kassel = Region.objects.get(code="aa-kassel")
    figures = [ausbildungsmarkt_figures(region_by_code(c)) for c in ("06611", "06633", "06636")]
    naa = Value.objects.get(statistic__code="bibb.naa", region=kassel, categories="").value
    unbesetzt = sum(f["unbesetzt"] for f in figures)
    unversorgt = sum(f["unversorgt"] for f in figures)
    alternative = sum(f["alternative"] for f in figures)
    expected_anr = (naa + unbesetzt) / (naa + unversorgt) * 100
    expected_eanr = (naa + unbesetzt) / (naa + unversorgt + alternative) * 100
    period = Period.objects.get(code="BJ2018/19")
    anr = indicator_compute(indicator=Indicator.objects.get(code="anr"), region=kassel, period=period)
    eanr = indicator_compute(indicator=Indicator.objects.get(code="eanr"), region=kassel, period=period)
    assert anr.value == expected_anr and eanr.value == expected_eanr
    assert anr.value > eanr.value
    # A Kreis alone has no NAA: its own ANR stays empty; the Agenturbezirk figure comes with the note.
    stadt = region_by_code("06611")
    assert indicator_compute(indicator=Indicator.objects.get(code="anr"), region=stadt, period=period).value is None
    [block] = agency_figures(stadt)
    assert block.agency == kassel and "nicht des einzelnen Kreises" in block.note
    codes = [f.indicator.code for f in block.figures]
    assert codes == ["anr", "eanr", "auba", "versorgungsprobleme", "index-passungsprobleme"]
    assert block.figures[0].result.value == expected_anr and block.figures[0].period == period
    assert agencies_for(region_by_code("06631"))[0].name == "Agentur für Arbeit Bad Hersfeld-Fulda"


@pytest.mark.django_db
def test_kassel_datasheet_and_anr_page_show_the_agenturbezirk_note(market, client):
    kassel = Region.objects.get(code="aa-kassel")
    period = Period.objects.get(code="BJ2018/19")
    anr = indicator_compute(indicator=Indicator.objects.get(code="anr"), region=kassel, period=period)
    eanr = indicator_compute(indicator=Indicator.objects.get(code="eanr"), region=kassel, period=period)
    text = client.get("/monitoring/datenblatt/06611/").content.decode()
    assert "Ausbildungsmarkt im Agenturbezirk: Agentur für Arbeit Kassel" in text
    assert "Werte des Agenturbezirks Agentur für Arbeit Kassel" in text and "nicht des einzelnen Kreises" in text
    assert number_de(anr.rounded_value, 1) in text and number_de(eanr.rounded_value, 1) in text
    assert "Enthält synthetische Daten (nachgebaute Tabellen)" in text and "SYNTHETISCHE DATEN" in text
    page = client.get("/monitoring/indikatoren/anr/?gebiet=06611").content.decode()
    assert "Werte des Agenturbezirks Agentur für Arbeit Kassel" in page
    other = client.get("/monitoring/indikatoren/quote-ohne-hsa/?gebiet=06611").content.decode()
    assert "Werte des Agenturbezirks" not in other


@pytest.mark.django_db
def test_table_by_agentur_gives_the_same_agenturbezirk_figures(tmp_path, catalogue, agencies):
    """The demo imports the table by Agentur; the Agenturbezirk ANR equals the one summed from the Kreise."""
    import_file(ausbildungsmarkt_xlsx(tmp_path / "ag.xlsx", level="agenturen"), fmt="ba-statistik")
    import_file(bibb_naa_xlsx(tmp_path / "bibb.xlsx"), fmt="ba-statistik")
    kassel = Region.objects.get(code="aa-kassel")
    assert not Value.objects.filter(region__kind=RegionKind.KREIS).exists()
    figures = [ausbildungsmarkt_figures(region_by_code(c)) for c in ("06611", "06633", "06636")]
    assert _value("ba.bewerber", "aa-kassel") == (Decimal(sum(f["bewerber"] for f in figures)), "")
    naa = Value.objects.get(statistic__code="bibb.naa", region=kassel, categories="").value
    expected = (naa + sum(f["unbesetzt"] for f in figures)) / (naa + sum(f["unversorgt"] for f in figures)) * 100
    period = Period.objects.get(code="BJ2018/19")
    assert (
        indicator_compute(indicator=Indicator.objects.get(code="anr"), region=kassel, period=period).value == expected
    )
