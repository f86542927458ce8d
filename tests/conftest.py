"""Shared test fixtures.

- The official regions (401 Kreise, 11,014 Gemeinden) are imported once per test session from
  ../shared/data through the product's own importer; every test sees them.
- ``make_user(role=..., tenant=..., organisation=...)`` creates accounts with roles.
- Browser tests (marker ``browser``) run last, because their live server needs transactional
  tests, which empty the database afterwards; they reload what they need with ``demo_data``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = os.environ.get("BILDUNGSKETTE_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


def pytest_collection_modifyitems(config, items):
    browser = [i for i in items if i.get_closest_marker("browser")]
    others = [i for i in items if not i.get_closest_marker("browser")]
    items[:] = others + browser


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from bildungskette.regions.importers import regions_import

    with django_db_blocker.unblock():
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


@pytest.fixture
def demo_data(transactional_db):
    """The whole demo (regions, schools, tenants, accounts and whatever the apps add)."""
    from django.core.management import call_command

    call_command("load-demo", "--quiet-logins", verbosity=0)


@pytest.fixture
def browser_page(live_server):
    """A Playwright page in Debian's Chromium; skipped with a clear message where it is missing."""
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        pytest.skip(f"Browsertest übersprungen: Chromium fehlt unter {CHROMIUM} (apt-get install chromium).")
    playwright_api = pytest.importorskip("playwright.sync_api")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
        page = context.new_page()
        page.base_url = live_server.url
        yield page
        context.close()
        browser.close()


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
