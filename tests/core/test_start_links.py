"""No link on a start page leads to a page its reader may not open: every role's start page (the demo
accounts, the operator and the public) is followed link by link."""

import re
from urllib.parse import urlsplit

import pytest

from bildungskette.core.models import User

pytestmark = pytest.mark.django_db

HREF = re.compile(r'<a\b[^>]*\bhref="([^"#]+)"')


def _links(html: str) -> list[str]:
    main = html.split('<main', 1)[1].split("</main>", 1)[0]
    nav = html.split('class="main-nav"', 1)[1].split("</nav>", 1)[0]
    links = []
    for href in HREF.findall(main + nav):
        href = href.replace("&amp;", "&")
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not href.startswith("/") or href.startswith("/static/"):
            continue
        links.append(href)
    return sorted(set(links))


def test_every_start_page_link_opens_for_its_reader(demo_data, client):
    readers = [None] + list(User.objects.filter(is_active=True).order_by("username"))
    assert len(readers) >= 12
    broken, followed = [], 0
    for user in readers:
        client.logout()
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        start = client.get("/")
        assert start.status_code == 200, user
        links = _links(start.content.decode())
        assert links, user
        for href in links:
            response = client.get(href, follow=True)  # a role's own entry page may redirect further
            followed += 1
            final = response.redirect_chain[-1][0] if response.redirect_chain else href
            if response.status_code != 200 or final.startswith(("/anmelden/", "/verwaltung/login/")):
                broken.append((str(user or "öffentlich"), href, response.status_code, final))
    assert broken == [], "\n".join(map(str, broken))
    assert followed > 100


def test_every_link_on_each_kommune_start_page_opens_for_the_public(demo_data, client):
    from bildungskette.core.models import Tenant

    broken, followed = [], 0
    for tenant in Tenant.objects.order_by("slug"):
        start = client.get(f"/kommune/{tenant.slug}/")
        assert start.status_code == 200, tenant
        for href in _links(start.content.decode()):
            response = client.get(href, follow=True)
            followed += 1
            if response.status_code != 200:
                broken.append((tenant.slug, href, response.status_code))
    assert broken == [], "\n".join(map(str, broken))
    assert followed > 20
