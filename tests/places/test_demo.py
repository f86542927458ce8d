"""The demo: the public map shows Bochum's, Kassel's and Fulda's real schools; synthetic extras say so."""

import pytest
from django.urls import reverse

from bildungskette.places.models import LearningPlace, Offer

pytestmark = pytest.mark.django_db


def test_demo_places_on_the_public_map(client):
    """Loading twice without duplicates is checked for every app by tests/core/test_demo.py."""
    from bildungskette.core import demo as core_demo
    from bildungskette.organisations import demo as organisations_demo
    from bildungskette.places import demo as places_demo
    from bildungskette.regions import demo as regions_demo

    for module in (core_demo, regions_demo, organisations_demo, places_demo):
        module.demo_load()
    assert LearningPlace.objects.filter(region__code="05911000", external_id__startswith="NRW-").count() == 97
    bochum = client.get(reverse("places:list"), {"gebiet": "05911000"}).content.decode()
    assert "98 Lernorte gefunden" in bochum  # 97 schools and the synthetic Berufsberatung
    berufskollegs = client.get(reverse("places:list"), {"gebiet": "05911000", "kategorie": "beruflich"})
    assert "9 Lernorte gefunden" in berufskollegs.content.decode()
    assert LearningPlace.objects.filter(kreis_code="06611", external_id__startswith="HE-").count() > 40
    assert LearningPlace.objects.filter(kreis_code="06631", external_id__startswith="HE-").count() > 40
    page = client.get(reverse("places:map")).content.decode()
    assert "IT.NRW, Statistisches Landesamt, 2025" in page and "JedeSchule" in page

    synthetic = LearningPlace.objects.filter(is_synthetic=True)
    assert synthetic.exists() and all("(Demo)" in p.name for p in synthetic)
    assert not LearningPlace.objects.filter(is_synthetic=True, external_id__startswith="NRW-").exists()
    e_craft = Offer.objects.get(title__startswith="E-Craft")
    assert e_craft.is_synthetic and set(e_craft.topics.values_list("code", flat=True)) >= {"klimaberufe", "bne"}
