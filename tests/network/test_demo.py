"""The demo as the seeds describe it: Kassel's OloV-Steuerungsgruppe with its 11 member institutions,
Bochum's Steuerungsgremium with the yearly chair alternation and three Facharbeitsgruppen, the
Strategieklausur of early 2016, the Arbeitsbündnis „Jugend und Beruf“ of 9 December 2013."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from bildungskette.core.models import User
from bildungskette.network.demo import demo_load
from bildungskette.network.models import (
    ActionItem,
    Body,
    Commitment,
    CooperationAgreement,
    Decision,
    Meeting,
    Membership,
)
from bildungskette.network.selectors import chair_on
from bildungskette.organisations.demo import KASSEL_STEERING_GROUP


def _counts():
    return [m.objects.count() for m in (Body, Membership, Meeting, Decision, ActionItem, CooperationAgreement,
                                        Commitment)]


pytestmark = pytest.mark.django_db


def test_demo_matches_the_seeds_and_is_idempotent(network_demo, client):
    before = _counts()
    demo_load()
    assert _counts() == before

    steering = Body.objects.get(tenant__slug="olov-kassel", name="OloV-Steuerungsgruppe Region Kassel")
    html = client.get(reverse("network:body", args=[steering.pk])).content.decode()  # public page, no login
    assert "Mitglieder (11)" in html
    for name, *_rest in KASSEL_STEERING_GROUP:
        assert name in html

    bochum = Body.objects.get(tenant__slug="bochum", name="Steuerungsgremium KAoA Bochum")
    members = set(bochum.memberships.values_list("organisation__short_name", flat=True))
    assert {"Agentur für Arbeit", "Schulamt Bochum", "Bezirksregierung Arnsberg", "UniverCity",
            "Schulverwaltungsamt", "Jugendamt Bochum", "KI Bochum"} <= members
    rotation = bochum.chair_rotation
    chairs = {chair_on(rotation, datetime.date(y, 9, 1)).organisation.short_name for y in (2024, 2025)}
    assert chairs == {"Schulamt Bochum", "Agentur für Arbeit"}  # alternates yearly
    assert sorted(bochum.children.filter(type="facharbeitsgruppe").values_list("field_of_action", flat=True)) == [
        "Attraktivität der dualen Ausbildung", "Studien- und Berufsorientierung", "Übergangssystem"]

    klausur = Meeting.objects.get(body=bochum, title__startswith="Strategieklausur")
    assert klausur.starts_at.year == 2016 and klausur.starts_at.month <= 3
    assert klausur.decisions.count() == 2 and klausur.action_items.count() >= 4
    assert not klausur.is_synthetic

    agreement = CooperationAgreement.objects.get(tenant__slug="olov-kassel", title__startswith="Arbeitsbündnis")
    assert agreement.signed_on == datetime.date(2013, 12, 9)
    parties = {p.type for p in agreement.parties.all()}
    assert {"agentur", "jobcenter", "schule", "jugendamt"} <= parties
    assert agreement.commitments.count() >= 6 and all(c.is_synthetic for c in agreement.commitments.all())
    page = client.get(reverse("network:agreement", args=[agreement.pk])).content.decode()
    assert "Zusagen umgesetzt" in page and "synthetisch" in page

    client.force_login(User.objects.get(username="kassel.partner"),
                       backend="django.contrib.auth.backends.ModelBackend")
    start = client.get("/").content.decode()
    assert "Ihre Gremien" in start and "Schulen über die Ausbildungsbörse informieren" in start
