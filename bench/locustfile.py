"""The users of ``make loadtest`` (bench/loadtest.py starts locust with this file).

``Visitor`` reads public pages, ``Staff`` signs in once and works on the pages of its tenant,
``Floor`` only asks ``/health/`` (the trivial view: Django's floor on this machine). No think
time: every user sends its next request as soon as the last one answered, so the figures show
what the server manages at 50 concurrent users, not how patient the users are.
Indicator and region codes come from the loaded demo (``LOADTEST_CODES``, JSON).
"""

from __future__ import annotations

import json
import os
import random
import re

from locust import HttpUser, constant, task

CODES = json.loads(os.environ.get("LOADTEST_CODES", "{}") or "{}")
INDICATORS = CODES.get("indicators") or ["quote-ohne-hsa"]
KREISE = CODES.get("kreise") or ["06611"]
ACCOUNTS = CODES.get("accounts") or ["kassel.koordination"]
PASSWORD = CODES.get("password", "")
# The reverse proxy in front of the app servers terminates TLS and says so (docs/deployment.md).
HEADERS = {"X-Forwarded-Proto": "https"}


class Visitor(HttpUser):
    weight = 3
    wait_time = constant(0)

    @task(2)
    def start_page(self):
        self.client.get("/", name="öffentlich: Startseite", headers=HEADERS)

    @task(1)
    def catalogue(self):
        self.client.get("/monitoring/", name="öffentlich: Indikatorenkatalog", headers=HEADERS)

    @task(6)
    def indicator(self):
        code, region = random.choice(INDICATORS), random.choice(KREISE)  # noqa: S311
        self.client.get(f"/monitoring/indikatoren/{code}/?gebiet={region}", name="öffentlich: Indikatorseite",
                        headers=HEADERS)

    @task(2)
    def datasheet(self):
        self.client.get(f"/monitoring/datenblatt/{random.choice(KREISE)}/", name="öffentlich: Datenblatt",  # noqa: S311
                        headers=HEADERS)

    @task(2)
    def places(self):
        self.client.get("/lernorte/liste/", name="öffentlich: Lernorte (Liste)", headers=HEADERS)


class Staff(HttpUser):
    weight = 2
    wait_time = constant(0)

    def on_start(self):
        page = self.client.get("/anmelden/", name="angemeldet: Anmeldung (Formular)", headers=HEADERS)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        username = random.choice(ACCOUNTS)  # noqa: S311
        with self.client.post(
            "/anmelden/",
            data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1) if token else ""},
            # The browser behind the proxy sends an https Referer; Django checks it against the secure host.
            headers={**HEADERS, "Referer": self.host.replace("http://", "https://") + "/anmelden/"},
            name="angemeldet: Anmeldung (senden)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"Anmeldung von {username} fehlgeschlagen: HTTP {response.status_code}")

    @task(2)
    def start_page(self):
        self.client.get("/", name="angemeldet: Startseite", headers=HEADERS)

    @task(4)
    def indicator(self):
        self.client.get(f"/monitoring/indikatoren/{random.choice(INDICATORS)}/",  # noqa: S311
                        name="angemeldet: Indikatorseite (Gebiet des Mandanten)", headers=HEADERS)

    @task(1)
    def datasheet(self):
        self.client.get("/monitoring/datenblatt/", name="angemeldet: Datenblatt (Gebiet des Mandanten)",
                        headers=HEADERS)

    @task(1)
    def network(self):
        self.client.get("/netzwerk/", name="angemeldet: Netzwerk", headers=HEADERS)

    @task(1)
    def strategy(self):
        self.client.get("/strategie/", name="angemeldet: Strategie", headers=HEADERS)


class Floor(HttpUser):
    wait_time = constant(0)

    @task
    def health(self):
        self.client.get("/health/", name="trivial: /health/", headers=HEADERS)
