"""In the browser: a Kommune's website (another origin) embeds an indicator chart. The chart
renders where the tenant allowed the website, and the browser refuses it on any other website.

Two small web servers on 127.0.0.1 play the Kommune's website and a foreign website; the product
runs on localhost (a different origin). Screenshot: docs/screenshots/opendata-embed.png."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bildungskette.opendata import services

CODE = "quote-ohne-hsa"


def _website(frame_url: str) -> ThreadingHTTPServer:
    page = (f'<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Website</title></head><body>'
            f'<h1>Bildung in Kassel</h1><iframe src="{frame_url}" title="Diagramm" width="700" height="560">'
            f'</iframe></body></html>').encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server API)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(autouse=True)
def idle_connections_time_out(monkeypatch):
    """The shared live server answers one connection at a time. Chromium opens spare connections
    for a cross-site iframe; an idle one would block the server, so idle sockets time out."""
    from django.test.testcases import QuietWSGIRequestHandler

    import tests.conftest

    class Handler(QuietWSGIRequestHandler):
        timeout = 1

    monkeypatch.setattr(tests.conftest, "QuietWSGIRequestHandler", Handler)


def _frame_text(page) -> str:
    frame = next((f for f in page.frames if "/einbetten/" in f.url), None)
    if frame is None:
        return ""
    try:
        return frame.inner_text("body", timeout=2000)
    except Exception:  # a refused frame has no readable document
        return ""


@pytest.mark.browser
@pytest.mark.django_db
def test_embedded_chart_renders_on_allowed_origin_and_is_refused_elsewhere(leavers, kassel_area, browser_page,
                                                                             screenshot):
    page = browser_page
    frame_url = f"{page.base_url}/offene-daten/einbetten/{kassel_area.slug}/indikator/{CODE}/"
    allowed, foreign = _website(frame_url), _website(frame_url)
    try:
        allowed_url = f"http://127.0.0.1:{allowed.server_port}"
        services.embed_origin_add(tenant=kassel_area, origin=allowed_url)
        blocked = []
        page.on("console", lambda m: blocked.append(m.text) if "frame-ancestors" in m.text else None)

        page.goto(allowed_url + "/")
        frame = page.frame_locator("iframe")
        frame.get_by_role("tab", name="Tabelle").wait_for()
        assert frame.get_by_role("tab", name="Tabelle").get_attribute("aria-selected") == "true"
        assert frame.get_by_role("cell", name="8,8").first.is_visible()
        frame.get_by_role("tab", name="Tabelle").press("ArrowRight")
        assert frame.get_by_role("tab", name="Diagramm").get_attribute("aria-selected") == "true"
        assert frame.locator("svg").first.is_visible()
        assert "Statistische Ämter" in _frame_text(page)
        screenshot(page, "opendata-embed")
        assert blocked == []

        page.goto(f"http://127.0.0.1:{foreign.server_port}/")
        page.wait_for_timeout(1500)
        assert "Statistische Ämter" not in _frame_text(page)
        assert any("frame-ancestors" in text for text in blocked)
    finally:
        allowed.shutdown()
        foreign.shutdown()
