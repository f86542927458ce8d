"""Every write of the Lernortkarte: places from school organisations, bulk upserts for imports,
providers' own entries, the review queue and the yearly confirmation."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from shapely.geometry import Point, shape
from shapely.prepared import prep

from bildungskette.core.audit import audit_record_import
from bildungskette.core.importing import ImportReport
from bildungskette.core.models import Role
from bildungskette.organisations.models import SCHOOL_TYPES, Organisation
from bildungskette.regions.models import Region, RegionKind
from bildungskette.regions.selectors import region_locate

from .models import (
    Category,
    ChangeProposal,
    LearningPlace,
    Offer,
    PublicationStatus,
    SchoolFormMapping,
)
from .taxonomy import FALLBACK_CATEGORY

LICENCE_BY_PREFIX = {
    "NRW-": "dl-de/by-2-0; Koordinaten ODbL",
    "HE-": "CC0; Koordinaten ODbL",
}

# Fields written by imports and compared to decide "updated" or "unchanged".
PLACE_IMPORT_FIELDS = [
    "name", "category_id", "school_forms", "operator_id", "street", "postcode", "city", "latitude", "longitude",
    "region_id", "kreis_code", "stadtteil_id", "region_approximate", "phone", "email", "website", "source",
    "licence", "age_min", "age_max", "facts", "description", "opening_hours", "languages", "tenant_id",
]


# ---------------------------------------------------------------------------------------------
# Where a place lies

GERMANY_BBOX = (5.8, 47.2, 15.1, 55.1)  # west, south, east, north


def coordinates_plausible(lat: float | None, lon: float | None) -> bool:
    west, south, east, north = GERMANY_BBOX
    return lat is not None and lon is not None and south <= lat <= north and west <= lon <= east


@dataclass
class PlaceLocation:
    gemeinde: Region | None = None
    kreis_code: str = ""
    stadtteil: Region | None = None
    approximate: bool = False


@dataclass
class PlaceLocator:
    """Point → Kreis (exact), Gemeinde (exact for kreisfreie Städte, else nearest centre) and the
    Stadtteil of any tenant that uploaded Stadtteile (exact). Caches per Kreis for bulk imports."""

    _gemeinden: dict[int, list[Region]] = field(default_factory=dict)
    _stadtteile: dict[int, list[tuple[Region, object]]] = field(default_factory=dict)

    def locate(self, lat: float | None, lon: float | None) -> PlaceLocation:
        if lat is None or lon is None:
            return PlaceLocation()
        kreis = region_locate(lat, lon, kind=RegionKind.KREIS)
        if kreis is None:
            return PlaceLocation()
        gemeinden = self._gemeinden_of(kreis)
        gemeinde = None
        if gemeinden:
            gemeinde = min(gemeinden, key=lambda g: (g.centre_lat - lat) ** 2 + ((g.centre_lon - lon) * 0.63) ** 2)
        return PlaceLocation(gemeinde=gemeinde, kreis_code=kreis.code, approximate=len(gemeinden) > 1,
                             stadtteil=self.stadtteil(gemeinde, lat, lon))

    def stadtteil(self, gemeinde: Region | None, lat: float | None, lon: float | None) -> Region | None:
        if gemeinde is None or lat is None or lon is None:
            return None
        if gemeinde.id not in self._stadtteile:
            self._stadtteile[gemeinde.id] = [
                (s, prep(shape(s.boundary)))
                for s in Region.objects.filter(kind=RegionKind.STADTTEIL, parent_id=gemeinde.id,
                                               boundary__isnull=False)
            ]
        point = Point(lon, lat)
        for region, geometry in self._stadtteile[gemeinde.id]:
            if geometry.contains(point):
                return region
        return None

    def _gemeinden_of(self, kreis: Region) -> list[Region]:
        if kreis.id not in self._gemeinden:
            self._gemeinden[kreis.id] = list(
                Region.objects.filter(kind=RegionKind.GEMEINDE, parent=kreis, centre_lat__isnull=False)
                .only("id", "code", "name", "centre_lat", "centre_lon")
            )
        return self._gemeinden[kreis.id]


# ---------------------------------------------------------------------------------------------
# Categories


def school_form_categories(labels: Iterable[str]) -> tuple[Category, list[Category], list[str]]:
    """Primary category, all categories and the labels that have no mapping yet.

    The primary one is the most specific (a Schulform below "weiterführende Schule" beats the
    umbrella), otherwise the first in the source's order.
    """
    mapping = _school_form_mapping()
    found, unknown = [], []
    for label in labels:
        category = mapping.get(label)
        if category is None:
            unknown.append(label)
        elif category not in found:
            found.append(category)
    if not found:
        found = [category_by_code(FALLBACK_CATEGORY)]
    primary = next((c for c in found if c.parent_id), found[0])
    return primary, found, unknown


def _school_form_mapping() -> dict[str, Category]:
    return {m.label: m.category for m in SchoolFormMapping.objects.select_related("category")}


def category_by_code(code: str) -> Category:
    return Category.objects.get(code=code)


def _age_range(categories: list[Category]) -> tuple[int | None, int | None]:
    mins = [c.age_min for c in categories if c.age_min is not None]
    maxs = [c.age_max for c in categories if c.age_max is not None]
    open_end = any(c.age_max is None for c in categories)
    return (min(mins) if mins else None), (None if open_end or not maxs else max(maxs))


# ---------------------------------------------------------------------------------------------
# Bulk upsert (imports)


@dataclass
class PlaceRow:
    """One place as an importer read it; ``fields`` uses PLACE_IMPORT_FIELDS names."""

    external_id: str
    fields: dict
    categories: list[Category]


def places_upsert(rows: list[PlaceRow], report: ImportReport) -> None:
    """Create or update places by external id, in bulk, with their category sets."""
    today = timezone.localdate()
    existing = {p.external_id: p for p in LearningPlace.objects.filter(external_id__in=[r.external_id for r in rows])}
    current_categories: dict[int, set[int]] = {}
    through = LearningPlace.categories.through
    for place_id, category_id in through.objects.filter(learningplace_id__in=[p.id for p in existing.values()]) \
            .values_list("learningplace_id", "category_id"):
        current_categories.setdefault(place_id, set()).add(category_id)

    create, update, category_sets = [], [], []
    for row in rows:
        place = existing.get(row.external_id)
        wanted = {c.id for c in row.categories}
        if place is None:
            place = LearningPlace(external_id=row.external_id, last_verified=today, **row.fields)
            create.append(place)
            category_sets.append((place, wanted))
            continue
        changed = [f for f, v in row.fields.items() if getattr(place, f) != v]
        for f in changed:
            setattr(place, f, row.fields[f])
        categories_changed = current_categories.get(place.id, set()) != wanted
        if changed or categories_changed:
            place.last_verified = today
            update.append(place)
            category_sets.append((place, wanted))
        else:
            report.unchanged += 1
    LearningPlace.objects.bulk_create(create, batch_size=500)
    LearningPlace.objects.bulk_update(update, PLACE_IMPORT_FIELDS + ["last_verified"], batch_size=500)
    through.objects.filter(learningplace_id__in=[p.id for p, _ in category_sets]).delete()
    through.objects.bulk_create(
        [through(learningplace_id=p.id, category_id=c) for p, wanted in category_sets for c in wanted],
        batch_size=1000,
    )
    report.created += len(create)
    report.updated += len(update)


def places_sync_from_organisations(organisations: QuerySet[Organisation], *, report: ImportReport,
                                   description: str) -> ImportReport:
    """Make every school organisation a Lernort (idempotent via the external id)."""
    locator = PlaceLocator()
    gemeinden_with_stadtteile = set(
        Region.objects.filter(kind=RegionKind.STADTTEIL).values_list("parent_id", flat=True)
    )
    rows, unknown_forms, implausible = [], set(), []
    for org in organisations.filter(type__in=SCHOOL_TYPES).exclude(external_id="").select_related("region"):
        primary, categories, unknown = school_form_categories(org.subtypes or [])
        unknown_forms.update(unknown)
        age_min, age_max = _age_range(categories)
        region = org.region
        stadtteil = None
        if region is not None and region.id in gemeinden_with_stadtteile:
            stadtteil = locator.stadtteil(region, org.latitude, org.longitude)
        prefix = next((p for p in LICENCE_BY_PREFIX if org.external_id.startswith(p)), "")
        lat, lon, facts = org.latitude, org.longitude, dict(org.facts or {})
        if lat is not None and not coordinates_plausible(lat, lon):
            # Geocoding errors in the source (e.g. a school placed in France): keep it off the map.
            implausible.append(org.external_id)
            facts["koordinaten_verworfen"] = [lat, lon]
            lat = lon = None
        rows.append(PlaceRow(org.external_id, {
            "name": org.name, "category_id": primary.id, "school_forms": list(org.subtypes or []),
            "operator_id": org.id, "street": org.street, "postcode": org.postcode, "city": org.city,
            "latitude": lat, "longitude": lon,
            "region_id": region.id if region else None,
            "kreis_code": region.code[:5] if region and region.kind in {RegionKind.GEMEINDE, RegionKind.KREIS}
            else "",
            "stadtteil_id": stadtteil.id if stadtteil else None,
            # NRW rows carry the AGS; Hessen rows were placed by the nearest Gemeinde centre.
            "region_approximate": not org.external_id.startswith("NRW-") and region is not None
            and region.kind == RegionKind.GEMEINDE and not region.code.endswith("000"),
            "phone": org.phone, "email": org.email, "website": org.website, "source": org.source,
            "licence": LICENCE_BY_PREFIX.get(prefix, ""), "age_min": age_min, "age_max": age_max,
            "facts": facts, "description": "", "opening_hours": "", "languages": "", "tenant_id": None,
        }, categories))
    places_upsert(rows, report)
    if implausible:
        report.notes.append(
            f"{len(implausible)} Einträge mit Koordinaten außerhalb Deutschlands (Fehler der Quelle) stehen in der "
            f"Liste, aber nicht auf der Karte: {', '.join(implausible[:20])}"
        )
    if unknown_forms:
        report.notes.append(
            "Schulformen ohne Zuordnung (als „Schule (sonstige)“ eingeordnet; Zuordnung in der Verwaltung "
            f"unter „Zuordnungen Schulform → Kategorie“ ergänzen): {', '.join(sorted(unknown_forms))}"
        )
    audit_record_import(model_label="places.LearningPlace", summary=report.as_dict(), description=description)
    return report


# ---------------------------------------------------------------------------------------------
# Single entries (forms, self-service)


def place_position_from_address(*, fields: dict, tenant) -> tuple[dict, Region | None]:
    """No coordinates typed in: a first position from the centre of the address's Gemeinde (by PLZ or Ort).

    Returns the fields (with latitude/longitude where found) and the Gemeinde used, or None.
    """
    from bildungskette.regions.selectors import gemeinde_by_address, tenant_kreis_codes

    if fields.get("latitude") is not None and fields.get("longitude") is not None:
        return fields, None
    gemeinde = gemeinde_by_address(postcode=fields.get("postcode") or "", city=fields.get("city") or "",
                                   kreis_codes=tenant_kreis_codes(tenant) if tenant else None)
    if gemeinde is None:
        return fields, None
    return {**fields, "latitude": round(gemeinde.centre_lat, 6), "longitude": round(gemeinde.centre_lon, 6)}, gemeinde


def place_fields_locate(fields: dict) -> dict:
    """Fill region, Kreis and Stadtteil from the coordinates."""
    location = PlaceLocator().locate(fields.get("latitude"), fields.get("longitude"))
    return {**fields, "region": location.gemeinde, "kreis_code": location.kreis_code,
            "stadtteil": location.stadtteil, "region_approximate": location.approximate}


M2M_FIELDS = {"target_groups", "topics", "categories"}


def _apply(obj, fields: dict) -> None:
    m2m = {k: fields.pop(k) for k in list(fields) if k in M2M_FIELDS}
    for key, value in fields.items():
        setattr(obj, key, value)
    obj.full_clean(exclude=["categories", "target_groups", "topics"])
    obj.save()
    for key, value in m2m.items():
        getattr(obj, key).set(value)
    if isinstance(obj, LearningPlace) and obj.category_id:
        obj.categories.add(obj.category_id)


def _goes_live_directly(user, tenant) -> bool:
    from bildungskette.core.selectors import user_roles

    return user.is_superuser or bool(user_roles(user, tenant) & {Role.TENANT_ADMIN, Role.COORDINATION})


def place_create(*, tenant, user, **fields) -> LearningPlace:
    """A new place. Coordination's go live at once; a provider's wait for review."""
    with transaction.atomic():
        place = LearningPlace(tenant=tenant, last_verified=timezone.localdate(),
                              status=PublicationStatus.PUBLISHED if _goes_live_directly(user, tenant)
                              else PublicationStatus.PENDING)
        _apply(place, place_fields_locate(dict(fields)) if "latitude" in fields else dict(fields))
    return place


def offer_create(*, tenant, user, **fields) -> Offer:
    with transaction.atomic():
        offer = Offer(tenant=tenant, last_verified=timezone.localdate(),
                      status=PublicationStatus.PUBLISHED if _goes_live_directly(user, tenant)
                      else PublicationStatus.PENDING)
        _apply(offer, dict(fields))
    return offer


def _serialisable(value):
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, (list, tuple, QuerySet)):
        return [_serialisable(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def entry_change(*, entry: LearningPlace | Offer, tenant, user, changes: dict) -> ChangeProposal | None:
    """Change a place or offer: directly for coordination, as a proposal for providers.

    A pending (never published) entry of the provider is changed in place: it is reviewed anyway.
    """
    if not changes:
        return None
    if _goes_live_directly(user, tenant) or entry.status == PublicationStatus.PENDING:
        with transaction.atomic():
            if isinstance(entry, LearningPlace) and "latitude" in changes:
                changes = place_fields_locate({"latitude": entry.latitude, "longitude": entry.longitude, **changes})
            entry.last_verified = timezone.localdate()
            _apply(entry, dict(changes))
        return None
    key = "place" if isinstance(entry, LearningPlace) else "offer"
    return ChangeProposal.objects.create(
        tenant=tenant, submitted_by=user, changes={k: _serialisable(v) for k, v in changes.items()}, **{key: entry}
    )


def _resolve(entry, changes: dict) -> dict:
    """Turn stored primitive values back into model values (foreign keys, dates)."""
    resolved = {}
    for name, value in changes.items():
        model_field = entry._meta.get_field(name)
        if model_field.many_to_many:
            resolved[name] = list(model_field.related_model.objects.filter(pk__in=value or []))
        elif model_field.is_relation:
            resolved[name] = model_field.related_model.objects.filter(pk=value).first() if value else None
        elif value and model_field.get_internal_type() == "DateField":
            resolved[name] = datetime.date.fromisoformat(value)
        else:
            resolved[name] = value
    return resolved


def proposal_approve(*, proposal: ChangeProposal, user, note: str = "") -> None:
    with transaction.atomic():
        entry = proposal.target
        changes = _resolve(entry, proposal.changes)
        if isinstance(entry, LearningPlace) and ("latitude" in changes or "longitude" in changes):
            changes = place_fields_locate({"latitude": entry.latitude, "longitude": entry.longitude, **changes})
        entry.last_verified = timezone.localdate()
        _apply(entry, changes)
        _review(proposal, user, ChangeProposal.Status.APPROVED, note)


def proposal_reject(*, proposal: ChangeProposal, user, note: str) -> None:
    _review(proposal, user, ChangeProposal.Status.REJECTED, note)


def _review(proposal, user, status, note):
    proposal.status = status
    proposal.reviewed_by = user
    proposal.reviewed_at = timezone.now()
    proposal.review_note = note[:500]
    proposal.save()


def entry_publish(*, entry: LearningPlace | Offer) -> None:
    """Approve a provider's new entry."""
    entry.status = PublicationStatus.PUBLISHED
    entry.save(update_fields=["status", "updated_at"])


