"""The demo: seed goals, KAoA fields, ~40 measures marked as demo, genuine overlaps found; twice = same."""

import pytest

from bildungskette.core.models import Tenant
from bildungskette.strategy import demo
from bildungskette.strategy.models import FieldOfAction, Goal, GoalIndicator, Measure, Programme, StrategyReview
from bildungskette.strategy.selectors import goal_forest, overlap_rows, period_current, synergy_hints


def _counts():
    return [m.objects.count() for m in (Goal, GoalIndicator, Measure, Programme, FieldOfAction, StrategyReview)]


@pytest.mark.django_db
def test_demo_content_overlaps_and_idempotency(strategy_demo):
    kassel = Tenant.objects.get(slug="olov-kassel")
    bochum = Tenant.objects.get(slug="bochum")
    period = period_current(kassel)
    assert period.name == "Regionale Strategie 2017–2020"
    titles = dict(Goal.objects.filter(period=period, parent=None).values_list("code", "title"))
    assert titles["1"] == "Professions- und institutionsübergreifende Vernetzung"
    assert titles["2"] == "Direkte Begegnungen zwischen Jugendlichen und Betrieben stärken"
    assert titles["3"] == "Gute Übergänge für alle"
    assert "Aufbrechen geschlechtstypischer Berufswahlmuster" in titles["4"]
    # Goals of the steering group are owned by it (so its members may read them).
    assert Goal.objects.get(period=period, code="1").body.name == "OloV-Steuerungsgruppe Region Kassel"

    bochum_fields = FieldOfAction.objects.filter(period=period_current(bochum))
    assert bochum_fields.count() == 4
    assert sorted(bochum_fields.filter(is_focus=True).values_list("name", flat=True)) == [
        "Attraktivität der dualen Ausbildung", "Übergangssystem – Systematisierung des Übergangs"]

    measures = Measure.objects.all()
    assert 35 <= measures.count() <= 45 and not measures.filter(is_demo=False).exists()
    levels = set(measures.exclude(programme=None).values_list("programme__funder_level", flat=True))
    assert {"land", "bund", "kommune"} <= levels

    # Indicators come from the monitoring where it has them: the real GENESIS table and the seed figures.
    from bildungskette.strategy.selectors import indicator_result

    hsa = indicator_result(GoalIndicator.objects.get(goal__period=period, goal__code="4.1"))
    assert hsa.goal_indicator.indicator.code == "quote-ohne-hsa" and hsa.series.origin == "monitoring"
    assert dict(hsa.series.points)[2023] == pytest.approx(165 / 1870 * 100)
    assert hsa.progress.status.value == "insufficient"  # one year of data only, honestly
    places = indicator_result(GoalIndicator.objects.get(goal__period=period, goal__code="2.1"))
    assert dict(places.series.points)[2019] == pytest.approx(1766 / 1630)
    assert places.series.synthetic_years == {2020, 2021}

    statuses = {n.progress.status.value for root in goal_forest(period) for n in root.walk()}
    assert {"on_track", "moderate", "off_track", "insufficient"} <= statuses

    flagged = {(r.measure_a.title, r.measure_b.title) for r in overlap_rows(kassel)}
    flagged = {tuple(sorted(pair)) for pair in flagged}
    assert tuple(sorted(("Azubi-Speed-Dating mit Betrieben der Region",
                         "Speed-Dating Ausbildung: Jugendliche treffen Betriebe"))) in flagged
    assert tuple(sorted(("Sprach- und Berufsorientierung für neu zugewanderte Jugendliche",
                         "Berufsorientierung und Sprachförderung in InteA-Klassen"))) in flagged
    assert tuple(sorted(("Bewerbungstraining und Ausbildungsplatzsuche in Kassel-Nord",
                         "Bewerbungscoaching für Jugendliche der Klassen 9 und 10 in Nord-Holland"))) in flagged
    involved = {t for pair in flagged for t in pair}
    # Same wording, but another target group (SGB II) or another area (Landkreis): not flagged.
    assert "Bewerbungstraining für junge Erwachsene im SGB II" not in involved
    assert "Azubi-Speed-Dating im Landkreis (Hofgeismar, Wolfhagen)" not in involved
    # Ended before the other started: not flagged.
    assert "Jugendberatung im Quartier Rothenditmold" not in involved
    bochum_flagged = {frozenset((r.measure_a.title, r.measure_b.title)) for r in overlap_rows(bochum)}
    assert frozenset(("Elternabende zur Berufsorientierung in Wattenscheid",
                      "Informationsabende für Eltern zur Berufs- und Studienorientierung in Wattenscheid")) \
        in bochum_flagged
    assert not any("Bochum-Nord" in title for pair in bochum_flagged for title in pair)
    row = next(r for r in overlap_rows(kassel) if "InteA" in r.measure_b.title or "InteA" in r.measure_a.title)
    assert any("Neu zugewanderte Jugendliche" in reason for reason in row.flag.reasons())

    # The measures serving Nord-Holland: its own, the city's and the OloV-Region's – not Waldau's or the Landkreis'.
    from bildungskette.regions.models import Region
    from bildungskette.strategy.selectors import measure_list

    nord = Region.objects.get(tenant=kassel, name="Nord-Holland")
    serving = set(measure_list(Measure.objects.filter(tenant=kassel), region=nord.pk).values_list("title", flat=True))
    assert {"Bewerbungscoaching für Jugendliche der Klassen 9 und 10 in Nord-Holland",
            "Übergangsmanagement an acht allgemeinbildenden Schulen",
            "Gemeinsame Maßnahmenübersicht der OloV-Region"} <= serving
    assert "Elternabende zur Berufswahl in Waldau und Bettenhausen" not in serving
    assert "Azubi-Speed-Dating im Landkreis (Hofgeismar, Wolfhagen)" not in serving

    hints = synergy_hints(kassel)
    assert any(str(h.land) == "OloV" and h.bund.funder_level == "bund" for h in hints)

    before = _counts()
    demo.demo_load()
    assert _counts() == before
