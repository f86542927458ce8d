"""axe-core (from the axe-playwright-python package) with moderate findings included, at the desktop
width and at 360 px, plus the check that no page scrolls sideways on a small phone.

``page_checked(page)`` asserts this for the page a test is on. ``PageAudit`` makes it systematic: the
``browser_page`` fixture installs it on every page of every browser context a test opens, so each
HTML page a browser test visits (by ``goto``, a click, a form submission …) is checked once the test
next touches the page, and the test fails at teardown with every finding. Each distinct page
(path with numbers generalised, plus its heading) is checked once per test session, which keeps the
run affordable on a small machine.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

REPORTED = {"moderate", "serious", "critical"}
WIDTHS = (1280, 360)
# For the failure message: block elements wider than the page or than their own box.
WIDE_ELEMENTS = (
    "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > "
    "document.documentElement.clientWidth || (e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1))"
    ".slice(0, 8).map(e => e.tagName + '.' + e.className)"
)
# Page methods after (or before) which a test sees a page: the audit runs there, in the test's own
# flow, never inside a Playwright event handler (which would race the test's next action).
SYNC_POINTS = (
    "goto", "reload", "go_back", "go_forward", "wait_for_load_state", "wait_for_url", "locator",
    "get_by_role", "get_by_label", "get_by_text", "get_by_placeholder", "get_by_title", "get_by_alt_text",
    "evaluate", "content", "title", "screenshot", "inner_text", "text_content", "click", "fill", "press",
    "check", "uncheck", "select_option", "query_selector", "query_selector_all",
)


AXE_TIMEOUT_MS = 45_000
# axe.run is started without awaiting it; its outcome lands in window.__axeOutcome. The wait below is
# Playwright's own, with a timeout, so an axe run that never settles fails the test instead of hanging
# the suite (page.evaluate of a promise has no timeout).
AXE_START = """(options) => {
    window.__axeOutcome = null;
    axe.run(document, options).then(
        (r) => { window.__axeOutcome = {violations: r.violations.map((v) => ({
            id: v.id, impact: v.impact, targets: v.nodes.slice(0, 3).map((n) => n.target)}))}; },
        (e) => { window.__axeOutcome = {error: String(e)}; });
}"""


class AxeTimeout(AssertionError):
    pass


def _axe_script() -> str:
    axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe()
    return axe.axe_script


def axe_findings(page) -> list:
    """axe-core findings (moderate, serious, critical) of the page as it is now.

    The page is brought to the front first: Chromium throttles timers and animation frames of a
    page in the background (a second user's context), where axe would never finish."""
    page.bring_to_front()
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_script())
    page.evaluate(AXE_START, {"resultTypes": ["violations"]})
    try:
        page.wait_for_function("() => window.__axeOutcome !== null", timeout=AXE_TIMEOUT_MS, polling=100)
    except Exception as error:  # playwright's TimeoutError
        if "Timeout" not in type(error).__name__:
            raise
        raise AxeTimeout(f"axe lief auf {page.url} länger als {AXE_TIMEOUT_MS // 1000} s") from error
    outcome = page.evaluate("() => window.__axeOutcome")
    if "error" in outcome:
        raise AssertionError(f"axe scheiterte auf {page.url}: {outcome['error']}")
    return [(v["id"], v["impact"], v["targets"]) for v in outcome["violations"] if v["impact"] in REPORTED]


def page_problems(page) -> dict:
    """axe findings per width and sideways scrolling at 360 px; restores the width."""
    original = page.viewport_size
    problems = {}
    try:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            findings = axe_findings(page)
            if findings:
                problems[width] = findings
            if width <= 400:
                overflow = page.evaluate("document.documentElement.scrollWidth")
                if overflow > width:
                    problems[f"{width}-scroll"] = (overflow, page.evaluate(WIDE_ELEMENTS))
    finally:
        if original and not page.is_closed():
            page.set_viewport_size(original)
    return problems


def page_checked(page) -> None:
    """Assert zero axe findings at every width and no sideways scrolling at 360 px; restores the width."""
    problems = page_problems(page)
    assert problems == {}, f"{page.url}: {problems}"


class _StillLoading(Exception):
    """The page is not (or no longer) the loaded document the audit began with."""


