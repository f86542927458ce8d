"""German is the default whatever the browser says; English only when chosen, and only on pages
that are translated completely (``core/language.py``): there the switch is shown, everywhere
else the page stays German, says so, and shows no switch."""

from __future__ import annotations

import ast
import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real
from django.utils.translation.template import templatize

pytestmark = pytest.mark.django_db

ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}
SWITCH = 'class="language-switch"'
_CALL = re.compile(r"\b(n?p?gettext)\(((?:u'(?:[^'\\]|\\.)*'(?:,\s*)?)+)")
_LITERAL = re.compile(r"u'(?:[^'\\]|\\.)*'")


def _choose_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})


def test_an_english_browser_gets_german(client, tenant):
    for path in ("/", "/gebiete/", reverse("core:accessibility", args=[tenant.slug])):
        response = client.get(path, **ENGLISH_BROWSER)
        html = response.content.decode()
        assert '<html lang="de">' in html and "Zum Inhalt springen" in html, path
        assert response["Content-Language"] == "de"


def test_english_when_chosen_on_a_translated_page(client, tenant):
    _choose_english(client)
    response = client.get("/")
    html = response.content.decode()
    assert '<html lang="en">' in html and "Skip to content" in html and response["Content-Language"] == "en"
    assert SWITCH in html and 'value="de"' in html, "the switch leads back to German"
    assert "Learning places near me" in html


def test_an_untranslated_page_stays_german_says_so_and_has_no_switch(client, tenant):
    _choose_english(client)
    html = client.get(reverse("places:list")).content.decode()
    assert '<html lang="de">' in html and "Zum Inhalt springen" in html
    assert "This page is available in German only." in html
    assert SWITCH not in html
    # Nothing of the page came out in English.
    assert "Skip to content" not in html


def test_german_pages_show_the_switch_only_where_translated(client, tenant):
    assert SWITCH in client.get("/").content.decode()
    assert SWITCH not in client.get(reverse("places:list")).content.decode()


# ---------------------------------------------------------------------------------------------
# Every string of a translated page has its English translation


def _template_msgids(source: str) -> set:
    ids = set()
    for match in _CALL.finditer(templatize(source)):
        func, args = match.group(1), [ast.literal_eval(lit) for lit in _LITERAL.findall(match.group(2))]
        if func == "gettext":
            ids.add(args[0])
        elif func == "ngettext":
            ids.add((args[0], 0))
        elif func == "pgettext":
            ids.add(f"{args[0]}\x04{args[1]}")
        else:
            ids.add((f"{args[0]}\x04{args[1]}", 0))
    return ids


def _missing(response) -> list:
    catalog = trans_real.translation("en")._catalog
    wanted = set()
    for template in response.templates:
        if template.origin and template.origin.name and template.origin.name.endswith(".html"):
            wanted |= _template_msgids(template.source)
    context = response.context
    with translation.override("de"):
        for entry in context.get("nav_entries", []):
            wanted.add(str(entry.label))
        for item in context.get("panels", []) or []:
            wanted.add(str(item["panel"].title))
        for group in context.get("groups", []) or []:
            wanted.add(str(group.label))
        form = context.get("form")
        if form is not None:
            for field in form.fields.values():
                wanted |= {str(t) for t in (field.label, field.help_text) if t}
    return sorted((w for w in wanted if not catalog.get(w)), key=str)


def _translated_pages(tenant):
    slug = tenant.slug
    return ["/", reverse("core:kommune", args=[slug]), reverse("core:kommunen"), reverse("core:search") + "?q=Kassel",
            reverse("places:nearby") + "?lat=51.31&lon=9.48", reverse("core:imprint", args=[slug]),
            reverse("core:privacy", args=[slug]), reverse("core:accessibility", args=[slug]),
            reverse("core:easy_language", args=[slug]), reverse("regions:index")]


def test_every_string_of_every_translated_page_has_its_english_translation(client, tenant):
    from bildungskette.regions.models import Region, TenantArea

    TenantArea.objects.create(tenant=tenant, region=Region.objects.get(code="06611"), is_primary=True)
    _choose_english(client)
    problems = {}
    for path in _translated_pages(tenant):
        response = client.get(path)
        assert response.status_code == 200, path
        assert SWITCH in response.content.decode(), f"{path} is marked translated"
        missing = _missing(response)
        if missing:
            problems[path] = missing
    assert problems == {}


def test_the_checker_finds_a_missing_translation():
    assert _template_msgids('{% load i18n %}{% translate "Gibt es nicht übersetzt" %}') == {
        "Gibt es nicht übersetzt"}
    catalog = trans_real.translation("en")._catalog
    assert not catalog.get("Gibt es nicht übersetzt") and catalog.get("Zum Inhalt springen")
