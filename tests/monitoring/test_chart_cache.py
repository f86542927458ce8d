"""Charts off the request path: rendered once per (spec, data), kept in the shared chart cache,
re-rendered only where an import changed the data, used by the PDF, pre-rendered after imports."""

from __future__ import annotations

import re

import pytest
from django.core.cache import caches

from bildungskette.core import charts
from bildungskette.monitoring.importers import import_file

from .conftest import GENESIS

PAGE_LEAVERS = "/monitoring/indikatoren/quote-ohne-hsa/?gebiet=06611"  # reads the GENESIS leavers table
PAGE_STELLEN = "/monitoring/indikatoren/stellen-je-bewerber/?gebiet=06611"  # reads the BA seed figures only


@pytest.fixture
def renders(monkeypatch):
    """Counts what vl-convert draws; each test starts like a fresh process with an empty chart cache."""
    drawn = []
    real = charts.vl_convert.vegalite_to_svg

    def counting(spec, **kwargs):
        drawn.append(spec)
        return real(spec, **kwargs)

    monkeypatch.setattr(charts.vl_convert, "vegalite_to_svg", counting)
    charts._render.cache_clear()
    caches[charts.CHART_CACHE_ALIAS].clear()
    yield drawn
    charts._render.cache_clear()


def _other_process() -> None:
    """A second app process: its own (empty) in-process LRU, the same persistent cache."""
    charts._render.cache_clear()


def _svgs(html: str) -> list[str]:
    return re.findall(r"<svg role=\"img\".*?</svg>", html, flags=re.S)


def _leavers_revised(tmp_path):
    """The leavers table with Kassel's 2023 total raised by 100: a revised official table."""
    text = (GENESIS / "21111-02-06-4.csv").read_text(encoding="latin-1")
    line = next(row for row in text.splitlines() if row.startswith("2023;06611;"))
    cells = line.split(";")
    cells[3] = str(int(cells[3]) + 100)
    changed = tmp_path / "21111-02-06-4.csv"
    changed.write_text(text.replace(line, ";".join(cells)), encoding="latin-1")
    return changed


@pytest.fixture
def data(leavers, kassel_seed):
    from bildungskette.monitoring.models import Indicator

    assert Indicator.objects.filter(code="stellen-je-bewerber").exists()


@pytest.mark.django_db
def test_a_chart_is_drawn_once_and_served_from_the_shared_cache_in_another_process(client, data, renders):
    first = client.get(PAGE_LEAVERS).content.decode()
    assert len(renders) == 2  # series and comparison
    _other_process()
    second = client.get(PAGE_LEAVERS).content.decode()
    assert len(renders) == 2  # nothing drawn again: both charts came from the database cache
    assert _svgs(first) and _svgs(first) == _svgs(second)


@pytest.mark.django_db
def test_the_lru_in_front_answers_without_touching_the_database(data, renders, django_assert_num_queries):
    spec = {"mark": "bar", "data": {"values": [{"a": "x", "b": 1}]},
            "encoding": {"x": {"field": "a", "type": "nominal"}, "y": {"field": "b", "type": "quantitative"}}}
    svg = charts.chart_svg(spec, title="T")
    with django_assert_num_queries(0):
        assert charts.chart_svg(spec, title="T") == svg
    _other_process()
    with django_assert_num_queries(1):
        assert charts.chart_svg(spec, title="T") == svg
    assert len(renders) == 1


@pytest.mark.django_db
def test_an_import_redraws_only_the_charts_whose_data_it_changed(client, data, renders, tmp_path):
    client.get(PAGE_LEAVERS)
    client.get(PAGE_STELLEN)
    before = len(renders)
    assert before == 4
    report = import_file(_leavers_revised(tmp_path), fmt="genesis")
    assert report.updated >= 1

    _other_process()
    client.get(PAGE_STELLEN)
    assert len(renders) == before  # the BA figures did not change: both charts still cached
    page = client.get(PAGE_LEAVERS).content.decode()
    assert len(renders) == before + 2  # the leavers' series and comparison are drawn anew
    assert "<svg" in page


@pytest.mark.django_db
def test_the_pdf_uses_the_chart_the_page_put_into_the_cache(client, data, renders):
    client.get("/monitoring/datenblatt/06611/")
    assert len(renders) == 1
    _other_process()
    pdf = client.get("/monitoring/datenblatt/06611/?format=pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert len(renders) == 1


@pytest.mark.django_db
def test_a_page_renders_its_charts_when_the_cache_is_empty(client, data, renders):
    response = client.get(PAGE_LEAVERS)
    html = response.content.decode()
    assert response.status_code == 200
    assert len(_svgs(html)) == 2 and 'role="img"' in html
    assert "Zeitreihe" in html


@pytest.mark.django_db
def test_after_an_import_the_changed_indicator_pages_and_datasheets_are_drawn_in_the_background(
    client, data, renders, settings, django_capture_on_commit_callbacks, tmp_path
):
    settings.CHARTS_PRERENDER = True
    with django_capture_on_commit_callbacks(execute=True):
        import_file(_leavers_revised(tmp_path), fmt="genesis")
    assert renders, "the import queued no pre-rendering"
    drawn = len(renders)
    _other_process()
    # Germany is the public default region: its page comes from the cache without drawing.
    client.get("/monitoring/indikatoren/quote-ohne-hsa/")
    client.get("/monitoring/datenblatt/")
    assert len(renders) == drawn
    # A region nobody opens by default is not pre-rendered: it is drawn on the first visit.
    client.get(PAGE_LEAVERS)
    assert len(renders) > drawn
