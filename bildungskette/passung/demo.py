"""Demo for the Azubi-Manager of the Landkreis Fulda – SYNTHETISCHE Zahlen, marked as such.

No original BA/BIBB table by occupation and Agenturbezirk was found (see docs/monitoring.md),
so the figures are invented: for Landkreis Fulda in the order of magnitude of the public figures
(about 2,820 training places for 1,495 applicants, Azubi Region Fulda 2019), for the other
Agenturbezirke of Hessen derived from their Kreise's population. Every row says it is synthetic,
and every page that shows them says so. The Mobile Ausbildungsmesse has 24 companies and 260
pupils (pseudonyms only), three talks per pupil.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction

from bildungskette.core.demo import DEMO_PASSWORD
from bildungskette.core.models import Role, Tenant
from bildungskette.core.services import role_assign, user_ensure
from bildungskette.monitoring.sources.selectors import agency_kreise
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
        _messe(tenant, rng)
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
