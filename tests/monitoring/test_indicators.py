"""The indicator engine: exact official definitions, "no value" with a reason, never 0 for missing."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from bildungskette.monitoring.formula import FormulaError, formula_parse
from bildungskette.monitoring.models import Indicator, Period, ValidationRule
from bildungskette.monitoring.selectors import indicator_compute, indicator_results, indicator_series, rule_checks
from bildungskette.monitoring.services import (
    indicator_create,
    indicator_validate,
    period_ensure,
    source_ensure,
    values_upsert,
)
from bildungskette.regions.models import Region
from bildungskette.regions.selectors import region_by_code


def compute(code, region="06611", period="2022/23"):
    return indicator_compute(
        indicator=Indicator.objects.get(code=code),
        region=region_by_code(region),
        period=Period.objects.get(code=period),
    )


@pytest.mark.django_db
def test_quote_ohne_hsa_kassel_is_8_8_percent(leavers):
    result = compute("quote-ohne-hsa")
    assert result.rounded_value == Decimal("8.8")
    assert result.display() == "8,8"
    assert result.value == Decimal(165) / Decimal(1870) * 100
    assert not result.rounded_inputs


@pytest.mark.django_db
def test_cli_indicator_prints_8_8_with_source(leavers):
    out = io.StringIO()
    call_command("indicator", "quote-ohne-hsa", "--region", "06611", stdout=out)
    text = out.getvalue()
    assert "2022/23      8,8 %" in text
    assert "Quelle: © Statistische Ämter des Bundes und der Länder, Deutschland, 2025" in text


@pytest.mark.django_db
def test_kreis_with_dot_has_no_value_and_says_why(leavers):
    # Niedersachsen does not collect the Fachhochschulreife: "." in the file.
    result = compute("anteil-mit-fachhochschulreife", region="03101")
    assert result.value is None
    assert result.display() == "kein Wert"
    assert "„.“" in result.reason and "geheim" in result.reason


@pytest.mark.django_db
def test_missing_input_gives_no_value_not_zero(catalogue):
    src = source_ensure(code="t", publisher="Test", title="Test", attribution="Test")
    values_upsert(
        source=src, rows=[{"statistic": "ba.stellen.unbesetzt", "region": "06611", "period": "2019-08", "value": 279}]
    )
    result = compute("unbesetzte-je-unversorgte", period="2019-08")
    assert result.value is None
    # Said in German, which statistic, where and when, from which source – no internal code.
    assert result.reason == (
        "„Gemeldete Bewerber*innen für Berufsausbildungsstellen“ (unversorgte Bewerber*innen) liegt für Kassel "
        "(Kreisfreie Stadt), "
        "August 2019 nicht vor – Quelle: BA-Ausbildungsmarktstatistik."
    )
    assert "ba.bewerber" not in result.reason


@pytest.mark.django_db
def test_nrw_results_say_they_use_rounded_inputs(leavers):
    assert compute("quote-ohne-hsa", region="05911").rounded_inputs is True


@pytest.mark.django_db
def test_kassel_seed_ratios_1_08_and_0_91(kassel_seed):
    assert compute("stellen-je-bewerber", period="2019-08").display() == "1,08"
    assert compute("unbesetzte-je-unversorgte", period="2019-08").display() == "0,91"
    assert compute("iabe-unbekannt", period="2018").display() == "12,6"
    assert compute("sgb2-hilfequote-u25", period="2019-04").display() == "13,6"


def _bibb(catalogue, year, **figures):
    """Germany-level inputs of one reporting year as a test source."""
    src = source_ensure(code=f"bibb-{year}", publisher="BIBB", title="BIBB-Erhebung", attribution="BIBB")
    rows = []
    mapping = {
        "naa": ("bibb.naa", {}),
        "naa_ausserbetrieblich": ("bibb.naa", {"stellenart": "ausserbetrieblich"}),
        "unbesetzt": ("ba.stellen.unbesetzt", {}),
        "unversorgt": ("ba.bewerber", {"ba-status": "unversorgt"}),
        "alternative": ("ba.bewerber", {"ba-status": "mit-alternative"}),
    }
    for key, number in figures.items():
        stat, cats = mapping[key]
        rows.append(
            {
                "statistic": stat,
                "region": "DG",
                "period": f"BJ{year - 1}/{year % 100:02d}",
                "categories": cats,
                "value": number,
            }
        )
    values_upsert(source=src, rows=rows)
    return f"BJ{year - 1}/{year % 100:02d}"


@pytest.mark.django_db
def test_bibb_2009_anr_100_3(catalogue):
    # BIBB/BA 2009: 564,307 new contracts, 17,255 unfilled places, 15,679 unplaced applicants.
    period = _bibb(catalogue, 2009, naa=564307, unbesetzt=17255, unversorgt=15679)
    assert compute("anr", "DG", period).display() == "100,3"
    # eANR needs the applicants with an alternative: without them, no value – not a number as if 0.
    eanr = compute("eanr", "DG", period)
    assert eanr.value is None and "Bewerber*innen" in eanr.reason and "mit-alternative" not in eanr.reason


@pytest.mark.django_db
def test_bibb_2009_eanr_88_5_from_the_ratio(catalogue):
    # eANR = Angebot / erweiterte Nachfrage: with the 2009 offer (581,562) an extended demand of 657,100
    # (i.e. 77,114 applicants with an alternative) yields BIBB's 88.5.
    period = _bibb(catalogue, 2009, naa=564307, unbesetzt=17255, unversorgt=15679, alternative=77114)
    assert compute("angebot", "DG", period).value == 581562
    assert compute("eanr", "DG", period).display() == "88,5"
    assert compute("anr", "DG", period).display() == "100,3"


@pytest.mark.django_db
def test_bibb_2021_unused_potential_and_share_still_searching(catalogue):
    # 2021: 473,064 NAA (BIBB Datenreport 2022, A1.2); 63,200 unfilled; 67,800 still searching.
    period = _bibb(catalogue, 2021, naa=473064, unbesetzt=63200, unversorgt=24600, alternative=43200)
    assert compute("ungenutztes-vertragspotenzial", "DG", period).value == 63200
    assert compute("versorgungsprobleme", "DG", period).display() == "12,5"


@pytest.mark.django_db
def test_bibb_2020_share_still_searching_14_3(catalogue):
    period = _bibb(catalogue, 2020, naa=467484, unbesetzt=59900, unversorgt=29300, alternative=48900)
    assert compute("versorgungsprobleme", "DG", period).display() == "14,3"


@pytest.mark.django_db
def test_auba_and_passungsprobleme_follow_the_definition(catalogue):
    period = _bibb(catalogue, 2021, naa=1000, naa_ausserbetrieblich=100, unbesetzt=100, unversorgt=50, alternative=50)
    # betriebliches Angebot = 1000 - 100 + 100 = 1000 → AubA 10 %; Versorgungsprobleme = 100 / 1100 = 9.09 %
    auba = compute("auba", "DG", period)
    assert auba.value == Decimal(10)
    index = compute("index-passungsprobleme", "DG", period)
    assert index.value.quantize(Decimal("0.01")) == Decimal("90.91")
    # Only one kind of problem → index 0.
    period = _bibb(catalogue, 2022, naa=1000, naa_ausserbetrieblich=0, unbesetzt=0, unversorgt=50, alternative=0)
    assert compute("index-passungsprobleme", "DG", period).value == 0


@pytest.mark.django_db
def test_group_region_sums_its_members(leavers, tenant):
    from bildungskette.regions.services import region_group_create

    olov = region_group_create(
        tenant=tenant,
        code="olov-kassel",
        name="OloV-Region Kassel",
        members=[region_by_code("06611"), region_by_code("06633")],
    )
    result = indicator_compute(
        indicator=Indicator.objects.get(code="quote-ohne-hsa"),
        region=olov,
        period=Period.objects.get(code="2022/23"),
        tenant=tenant,
    )
    # From the file: Kassel Stadt 165 of 1870, Landkreis Kassel 93 of 2075 leavers without Hauptschulabschluss.
    assert result.value == Decimal(165 + 93) / Decimal(1870 + 2075) * 100
    assert result.rounded_value == Decimal("6.5")


@pytest.mark.django_db
def test_series_and_bulk_results_take_a_fixed_number_of_queries(leavers, django_assert_max_num_queries):
    indicator = Indicator.objects.get(code="quote-ohne-hsa")
    regions = list(Region.objects.filter(kind="kreis", code__startswith="06"))
    with django_assert_max_num_queries(8):
        results = indicator_results(indicator=indicator, regions=regions)
    assert len(results) == 26 and all(r.value is not None for r in results.values())
    series = indicator_series(indicator=indicator, region=region_by_code("06611"))
    assert [r.period for r in series] == ["2022/23"]


@pytest.mark.django_db
def test_validation_rule_lists_violations(catalogue):
    src = source_ensure(code="t", publisher="Test", title="Test", attribution="Test")
    rows = [("einmuendend", 50), ("andere-ehemalige", 20), ("mit-alternative", 10), ("unversorgt", 15)]
    values_upsert(
        source=src,
        rows=[
            {
                "statistic": "ba.bewerber",
                "region": "06611",
                "period": "BJ2018/19",
                "categories": {"ba-status": s},
                "value": v,
            }
            for s, v in rows
        ]
        + [{"statistic": "ba.bewerber", "region": "06611", "period": "BJ2018/19", "value": 100}],
    )
    checks = rule_checks(rule=ValidationRule.objects.get(code="ba-status-summe"))
    assert len(checks) == 1 and checks[0].ok is False and checks[0].left == 95 and "Abweichung -5" in checks[0].reason


@pytest.mark.django_db
def test_abschlussarten_add_up_in_every_kreis(leavers):
    checks = rule_checks(rule=ValidationRule.objects.get(code="abschlussarten-summe"))
    violated = [c for c in checks if c.ok is False]
    assert len([c for c in checks if c.ok]) > 400
    # Only Länder that publish rounded figures (Schleswig-Holstein: multiples of 3) deviate, and say why.
    assert violated and all(c.rounded and "Rundung" in c.reason for c in violated)
    assert {c.region[:2] for c in violated} <= {"01", "05", "15", "DG"}  # SH, NRW, Sachsen-Anhalt


def test_formula_parser_rejects_unsafe_and_wrong_input():
    with pytest.raises(FormulaError, match="Unbekannte Funktion"):
        formula_parse("__import__('os').system('true')")
    with pytest.raises(FormulaError, match="Merkmale werden als wert"):
        formula_parse("bewerber / 2")
    with pytest.raises(FormulaError, match="nicht lesbar"):
        formula_parse('wert("a"')
    f = formula_parse('wert("ba.bewerber", ba_status=["unversorgt", "mit-alternative"]) * 100')
    assert f.terms[0].keys() == ["ba-status=unversorgt", "ba-status=mit-alternative"]


@pytest.mark.django_db
def test_indicator_validation_names_unknown_statistics_and_categories(catalogue):
    problems = indicator_validate(numerator='wert("gibt.es.nicht")', denominator='wert("ba.bewerber", ba_status="x")')
    assert "Merkmal „gibt.es.nicht“ ist unbekannt." in problems
    assert "Ausprägung „x“ gibt es in „ba-status“ nicht." in problems
    with pytest.raises(ValueError, match="Merkmal „gibt\\.es\\.nicht“ ist unbekannt"):
        indicator_create(code="kaputt", name="Kaputt", numerator='wert("gibt.es.nicht")')


@pytest.mark.django_db
def test_periods_parse_all_kinds(db):
    assert period_ensure("2022/23").year == 2023
    assert str(period_ensure("BJ2018/19").start) == "2018-10-01"
    assert period_ensure("2019-08").label == "August 2019"
    assert period_ensure("2019-09-30").kind == "date"
    with pytest.raises(ValueError, match="Schuljahr"):
        period_ensure("2022/24")


@pytest.mark.django_db
def test_demo_is_idempotent(monkeypatch):
    from bildungskette.monitoring import demo
    from bildungskette.monitoring.models import Indicator as I
    from bildungskette.monitoring.models import Source, Value

    monkeypatch.setattr(demo, "GENESIS_FILES", ["21111-02-06-4.csv"])
    demo.demo_load()
    counts = (Value.objects.count(), Source.objects.count(), I.objects.count())
    demo.demo_load()
    assert (Value.objects.count(), Source.objects.count(), I.objects.count()) == counts
    assert Source.objects.get(code="synthetisch-ausbildungsmarkt-demo").line.startswith("SYNTHETISCHE DATEN")


@pytest.mark.django_db
def test_indicator_command_on_a_fresh_installation_loads_the_catalogue():
    from bildungskette.monitoring.importers import import_file

    from .conftest import GENESIS

    import_file(GENESIS / "21111-02-06-4.csv", fmt="genesis")
    out = io.StringIO()
    call_command("indicator", "quote-ohne-hsa", "--region", "06611", "--period", "2022/23", stdout=out)
    assert "8,8 %" in out.getvalue()
