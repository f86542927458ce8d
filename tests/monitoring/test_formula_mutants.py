"""The formula language and the indicator engine at the places where a one-character bug would
silently change a published figure: operators, unary minus, division by zero, min/max/summe,
category lists, flags, group regions, a tenant's own values, the factor.

Expected numbers are worked out by hand in the comments (small integers), never by calling the
code's own helpers.
"""

import re
from decimal import Decimal

import pytest

from bildungskette.monitoring.formula import FormulaError, Missing, Term, formula_evaluate, formula_parse
from bildungskette.monitoring.models import Aggregation, Indicator, Period
from bildungskette.monitoring.selectors import indicator_compute
from bildungskette.monitoring.services import period_ensure, source_ensure, statistic_ensure, values_upsert
from bildungskette.regions.selectors import region_by_code

# wert("a") = 3, wert("b") = 4, wert("z") = 0, wert("n") = -2; indikator("i") = 10
TERMS = {"a": Decimal(3), "b": Decimal(4), "z": Decimal(0), "n": Decimal(-2)}


def lookup_term(term: Term) -> Decimal:
    if term.statistic not in TERMS:
        raise Missing(f"kein Wert für {term.statistic}")
    # A category list sums one value per category: 1 per category here, so a list of three gives 3.
    return TERMS[term.statistic] if not term.filters else Decimal(len(term.keys()))


def lookup_indicator(code: str) -> Decimal:
    if code != "i":
        raise Missing(f"Indikator „{code}“ ist unbekannt")
    return Decimal(10)


def ev(text: str) -> Decimal:
    return formula_evaluate(formula_parse(text), lookup_term, lookup_indicator)


@pytest.mark.parametrize(
    "text,expected",
    [
        ('wert("a") + wert("b")', 7),
        ('wert("a") - wert("b")', -1),  # order matters: 3 − 4, not 4 − 3
        ('wert("b") - wert("a")', 1),
        ('wert("a") * wert("b")', 12),
        ('wert("a") / wert("b")', Decimal("0.75")),
        ('wert("b") * 3 / wert("a")', 4),
        ("-5", -5),
        ('-wert("a")', -3),
        ('-wert("a") + 10', 7),
        ('10 - -wert("a")', 13),
        ('-wert("n")', 2),
        ("2 * (3 + 4)", 14),
        ("2 * 3 + 4", 10),
        ("1.5 * 2", 3),
        ('min(wert("a"), wert("b"))', 3),
        ('max(wert("a"), wert("b"))', 4),
        ('min(wert("a"), wert("n"), 7)', -2),
        ('max(wert("n"), -5)', -2),
        ('summe(wert("a"), wert("b"), 5)', 12),
        ('summe(wert("n"))', -2),
        ('indikator("i") * wert("a")', 30),
        ('wert("a", art=["x", "y", "z"])', 3),
    ],
)
def test_formula_arithmetic(text, expected):
    assert ev(text) == Decimal(expected)


@pytest.mark.parametrize("text", ['wert("a") / wert("z")', "1 / 0", "0 / 0", 'wert("a") / (wert("b") - 4)'])
def test_division_by_zero_inside_a_formula_is_no_value_with_a_reason(text):
    with pytest.raises(Missing, match="^Division durch null innerhalb der Formel$"):
        ev(text)


def test_a_missing_input_propagates_instead_of_counting_as_zero():
    with pytest.raises(Missing, match="kein Wert für fehlt"):
        ev('wert("a") + wert("fehlt")')
    with pytest.raises(Missing, match="Indikator „j“ ist unbekannt"):
        ev('indikator("j")')


def test_category_keys_are_the_cross_product_sorted_by_breakdown():
    f = formula_parse('wert("s", zeta=["2", "1"], alpha_beta="x")')
    term = f.terms[0]
    # Breakdown names are sorted (alpha-beta before zeta); underscores become hyphens; within a
    # breakdown the order of the list is kept.
    assert term.keys() == ["alpha-beta=x;zeta=2", "alpha-beta=x;zeta=1"]
    assert term.label() == "s [alpha-beta=x, zeta=2|1]"
    assert Term("s").keys() == [""] and Term("s").label() == "s"
    assert f.indicators == []
    g = formula_parse('indikator("x") + indikator("y") * wert("s")')
    assert g.indicators == ["x", "y"] and [t.statistic for t in g.terms] == ["s"]


