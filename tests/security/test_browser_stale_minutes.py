"""In two browsers: two people edit the same minutes; the second save is refused with a clear
message, nothing of either person's input is lost, and the second person can then save both.
Screenshot: docs/screenshots/security-stale-minutes.png."""

from __future__ import annotations

import pytest

from bildungskette.network.models import Meeting
from tests.conftest import browser_login

PASSWORD = "Bildung-2026"  # noqa: S105 (demo accounts)


@pytest.mark.browser
@pytest.mark.django_db
def test_two_browsers_edit_the_same_minutes(demo_data, browser_page, screenshot):
    meeting = Meeting.objects.filter(tenant__slug="olov-kassel").exclude(status="cancelled").order_by("pk").first()
    url = f"{browser_page.base_url}/netzwerk/sitzungen/{meeting.pk}/protokoll/"
    first = browser_page
    second_context = first.context.browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
    second = second_context.new_page()
    second.base_url = first.base_url
    try:
        browser_login(first, "kassel.koordination", PASSWORD)
        browser_login(second, "kassel.koordination", PASSWORD)
        first.goto(url)
        second.goto(url)

        first.get_by_label("Allgemeine Notizen").fill("Notiz aus Browser eins")
        first.get_by_role("button", name="Protokoll speichern").click()
        assert first.get_by_text("Protokoll gespeichert").is_visible()

        second.get_by_label("Protokoll geführt von").fill("Browser zwei")
        second.get_by_role("button", name="Protokoll speichern").click()
        alert = second.get_by_role("alert").filter(has_text="Jemand anderes hat diesen Datensatz gespeichert")
        assert alert.is_visible()
        assert "Allgemeine Notizen: „Notiz aus Browser eins“" in alert.inner_text()
        assert "Anwesenheit" not in alert.inner_text(), "only what really changed is listed"
        meeting.refresh_from_db()
        assert meeting.minutes_summary == "Notiz aus Browser eins" and meeting.minutes_taker != "Browser zwei"
        # Nothing lost: the second person's input is still there, the first person's note is shown.
        assert second.get_by_label("Protokoll geführt von").input_value() == "Browser zwei"
        assert second.get_by_label("Allgemeine Notizen").input_value() == "Notiz aus Browser eins"
        screenshot(second, "security-stale-minutes")

        second.get_by_role("button", name="Protokoll speichern").click()
        assert second.get_by_text("Protokoll gespeichert").is_visible()
        meeting.refresh_from_db()
        assert (meeting.minutes_summary, meeting.minutes_taker) == ("Notiz aus Browser eins", "Browser zwei")
    finally:
        second_context.close()
