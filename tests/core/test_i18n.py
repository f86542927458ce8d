import pytest

pytestmark = pytest.mark.django_db


def test_german_by_default_english_on_request(client):
    assert "Zum Inhalt springen" in client.get("/gebiete/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/gebiete/"})
    html = client.get("/gebiete/").content.decode()
    assert 'lang="en"' in html and "Skip to content" in html and "Search a region" in html



def test_browser_language_is_not_followed(client):
    """German is the product's language; English only when chosen (tests/core/test_language.py)."""
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert "Zum Inhalt springen" in html and "Skip to content" not in html
