"""BIBB indicators from hand-calculated inputs; every expected value was worked out by hand (see comments)."""

from decimal import Decimal

import pytest

from bildungskette.passung import indicators as ind
from bildungskette.passung.indicators import SECRET, Kind, Thresholds

# naa 100 (10 außerbetrieblich), 20 unfilled, 15 unplaced, 25 with alternative
CELL = {"naa": 100, "naa_ausserbetrieblich": 10, "unbesetzt": 20, "unversorgt": 15, "alternative": 25}


def test_angebot_and_nachfrage_by_hand():
    assert ind.angebot(CELL).value == 120  # 100 + 20
    assert ind.angebot_betrieblich(CELL).value == 110  # 100 − 10 + 20
    assert ind.nachfrage_klassisch(CELL).value == 115  # 100 + 15
    assert ind.nachfrage_erweitert(CELL).value == 140  # 100 + 15 + 25


def test_auba_versorgung_index_by_hand():
    assert ind.auba(CELL).value == Decimal("18.2")  # 20 / 110 = 0.181818… → 18.2 %
    assert ind.versorgungsprobleme(CELL).value == Decimal("28.6")  # 40 / 140 = 0.285714… → 28.6 %
    assert ind.index_passungsprobleme(CELL).value == Decimal("520.5")  # 18.2 × 28.6 = 520.52
    assert ind.anr(CELL).value == Decimal("104.3")  # 120 / 115 = 1.043478…
    assert ind.anr(CELL, erweitert=True).value == Decimal("85.7")  # 120 / 140 = 0.857142…


def test_second_hand_case_with_exact_values():
    cell = {"naa": 450, "naa_ausserbetrieblich": 50, "unbesetzt": 100, "unversorgt": 30, "alternative": 120}
    # betriebliches Angebot 450 − 50 + 100 = 500 → AubA 100/500 = 20.0 %
    assert ind.auba(cell).value == Decimal("20.0")
    # Nachfrage erweitert 450 + 30 + 120 = 600 → (30 + 120)/600 = 25.0 %
    assert ind.versorgungsprobleme(cell).value == Decimal("25.0")
    assert ind.index_passungsprobleme(cell).value == Decimal("500.0")  # 20 × 25


def test_index_is_zero_with_only_one_kind_of_problem():
    cell = {**CELL, "unbesetzt": 0}
    assert ind.auba(cell).value == Decimal("0.0")
    assert ind.index_passungsprobleme(cell).value == Decimal("0.0")


def test_bibb_2021_unused_potential():
    # domain README: 2021 63,200 unfilled, 67,800 still searching → unused potential 63,200
    cell = {"unbesetzt": 63200, "unversorgt": 24600, "alternative": 43200}  # 24,600 + 43,200 = 67,800
    assert ind.vertragspotenzial(cell).value == 63200


def test_missing_input_gives_kein_wert_with_reason():
    cell = {**CELL, "naa": None}
    for result in (ind.auba(cell), ind.versorgungsprobleme(cell), ind.index_passungsprobleme(cell)):
        assert result.value is None
        assert str(result) == "kein Wert – neu abgeschlossene Ausbildungsverträge (NAA) fehlt"


def test_secret_input_gives_kein_wert_with_reason():
    cell = {**CELL, "unversorgt": SECRET}
    result = ind.versorgungsprobleme(cell)
    assert result.value is None
    assert result.reason == "unversorgte Bewerber*innen geheim gehalten (weniger als 3 Fälle)"
    assert ind.index_passungsprobleme(cell).reason == result.reason
    assert ind.auba(cell).value == Decimal("18.2")  # the other side does not need the secret count


def test_zero_denominator_is_kein_wert():
    cell = {"naa": 0, "naa_ausserbetrieblich": 0, "unbesetzt": 0, "unversorgt": 0, "alternative": 0}
    assert str(ind.auba(cell)) == "kein Wert – das betriebliche Angebot ist 0 – Anteil nicht definiert"


@pytest.mark.parametrize(("unbesetzt", "suchend", "kind"), [
    (20, 40, Kind.PASSUNG),  # 18.2 % / 28.6 %
    (20, 5, Kind.BESETZUNG),  # 18.2 % / 5 of 105 = 4.8 %
    (5, 40, Kind.VERSORGUNG),  # 5 / 95 = 5.3 % / 28.6 %
    (5, 5, Kind.AUSGEGLICHEN),  # 5.3 % / 4.8 %
])
def test_classification(unbesetzt, suchend, kind):
    cell = {**CELL, "unbesetzt": unbesetzt, "unversorgt": 0, "alternative": suchend}
    assert ind.classify(cell)[0] == kind


def test_classification_threshold_is_inclusive_and_configurable():
    cell = {"naa": 450, "naa_ausserbetrieblich": 50, "unbesetzt": 100, "unversorgt": 30, "alternative": 120}
    assert ind.classify(cell, Thresholds(auba=Decimal("20.0"), versorgung=Decimal("25.1")))[0] == Kind.BESETZUNG
    assert ind.classify(cell, Thresholds(auba=Decimal("20.1"), versorgung=Decimal("25.0")))[0] == Kind.VERSORGUNG
    kind, reason = ind.classify({**cell, "naa": None})
    assert kind == Kind.UNKNOWN and "NAA" in reason