NOT_ALLOWED = "Dieser Ausdruck ist in Formeln nicht erlaubt."
OPERATORS = "Erlaubt sind nur + − * / und Klammern."
QUOTED = "muss als Text in Anführungszeichen stehen."


@pytest.mark.parametrize(
    "text,message",
    [
        ("", "Die Formel ist leer."),
        ("   ", "Die Formel ist leer."),
        ('wert("a") ** 2', OPERATORS),
        ('wert("a") % 2', OPERATORS),
        ('wert("a") // 2', OPERATORS),
        ('+wert("a")', NOT_ALLOWED),
        ('not wert("a")', NOT_ALLOWED),
        ("True + 1", NOT_ALLOWED),
        ('"text"', NOT_ALLOWED),
        ('wert("a") < 2', NOT_ALLOWED),
        ('wert("a").real', NOT_ALLOWED),
        ("wert()", 'wert(…) braucht genau ein Merkmal, z. B. wert("ba.bewerber").'),
        ('wert("a", "b")', 'wert(…) braucht genau ein Merkmal, z. B. wert("ba.bewerber").'),
        ("wert(a)", "Das Merkmal " + QUOTED),
        ('wert("")', "Das Merkmal " + QUOTED),
        ('wert("a", x=1)', "Eine Ausprägung " + QUOTED),
        ('wert("a", x=["b", 1])', "Eine Ausprägung " + QUOTED),
        ('wert("a", x=[])', "Die Liste für „x“ ist leer."),
        ('wert("a", **{"x": "y"})', 'Aufgliederungen werden als name="ausprägung" angegeben.'),
        ('indikator("a", b="c")', "indikator(…) braucht genau eine Kennung."),
        ("indikator()", "indikator(…) braucht genau eine Kennung."),
        ("indikator(1)", "Die Kennung des Indikators " + QUOTED),
        ("min()", "min(…) braucht mindestens einen Ausdruck."),
        ("summe(x=1)", "summe(…) braucht mindestens einen Ausdruck."),
        ('max(wert("a"), y)', '„y“ ist unbekannt. Merkmale werden als wert("kennung") geschrieben.'),
        ('abs(wert("a"))', "Unbekannte Funktion. Erlaubt: wert, indikator, summe, min, max."),
        ('min(wert("a") ** 2)', OPERATORS),
        ('-(wert("a") % 2)', OPERATORS),
    ],
)
def test_formula_parse_rejects_with_the_whole_message(text, message):
    with pytest.raises(FormulaError, match=f"^{re.escape(message)}$"):
        formula_parse(text)


def test_an_unreadable_formula_names_the_position():
    with pytest.raises(FormulaError, match=r"^Die Formel ist nicht lesbar \(Zeichen \d+\): .+\.$"):
        formula_parse('wert("a"')


def test_summe_of_one_value_keeps_decimals():
    assert ev('summe(wert("a") / 4)') == Decimal("0.75")


# --------------------------------------------------------------------------- engine (database)


@pytest.fixture
def stats(db):
    source = source_ensure(code="test-synthetisch", publisher="Test", title="Synthetische Testwerte",
                           attribution="Synthetische Testdaten")
    statistic_ensure(code="t.zaehler", name="Zähler", source=source)
    statistic_ensure(code="t.nenner", name="Nenner", source=source)
    statistic_ensure(code="t.quote", name="Quote", source=source, aggregation=Aggregation.NONE)
    period_ensure("2023")
    return source


def store(source, statistic, region, value, flag="", tenant=None, rounded=False):
    values_upsert(source=source, tenant=tenant, rows=[
        {"statistic": statistic, "region": region, "period": "2023", "value": value, "flag": flag,
         "rounded": rounded}])


