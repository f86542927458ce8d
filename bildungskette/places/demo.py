"""Demo: every real school of the NRW and Hessen lists as a Lernort, plus a few clearly marked
synthetic non-school places and offers for Kassel (BNE, seed 003), Fulda and Bochum."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q

from bildungskette.core.importing import ImportReport
from bildungskette.core.models import Tenant
from bildungskette.organisations.models import Organisation
from bildungskette.regions.models import Region

from .models import Category, LearningPlace, Offer, PublicationStatus, TargetGroup, Topic
from .services import PlaceLocator

SYNTHETIC_SOURCE = "Synthetische Demo-Daten (erfunden, nicht echt)"

# external id, tenant, name, category, operator (tenant organisation name), street, postcode, city, lat, lon,
# last verified (None = today), target groups
PLACES = [
    ("demo:kassel-berufsberatung", "olov-kassel", "Berufsberatung der Agentur für Arbeit Kassel (Demo)",
     "berufsberatung", "Agentur für Arbeit Kassel", "Grüner Weg 46", "34117", "Kassel", 51.3182, 9.4876, None,
     ["jugendliche", "junge-erwachsene", "eltern"]),
    ("demo:kassel-klimawerkstatt", "olov-kassel", "Lernwerkstatt Klima und Handwerk (Demo)", "ausserschulisch",
     "Stadt Kassel – Amt für Schule und Bildung", "Obere Königsstraße 8", "34117", "Kassel", 51.3139, 9.4961,
     None, ["jugendliche", "schulklassen"]),
    ("demo:fulda-bildungsberatung", "fulda", "Bildungsberatung im Bildungsbüro Fulda (Demo)", "bildungsberatung",
     "Landkreis Fulda – Bildungsbüro", "Wörthstraße 15", "36037", "Fulda", 50.5535, 9.6757, None,
     ["erwachsene", "neuzugewanderte"]),
    # Seed 002: the Azubikampus offers trainees from elsewhere cheap housing with pedagogical support.
    # Name, address and position are invented for the demo (synthetic), not the real house.
    ("demo:fulda-azubikampus", "fulda", "Azubikampus Fulda – Wohnen mit Begleitung (Demo)", "azubiwohnen",
     "Landkreis Fulda – Bildungsbüro", "Demostraße 1", "36037", "Fulda", 50.5562, 9.6869, None,
     ["junge-erwachsene", "jugendliche"]),
    ("demo:bochum-berufsberatung", "bochum", "Berufsberatung der Agentur für Arbeit Bochum (Demo)",
     "berufsberatung", "Agentur für Arbeit Bochum", "Universitätsstraße 66", "44789", "Bochum", 51.4752, 7.2243,
     datetime.date(2025, 5, 12), ["jugendliche", "junge-erwachsene"]),
]

# title, tenant, place external id (or None = region-wide), region code, provider, topics, target groups,
# age from, age to, stage, cost, recurrence, description
OFFERS = [
    ("E-Craft: Elektro, Kfz und erneuerbare Energien erleben (Demo)", "olov-kassel", "demo:kassel-klimawerkstatt",
     None, "Stadt Kassel – Amt für Schule und Bildung", ["klimaberufe", "berufsorientierung", "bne"],
     ["jugendliche", "schulklassen"], 12, 17, "transition", "kostenfrei", "zweimal im Schuljahr",
     "Betriebe stellen Berufe aus Elektrotechnik, Kfz-Technik und erneuerbaren Energien vor (Format nach "
     "Seed 003; Termine und Details sind erfunden)."),
    ("Schulgarten und Klimaschutz – BNE-Projekttage (Demo)", "olov-kassel", "HE-9203", None,
     "Stadt Kassel – Amt für Schule und Bildung", ["bne", "natur"], ["kinder", "jugendliche"], 10, 14,
     "secondary_1", "kostenfrei", "Projektwoche im Mai", "Erfundenes BNE-Angebot an einer echten Schule."),
    ("Berufsberatung in der Schule (Demo)", "olov-kassel", None, "olov-kassel", "Agentur für Arbeit Kassel",
     ["berufsorientierung"], ["jugendliche", "eltern"], 13, 19, "transition", "kostenfrei",
     "Sprechstunden nach Absprache mit der Schule", "Regionsweites Angebot (erfunden)."),
    ("Bildungsberatung für Erwachsene und Neuzugewanderte (Demo)", "fulda", "demo:fulda-bildungsberatung", None,
     "Landkreis Fulda – Bildungsbüro", ["sprache"], ["erwachsene", "neuzugewanderte"], 18, None, "adult",
     "kostenfrei", "dienstags 9–12 Uhr", "Erfundenes Beratungsangebot."),
    ("Azubi-Wohnen: möbliertes Zimmer mit sozialpädagogischer Begleitung (Demo)", "fulda",
     "demo:fulda-azubikampus", None, "Landkreis Fulda – Bildungsbüro", ["berufsorientierung"],
     ["junge-erwachsene", "jugendliche"], 15, 27, "vocational", "Miete nach Ausbildungsvergütung (erfunden)",
     "Einzug zum Ausbildungsbeginn", "Erfundenes Wohn- und Begleitangebot für Auszubildende aus anderen Regionen "
     "(Vorbild: Azubikampus der Azubi Region Fulda)."),
    ("Berufsfelderkundung: Tage in Betrieben (Demo)", "bochum", None, "05911", "Agentur für Arbeit Bochum",
     ["berufsorientierung", "mint"], ["jugendliche"], 13, 15, "transition", "kostenfrei", "Jahrgang 8",
     "Regionsweites Angebot (erfunden) nach dem KAoA-Standardelement 5.1."),
]


def _synthetic_load() -> None:
    locator = PlaceLocator()
    categories = {c.code: c for c in Category.objects.all()}
    groups = {g.code: g for g in TargetGroup.objects.all()}
    topics = {t.code: t for t in Topic.objects.all()}
    tenants = {t.slug: t for t in Tenant.objects.filter(slug__in=["olov-kassel", "fulda", "bochum"])}
    today = datetime.date.today()
    places = {}
    for (ext, slug, name, cat, operator, street, plz, city, lat, lon, verified, target) in PLACES:
        tenant = tenants[slug]
        location = locator.locate(lat, lon)
        place, _ = LearningPlace.objects.update_or_create(external_id=ext, defaults={
            "tenant": tenant, "name": name, "category": categories[cat], "status": PublicationStatus.PUBLISHED,
            "operator": Organisation.objects.filter(tenant=tenant, name=operator).first(),
            "street": street, "postcode": plz, "city": city, "latitude": lat, "longitude": lon,
            "region": location.gemeinde, "kreis_code": location.kreis_code, "stadtteil": location.stadtteil,
            "region_approximate": location.approximate, "is_synthetic": True, "source": SYNTHETIC_SOURCE,
            "licence": "CC0", "last_verified": verified or today, "step_free": True, "accessible_toilet": True,
            "induction_loop": False, "opening_hours": "Mo–Fr 8–16 Uhr", "languages": "Deutsch, Englisch",
            "age_min": categories[cat].age_min, "age_max": categories[cat].age_max,
        })
        place.categories.set([categories[cat]])
        place.target_groups.set([groups[g] for g in target])
        places[ext] = place
    for (title, slug, place_ext, region_code, provider, topic_codes, target, age_min, age_max, stage, cost,
         recurrence, description) in OFFERS:
        tenant = tenants[slug]
        place = places.get(place_ext) or (LearningPlace.objects.filter(external_id=place_ext).first()
                                          if place_ext else None)
        offer, _ = Offer.objects.update_or_create(tenant=tenant, title=title, defaults={
            "place": place, "region": Region.objects.filter(code=region_code).first() if region_code else None,
            "provider": Organisation.objects.filter(tenant=tenant, name=provider).first(),
            "status": PublicationStatus.PUBLISHED, "age_min": age_min, "age_max": age_max,
            "education_stage": stage, "cost": cost, "recurrence": recurrence, "description": description,
            "is_synthetic": True, "source": SYNTHETIC_SOURCE, "licence": "CC0", "last_verified": today,
            "registration": "",
        })
        offer.topics.set([topics[t] for t in topic_codes])
        offer.target_groups.set([groups[g] for g in target])


def demo_load() -> list[str]:
    from django.apps import apps

    from .services import places_sync_from_organisations
    from .taxonomy import taxonomy_install

    with transaction.atomic():
        taxonomy_install(apps)  # after a test flush the migration's rows are gone
        report = ImportReport(importer="places-demo", source="Schulverzeichnisse NRW und Hessen")
        places_sync_from_organisations(
            Organisation.objects.filter(Q(external_id__startswith="NRW-") | Q(external_id__startswith="HE-"),
                                        tenant__isnull=True),
            report=report, description="Demo: Lernorte aus den Schulverzeichnissen",
        )
        _synthetic_load()
    return []
