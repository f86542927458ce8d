"""Passung pages with the Fulda demo: matrix, recruitment list and CSV, Messe allocation, permissions."""

import csv
import io

import pytest

from bildungskette.core.models import Role
from bildungskette.passung.models import Messe, MesseAssignment, OccupationGroup, PassungFigure
from bildungskette.passung.selectors import distance_km

pytestmark = pytest.mark.django_db


@pytest.fixture
def azubi(demo_data, client):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="fulda.azubi")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_demo_figures_are_synthetic_and_in_the_public_magnitude(demo_data):
    figures = PassungFigure.objects.filter(region__code="06631", year=2019)
    assert figures.count() == 12 and all(f.is_synthetic for f in figures)
    assert "SYNTHETISCHE" in figures[0].source
    places = sum(f.stellen for f in figures)
    applicants = sum(f.bewerber for f in figures)
    assert 2700 <= places <= 2950 and 1350 <= applicants <= 1650  # about 2,820 / 1,495
    messe = Messe.objects.get(title__startswith="Mobile Ausbildungsmesse")
    assert messe.companies.count() == 24 and messe.pupils.count() == 260 and messe.slots_per_pupil == 3
    assert messe.event is not None and messe.event.is_synthetic


def test_matrix_shows_group_with_indicators_and_synthetic_label(azubi):
    group = OccupationGroup.objects.get(name="klimarelevante Berufe im Handwerk")
    html = azubi.get(f"/passung/?gruppe={group.pk}").content.decode()
    assert "Synthetische Demodaten" in html
    assert "262 Energietechnik" in html and "342 Klempnerei" in html
    assert "Agentur für Arbeit Bad Hersfeld-Fulda" in html
    fig = PassungFigure.objects.get(region__code="aa-bad-hersfeld-fulda", kldb="262", year=2019)
    betr = fig.naa - fig.naa_ausserbetrieblich + fig.unbesetzt
    expected = f"{round(fig.unbesetzt * 100 / betr, 1):.1f}".replace(".", ",")
    assert expected in html


def test_kreis_level_has_counts_but_no_bibb_indicators(azubi):
    html = azubi.get("/passung/?ebene=kreis").content.decode()
    assert "Landkreis Fulda" in html or "Fulda" in html
    assert "kein Wert: neu abgeschlossene Ausbildungsverträge (NAA) fehlt" in html


def test_matrix_sorts_by_a_measure(azubi):
    group = OccupationGroup.objects.get(name="klimarelevante Berufe im Handwerk")
    html = azubi.get(f"/passung/?gruppe={group.pk}&sortierung=-bewerber").content.decode()
    figs = PassungFigure.objects.filter(region__code="aa-bad-hersfeld-fulda", kldb__in=group.kldb_codes, year=2019)
    order = [f.kldb for f in sorted(figs, key=lambda f: -f.bewerber)]
    positions = [html.index(f"<th scope=\"row\">{code} ") for code in order]
    assert positions == sorted(positions)
    assert 'aria-sort="descending"' in html


def test_recruitment_list_map_and_csv(azubi):
    group = OccupationGroup.objects.get(name="klimarelevante Berufe im Handwerk")
    html = azubi.get(f"/passung/rekrutierung/?gruppe={group.pk}").content.decode()
    assert "<svg" in html and "Agentur für Arbeit Frankfurt am Main" in html
    response = azubi.get(f"/passung/rekrutierung.csv?gruppe={group.pk}")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][0] == "Rang"
    assert any(r and r[0].startswith("# Quelle: SYNTHETISCHE") for r in rows)
    assert "Bad Hersfeld-Fulda" not in "".join(r[1] for r in rows[1:] if len(r) > 1)  # home is not a target


def test_distance_by_hand():
    # One degree along a meridian: 2π × 6371 / 360 = 111.195 km
    assert distance_km((50.0, 9.0), (51.0, 9.0)) == pytest.approx(111.195, abs=0.01)
    # Fulda (50.55, 9.68) → Frankfurt (50.11, 8.68), flat-earth by hand: north 0.44 × 111.195 = 48.93 km,
    # east 1.00 × cos(50.33°) × 111.195 = 0.6383 × 111.195 = 70.98 km; √(48.93² + 70.98²) = 86.2 km
    assert distance_km((50.55, 9.68), (50.11, 8.68)) == pytest.approx(86.2, abs=0.2)


def test_messe_allocation_runs_and_explains(azubi):
    messe = Messe.objects.get(title__startswith="Mobile Ausbildungsmesse")
    response = azubi.post(f"/passung/messen/{messe.pk}/zuteilen/")
    assert response.status_code == 302
    messe.refresh_from_db()
    assert MesseAssignment.objects.filter(messe=messe).count() == 260 * 3
    assert messe.summary["full_k"] == 260
    page = azubi.get(f"/passung/messen/{messe.pk}/")
    assert page["Cache-Control"].startswith("max-age=0") or "no-store" in page["Cache-Control"]
    html = page.content.decode()
    assert "Wünschen erfüllt" in html and "ausgebucht" in html


def test_other_roles_and_tenants_are_refused(demo_data, client, make_user, tenant):
    messe = Messe.objects.get(title__startswith="Mobile Ausbildungsmesse")
    outsider = make_user(role=Role.COORDINATION, tenant=tenant)
    client.force_login(outsider, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(f"/passung/messen/{messe.pk}/").status_code in (403, 404)
    assert client.post(f"/passung/messen/{messe.pk}/zuteilen/").status_code in (403, 404)
    assert not MesseAssignment.objects.filter(messe=messe).exists()


def test_group_save_checks_kldb_codes(azubi):
    response = azubi.post("/passung/gruppen/speichern/", {"name": "Pflege", "kldb": "813, 99999"}, follow=True)
    assert "Unbekannte KldB-2010-Schlüssel: 99999" in response.content.decode()
    assert not OccupationGroup.objects.filter(name="Pflege").exists()
    azubi.post("/passung/gruppen/speichern/", {"name": "Pflege", "kldb": "813; 821"})
    assert OccupationGroup.objects.get(name="Pflege").kldb_codes == ["813", "821"]


def test_csv_cells_cannot_start_a_formula(azubi):
    from bildungskette.regions.models import Region

    group = OccupationGroup.objects.get(name="klimarelevante Berufe im Handwerk")
    Region.objects.filter(name="Agentur für Arbeit Frankfurt am Main").update(name='=HYPERLINK("x")')
    text = azubi.get(f"/passung/rekrutierung.csv?gruppe={group.pk}").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    names = [r[1] for r in rows[1:] if len(r) > 1]
    assert "'=HYPERLINK(\"x\")" in names and '=HYPERLINK("x")' not in names
