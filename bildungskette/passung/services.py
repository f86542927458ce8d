"""Writes: occupation groups, Passung figures, the Messe allocation, training places reported by
companies (published on the Lernortkarte through the places services) and tours."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bildungskette.monitoring.importers.kldb import kldb_titles

from .allocation import Plan, allocate
from .models import Messe, MesseAssignment, OccupationGroup, TrainingPlace


class GroupInvalid(ValueError):
    """German message for the form."""


def occupation_group_save(*, tenant, name: str, codes: list[str], description: str = "",
                          group: OccupationGroup | None = None) -> OccupationGroup:
    """Create or change a saved selection; every code must be a KldB 2010 code."""
    titles = kldb_titles()
    clean = list(dict.fromkeys(c.strip() for c in codes if c.strip()))
    unknown = [c for c in clean if c not in titles]
    if unknown:
        raise GroupInvalid(f"Unbekannte KldB-2010-Schlüssel: {', '.join(unknown)}")
    if not clean:
        raise GroupInvalid("Bitte mindestens einen KldB-2010-Schlüssel angeben.")
    if group is None:
        group = OccupationGroup(tenant=tenant)
    group.name, group.kldb_codes, group.description = name.strip(), clean, description
    group.save()
    return group


def messe_allocate(*, messe: Messe) -> Plan:
    """Run the allocation and store it (replacing an earlier run) in one transaction."""
    companies = list(messe.companies.all())
    pupils = list(messe.pupils.all())
    by_id = {c.pk: c for c in companies}
    wishes = {p.pseudonym: [str(w) for w in p.wishes if w in by_id] for p in pupils}
    capacities = {str(c.pk): c.capacity for c in companies}
    plan = allocate(wishes, capacities, k=messe.slots_per_pupil, seed=messe.seed)
    pupil_by = {p.pseudonym: p for p in pupils}
    rows = []
    for pseudonym, got in plan.slots.items():
        ranks = {c: r for r, c in enumerate(wishes[pseudonym], start=1)}
        for c in got:
            rows.append(MesseAssignment(messe=messe, pupil=pupil_by[pseudonym], company=by_id[int(c)],
                                        wish_rank=ranks.get(c)))
    with transaction.atomic():
        messe.assignments.all().delete()
        MesseAssignment.objects.bulk_create(rows)
        messe.allocated_at = timezone.now()
        messe.summary = {
            "pupils": len(pupils), "companies": len(companies), "k": plan.k, "total": plan.total,
            "satisfied": plan.satisfied, "rank_sum": plan.rank_sum, "filled": plan.filled,
            "wishes": sum(len(w) for w in wishes.values()), "seed": plan.seed,
            "full_k": sum(1 for got in plan.slots.values() if len(got) == plan.k),
            "unmet": {p: [[by_id[int(c)].name, why] for c, why in reasons] for p, reasons in plan.unmet.items()},
        }
        messe.save(update_fields=["allocated_at", "summary"])
    return plan


# ---------------------------------------------------------------------------------------------
# Training places reported by companies


class TrainingPlaceInvalid(ValueError):
    """German message for the company's form."""


TRAINING_PLACE_SOURCE = "Meldung des Betriebs über die Bildungskette (live, keine amtliche Statistik)"
SITE_CATEGORY = "ausbildungsbetrieb"


def _check(*, kldb: str, starts_on, places: int) -> str:
    from .models import MAX_PLACES_PER_ENTRY

    titles = kldb_titles()
    if kldb not in titles:
        raise TrainingPlaceInvalid(f"Unbekannter KldB-2010-Schlüssel: {kldb}")
    if starts_on < timezone.localdate():
        raise TrainingPlaceInvalid("Der Ausbildungsbeginn liegt in der Vergangenheit.")
    if not 1 <= places <= MAX_PLACES_PER_ENTRY:
        raise TrainingPlaceInvalid(f"Anzahl Plätze: 1 bis {MAX_PLACES_PER_ENTRY}.")
    return titles[kldb]


def _offer_text(place: TrainingPlace, occupation: str) -> tuple[str, str]:
    count = "1 Platz" if place.places == 1 else f"{place.places} Plätze"
    title = f"Ausbildungsplatz {place.title or occupation} ({count}, Beginn {place.starts_on:%d.%m.%Y})"
    lines = [f"Beruf (KldB 2010): {place.kldb} {occupation}.", f"Ausbildungsbeginn: {place.starts_on:%d.%m.%Y}.",
             f"Freie Plätze: {place.places}.",
             "Der Betrieb hilft bei der Wohnungssuche (Azubi-Wohnen)." if place.housing_help
             else "Keine Hilfe bei der Wohnungssuche angegeben.",
             "Meldung des Betriebs, keine amtliche Statistik."]
    return title, " ".join(lines)


