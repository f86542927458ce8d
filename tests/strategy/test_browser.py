"""In the browser: a coordinator links an indicator with baseline and target to a goal, sees the computed
status with its explanation, the parent goal's status changes; the review produces the committee PDF."""

import io

import pytest

from tests.conftest import SCREENSHOTS, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def _serious(page) -> list:
    """Serious and critical accessibility violations found by axe-core (axe-playwright-python)."""
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    results = axe_module.Axe().run(page)
    return [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]
            if v["impact"] in {"serious", "critical"}]


def _status(page, selector: str) -> str:
    return page.locator(selector).inner_text().strip()


def test_coordinator_links_indicator_and_review_produces_pdf(strategy_demo_live, browser_page, screenshot):
    from bildungskette.strategy.models import Goal, StrategyReview

    page = browser_page
    goal = Goal.objects.get(period__name="Regionale Strategie 2017–2020", code="1.2")
    review = StrategyReview.objects.get(title__startswith="Zwischenbilanz 2019")
    browser_login(page, "kassel.koordination", "Bildung-2026")

    page.goto(f"{page.base_url}/strategie/")
    page.get_by_role("link", name="Strategie", exact=True).first.wait_for()
    assert "Regionale Strategie 2017–2020" in page.content()
    assert not _serious(page), _serious(page)
    screenshot(page, "strategy-goals")

    page.goto(f"{page.base_url}/strategie/ziele/{goal.pk}/")
    assert "Daten reichen nicht aus" in _status(page, "#goal-status")
    parent_before = _status(page, "#parent-status")
    assert "auf Kurs" in parent_before

    page.get_by_role("link", name="Indikator verknüpfen").click()
    page.get_by_label("Bezeichnung").fill("Zielvereinbarungen mit datenbasierten Zielwerten")
    page.get_by_label("Einheit").fill("Anzahl")
    page.get_by_label("Ausgangsjahr").fill("2017")
    page.get_by_label("Ausgangswert").fill("2")
    page.get_by_label("Zieljahr").fill("2020")
    page.get_by_label("Zielwert").fill("10")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_load_state()
    assert "Indikator mit Ausgangs- und Zielwert verknüpft." in page.content()

    page.get_by_text("Indikator bearbeiten oder eigenen Wert erfassen").click()
    page.fill("#id_year", "2019")
    page.fill("#id_value", "3")
    page.fill("#id_source", "Protokoll der Steuerungsgruppe (Demo)")
    page.get_by_role("button", name="Wert speichern").click()
    page.wait_for_load_state()

    status = _status(page, "#goal-status")
    explanation = _status(page, "#goal-explanation")
    assert "nicht auf Kurs" in status
    assert "Ausgangswert 2017: 2,00; Zielwert 2020: 10,00" in explanation
    assert "Verhältnis beobachtet zu erforderlich" in explanation
    parent_after = _status(page, "#parent-status")
    assert parent_after != parent_before and "mäßiger Fortschritt" in parent_after
    assert not _serious(page), _serious(page)
    screenshot(page, "strategy-goal-status")

    page.goto(f"{page.base_url}/strategie/ziele/{goal.parent_id}/")
    assert "Ziel 1.2: nicht auf Kurs" in _status(page, "#goal-explanation")

    page.goto(f"{page.base_url}/strategie/ueberschneidungen/")
    assert "Gleiche Zielgruppe" in page.content()
    assert not _serious(page), _serious(page)
    screenshot(page, "strategy-overlaps")
    page.goto(f"{page.base_url}/strategie/landschaft/")
    assert not _serious(page), _serious(page)
    screenshot(page, "strategy-landscape")

    page.goto(f"{page.base_url}/strategie/synergien/")
    assert "OloV" in page.content()
    assert not _serious(page), _serious(page)
    screenshot(page, "strategy-synergies")
    page.goto(f"{page.base_url}/strategie/zielvereinbarungen/")
    page.get_by_role("link", name="Regionale Zielvereinbarung OloV Region Kassel 2017–2020").click()
    page.wait_for_load_state()
    assert "Fortschrittsbericht aus den Daten" in page.content()
    assert not _serious(page), _serious(page)
    screenshot(page, "strategy-agreement")

    page.goto(f"{page.base_url}/strategie/klausuren/{review.pk}/ziel/1/")
    page.get_by_label("Begründung").fill("Vernetzung gut, datenbasierte Zielvereinbarungen fehlen noch.")
    page.get_by_role("combobox", name="Einschätzung der Runde").select_option("moderate")
    page.get_by_role("button", name="Speichern und weiter").click()
    page.wait_for_load_state()
    assert "Ziel 2 von" in page.content()
    assert not _serious(page), _serious(page)
    screenshot(page, "strategy-review-step")

    page.goto(f"{page.base_url}/strategie/klausuren/{review.pk}/bericht/")
    assert "Vernetzung gut" in page.content()
    assert not _serious(page), _serious(page)
    screenshot(page, "strategy-report-html")
    href = page.get_by_role("link", name="Als PDF herunterladen").get_attribute("href")
    response = page.request.get(page.base_url + href)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    import pypdfium2

    pdf = pypdfium2.PdfDocument(io.BytesIO(response.body()))
    first = pdf[0]
    assert "Zwischenbilanz 2019" in first.get_textpage().get_text_range()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    first.render(scale=1.5).to_pil().save(SCREENSHOTS / "strategy-report.png")
    assert len(pdf) >= 2