def result(indicator, region="06611", tenant=None):
    region_obj = region if hasattr(region, "pk") else region_by_code(region)
    return indicator_compute(indicator=indicator, region=region_obj, period=Period.objects.get(code="2023"),
                             tenant=tenant)


def make(code, numerator, denominator="", factor=100):
    return Indicator.objects.create(code=code, name=code, numerator=numerator, denominator=denominator,
                                    factor=factor, decimals=1)


def test_ratio_times_factor(stats):
    store(stats, "t.zaehler", "06611", 1)
    store(stats, "t.nenner", "06611", 8)
    quote = make("q", 'wert("t.zaehler")', 'wert("t.nenner")')
    assert result(quote).value == Decimal("12.5")  # 1 / 8 = 0.125 → 12.5 %
    per_mille = make("pm", 'wert("t.zaehler")', 'wert("t.nenner")', factor=1000)
    assert result(per_mille).value == Decimal(125)
    no_denominator = make("nd", 'wert("t.zaehler") * 3', factor=1)
    assert result(no_denominator).value == Decimal(3)


def test_a_zero_denominator_is_no_value_not_an_error(stats):
    store(stats, "t.zaehler", "06611", 5)
    store(stats, "t.nenner", "06611", 0, flag="-")  # "-": exactly nothing
    r = result(make("q", 'wert("t.zaehler")', 'wert("t.nenner")'))
    assert r.value is None and r.reason == "Nenner ist 0"
    zero_numerator = make("q0", 'wert("t.nenner")', 'wert("t.zaehler")')
    assert result(zero_numerator).value == Decimal(0)


def test_negative_numbers_through_unary_minus(stats):
    store(stats, "t.zaehler", "06611", 30)
    store(stats, "t.nenner", "06611", 20)
    change = make("veraenderung", '-(wert("t.nenner") - wert("t.zaehler"))', 'wert("t.nenner")')
    assert result(change).value == Decimal(50)  # −(20 − 30) / 20 = 0.5 → 50 %
    drop = make("rueckgang", '-wert("t.zaehler")', 'wert("t.nenner")')
    assert result(drop).value == Decimal(-150)  # −30 / 20 = −1.5 → −150 %


@pytest.mark.parametrize("flag", [".", "...", "/", "x", "0"])
def test_flags_without_a_number_give_no_value(stats, flag):
    store(stats, "t.zaehler", "06611", None, flag=flag)
    store(stats, "t.nenner", "06611", 10)
    r = result(make("q", 'wert("t.zaehler")', 'wert("t.nenner")'))
    assert r.value is None and f"„{flag}“" in r.reason


@pytest.mark.parametrize("flag", ["p", "r", "s", "e", "()"])
def test_flags_with_a_number_keep_it(stats, flag):
    store(stats, "t.zaehler", "06611", 4, flag=flag)
    store(stats, "t.nenner", "06611", 10)
    assert result(make("q", 'wert("t.zaehler")', 'wert("t.nenner")')).value == Decimal(40)


def test_rounded_inputs_are_reported(stats):
    store(stats, "t.zaehler", "06611", 3, rounded=True)
    store(stats, "t.nenner", "06611", 12)
    r = result(make("q", 'wert("t.zaehler")', 'wert("t.nenner")'))
    assert r.value == Decimal(25) and r.rounded_inputs is True
    store(stats, "t.zaehler", "06633", 3)
    store(stats, "t.nenner", "06633", 12)
    assert result(Indicator.objects.get(code="q"), "06633").rounded_inputs is False


def test_a_group_region_sums_counts_but_never_ratios(stats, tenant):
    from bildungskette.regions.services import region_group_create

    for code, z, n, q in [("06611", 3, 10, 30), ("06633", 5, 30, 16)]:
        store(stats, "t.zaehler", code, z)
        store(stats, "t.nenner", code, n)
        store(stats, "t.quote", code, q)
    group = region_group_create(tenant=tenant, code="test-gruppe", name="Gruppe",
                                members=[region_by_code("06611"), region_by_code("06633")])
    r = result(make("q", 'wert("t.zaehler")', 'wert("t.nenner")'), group, tenant=tenant)
    assert r.value == Decimal(20)  # (3 + 5) / (10 + 30) = 0.2 → 20 %
    summed_quote = result(make("qq", 'wert("t.quote")', factor=1), group, tenant=tenant)
    assert summed_quote.value is None
    assert "ist eine Quote oder ein Mittelwert und lässt sich für" in summed_quote.reason
    assert "nicht aus den Mitgliedsgebieten zusammenfassen" in summed_quote.reason
    # A value stored for the group itself wins over the sum of its members.
    store(stats, "t.zaehler", "test-gruppe", 10, tenant=tenant)
    assert result(Indicator.objects.get(code="q"), group, tenant=tenant).value == Decimal(25)