def entry_withdraw(*, entry: LearningPlace | Offer) -> None:
    entry.status = PublicationStatus.WITHDRAWN
    entry.save(update_fields=["status", "updated_at"])


def entry_confirm(*, entry: LearningPlace | Offer) -> None:
    """The provider confirms that the entry is still correct (the yearly check)."""
    entry.last_verified = timezone.localdate()
    entry.verification_reminded_at = None
    entry.save(update_fields=["last_verified", "verification_reminded_at", "updated_at"])


# ---------------------------------------------------------------------------------------------
# Yearly confirmation


@dataclass
class ReminderResult:
    mails: int = 0
    entries: int = 0
    without_recipient: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = f"{self.mails} Erinnerungen zu {self.entries} Einträgen verschickt"
        if self.without_recipient:
            text += f"; ohne Empfänger (kein Konto mit E-Mail): {', '.join(sorted(self.without_recipient))}"
        return text


def verification_reminders_send(*, base_url: str = "") -> ReminderResult:
    """Ask each provider once a year to confirm its entries (again after 30 days if nothing happened)."""
    from django.core.mail import send_mail
    from django.urls import reverse

    from bildungskette.core.models import RoleAssignment

    from .selectors import entries_due_for_verification

    places, offers = entries_due_for_verification()
    by_org: dict[int, list] = {}
    for place in places.select_related("operator"):
        by_org.setdefault(place.operator_id, []).append(place)
    for offer in offers.select_related("provider"):
        by_org.setdefault(offer.provider_id, []).append(offer)
    result = ReminderResult()
    if not by_org:
        return result
    recipients: dict[int, set[str]] = {}
    for org_id, email in RoleAssignment.objects.filter(
            organisation_id__in=by_org, role__in=[Role.PARTNER, Role.TRANSITION_MANAGER],
            user__is_active=True).exclude(user__email="").values_list("organisation_id", "user__email"):
        recipients.setdefault(org_id, set()).add(email)
    link = base_url.rstrip("/") + reverse("places:mine")
    now = timezone.now()
    for org_id, entries in by_org.items():
        if org_id not in recipients:
            organisation = entries[0].operator if isinstance(entries[0], LearningPlace) else entries[0].provider
            result.without_recipient.append(str(organisation))
            continue
        lines = "\n".join(f"– {entry}" for entry in entries)
        send_mail(
            subject="Lernortkarte: Bitte bestätigen Sie Ihre Einträge",
            message=(
                "Guten Tag,\n\nIhre folgenden Einträge in der Lernortkarte wurden seit über einem Jahr nicht "
                f"bestätigt:\n\n{lines}\n\nBitte prüfen Sie sie und bestätigen oder ändern Sie sie unter\n{link}\n\n"
                "Vielen Dank!\nIhre Bildungskoordination"
            ),
            from_email=None, recipient_list=sorted(recipients[org_id]),
        )
        result.mails += 1
        result.entries += len(entries)
        for entry in entries:
            type(entry).objects.filter(pk=entry.pk).update(verification_reminded_at=now)
    return result


