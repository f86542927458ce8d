"""The automatic audit of browser tests must find what it is there to find, and must not hang.

Pages are served by Playwright's router under an address of their own (http://audit.test), so the
audit of the ``browser_page`` fixture (which checks only the live server's pages) leaves them alone."""


import pytest

from tests.browser import accessibility
from tests.browser.accessibility import AxeTimeout, PageAudit, axe_findings

pytestmark = [pytest.mark.browser]

CLEAN = ("<!doctype html><html lang='de'><head><title>Sauber</title></head><body><main>"
         "<h1>Sauber</h1><h2>Abschnitt</h2><p>Text</p></main></body></html>")
# heading-order (moderate): h1 followed by h4; region (moderate): text outside every landmark.
MODERATE = ("<!doctype html><html lang='de'><head><title>Mäßig</title></head><body>"
            "<main><h1>Mäßig</h1><h4>Zu tief</h4></main><p>Außerhalb jeder Landmarke</p></body></html>")
# The page's own "axe" never settles, like an axe run in a throttled background page.
STUCK = ("<!doctype html><html lang='de'><head><title>Hängt</title>"
         "<script>window.axe = {run: () => new Promise(() => {})};</script></head><body><main>"
         "<h1>Hängt</h1></main></body></html>")
WIDE = ("<!doctype html><html lang='de'><head><title>Breit</title>"
        "<meta name='viewport' content='width=device-width'></head><body><main>"
        "<h1>Breit</h1><div style='width:600px'>breit</div></main></body></html>")
PAGES = {"/sauber": CLEAN, "/maessig": MODERATE, "/haengt": STUCK, "/breit": WIDE}


@pytest.fixture
def audit_page(browser_page):
    """A page of the fixture's browser whose requests to http://audit.test are answered from PAGES."""
    page = browser_page

    def answer(route):
        path = route.request.url.removeprefix("http://audit.test")
        route.fulfill(status=200, content_type="text/html", body=PAGES[path])

    page.route("http://audit.test/**", answer)
    return page


def test_axe_reports_moderate_findings_and_nothing_on_a_clean_page(audit_page):
    audit_page.goto("http://audit.test/sauber")
    assert axe_findings(audit_page) == []
    audit_page.goto("http://audit.test/maessig")
    found = {rule for rule, impact, _targets in axe_findings(audit_page)}
    assert {"heading-order", "region"} <= found


def test_an_axe_run_that_never_finishes_fails_instead_of_hanging(audit_page, monkeypatch):
    monkeypatch.setattr(accessibility, "AXE_TIMEOUT_MS", 1500)
    audit_page.goto("http://audit.test/haengt")
    with pytest.raises(AxeTimeout, match=r"axe lief auf http://audit\.test/haengt länger als 1 s"):
        axe_findings(audit_page)


def test_the_page_audit_checks_every_visited_page_at_both_widths_once(audit_page, monkeypatch):
    monkeypatch.setattr(PageAudit, "checked", set())  # the session's record of checked pages
    page = audit_page
    audit = PageAudit("http://audit.test")
    browser = page.context.browser
    # A context of its own that the fixture's audit does not watch (its new_context is wrapped).
    context = type(browser).new_context(browser, viewport={"width": 1280, "height": 900})
    second = context.new_page()
    second.route("http://audit.test/**", lambda route: route.fulfill(
        status=200, content_type="text/html", body=PAGES[route.request.url.removeprefix("http://audit.test")]))
    audit.page_watched(second)
    for path in ("/sauber", "/maessig", "/breit", "/sauber"):
        second.goto("http://audit.test" + path)
    second.title()  # a sync point after the last load
    assert audit.pages_checked == 3  # /sauber only once
    assert set(audit.findings) == {"http://audit.test/maessig", "http://audit.test/breit"}
    moderate = audit.findings["http://audit.test/maessig"]
    assert set(moderate) == {1280, 360}
    assert "heading-order" in {rule for rule, _impact, _targets in moderate[1280]}
    assert audit.findings["http://audit.test/breit"] == {"360-scroll": (608, ["MAIN.", "DIV."])}
    with pytest.raises(AssertionError, match="axe \\(moderate\\+\\) / 360 px: http://audit.test/maessig"):
        audit.assert_clean()
    context.close()


def test_a_page_without_javascript_is_audited_as_a_copy_where_axe_can_run(audit_page, monkeypatch):
    """Without JavaScript axe's timers never fire (that hung the suite): the audit checks a copy."""
    monkeypatch.setattr(PageAudit, "checked", set())
    page = audit_page
    audit = PageAudit("http://audit.test")
    browser = page.context.browser
    context = type(browser).new_context(browser, java_script_enabled=False, viewport={"width": 1280, "height": 900})
    context.javascript_disabled = True  # what the fixture's watched new_context records
    no_js = context.new_page()
    no_js.route("http://audit.test/**", lambda route: route.fulfill(
        status=200, content_type="text/html", body=PAGES[route.request.url.removeprefix("http://audit.test")]))
    audit.page_watched(no_js)
    no_js.goto("http://audit.test/maessig")
    no_js.title()
    assert audit.pages_checked == 1
    assert "heading-order" in {rule for rule, _impact, _targets in audit.findings["http://audit.test/maessig"][1280]}
    context.close()