def test_a_tenants_own_value_wins_over_the_shared_one_and_stays_its_own(stats, tenant, other_tenant):
    store(stats, "t.zaehler", "06611", 2)
    store(stats, "t.nenner", "06611", 10)
    store(stats, "t.zaehler", "06611", 4, tenant=tenant)
    quote = make("q", 'wert("t.zaehler")', 'wert("t.nenner")')
    assert result(quote, tenant=tenant).value == Decimal(40)
    assert result(quote, tenant=other_tenant).value == Decimal(20)
    assert result(quote).value == Decimal(20)


def test_an_indicator_of_indicators(stats):
    store(stats, "t.zaehler", "06611", 1)
    store(stats, "t.nenner", "06611", 4)
    make("basis", 'wert("t.zaehler")', 'wert("t.nenner")')  # 25 %
    double = make("doppelt", 'indikator("basis") * 2', factor=1)
    assert result(double).value == Decimal(50)
    store(stats, "t.zaehler", "06633", None, flag=".")
    store(stats, "t.nenner", "06633", 4)
    missing = result(double, "06633")
    assert missing.value is None and missing.reason.startswith("basis:")


def _group(tenant, members=("06611", "06633")):
    from bildungskette.regions.services import region_group_create

    return region_group_create(tenant=tenant, code="test-gruppe", name="Gruppe",
                               members=[region_by_code(code) for code in members])


def _store_weiblich(source, region, value):
    values_upsert(source=source, rows=[{"statistic": "t.zaehler", "region": region, "period": "2023",
                                        "categories": {"geschlecht": "weiblich"}, "value": value}])


def test_a_group_sum_names_the_member_that_lacks_the_number(stats, tenant):
    _store_weiblich(stats, "06611", 3)  # the Landkreis Kassel (06633) has no number
    store(stats, "t.nenner", "06611", 10)
    store(stats, "t.nenner", "06633", 30)
    group = _group(tenant)
    r = result(make("qw", 'wert("t.zaehler", geschlecht="weiblich")', 'wert("t.nenner")'), group, tenant=tenant)
    assert r.value is None
    assert r.reason == ("„Zähler“ (weiblich) fehlt für Kassel (Landkreis) (2023; Quelle: Test): die Summe für "
                        "Gruppe wäre unvollständig.")
    # Once the member has it, the group's inputs are the sums: 3 + 5 women, 10 + 30 in total.
    _store_weiblich(stats, "06633", 5)
    r = result(Indicator.objects.get(code="qw"), group, tenant=tenant)
    assert r.value == Decimal(20)  # 8 / 40 = 0.2 → 20 %
    assert {label: Decimal(text) for label, text in r.inputs.items()} == {
        "t.zaehler [geschlecht=weiblich]": 8, "t.nenner": 40}


def test_a_group_ratio_is_refused_with_the_whole_reason(stats, tenant):
    r = result(make("qq", 'wert("t.quote", geschlecht="weiblich")', factor=1), _group(tenant), tenant=tenant)
    assert r.value is None
    assert r.reason == ("„Quote“ (weiblich) ist eine Quote oder ein Mittelwert und lässt sich für Gruppe nicht "
                        "aus den Mitgliedsgebieten zusammenfassen.")


def test_an_unknown_indicator_reference_is_no_value_with_its_reason(stats):
    r = result(make("kaputt", 'indikator("gibt-es-nicht") * 2', factor=1))
    assert r.value is None and r.reason == "Indikator „gibt-es-nicht“ ist unbekannt"


