"""The progress engine: Open SDG method, statuses, explanations, roll-up."""

import pytest

from bildungskette.strategy.progress import (
    Contribution,
    Direction,
    Progress,
    Rollup,
    Status,
    Target,
    fmt,
    progress_compute,
    progress_rollup,
    score_from_ratio,
)


def target(base=(2015, 100), goal=(2030, 150), direction=Direction.INCREASE, intermediate=()):
    return Target(base[0], base[1], goal[0], goal[1], direction, tuple(intermediate))


def test_open_sdg_ratio_and_score_for_a_known_series():
    # Observed CAGR (110/100)^(1/3)-1 = 3.228 %; required (150/100)^(1/15)-1 = 2.740 %; ratio 1.178.
    p = progress_compute([(2015, 100), (2018, 110)], target())
    assert p.status == Status.ON_TRACK
    assert p.ratio == pytest.approx(1.1782, abs=1e-3)
    assert p.score == pytest.approx(7.1429 * p.ratio - 4.2857, abs=1e-6)
    assert p.current_year == 2018 and p.current_value == 110


def test_status_thresholds_of_open_sdg():
    # Required: 100 -> 200 in 10 years (7.177 % a year).
    t = target(goal=(2025, 200))
    moderate = progress_compute([(2017, 100 * 1.05 ** 2)], target(base=(2015, 100), goal=(2025, 200)))
    assert moderate.status == Status.MODERATE  # 5 % / 7.18 % = 0.70
    assert progress_compute([(2017, 102)], t).status == Status.OFF_TRACK  # 1 % / 7.18 % = 0.14
    worse = progress_compute([(2017, 95)], t)
    assert worse.status == Status.OFF_TRACK and worse.deterioration
    assert any("falsche Richtung" in line for line in worse.explanation)


def test_target_reached_is_achieved_even_against_the_trend():
    p = progress_compute([(2016, 160), (2017, 155)], target())
    assert p.status == Status.ACHIEVED and p.score == 5


def test_decreasing_target_seed_figures():
    # Unversorgte Bewerber*innen Kassel 307 (2019, seed 000) -> 200 by 2022; 240 in 2021.
    p = progress_compute([(2020, 280), (2021, 240)], target((2019, 307), (2022, 200), Direction.DECREASE))
    assert p.status == Status.MODERATE
    assert p.observed_rate == pytest.approx((240 / 307) ** 0.5 - 1)
    assert p.required_rate == pytest.approx((200 / 307) ** (1 / 3) - 1)
    text = " ".join(p.explanation)
    assert "Ausgangswert 2019: 307,00" in text and "Zielwert 2022: 200,00" in text and "sinken" in text


def test_insufficient_data_without_a_second_point():
    p = progress_compute([(2023, 8.82)], target((2023, 8.82), (2026, 7.5), Direction.DECREASE))
    assert p.status == Status.INSUFFICIENT and p.score is None
    assert "zweiten Datenpunkt" in " ".join(p.explanation)
    assert progress_compute([], target()).status == Status.INSUFFICIENT


def test_target_year_must_follow_baseline():
    p = progress_compute([(2020, 5)], target((2020, 4), (2019, 6)))
    assert p.status == Status.INSUFFICIENT


def test_values_before_the_baseline_are_ignored_and_missing_values_skipped():
    p = progress_compute([(2010, 500), (2016, None), (2017, 104)], target())
    assert p.current_year == 2017


def test_intermediate_target_sets_the_requirement():
    # Without the interim target 104 in 2017 is on track for 150 in 2030; with "130 by 2018" it is not.
    plain = progress_compute([(2017, 106)], target())
    strict = progress_compute([(2017, 106)], target(intermediate=[(2018, 130)]))
    assert plain.status == Status.ON_TRACK
    assert strict.status == Status.OFF_TRACK
    assert strict.required_towards == (2018, 130)
    assert "Zwischenziel 2018" in " ".join(strict.explanation)


def test_missed_intermediate_target_is_reported():
    p = progress_compute([(2018, 110), (2019, 115)], target(intermediate=[(2018, 120)]))
    assert "Zwischenziel 2018: 120,00 – mit 110,00 verfehlt." in p.explanation


def test_zero_baseline_uses_open_sdg_substitute():
    p = progress_compute([(2016, 5)], target((2015, 0), (2020, 10)))
    assert p.status == Status.ON_TRACK


def _p(status, score):
    return Progress(status, score=score)


def test_rollup_average_and_weighted():
    on = Contribution("A", _p(Status.ON_TRACK, 4.0), weight=3)
    off = Contribution("B", _p(Status.OFF_TRACK, -4.0), weight=1)
    avg = progress_rollup([on, off], Rollup.AVERAGE)
    weighted = progress_rollup([on, off], Rollup.WEIGHTED)
    assert avg.score == 0 and avg.status == Status.MODERATE
    assert weighted.score == 2.0 and weighted.status == Status.MODERATE
    assert progress_rollup([Contribution("A", _p(Status.ON_TRACK, 4.0), 9), off], Rollup.WEIGHTED).status \
        == Status.ON_TRACK
    assert "gewichteter Mittelwert" in " ".join(weighted.explanation)


def test_rollup_achieved_only_when_all_achieved_and_missing_data_is_named():
    done = Contribution("A", _p(Status.ACHIEVED, 5.0))
    assert progress_rollup([done, done]).status == Status.ACHIEVED
    unknown = Contribution("Ziel 1.2", _p(Status.INSUFFICIENT, None))
    mixed = progress_rollup([done, unknown])
    assert mixed.status == Status.ON_TRACK
    assert "Ziel 1.2" in mixed.explanation[-1]
    assert progress_rollup([unknown]).status == Status.INSUFFICIENT
    assert progress_rollup([]).status == Status.INSUFFICIENT


def test_score_is_clipped_and_labels_are_german_text():
    assert score_from_ratio(10) == 5 and score_from_ratio(-10) == -5
    assert fmt(1234.5) == "1.234,50"
    p = progress_compute([(2018, 110)], target())
    assert p.label == "auf Kurs" and p.symbol and p.css == "ok"
