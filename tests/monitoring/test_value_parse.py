"""Cells of official tables: numbers with decimal comma, special values (Zeichenerklärung) and the
storage limits of ``number_check`` at their boundaries (10^14, 15 significant digits, 6 decimals)."""

import re
from decimal import Decimal

import pytest

from bildungskette.monitoring.services import number_check, value_parse


@pytest.mark.parametrize("raw,expected", [
    ("1870", (Decimal(1870), "")),
    (" 1870 ", (Decimal(1870), "")),
    ("12,5", (Decimal("12.5"), "")),
    ("1.234,5", (Decimal("1234.5"), "")),
    ("-5", (Decimal(-5), "")),
    ("-", (Decimal(0), "-")),
    ("0,0", (Decimal("0.0"), "")),
    ("1234p", (Decimal(1234), "p")),
    ("1234 r", (Decimal(1234), "r")),
    ("7s", (Decimal(7), "s")),
    ("7e", (Decimal(7), "e")),
    ("(12)", (Decimal(12), "()")),
    ("(12,5)", (Decimal("12.5"), "()")),
    ("(.)", (None, "()")),
])
def test_numbers_and_flags(raw, expected):
    assert value_parse(raw) == expected


@pytest.mark.parametrize("flag", [".", "...", "/", "x", "0", "p"])
def test_a_lone_special_value_is_a_flag_without_number(flag):
    assert value_parse(flag) == (None, flag)


def test_a_lone_zero_is_a_flag_only_in_official_tables():
    assert value_parse("0") == (None, "0")
    assert value_parse("0", official=False) == (Decimal(0), "")
    assert value_parse("(0)", official=False) == (Decimal(0), "()")
    assert value_parse("(0)") == (None, "()")


@pytest.mark.parametrize("raw", ["", "   ", "abc", "12,5,3", "1 2"])
def test_text_that_is_neither_number_nor_flag_is_refused(raw):
    with pytest.raises(ValueError, match=r"ist weder eine Zahl noch ein Sonderzeichen der amtlichen Statistik"):
        value_parse(raw)


@pytest.mark.parametrize("raw", ["nan", "inf", "-Infinity"])
def test_not_finite_is_refused(raw):
    with pytest.raises(ValueError, match=rf"^„{raw}“ ist keine endliche Zahl"):
        value_parse(raw)


def test_magnitude_limit_10_to_the_14():
    below = Decimal(10) ** 14 - 1  # 14 digits: the largest storable integer
    assert value_parse(str(below)) == (below, "")
    assert value_parse(str(-below)) == (-below, "")
    for raw in (str(10 ** 14), str(-(10 ** 14)), "100000000000000,0"):
        with pytest.raises(ValueError, match=rf"^„{raw}“ ist zu groß: Werte müssen betragsmäßig unter 10\^14"):
            value_parse(raw)


def test_significant_digits_limit_15_after_rounding_to_6_decimals():
    assert value_parse("123456789,123456") == (Decimal("123456789.123456"), "")  # 15 digits
    with pytest.raises(ValueError, match=r"^„1234567891,123456“ hat mehr als 15 gültige Stellen"):
        value_parse("1234567891,123456")  # 16 digits
    # A 7th decimal is rounded away before counting (9 + 6 = 15 digits remain); the number itself is kept.
    assert value_parse("123456789,1234561") == (Decimal("123456789.1234561"), "")
    assert value_parse("123456789,1234567") == (Decimal("123456789.1234567"), "")
    # Rounded to 6 decimals, 10 + 6 = 16 digits remain: refused (rounding to 5 would wrongly accept it).
    with pytest.raises(ValueError, match=r"^„1234567891,1234561“ hat mehr als 15 gültige Stellen"):
        value_parse("1234567891,1234561")
    number_check(Decimal("0.0000001"))  # rounds to zero: no digits
    number_check(Decimal(0))


def test_number_check_shows_the_number_when_there_is_no_raw_text():
    with pytest.raises(ValueError, match=r"^„100000000000000“ ist zu groß"):
        number_check(Decimal(10) ** 14)
    with pytest.raises(ValueError, match=r"^„roh“ ist zu groß"):
        number_check(Decimal(10) ** 14, "roh")


@pytest.mark.parametrize("raw", ["(12", "12)", "12X", "12q"])
def test_half_brackets_and_unknown_suffixes_are_refused(raw):
    with pytest.raises(ValueError, match=rf"^„{re.escape(raw)}“ ist weder eine Zahl"):
        value_parse(raw)


def test_without_a_comma_the_point_is_the_decimal_point():
    """Machine-readable files write 12.5; only with a decimal comma is the point a thousands separator."""
    assert value_parse("12.5") == (Decimal("12.5"), "")
    assert value_parse("1.234,5") == (Decimal("1234.5"), "")