def test_the_flags_of_an_indicator_and_of_the_indicators_it_reads_add_up(stats):
    store(stats, "t.zaehler", "06611", 4, flag="p")  # provisional
    store(stats, "t.nenner", "06611", 10)
    make("basis", 'wert("t.nenner")', factor=1)  # 10, no flag
    r = result(make("summe", 'wert("t.zaehler") + indikator("basis")', factor=1))
    assert r.value == Decimal(14) and r.flags == {"p"}
    store(stats, "t.nenner", "06633", 10, flag="r")  # revised
    store(stats, "t.zaehler", "06633", 4, flag="s")  # estimated
    assert result(Indicator.objects.get(code="summe"), "06633").flags == {"r", "s"}


def test_a_period_without_any_data_gives_no_value_with_a_reason(stats):
    store(stats, "t.zaehler", "06611", 4)
    period_ensure("2022")
    r = indicator_compute(indicator=make("z", 'wert("t.zaehler")', factor=1), region=region_by_code("06611"),
                          period=Period.objects.get(code="2022"))
    assert r.value is None and r.period == "2022"
    assert r.reason == "„Zähler“ liegt für Kassel (Kreisfreie Stadt), 2022 nicht vor – Quelle: Test."


def test_indicator_compute_as_of_an_earlier_data_state(stats):
    from django.utils import timezone

    from bildungskette.monitoring.models import ImportRun

    first = ImportRun.objects.create(format="test", original_name="erste.csv", status="done",
                                     finished_at=timezone.now())
    values_upsert(source=stats, import_run=first, rows=[
        {"statistic": "t.zaehler", "region": "06611", "period": "2023", "value": 10}])
    second = ImportRun.objects.create(format="test", original_name="zweite.csv", status="done")
    values_upsert(source=stats, import_run=second, rows=[
        {"statistic": "t.zaehler", "region": "06611", "period": "2023", "value": 12}])
    second.finished_at = timezone.now()
    second.save()
    indicator = make("z", 'wert("t.zaehler")', factor=1)
    kassel, period = region_by_code("06611"), Period.objects.get(code="2023")
    assert indicator_compute(indicator=indicator, region=kassel, period=period, as_of=first).value == 10
    assert indicator_compute(indicator=indicator, region=kassel, period=period, as_of=second).value == 12
    assert indicator_compute(indicator=indicator, region=kassel, period=period).value == 12


def test_the_sources_of_an_indicator_and_of_the_indicators_it_reads_add_up(stats):
    other = source_ensure(code="test-andere", publisher="Andere", title="Andere Testwerte", attribution="Test")
    store(stats, "t.zaehler", "06611", 4)
    store(other, "t.nenner", "06611", 10)
    make("basis", 'wert("t.nenner")', factor=1)
    r = result(make("summe", 'wert("t.zaehler") + indikator("basis")', factor=1))
    assert r.value == Decimal(14) and r.source_ids == {stats.pk, other.pk}


# --------------------------------------------------------------------------- the engine in detail (mutation run)


def test_without_a_denominator_the_numerator_is_multiplied_by_the_factor(stats):
    store(stats, "t.zaehler", "06611", 3)
    assert result(make("mal", 'wert("t.zaehler")', factor=10)).value == Decimal(30)  # 3 × 10, not 3 / 10


def test_a_result_carries_its_indicator_region_year_inputs_and_no_reason(stats):
    store(stats, "t.zaehler", "06611", 4)
    store(stats, "t.nenner", "06611", 10)
    r = result(make("q", 'wert("t.zaehler")', 'wert("t.nenner")'))
    assert (r.indicator, r.region, r.period, r.year, r.value, r.reason) == ("q", "06611", "2023", 2023,
                                                                             Decimal(40), "")
    assert {label: Decimal(text) for label, text in r.inputs.items()} == {"t.zaehler": 4, "t.nenner": 10}