# ---------------------------------------------------------------------------------------------
# Entries published on behalf of another module (e.g. training places a company reports)


def site_publish(*, tenant, organisation, name: str, category_code: str, street: str, postcode: str, city: str,
                 latitude: float | None = None, longitude: float | None = None, source: str,
                 site: LearningPlace | None = None, visible_until: datetime.date | None = None,
                 is_synthetic: bool = False) -> tuple[LearningPlace, Region | None]:
    """Create or update a published site of ``organisation`` at an address. Without coordinates the
    position is the centre of the address's Gemeinde (as in the Lernort form); the Gemeinde used is
    returned so the caller can ask for the exact position in the picker."""
    fields = {"street": street.strip(), "postcode": postcode.strip(), "city": city.strip(),
              "latitude": latitude, "longitude": longitude}
    fields, gemeinde = place_position_from_address(fields=fields, tenant=tenant)
    with transaction.atomic():
        if site is None:
            site = LearningPlace(tenant=tenant, category=category_by_code(category_code), operator=organisation,
                                 name=name, source=source, is_synthetic=is_synthetic)
        site.status = PublicationStatus.PUBLISHED
        site.last_verified = timezone.localdate()
        site.visible_until = visible_until
        _apply(site, place_fields_locate(fields))
    return site, gemeinde


def offer_publish(*, tenant, place: LearningPlace, provider, title: str, description: str, source: str,
                  starts_on: datetime.date | None = None, visible_until: datetime.date | None = None,
                  education_stage: str = "", offer: Offer | None = None, is_synthetic: bool = False) -> Offer:
    """Create or update a published offer at a place on behalf of its provider."""
    with transaction.atomic():
        if offer is None:
            offer = Offer(tenant=tenant)
        offer.status = PublicationStatus.PUBLISHED
        offer.last_verified = timezone.localdate()
        _apply(offer, {"place": place, "provider": provider, "title": title[:300], "description": description,
                       "source": source, "starts_on": starts_on, "visible_until": visible_until,
                       "education_stage": education_stage, "is_synthetic": is_synthetic})
    return offer


def entry_visibility_set(*, entry: LearningPlace | Offer, visible_until: datetime.date | None,
                         withdrawn: bool = False) -> None:
    """Keep an entry on the public map until a date, or take it off (withdrawn)."""
    entry.visible_until = visible_until
    entry.status = PublicationStatus.WITHDRAWN if withdrawn else PublicationStatus.PUBLISHED
    entry.save(update_fields=["visible_until", "status", "updated_at"])
