"""Lernortkarte at its limits: the age filter at age_min and age_max (both included), for places,
their offers and the offer list; the yearly confirmation (365 days) and the reminder that comes
again after exactly 30 days; which organisations count as a provider's own."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from freezegun import freeze_time

from bildungskette.core.models import Role
from bildungskette.organisations.models import Organisation, OrganisationType
from bildungskette.places.models import LearningPlace, Offer, PublicationStatus
from bildungskette.places.selectors import (
    PlaceFilter,
    entries_due_for_verification,
    offer_list,
    places_public,
    provider_organisation_ids,
    verification_due_date,
)
from bildungskette.places.services import verification_reminders_send

pytestmark = pytest.mark.django_db


def _names(qs) -> set[str]:
    return {p.name for p in qs}


@pytest.mark.parametrize(
    "age,expected",
    [
        (5, {"Ort ohne Altersangabe"}),
        (6, {"Ort 6 bis 10", "Ort ohne Altersangabe"}),
        (10, {"Ort 6 bis 10", "Ort ab 10", "Ort ohne Altersangabe"}),
        (11, {"Ort ab 10", "Ort ohne Altersangabe"}),
        (99, {"Ort ab 10", "Ort ohne Altersangabe"}),
    ],
)
def test_place_age_filter_includes_both_ends(place_factory, age, expected):
    place_factory(name="Ort 6 bis 10", age_min=6, age_max=10)
    place_factory(name="Ort ab 10", age_min=10, age_max=None)
    place_factory(name="Ort ohne Altersangabe")  # no ages at all: open to everyone
    place_factory(name="Zurückgezogen 6 bis 10", age_min=6, age_max=10, status=PublicationStatus.WITHDRAWN)
    assert _names(places_public(PlaceFilter(alter=age))) == expected


def test_place_without_ages_is_listed_without_an_age_filter(place_factory):
    place_factory(name="Ort ohne Altersangabe")
    assert _names(places_public(PlaceFilter())) == {"Ort ohne Altersangabe"}


@pytest.mark.parametrize(
    "age,places,offers",
    [
        (3, {"Bibliothek"}, set()),
        (7, set(), set()),
        (8, {"Bibliothek"}, {"Klimadetektive"}),
        (12, {"Bibliothek"}, {"Klimadetektive"}),
        (13, set(), set()),
    ],
)
def test_a_place_is_found_through_its_offers_ages(place_factory, tenant, age, places, offers):
    # The place itself is for toddlers; its offer for 8 to 12.
    library = place_factory(name="Bibliothek", tenant=tenant, age_min=0, age_max=3)
    Offer.objects.create(title="Klimadetektive", place=library, tenant=tenant, age_min=8, age_max=12)
    Offer.objects.create(title="Entwurf", place=library, tenant=tenant, age_min=4, age_max=99,
                         status=PublicationStatus.PENDING)
    Offer.objects.create(title="Ohne Alter", place=library, tenant=tenant)  # no ages: no match by age
    assert _names(places_public(PlaceFilter(alter=age))) == places
    assert {o.title for o in offer_list(PlaceFilter(alter=age))} == offers | {"Ohne Alter"}


def test_offer_with_one_open_end(place_factory, tenant):
    place = place_factory(name="Jugendzentrum", tenant=tenant)
    Offer.objects.create(title="Ab 16", place=place, tenant=tenant, age_min=16)
    Offer.objects.create(title="Bis 15", place=place, tenant=tenant, age_max=15)
    assert {o.title for o in offer_list(PlaceFilter(alter=15))} == {"Bis 15"}
    assert {o.title for o in offer_list(PlaceFilter(alter=16))} == {"Ab 16"}


def test_age_from_the_query_string():
    assert PlaceFilter.from_query({"alter": "129"}).alter == 129
    assert PlaceFilter.from_query({"alter": "130"}).alter is None
    assert PlaceFilter.from_query({"alter": "0"}).alter == 0
    assert PlaceFilter.from_query({"alter": "-1"}).alter is None
    assert PlaceFilter.from_query({"alter": "sieben"}).alter is None


# --------------------------------------------------------------------------- confirmation and reminder


@pytest.fixture
def provider(tenant, make_user):
    agentur = Organisation.objects.create(tenant=tenant, name="Agentur für Arbeit Kassel",
                                          type=OrganisationType.AGENTUR_FUER_ARBEIT)
    user = make_user(role=Role.PARTNER, tenant=tenant, organisation=agentur)
    user.email = "partner@example.org"
    user.save()
    return agentur


@freeze_time("2026-11-30 08:00:00")
def test_an_entry_is_due_365_days_after_its_last_confirmation(place_factory, tenant, provider):
    assert verification_due_date() == datetime.date(2025, 11, 30)
    place_factory(name="Genau ein Jahr", tenant=tenant, operator=provider, last_verified=datetime.date(2025, 11, 30))
    place_factory(name="Ein Jahr und ein Tag", tenant=tenant, operator=provider,
                  last_verified=datetime.date(2025, 11, 29))
    place_factory(name="Nie bestätigt", tenant=tenant, operator=provider)
    place_factory(name="Ohne Betreiber", tenant=tenant, last_verified=datetime.date(2020, 1, 1))
    place_factory(name="Zurückgezogen", tenant=tenant, operator=provider, last_verified=datetime.date(2020, 1, 1),
                  status=PublicationStatus.WITHDRAWN)
    places, offers = entries_due_for_verification()
    assert _names(places) == {"Ein Jahr und ein Tag", "Nie bestätigt"}
    assert not offers.exists()


def test_the_reminder_comes_again_after_exactly_30_days(place_factory, tenant, provider):
    place_factory(name="Alter Eintrag", tenant=tenant, operator=provider, last_verified=datetime.date(2024, 1, 1))
    first = timezone.make_aware(datetime.datetime(2026, 10, 31, 6, 0))
    with freeze_time(first):
        assert verification_reminders_send().mails == 1
    with freeze_time(first + datetime.timedelta(days=30, seconds=-1)):
        assert verification_reminders_send().mails == 0
    assert len(mail.outbox) == 1
    with freeze_time(first + datetime.timedelta(days=30)):
        result = verification_reminders_send()
    assert result.mails == 1 and result.entries == 1 and len(mail.outbox) == 2
    assert LearningPlace.objects.get().verification_reminded_at == first + datetime.timedelta(days=30)


def test_offers_are_reminded_with_their_provider(place_factory, tenant, provider):
    place = place_factory(name="Frisch", tenant=tenant, operator=provider, last_verified=datetime.date(2026, 11, 1))
    Offer.objects.create(title="Altes Angebot", place=place, tenant=tenant, provider=provider,
                         last_verified=datetime.date(2024, 1, 1))
    with freeze_time("2026-11-30 08:00:00"):
        result = verification_reminders_send(base_url="https://bildung.example.org/")
    assert (result.mails, result.entries) == (1, 1)
    assert "Altes Angebot" in mail.outbox[0].body and "– Frisch" not in mail.outbox[0].body
    assert "https://bildung.example.org/lernorte/meine/" in mail.outbox[0].body


def test_an_organisation_without_an_account_is_named_not_mailed(place_factory, tenant):
    lonely = Organisation.objects.create(tenant=tenant, name="Verein ohne Konto", type=OrganisationType.TRAEGER)
    place_factory(name="Vereinsheim", tenant=tenant, operator=lonely, last_verified=datetime.date(2024, 1, 1))
    with freeze_time("2026-11-30 08:00:00"):
        result = verification_reminders_send()
    assert result.mails == 0 and result.without_recipient == ["Verein ohne Konto"]
    assert "ohne Empfänger (kein Konto mit E-Mail): Verein ohne Konto" in result.summary()


def test_provider_organisations_are_partner_and_school_roles_only(tenant, other_tenant, make_user):
    org = Organisation.objects.create(tenant=tenant, name="Träger", type=OrganisationType.TRAEGER)
    school = Organisation.objects.create(tenant=tenant, name="Schule", type=OrganisationType.SCHULE)
    for role, organisation, expected in [
        (Role.PARTNER, org, {org.pk}),
        (Role.TRANSITION_MANAGER, school, {school.pk}),
        (Role.COORDINATION, None, set()),
        (Role.MONITORING, None, set()),
        (Role.TENANT_ADMIN, None, set()),
        (Role.DATA_PROTECTION, None, set()),
    ]:
        user = make_user(role=role, tenant=tenant, organisation=organisation)
        assert provider_organisation_ids(user, tenant) == expected, role
        assert provider_organisation_ids(user, other_tenant) == set(), role