def test_rounded_inputs_of_an_indicator_read_by_another_count(stats):
    store(stats, "t.zaehler", "06611", 4)
    store(stats, "t.nenner", "06611", 10, rounded=True)
    make("basis", 'wert("t.nenner")', factor=1)
    # The indicator's own input is exact, the one it reads is rounded: the result is rounded.
    assert result(make("summe", 'wert("t.zaehler") + indikator("basis")', factor=1)).rounded_inputs is True
    store(stats, "t.zaehler", "06633", 4, rounded=True)
    store(stats, "t.nenner", "06633", 10)
    # Its own input is rounded, the one it reads is exact: still rounded.
    assert result(Indicator.objects.get(code="summe"), "06633").rounded_inputs is True


def test_an_indicator_read_twice_and_by_two_indicators_gives_the_same_value(stats):
    from bildungskette.monitoring.selectors import indicators_evaluate

    store(stats, "t.zaehler", "06611", 1)
    store(stats, "t.nenner", "06611", 4)
    make("basis", 'wert("t.zaehler")', 'wert("t.nenner")')  # 25 %
    twice = make("zweimal", 'indikator("basis") + indikator("basis")', factor=1)
    half = make("halb", 'indikator("basis") / 2', factor=1)
    kassel, period = region_by_code("06611"), Period.objects.get(code="2023")
    results = indicators_evaluate(indicators=[twice, half], regions=[kassel], periods=[period])
    assert results[("zweimal", kassel.pk, period.pk)].value == Decimal(50)
    assert results[("halb", kassel.pk, period.pk)].value == Decimal("12.5")
    assert {k: Decimal(v) for k, v in results[("zweimal", kassel.pk, period.pk)].inputs.items()} == {"basis": 25}


def test_a_flag_without_a_number_wins_over_a_stored_number_and_is_named_with_its_categories(stats):
    from bildungskette.monitoring.models import Value

    _store_weiblich(stats, "06611", 7)
    store(stats, "t.nenner", "06611", 10)
    Value.objects.filter(statistic__code="t.zaehler").update(flag=".")  # a number with "geheim" must not count
    r = result(make("qw", 'wert("t.zaehler", geschlecht="weiblich")', 'wert("t.nenner")'))
    assert r.value is None
    assert r.reason == "„Zähler“ (weiblich): „.“ – Zahlenwert unbekannt oder geheim zu halten"
    assert r.inputs == {"t.zaehler [geschlecht=weiblich]": "„.“"}


def test_an_unknown_flag_is_named_as_it_is(stats):
    from bildungskette.monitoring.models import Value

    store(stats, "t.zaehler", "06611", None, flag=".")
    Value.objects.filter(statistic__code="t.zaehler").update(flag="?")
    r = result(make("z", 'wert("t.zaehler")', factor=1))
    assert r.value is None and r.reason == "„Zähler“: „?“ – ?"


def test_an_unknown_statistic_is_no_value_with_its_reason(stats):
    r = result(make("unbekannt", 'wert("t.gibt-es-nicht")', factor=1))
    assert r.value is None and r.reason == "Merkmal „t.gibt-es-nicht“ ist unbekannt"


def test_a_group_sum_names_every_member_that_lacks_the_number(stats, tenant):
    store(stats, "t.nenner", "06611", 10)
    store(stats, "t.nenner", "06633", 30)
    r = result(make("qw", 'wert("t.zaehler", geschlecht="weiblich")', 'wert("t.nenner")'), _group(tenant),
               tenant=tenant)
    assert r.reason == ("„Zähler“ (weiblich) fehlt für Kassel (Kreisfreie Stadt), Kassel (Landkreis) (2023; Quelle: "
                        "Test): die Summe für Gruppe wäre unvollständig.")


def test_a_shared_value_after_the_tenants_own_does_not_stop_the_reading(stats, tenant):
    store(stats, "t.zaehler", "06611", 4, tenant=tenant)  # the tenant's own value is read first
    store(stats, "t.zaehler", "06611", 2)  # then the shared one for the same cell
    store(stats, "t.nenner", "06611", 10)  # and a later value of another statistic
    assert result(make("q", 'wert("t.zaehler")', 'wert("t.nenner")'), tenant=tenant).value == Decimal(40)
