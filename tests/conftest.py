"""Shared test fixtures.

- The official regions (401 Kreise with boundaries, 76 former Kreise, 11,002 Gemeinden with names) are
  imported once per test session from the package data (bildungskette/data) through the product's own
  importer; every test sees them.
- ``make_user(role=..., tenant=..., organisation=...)`` creates accounts with roles.
- ``demo_data`` gives a test the whole demo. It is loaded once per session, committed, when the
  first test asks for it; tests that use it run after all others (so those see an empty
  database apart from the regions) and each runs in a transaction that is rolled back.
- Browser tests (marker ``browser``) run last. Their live server shares the test's database
  connection (like Django does for in-memory SQLite, here also for PostgreSQL), so they see the
  demo and their own test data without transactional tests and without reloading anything.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import WSGIServer
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connections
from django.test.testcases import LiveServerThread, QuietWSGIRequestHandler, _MediaFilesHandler

from tests.browser.accessibility import PageAudit

CHROMIUM = os.environ.get("BILDUNGSKETTE_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


def pytest_collection_modifyitems(config, items):
    for item in items:  # a test that opens a browser is a browser test, marked or not
        if "browser_page" in getattr(item, "fixturenames", ()) and not item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.browser)

    def group(item) -> int:
        if item.get_closest_marker("browser"):
            return 2
        return 1 if "demo_data" in getattr(item, "fixturenames", ()) else 0

    items[:] = sorted(items, key=group)  # stable: keeps pytest-django's order within each group


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI (CI=true) a skipped test is a failed test: a browser or accessibility (axe) test that
    silently skips because Chromium or Playwright is missing would otherwise pass the run.
    Locally the skip stays a skip, with its message saying what to install."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and os.environ.get("CI", "").lower() in ("true", "1") and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"In CI darf kein Test übersprungen werden (CI=true): {reason}"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from bildungskette.regions.importers import regions_import
    from bildungskette.regions.models import Region

    with django_db_blocker.unblock():
        # A kept test database (--reuse-db, used by make mutation) has them already.
        if not Region.objects.filter(kind="gemeinde").exists():
            regions_import(settings.DATA_DIR)
    yield


@pytest.fixture
def tenant_factory(db):
    from bildungskette.core.services import tenant_ensure

    def make(slug="kassel", name=None, **fields):
        return tenant_ensure(slug=slug, name=name or slug.title(), **fields)

    return make


@pytest.fixture
def tenant(tenant_factory):
    return tenant_factory("olov-kassel", "OloV-Region Kassel", land_code="06")


@pytest.fixture
def other_tenant(tenant_factory):
    return tenant_factory("bochum", "Stadt Bochum", land_code="05")


@pytest.fixture
def make_user(db):
    from bildungskette.core.services import role_assign, user_ensure

    counter = {"n": 0}

    def make(role=None, tenant=None, organisation=None, username=None, password="Test-Passwort-1"):  # noqa: S107
        counter["n"] += 1
        user = user_ensure(username=username or f"user{counter['n']}", password=password,
                           display_name=f"Testperson {counter['n']}")
        if role:
            role_assign(user=user, tenant=tenant, role=role, organisation=organisation)
        return user

    return make


@pytest.fixture
def client_as(client):
    """Log a user in on the Django test client: ``client_as(user)``."""

    def login(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return login


def _demo_load() -> None:
    from django.core.management import call_command

    call_command("load-demo", "--quiet-logins", verbosity=0)


def _demo_present() -> bool:
    from bildungskette.core.models import Tenant
    from bildungskette.regions.models import Region

    return Tenant.objects.filter(slug="olov-kassel").exists() and Region.objects.filter(code="06611").exists()


@pytest.fixture(scope="session")
def _demo_committed(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _demo_load()


@pytest.fixture
def demo_data(_demo_committed, db):
    """The whole demo (regions, schools, tenants, accounts and whatever the apps add).

    A transactional test earlier in the run empties the database afterwards; then the demo is
    loaded again for this test.
    """
    if not _demo_present():
        _demo_load()


class _SerialServer(WSGIServer):
    """One request at a time: the test and the server share one database connection."""


class _SharedConnectionServerThread(LiveServerThread):
    def _create_server(self, connections_override=None):
        return _SerialServer((self.host, self.port), QuietWSGIRequestHandler, allow_reuse_address=False)

    def run(self):
        # As LiveServerThread.run, but the shared connection must stay open afterwards.
        for alias, conn in (self.connections_override or {}).items():
            connections[alias] = conn
        try:
            handler = self.static_handler(_MediaFilesHandler(WSGIHandler()))
            self.httpd = self._create_server()
            if self.port == 0:
                self.port = self.httpd.server_address[1]
            self.httpd.set_app(handler)
            self.is_ready.set()
            self.httpd.serve_forever()
        except Exception as exc:  # reported to the test by the fixture
            self.error = exc
            self.is_ready.set()


@pytest.fixture
def shared_live_server(db):
    """A live server on the test's own connection: it sees uncommitted test data; rollback cleans up."""
    conn = connections["default"]
    conn.inc_thread_sharing()
    # Playwright's sync API runs on greenlets, whose context variables would hide the test's
    # connection from the test body (Django keeps connections in context-local storage); plain
    # thread-local storage keeps one connection per thread for the duration of the test.
    saved_storage = connections._connections
    connections._connections = threading.local()
    connections["default"] = conn
    # As Django's test client does: a request must not close the test's connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    thread = _SharedConnectionServerThread("localhost", StaticFilesHandler, connections_override={"default": conn})
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    try:
        if thread.error:
            raise thread.error
        yield f"http://localhost:{thread.port}"
    finally:
        thread.terminate()
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        connections._connections = saved_storage
        conn.dec_thread_sharing()


@pytest.fixture
def browser_page(shared_live_server):
    """A Playwright page in Debian's Chromium; skipped with a clear message where it is missing.

    Every HTML page it (or any other page the test opens) visits is checked with axe (moderate
    findings included) at 1280 and 360 px, and for sideways scrolling at 360 px
    (tests/browser/accessibility.py, PageAudit); findings fail the test at teardown. An axe run
    that does not finish within AXE_TIMEOUT_MS fails the test instead of hanging the suite, and
    background pages are neither throttled nor left behind (they are brought to the front)."""
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        pytest.skip(f"Browsertest übersprungen: Chromium fehlt unter {CHROMIUM} (apt-get install chromium).")
    playwright_api = pytest.importorskip("playwright.sync_api")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-background-timer-throttling", "--disable-backgrounding-occluded-windows",
                  "--disable-renderer-backgrounding"],
        )
        audit = PageAudit(shared_live_server)
        audit.browser_watched(browser)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
        page = context.new_page()
        audit.page_watched(page)
        page.base_url = shared_live_server
        yield page
        for open_page in [p for c in browser.contexts for p in c.pages]:
            if hasattr(open_page, "audit_pending"):
                open_page.audit_pending()
        context.close()
        browser.close()
        audit.assert_clean()


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str, full_page: bool = True) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take


def browser_login(page, username: str, password: str) -> None:
    page.goto(page.base_url + "/anmelden/")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").last.click()
    page.wait_for_load_state()


def rejection_problems(call, match: str) -> list[tuple]:
    """Run an import that must be refused; its problems as (line, column, message), the first matching ``match``."""
    from bildungskette.core.importing import ImportRejected

    with pytest.raises(ImportRejected, match=match) as exc:
        call()
    return [(p.line, p.column, p.message) for p in exc.value.problems]