def _site_refresh(site) -> None:
    """A site created for training places stays on the map while one of them is current."""
    from bildungskette.places.services import entry_visibility_set

    if site is None:
        return
    own = TrainingPlace.objects.filter(site=site, site_created=True)
    if not own.exists():
        return
    active = own.filter(withdrawn_at__isnull=True, starts_on__gte=timezone.localdate())
    last = max((p.starts_on for p in active), default=None)
    entry_visibility_set(entry=site, visible_until=last, withdrawn=last is None)


def _site_name(organisation, is_synthetic: bool) -> str:
    # Synthetic Lernorte say so in their name, as every demo entry on the map does.
    return f"{organisation.name} – Ausbildung" + (" (Demo)" if is_synthetic else "")


def _site_for(*, contact, street: str, postcode: str):
    """The company's site at this address: one made for its training places, else a published place it runs."""
    from bildungskette.places.models import LearningPlace

    same = {"street__iexact": street.strip(), "postcode": postcode.strip()}
    made = (TrainingPlace.objects.filter(organisation=contact.organisation, tenant=contact.tenant, site_created=True,
                                         **{f"site__{k}": v for k, v in same.items()})
            .select_related("site").first())
    if made is not None:
        return made.site, True
    existing = LearningPlace.objects.filter(operator=contact.organisation, status="published", **same).first()
    return existing, existing is None


def training_place_save(*, contact, kldb: str, starts_on, places: int, housing_help: bool, street: str,
                        postcode: str, city: str, title: str = "", latitude: float | None = None,
                        longitude: float | None = None, place: TrainingPlace | None = None,
                        is_synthetic: bool = False):
    """Publish (or change) a company's training places: a site on the Lernortkarte at the address and
    an offer there, both visible until the start date. Returns the place and the Gemeinde whose
    centre was used as a first position (None when coordinates were given or the site exists)."""
    from bildungskette.places.services import offer_publish, site_publish

    occupation = _check(kldb=kldb.strip(), starts_on=starts_on, places=places)
    if place is not None and (place.organisation_id != contact.organisation_id or place.tenant_id != contact.tenant_id):
        raise TrainingPlaceInvalid("Nur eigene Ausbildungsplätze können geändert werden.")
    with transaction.atomic():
        old_site = place.site if place is not None else None
        site, ours = _site_for(contact=contact, street=street, postcode=postcode)
        gemeinde = None
        if ours:  # a site made for training places follows the address the company gives
            keep = site is not None and site.latitude is not None and latitude is None
            site, gemeinde = site_publish(
                tenant=contact.tenant, organisation=contact.organisation,
                name=site.name if site is not None else _site_name(contact.organisation, is_synthetic),
                category_code=SITE_CATEGORY, street=street, postcode=postcode, city=city,
                latitude=site.latitude if keep else latitude, longitude=site.longitude if keep else longitude,
                source=TRAINING_PLACE_SOURCE, site=site, visible_until=starts_on, is_synthetic=is_synthetic)
        if place is None:
            place = TrainingPlace(tenant=contact.tenant, organisation=contact.organisation, contact=contact)
        place.site_created = ours
        place.kldb, place.title, place.starts_on, place.places = kldb.strip(), title.strip(), starts_on, places
        place.housing_help, place.site, place.is_synthetic = housing_help, site, is_synthetic
        place.full_clean(exclude=["offer", "site", "contact"])
        place.save()
        offer_title, description = _offer_text(place, occupation)
        place.offer = offer_publish(
            tenant=contact.tenant, place=site, provider=contact.organisation, title=offer_title,
            description=description, source=TRAINING_PLACE_SOURCE, starts_on=starts_on, visible_until=starts_on,
            education_stage="vocational", offer=place.offer, is_synthetic=is_synthetic)
        place.save(update_fields=["offer"])
        _site_refresh(site)
        if old_site is not None and old_site.pk != site.pk:
            _site_refresh(old_site)
    return place, gemeinde


