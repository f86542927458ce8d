"""The overlap finder on plain facts: what it flags, what it does not, and how it explains."""

import datetime

from bildungskette.strategy.overlap import (
    MeasureFacts,
    cosine,
    overlaps_find,
    periods_overlap,
    profiles_build,
    shared_terms,
    words_normalise,
)

D = datetime.date
START = D(2019, 1, 1)
# Area ids: 1 Hessen, 2 Stadt Kassel (in 1), 3 Landkreis Kassel (in 1), 4 Nord-Holland (in 2), 5 Waldau (in 2)
PATHS = {1: {1}, 2: {2, 1}, 3: {3, 1}, 4: {4, 2, 1}, 5: {5, 2, 1}}
NAMES = {1: "Hessen", 2: "Kassel", 3: "Landkreis Kassel", 4: "Nord-Holland", 5: "Waldau"}
TEXT_A = ("Bewerbungstraining und Unterstützung bei der Ausbildungsplatzsuche für Schülerinnen und Schüler der "
          "Jahrgänge 9 und 10.")
TEXT_B = ("Bewerbungscoaching und Unterstützung bei der Suche nach einem Ausbildungsplatz für Schüler*innen der "
          "Klassen 9 und 10.")
TEXT_OTHER = "Ausbildungsbegleitung von Auszubildenden in Betrieb und Berufsschule gegen Vertragslösungen."


def facts(mid, text=TEXT_A, groups=(1,), areas=(2,), start=START, end=None, orgs=None, goals=None):
    return MeasureFacts(
        id=mid, title=text[:40], text=text, target_groups={g: f"Gruppe {g}" for g in groups},
        areas=[(a, NAMES[a], frozenset(PATHS[a])) for a in areas], start=start, end=end,
        organisations=orgs or {}, goals=goals or {},
    )


def test_german_normalisation_folds_umlauts_and_drops_stop_words():
    assert words_normalise("Übergänge für Schüler*innen und Ausbildungsplätze") == [
        "uebergaenge", "schueler", "ausbildungsplaetze"]


def test_trigrams_see_compounds_as_related():
    a, b, c = profiles_build(["Berufsorientierung an Schulen", "Berufsorientierungstage an Schulen",
                              "Sprachkurse für Erwachsene"])
    assert cosine(a, b) > 0.6
    assert cosine(a, c) < 0.1
    assert "berufsorientierung" in shared_terms(a.words, b.words)


def test_shared_terms_join_inflected_forms():
    terms = shared_terms(words_normalise("Jugendliche treffen Betriebe der Region"),
                         words_normalise("Speed-Dating mit Betrieben für Jugendlichen"))
    assert "betriebe" in terms and "jugendliche" in terms
    assert "betrieben" not in terms and "jugendlichen" not in terms


def test_period_overlap_with_open_ends():
    assert periods_overlap(D(2019, 1, 1), None, D(2020, 1, 1), D(2021, 1, 1))[0]
    assert not periods_overlap(D(2015, 1, 1), D(2018, 12, 31), D(2019, 1, 1), None)[0]
    assert periods_overlap(None, None, None, None) == (True, None, None)


def test_flags_similar_measures_with_same_group_area_and_period_and_explains_why():
    flags = overlaps_find([facts(1, TEXT_A, areas=(2,)), facts(2, TEXT_B, areas=(4,), start=D(2020, 2, 1),
                                                              orgs={7: "Agentur"}, goals={9: "3.1"}),
                           facts(3, TEXT_OTHER)])
    assert [f.key for f in flags] == [(1, 2)]
    reasons = " ".join(flags[0].reasons())
    assert "Gleiche Zielgruppe: Gruppe 1" in reasons
    assert "Nord-Holland liegt in Kassel" in reasons
    assert "ab 02/2020" in reasons
    assert "ausbildungsplatz" in reasons and "Ähnlichkeit" in reasons


def test_does_not_flag_a_different_target_group():
    assert overlaps_find([facts(1, TEXT_A, groups=(1,)), facts(2, TEXT_A, groups=(2,))]) == []


def test_does_not_flag_a_different_region():
    # Same text, same group, but Stadt and Landkreis Kassel are neighbours, not nested.
    assert overlaps_find([facts(1, TEXT_A, areas=(2,)), facts(2, TEXT_A, areas=(3,))]) == []
    # Two Stadtteile of the same city do not overlap either.
    assert overlaps_find([facts(1, TEXT_A, areas=(4,)), facts(2, TEXT_A, areas=(5,))]) == []


def test_does_not_flag_measures_that_ran_at_different_times():
    assert overlaps_find([facts(1, TEXT_A, start=D(2015, 1, 1), end=D(2018, 12, 31)),
                          facts(2, TEXT_A, start=D(2019, 1, 1))]) == []


def test_does_not_flag_dissimilar_texts_and_threshold_is_configurable():
    pair = [facts(1, TEXT_A), facts(2, TEXT_OTHER)]
    assert overlaps_find(pair) == []
    assert len(overlaps_find(pair, threshold=0.0)) == 1


def test_measure_without_area_counts_as_whole_area():
    flags = overlaps_find([facts(1, TEXT_A, areas=()), facts(2, TEXT_B, areas=(4,))])
    assert len(flags) == 1
    assert "gesamte Gebiet" in flags[0].areas[0]
