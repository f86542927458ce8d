"""Demo for the Azubi-Manager of the Landkreis Fulda – SYNTHETISCHE Zahlen, marked as such.

No original BA/BIBB table by occupation and Agenturbezirk was found (see docs/monitoring.md),
so the figures are invented: for Landkreis Fulda in the order of magnitude of the public figures
(about 2,820 training places for 1,495 applicants, Azubi Region Fulda 2019), for the other
Agenturbezirke of Hessen derived from their Kreise's population. Every row says it is synthetic,
and every page that shows them says so. The Mobile Ausbildungsmesse has 24 companies and 260
pupils (pseudonyms only), three talks per pupil. Also synthetic: the Berichtsjahre 2015–2018 of the home
region (for the trend), three companies with an e-mail-link contact and reported training places (live
view, Lernortkarte), and the tours of a "Nacht der Ausbildung" with departure points and company stops.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from bildungskette.core.demo import DEMO_PASSWORD
from bildungskette.core.models import Role, Tenant
from bildungskette.core.services import role_assign, user_ensure
from bildungskette.monitoring.sources.selectors import agency_kreise
from bildungskette.organisations.models import Organisation
from bildungskette.regions.models import Region, RegionKind

from .models import Messe, MesseCompany, MessePupil, OccupationGroup, PassungFigure

SOURCE = "SYNTHETISCHE DEMODATEN (Bildungskette) im Format der BA-Ausbildungsmarktstatistik nach Berufen, Stand 30.09."
CLIMATE = ["262", "342", "321", "333", "244", "252"]
OTHERS = ["293", "622", "714", "813", "825", "513"]
YEAR = 2019
# Share of applicants per occupation (of all applicants in these 12 groups) and places per applicant
# in Fulda: trades and care have far more places than applicants; office jobs the other way round.
PROFILE = {
    "262": (0.09, 2.6), "342": (0.07, 2.9), "321": (0.05, 3.0), "333": (0.04, 2.8), "244": (0.05, 2.2),
    "252": (0.12, 1.6), "293": (0.05, 2.4), "622": (0.14, 1.5), "714": (0.17, 0.9), "813": (0.10, 2.0),
    "825": (0.03, 1.4), "513": (0.09, 1.7),
}
WOMEN = {"262": .04, "342": .03, "321": .03, "333": .05, "244": .04, "252": .07, "293": .3, "622": .55,
         "714": .7, "813": .78, "825": .6, "513": .2}


def _figures(bewerber_total: int, tightness: float, rng: random.Random) -> dict[str, dict]:
    """Counts per occupation; ``tightness`` > 1 means fewer places (surplus regions for recruiting)."""
    out = {}
    for code, (share, ratio) in PROFILE.items():
        bew = max(3, round(bewerber_total * share * rng.uniform(.9, 1.1)))
        stellen = max(3, round(bew * ratio / tightness))
        # Where places are plentiful most applicants sign a contract; where they are scarce, many keep searching.
        naa = round(min(stellen, bew) * (rng.uniform(.76, .8) if stellen >= bew else rng.uniform(.8, .88)))
        andere = round(bew * (.17 if stellen >= bew else .25))
        unbesetzt = max(0, stellen - naa - round(stellen * .05))
        suchend = max(0, bew - naa - andere)
        unversorgt = round(suchend * rng.uniform(.3, .45))
        out[code] = {
            "bewerber": bew, "bewerber_weiblich": round(bew * WOMEN[code]), "stellen": stellen, "naa": naa,
            "naa_ausserbetrieblich": round(naa * .02), "unbesetzt": unbesetzt, "unversorgt": unversorgt,
            "alternative": suchend - unversorgt,
        }
    return out


def _save(region: Region, figures: dict[str, dict], *, without_naa: bool = False) -> None:
    for code, counts in figures.items():
        if without_naa:  # BIBB surveys new contracts only per Agenturbezirk
            counts = {**counts, "naa": None, "naa_ausserbetrieblich": None}
        PassungFigure.objects.update_or_create(
            region=region, kldb=code, year=YEAR, defaults={**counts, "is_synthetic": True, "source": SOURCE},
        )


def _tightness(agency: Region) -> float:
    # Big cities: more applicants than places; rural east/north: more places than applicants.
    return {"aa-frankfurt": 2.3, "aa-offenbach": 2.2, "aa-darmstadt": 1.8, "aa-hanau": 1.9, "aa-wiesbaden": 1.9,
            "aa-giessen": 1.6, "aa-kassel": 1.5, "aa-bad-homburg": 1.5, "aa-marburg": 1.3,
            "aa-limburg-wetzlar": 1.4, "aa-korbach": 0.9, "aa-bad-hersfeld-fulda": 1.0}.get(agency.code, 1.4)


def demo_load() -> list[str]:
    tenant = Tenant.objects.filter(slug="fulda").first()
    fulda = Region.objects.filter(code="06631").first()
    agency = Region.objects.filter(code="aa-bad-hersfeld-fulda", kind=RegionKind.AGENTURBEZIRK).first()
    if tenant is None or fulda is None or agency is None:
        return ["  Passung: übersprungen (Mandant Fulda, Kreis 06631 oder Agenturbezirk fehlt)"]
    with transaction.atomic():
        rng = random.Random(17)  # noqa: S311 – reproducible demo figures
        # Landkreis Fulda: scaled so that the 12 groups sum to about 2,820 places / 1,495 applicants.
        kreis = _figures(1495, 1.0, rng)
        scale = 2820 / sum(f["stellen"] for f in kreis.values())
        for f in kreis.values():
            f["stellen"] = round(f["stellen"] * scale)
            f["unbesetzt"] = max(0, f["stellen"] - f["naa"] - round(f["stellen"] * .05))
        _save(fulda, kreis, without_naa=True)
        for a in Region.objects.filter(kind=RegionKind.AGENTURBEZIRK, code__startswith="aa-", parent__code="06"):
            population = sum(k.population or 0 for k in agency_kreise(a)) or 300000
            figures = kreis if a == agency else _figures(round(population * .0027), _tightness(a), rng)
            if a == agency:  # Fulda plus Hersfeld-Rotenburg (about 0.55 of Fulda's size)
                figures = {c: {k: round(v * 1.55) for k, v in f.items()} for c, f in kreis.items()}
            _save(a, figures)
        OccupationGroup.objects.update_or_create(
            tenant=tenant, name="klimarelevante Berufe im Handwerk",
            defaults={"kldb_codes": CLIMATE,
                      "description": "Energie-, Gebäude-, Bau- und Fahrzeugtechnik (Auswahl der Koordination)"},
        )
        OccupationGroup.objects.update_or_create(
            tenant=tenant, name="alle Demo-Berufe", defaults={"kldb_codes": CLIMATE + OTHERS},
        )
        _trend(fulda, agency, kreis)
        _messe(tenant, rng)
        _companies_tours_places(tenant)
        user = user_ensure(username="fulda.azubi", password=DEMO_PASSWORD, display_name="Azubi-Management Fulda")
        role_assign(user=user, tenant=tenant, role=Role.COORDINATION)
    return [f"  {'fulda.azubi':24} Passwort {DEMO_PASSWORD:16} Azubi-Management Fulda (Koordination, /passung/)"]


def _messe(tenant, rng: random.Random) -> Messe:
    from bildungskette.organisations.models import Organisation
    from bildungskette.transitions.models import Event

    messe, created = Messe.objects.get_or_create(
        tenant=tenant, title="Mobile Ausbildungsmesse Landkreis Fulda (Demo)",
        defaults={"slots_per_pupil": 3, "seed": 2026, "is_synthetic": True},
    )
    if not created:
        return messe
    organiser = Organisation.objects.filter(tenant=tenant).order_by("pk").first()
    if organiser is not None:
        start = datetime.datetime(2027, 3, 10, 8, 30, tzinfo=datetime.UTC)
        event = Event.objects.create(
            tenant=tenant, organisation=organiser, title=messe.title, starts_at=start,
            ends_at=start + datetime.timedelta(hours=5), location="Fulda, Esperantohalle (Demo)", capacity=260,
            is_public=False, is_synthetic=True,
        )
        messe.event = event
        messe.save(update_fields=["event"])
    codes = CLIMATE + OTHERS
    companies = []
    for i in range(24):
        companies.append(MesseCompany.objects.create(
            messe=messe, name=f"Demo-Betrieb {i + 1:02d} ({codes[i % len(codes)]})", kldb=codes[i % len(codes)],
            slots=3, capacity_per_slot=rng.choice([9, 10, 11, 12, 14]),
        ))
    # Popular companies get more wishes than others (some are over-booked on purpose).
    weights = [3 if i % 5 == 0 else 1 for i in range(24)]
    pupils = []
    for n in range(260):
        chosen = []
        while len(chosen) < 5:
            c = rng.choices(companies, weights=weights)[0]
            if c.pk not in chosen:
                chosen.append(c.pk)
        pupils.append(MessePupil(messe=messe, pseudonym=f"M-{n + 1:03d}", wishes=chosen))
    MessePupil.objects.bulk_create(pupils)
    return messe


# Drift of the home region towards more unfilled places and fewer unplaced applicants (synthetic).
TREND = {2015: (1.12, .70), 2016: (1.08, .78), 2017: (1.05, .86), 2018: (1.02, .93)}


def _trend(fulda: Region, agency: Region, kreis: dict[str, dict]) -> None:
    """Berichtsjahre 2015–2018 for the home Agenturbezirk and Kreis, derived from 2019 (synthetic)."""
    for year, (bew_factor, unbesetzt_factor) in TREND.items():
        for region, scale, without_naa in ((agency, 1.55, False), (fulda, 1.0, True)):
            for code, counts in kreis.items():
                c = {k: round(v * scale) for k, v in counts.items()}
                c["bewerber"] = round(c["bewerber"] * bew_factor)
                c["bewerber_weiblich"] = round(c["bewerber_weiblich"] * bew_factor)
                c["unbesetzt"] = round(c["unbesetzt"] * unbesetzt_factor)
                c["unversorgt"] = round(c["unversorgt"] * bew_factor * 1.3)
                c["alternative"] = round(c["alternative"] * bew_factor * 1.2)
                if without_naa:
                    c["naa"] = c["naa_ausserbetrieblich"] = None
                PassungFigure.objects.update_or_create(
                    region=region, kldb=code, year=year, defaults={**c, "is_synthetic": True, "source": SOURCE})


# name, e-mail of the contact, KldB, title, places, housing help, street, PLZ, city, lat, lon
DEMO_COMPANIES = [
    ("Elektro Rhön GmbH (synthetisch)", "ausbildung@elektro-rhoen.example", "26212",
     "Elektroniker*in für Energie- und Gebäudetechnik", 4, True, "Demoweg 3", "36037", "Fulda", 50.5431, 9.6990),
    ("SHK Osthessen KG (synthetisch)", "ausbildung@shk-osthessen.example", "34212",
     "Anlagenmechaniker*in für Sanitär-, Heizungs- und Klimatechnik", 3, False, "Demoweg 7", "36037", "Fulda",
     50.5611, 9.6625),
    ("Pflegezentrum Fulda gGmbH (synthetisch)", "ausbildung@pflege-fulda.example", "81302",
     "Pflegefachfrau / Pflegefachmann", 6, True, "Demoweg 11", "36037", "Fulda", 50.5501, 9.6803),
]


def _companies_tours_places(tenant) -> None:
    from bildungskette.organisations.models import OrganisationType
    from bildungskette.organisations.services import organisation_ensure
    from bildungskette.transitions.models import CompanyContact

    from .models import Tour, TourStop, TrainingPlace
    from .services import tour_create, training_place_save

    companies = []
    start = datetime.date(timezone.localdate().year + 1, 8, 1)
    for name, email, kldb, title, places, housing, street, plz, city, lat, lon in DEMO_COMPANIES:
        org = organisation_ensure(tenant=tenant, name=name, type=OrganisationType.BETRIEB, city=city,
                                  source="synthetische Demodaten", facts={"synthetic": True})
        contact, _ = CompanyContact.objects.get_or_create(
            tenant=tenant, organisation=org, email=email,
            defaults={"name": f"Ausbildungsleitung {name.split(' (')[0]}"})
        companies.append(org)
        if not TrainingPlace.objects.filter(tenant=tenant, organisation=org).exists():
            training_place_save(contact=contact, kldb=kldb, title=title, starts_on=start, places=places,
                                housing_help=housing, street=street, postcode=plz, city=city, latitude=lat,
                                longitude=lon, is_synthetic=True)
    if Tour.objects.filter(tenant=tenant).exists():
        return
    organiser = (Organisation.objects.filter(tenant=tenant, name="Landkreis Fulda – Bildungsbüro").first()
                 or companies[0])
    evening = timezone.make_aware(datetime.datetime.combine(
        datetime.date(timezone.localdate().year + 1, 5, 20), datetime.time(17, 0)))
    routes = [
        ("Tour 1: Elektro und SHK", [("Fulda, ZOB", "17:00"), ("Hünfeld, Bahnhof", "17:20")], companies[:2], 40),
        ("Tour 2: Pflege und Elektro", [("Fulda, ZOB", "17:00"), ("Petersberg, Rathaus", "17:15")],
         [companies[2], companies[0]], 30),
    ]
    for title, departures, stops, capacity in routes:
        route = [{"kind": TourStop.Kind.DEPARTURE, "place_name": f"{p} (Demo)",
                  "at": datetime.time.fromisoformat(t)} for p, t in departures]
        route += [{"kind": TourStop.Kind.COMPANY, "organisation": o,
                   "at": datetime.time(18 + i, 0)} for i, o in enumerate(stops)]
        tour_create(tenant=tenant, organiser=organiser, series="Nacht der Ausbildung (Demo)",
                    title=f"Nacht der Ausbildung – {title}", starts_at=evening,
                    ends_at=evening + datetime.timedelta(hours=4), capacity=capacity, stops=route,
                    is_synthetic=True)