def training_place_withdraw(*, contact, place: TrainingPlace) -> TrainingPlace:
    """The company takes its places back: off the map at once, out of the live counts."""
    from bildungskette.places.services import entry_visibility_set

    if place.organisation_id != contact.organisation_id or place.tenant_id != contact.tenant_id:
        raise TrainingPlaceInvalid("Nur eigene Ausbildungsplätze können zurückgezogen werden.")
    with transaction.atomic():
        place.withdrawn_at = timezone.now()
        place.save(update_fields=["withdrawn_at", "updated_at"])
        if place.offer is not None:
            entry_visibility_set(entry=place.offer, visible_until=place.starts_on, withdrawn=True)
        _site_refresh(place.site)
    return place


# ---------------------------------------------------------------------------------------------
# Tours (Nacht der Ausbildung): one Event per tour, so schools register through the booking module


class TourInvalid(ValueError):
    """German message."""


def _tour_check(*, tenant, capacity: int, stops: list[dict]) -> list[dict]:
    """Validate a route (shared by create and change); returns the departure stops."""
    from .models import TourStop

    if capacity is None or capacity < 1:
        raise TourInvalid("Plätze: Eine Tour braucht mindestens einen Platz.")
    departures = [s for s in stops if s.get("kind") == TourStop.Kind.DEPARTURE]
    companies = [s for s in stops if s.get("kind") == TourStop.Kind.COMPANY]
    if not departures or not companies:
        raise TourInvalid("Eine Tour braucht mindestens einen Abfahrtsort und einen Betrieb.")
    if any(not (s.get("place_name") or "").strip() for s in departures):
        raise TourInvalid("Jeder Abfahrtsort braucht eine Ortsangabe.")
    if any(s.get("organisation") is None or s["organisation"].tenant_id not in (None, tenant.pk) for s in companies):
        raise TourInvalid("Jede Station braucht einen Betrieb des Mandanten.")
    return departures


def _tour_description(series: str, departures: list[dict]) -> str:
    return f"{series}. Abfahrt: " + ", ".join(d["place_name"] for d in departures)


def _tour_stops_save(tour, stops: list[dict]) -> None:
    from .models import TourStop

    TourStop.objects.bulk_create([
        TourStop(tour=tour, position=i, kind=s["kind"], organisation=s.get("organisation"),
                 place_name=(s.get("place_name") or "").strip(), at=s.get("at"))
        for i, s in enumerate(stops, start=1)])


def tour_create(*, tenant, organiser, series: str, title: str, starts_at, ends_at, capacity: int,
                stops: list[dict], is_public: bool = True, is_synthetic: bool = False):
    """A tour with its route: ``stops`` in order, each ``{"kind": "departure", "place_name": …}`` or
    ``{"kind": "company", "organisation": …}`` with an optional ``"at"`` time. A tour needs at least one
    departure point and one company; its Event carries the capacity and the bookings."""
    from bildungskette.transitions.services import event_create

    from .models import Tour

    departures = _tour_check(tenant=tenant, capacity=capacity, stops=stops)
    with transaction.atomic():
        event = event_create(tenant=tenant, organisation=organiser, title=title, starts_at=starts_at,
                             ends_at=ends_at, location=departures[0]["place_name"], capacity=capacity,
                             is_public=is_public, is_synthetic=is_synthetic,
                             description=_tour_description(series, departures))
        tour = Tour.objects.create(tenant=tenant, event=event, series=series, is_synthetic=is_synthetic)
        _tour_stops_save(tour, stops)
    return tour


def tour_update(*, tour, organiser, series: str, title: str, starts_at, ends_at, capacity: int,
                stops: list[dict]):
    """Change a tour: its Event (title, times, capacity, organiser) and its whole route, checked as on
    creation. Bookings stay with the Event: the capacity cannot go below the places already given
    (requested or confirmed), and a raised capacity moves the waiting list up."""
    from bildungskette.transitions.models import Event
    from bildungskette.transitions.services import event_places_taken, event_waitlist_advance

    departures = _tour_check(tenant=tour.tenant, capacity=capacity, stops=stops)
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=tour.event_id)
        taken = event_places_taken(event)
        if capacity < taken:
            raise TourInvalid(
                _("Plätze: %(taken)s Plätze sind schon vergeben. Die Tour braucht mindestens so viele Plätze; "
                  "stornieren Sie zuerst Buchungen, wenn sie kleiner werden soll.") % {"taken": taken})
        event.organisation, event.title, event.starts_at, event.ends_at = organiser, title, starts_at, ends_at
        event.capacity, event.location = capacity, departures[0]["place_name"]
        event.description = _tour_description(series, departures)
        event.full_clean()
        event.save()
        event_waitlist_advance(event=event)
        tour.series = series
        tour.event = event
        tour.save()
        tour.stops.all().delete()
        _tour_stops_save(tour, stops)
    return tour
