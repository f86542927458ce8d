"""axe-core (from the axe-playwright-python package) with moderate findings included, at the desktop
width and at 360 px, plus the check that no page scrolls sideways on a small phone."""

from __future__ import annotations

import pytest

REPORTED = {"moderate", "serious", "critical"}
WIDTHS = (1280, 360)
# For the failure message: block elements wider than the page or than their own box.
WIDE_ELEMENTS = (
    "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > "
    "document.documentElement.clientWidth || (e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1))"
    ".slice(0, 8).map(e => e.tagName + '.' + e.className)"
)


def axe_findings(page) -> list:
    axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe()
    violations = axe.run(page).response["violations"]
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations
            if v["impact"] in REPORTED]


def page_checked(page) -> None:
    """Assert zero axe findings at every width and no sideways scrolling at 360 px; restores the width."""
    original = page.viewport_size
    problems = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        findings = axe_findings(page)
        if findings:
            problems[width] = findings
        if width <= 400:
            overflow = page.evaluate("document.documentElement.scrollWidth")
            if overflow > width:
                problems[f"{width}-scroll"] = (overflow, page.evaluate(WIDE_ELEMENTS))
    page.set_viewport_size(original)
    assert problems == {}, f"{page.url}: {problems}"