def _navigated(error: Exception) -> bool:
    text = str(error)
    return any(sign in text for sign in (
        "Execution context was destroyed", "navigation", "Target page, context or browser has been closed",
        "Cannot find context"))


class PageAudit:
    """Checks every HTML page of the live server that a test's pages load (see the module docstring)."""

    checked: set = set()  # per test session: (generalised path, heading)

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.findings: dict = {}
        self.pages_checked = 0
        self.copy_page = None

    def browser_watched(self, browser) -> None:
        """Every context the test opens on this browser (also a second user's) is watched."""
        new_context = browser.new_context

        def watched_context(*args, **kwargs):
            context = new_context(*args, **kwargs)
            context.javascript_disabled = kwargs.get("java_script_enabled") is False
            self.context_watched(context)
            return context

        browser.new_context = watched_context

    def context_watched(self, context) -> None:
        context.on("page", self.page_watched)

    def page_watched(self, page) -> None:
        if hasattr(page, "audit_pending"):
            return
        state = {"pending": False, "busy": False}
        page.on("load", lambda _page: state.update(pending=True))
        for name in SYNC_POINTS:
            method = getattr(page, name)

            def wrapped(*args, _method=method, _name=name, **kwargs):
                self._audit_if_pending(page, state)
                result = _method(*args, **kwargs)
                if _name in ("goto", "reload", "go_back", "go_forward", "wait_for_load_state", "wait_for_url"):
                    self._audit_if_pending(page, state)
                return result

            setattr(page, name, wrapped)
        page.audit_pending = lambda: self._audit_if_pending(page, state)

    def _audit_if_pending(self, page, state) -> None:
        if not state["pending"] or state["busy"] or page.is_closed():
            return
        state["busy"] = True
        try:
            self._audit(page)
            state["pending"] = False
        except _StillLoading:
            pass
        finally:
            state["busy"] = False

    def _audit(self, page) -> None:
        url = page.url
        if not url.startswith(self.base_url):
            return
        try:
            document = page.evaluate(
                "() => document.readyState === 'complete' ? [document.contentType, "
                "(document.querySelector('h1') || {}).textContent || ''] : null")
        except Exception as error:
            if not _navigated(error):
                raise
            return
        if document is None:  # still loading: the next sync point audits it
            raise _StillLoading
        content_type, heading = document
        if content_type != "text/html":
            return
        parts = urlsplit(url)
        key = (re.sub(r"\d+", "N", parts.path), " ".join(heading.split()))
        if key in PageAudit.checked:
            return
        try:
            if getattr(page.context, "javascript_disabled", False):
                problems = page_problems(self._copy_with_javascript(page))
            else:
                problems = page_problems(page)
        except Exception as error:
            if not _navigated(error):
                raise
            # The page went on (a script or a redirect) while axe ran: the page it went to is
            # audited at the next sync point; this one counts as not checked.
            raise _StillLoading from error
        PageAudit.checked.add(key)
        self.pages_checked += 1
        if problems:
            self.findings[url] = problems

    def _copy_with_javascript(self, page):
        """axe needs JavaScript (and timers) to run, so a page of a context without JavaScript is
        audited as a copy of its document, its scripts removed and its ``<noscript>`` shown, in a
        page of an unwatched context where scripts run; styles come from the live server as before."""
        html = page.content()
        html = re.sub(r"<script\b[^>]*>.*?</script>", "", html, flags=re.S | re.I)
        html = re.sub(r"<(/?)noscript\b", r"<\1div", html, flags=re.I)
        html = re.sub(r"<head([^>]*)>", lambda m: f'<head{m.group(1)}><base href="{page.url}">', html, count=1)
        if self.copy_page is None or self.copy_page.is_closed():
            browser = page.context.browser
            context = type(browser).new_context(browser, viewport=page.viewport_size, locale="de-DE")
            self.copy_page = context.new_page()
        self.copy_page.set_viewport_size(page.viewport_size)
        self.copy_page.set_content(html, wait_until="load")
        return self.copy_page

    def assert_clean(self) -> None:
        assert self.findings == {}, "axe (moderate+) / 360 px: " + "; ".join(
            f"{url}: {problems}" for url, problems in self.findings.items())
