"""The demo: a Kassel draft from the real tables and seed figures, one published short report."""

import pytest

from bildungskette.core.models import User
from bildungskette.reports.models import Report, Status


@pytest.mark.django_db
def test_demo_reports(demo_data, client, client_as):
    draft = Report.objects.get(slug="bildungsbericht-stadt-kassel")
    assert draft.status == Status.DRAFT and draft.chapters.count() == 9 and draft.region.code == "06611"
    short = Report.objects.get(slug="kurzbericht-uebergang-schule-beruf-kassel")
    assert short.status == Status.PUBLISHED and short.versions.count() == 1
    snapshot = short.versions.get().snapshot
    # Marked synthetic exactly when a figure comes from a synthetic source (its line says so).
    lines = [line for c in snapshot["chapters"] for b in c["blocks"] for line in b.get("sources", [])]
    assert snapshot["has_synthetic"] == any(line.startswith("SYNTHETISCHE DATEN") for line in lines)
    sheet = next(b for c in snapshot["chapters"] for b in c["blocks"] if b.get("section") == "Übergänge (iABE)")
    # Seed 000 (Kassel, iABE 2018): Übergangsbereich 15.4 %, unbekannt 12.6 %.
    values = {r["key"]: r["display"] for r in sheet["rows"]}
    assert values["iabe-uebergangsbereich"] == "15,4" and values["iabe-unbekannt"] == "12,6"

    listing = client.get("/berichte/").content.decode()
    assert "Kurzbericht Übergang Schule–Beruf" in listing and "Bildungsbericht Stadt Kassel" not in listing
    public = client.get(f"/berichte/{short.slug}/").content.decode()
    assert ("Enthält synthetische Teile" in public) == snapshot["has_synthetic"] and "Demo-Text" in public
    assert client.get(f"/berichte/{draft.slug}/").status_code == 404
    editor = client_as(User.objects.get(username="kassel.monitoring")).get(f"/berichte/bearbeiten/{draft.pk}/")
    assert editor.status_code == 200 and "Quote der Abgänger*innen ohne Hauptschulabschluss" in editor.content.decode()


@pytest.mark.django_db
def test_demo_draft_has_the_synthetic_stadtteil_map_goals_and_network(demo_data, client_as):
    from bildungskette.reports.selectors import report_snapshot

    draft = Report.objects.get(slug="bildungsbericht-stadt-kassel")
    blocks = {b["kind"]: b for c in report_snapshot(draft)["chapters"] for b in c["blocks"]}
    assert {"choropleth", "goals", "network"} <= set(blocks)
    stadtteile = blocks["choropleth"]
    assert len(stadtteile["rows"]) == 23 and len(stadtteile["map"]["features"]) == 23
    assert stadtteile["synthetic"] and stadtteile["sources"][0].startswith("SYNTHETISCHE DATEN")
    html = client_as(User.objects.get(username="kassel.monitoring")).get(
        f"/berichte/bearbeiten/{draft.pk}/").content.decode()
    assert "Sozialindex nach Stadtteilen" in html and "Bildungsnetzwerk in Zahlen" in html
    assert "Stand der Ziele" in html
