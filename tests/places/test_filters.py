"""Every public filter of the Lernortkarte and of the offer list, one at a time and combined:
category, target group (on the place or through an offer), topic, region, free text, and the due
confirmations. Each expected set is written out by hand from the few places below.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from bildungskette.core.models import Role
from bildungskette.organisations.models import Organisation, OrganisationType
from bildungskette.places.models import Offer, PublicationStatus, TargetGroup, Topic
from bildungskette.places.selectors import (
    PlaceFilter,
    entries_due_for_verification,
    offer_list,
    places_public,
    provider_organisation_ids,
)

pytestmark = pytest.mark.django_db


def _names(qs) -> set[str]:
    return {p.name for p in qs}


def _titles(qs) -> list[str]:
    return [o.title for o in qs]


@pytest.fixture
def world(place_factory, tenant):
    youth, _ = TargetGroup.objects.get_or_create(code="jugendliche", defaults={"name": "Jugendliche"})
    parents, _ = TargetGroup.objects.get_or_create(code="eltern", defaults={"name": "Eltern"})
    mint, _ = Topic.objects.get_or_create(code="mint", defaults={"name": "MINT"})
    reading, _ = Topic.objects.get_or_create(code="lesen", defaults={"name": "Lesen"})
    library = place_factory(name="Stadtbibliothek", street="Obere Königsstraße 3", postcode="34117", city="Kassel")
    library.target_groups.add(parents)
    school = place_factory(name="Offene Schule Waldau", category="gesamtschule", street="Stegerwaldstraße 45",
                           postcode="34123", city="Kassel")
    museum = place_factory(name="Vonderau Museum", category="museum", lat=50.5535, lon=9.6757, postcode="36037",
                           city="Fulda", street="Jesuitenplatz 2")
    place_factory(name="Entwurf", status=PublicationStatus.PENDING)
    Offer.objects.create(title="Roboter bauen", description="Programmieren für Einsteiger", place=school,
                         tenant=tenant).topics.add(mint)
    robots = Offer.objects.get(title="Roboter bauen")
    robots.target_groups.add(youth)
    Offer.objects.create(title="Vorlesestunde", description="Geschichten", place=library, tenant=tenant
                         ).topics.add(reading)
    Offer.objects.create(title="Sternwarte", description="MINT am Abend", place=museum, tenant=tenant
                         ).topics.add(mint)
    Offer.objects.create(title="Zurückgezogen", place=museum, tenant=tenant, status=PublicationStatus.WITHDRAWN
                         ).target_groups.add(youth)
    Offer.objects.create(title="Kreisweit", description="ohne Ort", tenant=tenant).target_groups.add(parents)
    return {"library": library, "school": school, "museum": museum}


@pytest.mark.parametrize("place_filter,expected", [
    (PlaceFilter(), {"Stadtbibliothek", "Offene Schule Waldau", "Vonderau Museum"}),
    (PlaceFilter(kategorie="museum"), {"Vonderau Museum"}),
    (PlaceFilter(kategorie="weiterfuehrend"), {"Offene Schule Waldau"}),  # a parent category takes its children
    (PlaceFilter(zielgruppe="eltern"), {"Stadtbibliothek"}),  # on the place itself
    (PlaceFilter(zielgruppe="jugendliche"), {"Offene Schule Waldau"}),  # through an offer, not a withdrawn one
    (PlaceFilter(thema="mint"), {"Offene Schule Waldau", "Vonderau Museum"}),
    (PlaceFilter(thema="lesen"), {"Stadtbibliothek"}),
    (PlaceFilter(gebiet="06611"), {"Stadtbibliothek", "Offene Schule Waldau"}),
    (PlaceFilter(gebiet="06631"), {"Vonderau Museum"}),
    (PlaceFilter(gebiet="99999"), set()),
    (PlaceFilter(q="museum"), {"Vonderau Museum"}),  # name
    (PlaceFilter(q="fulda"), {"Vonderau Museum"}),  # city
    (PlaceFilter(q="stegerwald"), {"Offene Schule Waldau"}),  # street
    (PlaceFilter(q="341"), {"Stadtbibliothek", "Offene Schule Waldau"}),  # postcode, from its start
    (PlaceFilter(q="117"), set()),  # not in the middle of a postcode
    (PlaceFilter(thema="mint", gebiet="06611"), {"Offene Schule Waldau"}),
    (PlaceFilter(kategorie="bibliothek", zielgruppe="jugendliche"), set()),
])
def test_place_filters(world, place_filter, expected):
    assert _names(places_public(place_filter)) == expected


@pytest.mark.parametrize("place_filter,expected", [
    (PlaceFilter(), ["Kreisweit", "Roboter bauen", "Sternwarte", "Vorlesestunde"]),  # by title
    (PlaceFilter(thema="mint"), ["Roboter bauen", "Sternwarte"]),
    (PlaceFilter(zielgruppe="jugendliche"), ["Roboter bauen"]),
    (PlaceFilter(zielgruppe="eltern"), ["Kreisweit"]),
    (PlaceFilter(q="programmieren"), ["Roboter bauen"]),  # description
    (PlaceFilter(q="sternwarte"), ["Sternwarte"]),  # title
    (PlaceFilter(gebiet="06631"), ["Sternwarte"]),
    (PlaceFilter(kategorie="bibliothek"), ["Vorlesestunde"]),
    (PlaceFilter(kategorie="museum", gebiet="06611"), []),
    (PlaceFilter(thema="mint", gebiet="06611"), ["Roboter bauen"]),
])
def test_offer_filters(world, place_filter, expected):
    assert _titles(offer_list(place_filter)) == expected


def test_offers_of_the_same_title_are_listed_in_the_order_they_were_made(world, tenant):
    first = Offer.objects.create(title="Sternwarte", place=world["school"], tenant=tenant)
    listed = [o.pk for o in offer_list(PlaceFilter()) if o.title == "Sternwarte"]
    assert listed == sorted(listed) and first.pk == listed[-1]


def test_only_published_entries_with_an_operator_or_provider_are_due(place_factory, tenant):
    operator = Organisation.objects.create(tenant=tenant, name="Träger", type=OrganisationType.SONSTIGE)
    long_ago = timezone.localdate() - datetime.timedelta(days=400)
    due_place = place_factory(name="Fällig", operator=operator, last_verified=long_ago)
    place_factory(name="Ohne Träger", last_verified=long_ago)
    place_factory(name="Entwurf", operator=operator, last_verified=long_ago, status=PublicationStatus.PENDING)
    due_offer = Offer.objects.create(title="Fällig", place=due_place, provider=operator, tenant=tenant,
                                     last_verified=long_ago)
    Offer.objects.create(title="Ohne Anbieter", place=due_place, tenant=tenant, last_verified=long_ago)
    Offer.objects.create(title="Entwurf", place=due_place, provider=operator, tenant=tenant,
                         last_verified=long_ago, status=PublicationStatus.PENDING)
    Offer.objects.create(title="Bestätigt", place=due_place, provider=operator, tenant=tenant,
                         last_verified=timezone.localdate())
    Offer.objects.create(title="Eben erinnert", place=due_place, provider=operator, tenant=tenant,
                         last_verified=long_ago, verification_reminded_at=timezone.now())
    places, offers = entries_due_for_verification()
    assert list(places) == [due_place]
    assert list(offers) == [due_offer]


def test_a_provider_acts_as_partner_or_as_school(make_user, tenant):
    company = Organisation.objects.create(tenant=tenant, name="Betrieb", type=OrganisationType.BETRIEB)
    school = Organisation.objects.create(tenant=tenant, name="Schule", type=OrganisationType.SCHULE)
    partner = make_user(role=Role.PARTNER, tenant=tenant, organisation=company)
    manager = make_user(role=Role.TRANSITION_MANAGER, tenant=tenant, organisation=school)
    coordination_at_school = make_user(role=Role.COORDINATION, tenant=tenant, organisation=school)
    assert provider_organisation_ids(partner, tenant) == {company.pk}
    assert provider_organisation_ids(manager, tenant) == {school.pk}
    assert provider_organisation_ids(coordination_at_school, tenant) == set()


def test_a_place_past_its_visible_until_is_gone(place_factory):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    place_factory(name="Ausbildungsplatz 2025", visible_until=yesterday)
    place_factory(name="Ausbildungsplatz 2027", visible_until=timezone.localdate())
    assert _names(places_public()) == {"Ausbildungsplatz 2027"}


@pytest.mark.parametrize("age,expected", [(15, {"Bis 15"}), (16, {"Ab 16"}), (40, {"Ab 16"})])
def test_a_place_is_found_through_an_offer_with_one_open_end(place_factory, tenant, age, expected):
    for name, ages in [("Ab 16", {"age_min": 16}), ("Bis 15", {"age_max": 15})]:
        place = place_factory(name=name, age_min=0, age_max=3)
        Offer.objects.create(title=name, place=place, tenant=tenant, **ages)
    assert _names(places_public(PlaceFilter(alter=age))) == expected
