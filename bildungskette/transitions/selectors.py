"""Every non-trivial read of the transition area. Person-level reads take the user and tenant and
filter in the query: a transition manager's queryset contains only the own school's students,
whatever the template or API does with it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from bildungskette.core.models import Role
from bildungskette.core.selectors import user_organisation_ids, user_roles

from .models import (
    COMPANY_ENCOUNTER_KINDS,
    AccessLogEntry,
    Activity,
    ActivityKind,
    Booking,
    BookingStatus,
    Catalogue,
    CatalogueKind,
    CompanyContact,
    DestinationOption,
    Event,
    FollowUp,
    FollowUpStatus,
    OccupationalField,
    Outcome,
    School,
    StandardElement,
    Student,
    StudentStatus,
)
from .pseudonyms import name_decrypt

# Activity kind → (KAoA code, OloV code) of the catalogue entry it documents.
KIND_ELEMENTS = {
    ActivityKind.POTENTIAL_ANALYSIS: ("SBO 4.1", "BO3"),
    ActivityKind.BFE: ("SBO 5.1", "BO5"),
    ActivityKind.INTERNSHIP: ("SBO 6.1", "BO7"),
    ActivityKind.PRACTICE_COURSE: ("SBO 6.4", "BO7"),
    ActivityKind.COUNSELLING_BA: ("SBO 2.2", "BO4"),
    ActivityKind.COUNSELLING_OTHER: ("SBO 2.1", "BO4"),
    ActivityKind.APPLICATION_TRAINING: ("SBO 10.1", "BO4"),
    ActivityKind.EVENT: ("SBO 2.3", "BO5"),
}
# Grades in which the school overview expects each activity (Hessen/OloV starts in grade 7, KAoA in 8).
KIND_GRADES = {
    ActivityKind.POTENTIAL_ANALYSIS: (8, 10),
    ActivityKind.BFE: (8, 10),
    ActivityKind.INTERNSHIP: (9, 10),
    ActivityKind.PRACTICE_COURSE: (9, 10),
    ActivityKind.COUNSELLING_BA: (9, 10),
    ActivityKind.COUNSELLING_OTHER: (7, 10),
    ActivityKind.APPLICATION_TRAINING: (9, 10),
    ActivityKind.EVENT: (7, 10),
}


# ---------------------------------------------------------------------------------------------
# Catalogues
# ---------------------------------------------------------------------------------------------


def catalogue_current(kind: str, land_code: str) -> Catalogue | None:
    return Catalogue.objects.filter(kind=kind, land_code=land_code, is_current=True).first()


def kaoa_catalogue() -> Catalogue | None:
    return catalogue_current(CatalogueKind.KAOA, "05")


def catalogue_for_tenant(tenant) -> Catalogue | None:
    """The Land's orientation catalogue: OloV in Hessen, KAoA in NRW (and as the fallback)."""
    if tenant is not None and tenant.land_code == "06":
        return catalogue_current(CatalogueKind.OLOV, "06") or kaoa_catalogue()
    return kaoa_catalogue()


def destination_options(tenant=None) -> QuerySet[DestinationOption]:
    """Anschlussoptionen. Only NRW publishes a catalogue; other Länder use it too (stated on screen)."""
    catalogue = kaoa_catalogue()
    return DestinationOption.objects.filter(catalogue=catalogue, is_active=True).order_by("position")


def occupational_fields() -> QuerySet[OccupationalField]:
    return OccupationalField.objects.filter(catalogue=kaoa_catalogue()).order_by("position")


def elements_for_kinds(tenant) -> dict[str, StandardElement | None]:
    """The catalogue entry each activity kind documents, in two queries."""
    catalogue = catalogue_for_tenant(tenant)
    if catalogue is None:
        return dict.fromkeys(ActivityKind.values)
    index = 1 if catalogue.kind == CatalogueKind.OLOV else 0
    codes = {kind: pair[index] for kind, pair in KIND_ELEMENTS.items()}
    found = {e.code: e for e in StandardElement.objects.filter(catalogue=catalogue, code__in=codes.values())}
    return {kind: found.get(code) for kind, code in codes.items()}


def element_for_kind(tenant, kind: str) -> StandardElement | None:
    catalogue = catalogue_for_tenant(tenant)
    if catalogue is None:
        return None
    kaoa, olov = KIND_ELEMENTS.get(kind, ("", ""))
    code = olov if catalogue.kind == CatalogueKind.OLOV else kaoa
    return StandardElement.objects.filter(catalogue=catalogue, code=code).first()


# ---------------------------------------------------------------------------------------------
# Scoping
# ---------------------------------------------------------------------------------------------


def schools_managed_by(user, tenant) -> QuerySet[School]:
    """Schools whose person-level data the user may read: a transition manager's own school(s)."""
    if tenant is None or not user.is_authenticated:
        return School.objects.none()
    org_ids = user_organisation_ids(user, tenant, role=Role.TRANSITION_MANAGER)
    return School.objects.filter(tenant=tenant, organisation_id__in=org_ids).select_related("organisation")


def students_visible_to(user, tenant) -> QuerySet[Student]:
    if tenant is None or not user.is_authenticated:
        return Student.objects.none()
    org_ids = user_organisation_ids(user, tenant, role=Role.TRANSITION_MANAGER)
    return Student.objects.filter(tenant=tenant, school__organisation_id__in=org_ids)


def school_get(user, tenant, pk: int) -> School:
    school = schools_managed_by(user, tenant).filter(pk=pk).first()
    if school is None:
        raise Http404
    return school


def student_get(user, tenant, pk: int) -> Student:
    student = students_visible_to(user, tenant).select_related(
        "school__organisation", "planned_option", "actual_option", "actual_field").filter(pk=pk).first()
    if student is None:
        raise Http404
    return student


def can_see_aggregates(user, tenant) -> bool:
    return bool(tenant is not None and user.is_authenticated and (
        user_roles(user, tenant) & {Role.COORDINATION, Role.MONITORING, Role.TENANT_ADMIN, Role.TRANSITION_MANAGER}))


def student_names(student: Student) -> tuple[str, str]:
    """Decrypted first and last name; only ever called for a student already scoped to the user."""
    return name_decrypt(student.school_id, student.first_name_enc), name_decrypt(student.school_id,
                                                                                student.last_name_enc)


# ---------------------------------------------------------------------------------------------
# School pages
# ---------------------------------------------------------------------------------------------


def school_classes(school: School) -> list[dict]:
    rows = (Student.objects.filter(school=school, status=StudentStatus.ACTIVE)
            .values("grade", "class_name").annotate(n=Count("id")).order_by("grade", "class_name"))
    return list(rows)


def _gap_annotations():
    encounter = Activity.objects.filter(student=OuterRef("pk"), kind__in=COMPANY_ENCOUNTER_KINDS)
    bfe = Activity.objects.filter(student=OuterRef("pk"), kind=ActivityKind.BFE)
    return {"has_encounter": Exists(encounter), "has_bfe": Exists(bfe)}


def class_students(school: School, class_name: str) -> QuerySet[Student]:
    return (Student.objects.filter(school=school, status=StudentStatus.ACTIVE, class_name=class_name)
            .annotate(**_gap_annotations()).select_related("planned_option").order_by("pseudonym"))


@dataclass
class GapSummary:
    total: int
    without_encounter: int
    without_bfe: int
    without_agreement: int


def gap_summary(students: list[Student]) -> GapSummary:
    return GapSummary(
        total=len(students),
        without_encounter=sum(1 for s in students if not s.has_encounter),
        without_bfe=sum(1 for s in students if not s.has_bfe),
        without_agreement=sum(1 for s in students if s.planned_option_id is None),
    )


@dataclass
class BenchmarkRow:
    kind: str
    label: str
    element: StandardElement | None
    grades: str
    eligible: int
    reached: int

    @property
    def share(self) -> float | None:
        return round(100.0 * self.reached / self.eligible, 1) if self.eligible else None

    @property
    def status(self) -> str:
        share = self.share
        if share is None:
            return ""
        return "ok" if share >= 90 else ("warn" if share >= 60 else "bad")


def school_benchmarks(school: School) -> list[BenchmarkRow]:
    """Per catalogue element: how many students in the grades where it is due have had it
    (like Compass's benchmark view). Two queries in total."""
    active = Student.objects.filter(school=school, status=StudentStatus.ACTIVE)
    per_grade = dict(active.values_list("grade").annotate(n=Count("id")))
    reached_rows = (Activity.objects.filter(student__school=school, student__status=StudentStatus.ACTIVE)
                    .values("kind", "student__grade").annotate(n=Count("student", distinct=True)))
    reached: dict[tuple[str, int], int] = {(r["kind"], r["student__grade"]): r["n"] for r in reached_rows}
    elements = elements_for_kinds(school.tenant)
    rows = []
    for kind in ActivityKind:
        low, high = KIND_GRADES[kind]
        grades = [g for g in per_grade if low <= g <= high]
        rows.append(BenchmarkRow(
            kind=kind.value, label=kind.label, element=elements[kind.value],
            grades=f"{low}–{high}", eligible=sum(per_grade[g] for g in grades),
            reached=sum(reached.get((kind.value, g), 0) for g in grades)))
    return rows


def september_guarantee(school: School, today: datetime.date | None = None) -> QuerySet[Student]:
    """Who has no offer yet: students in the final grade without a planned known next step, and
    this year's leavers without a known actual one (NCCIS September Guarantee)."""
    today = today or timezone.localdate()
    year = today.year if today.month >= 8 else today.year - 1
    final = Q(status=StudentStatus.ACTIVE, grade__gte=school.final_grade) & (
        Q(planned_option__isnull=True) | ~Q(planned_option__outcome=Outcome.KNOWN))
    leavers = Q(status=StudentStatus.LEFT, leaving_year__gte=year) & ~Q(actual_outcome=Outcome.KNOWN)
    return (Student.objects.filter(school=school).filter(final | leavers)
            .select_related("planned_option", "actual_option").order_by("status", "class_name", "pseudonym"))


def follow_ups_for(user, tenant) -> QuerySet[FollowUp]:
    return (FollowUp.objects.filter(student__in=students_visible_to(user, tenant), status=FollowUpStatus.OPEN)
            .select_related("student", "student__school__organisation", "owner").order_by("due_on", "id"))


def student_activities(student: Student) -> QuerySet[Activity]:
    return student.activities.select_related("element", "occupational_field", "provider", "event")


# ---------------------------------------------------------------------------------------------
# Events
# ---------------------------------------------------------------------------------------------


def events_public(tenant=None) -> QuerySet[Event]:
    qs = Event.objects.filter(is_public=True, ends_at__gte=timezone.now()).select_related(
        "organisation", "occupational_field", "tenant")
    if tenant is not None:
        qs = qs.filter(tenant=tenant)
    return qs.annotate(taken=Count("bookings", filter=Q(bookings__status__in=[
        BookingStatus.REQUESTED, BookingStatus.CONFIRMED]))).annotate(free=F("capacity") - F("taken")).order_by(
        "starts_at")


def events_for_tenant(tenant) -> QuerySet[Event]:
    return (Event.objects.filter(tenant=tenant).select_related("organisation", "occupational_field")
            .annotate(taken=Count("bookings", filter=Q(bookings__status__in=[
                BookingStatus.REQUESTED, BookingStatus.CONFIRMED])),
                waiting=Count("bookings", filter=Q(bookings__status=BookingStatus.WAITLISTED)))
            .annotate(free=F("capacity") - F("taken")).order_by("-starts_at"))


def events_for_company(contact: CompanyContact) -> QuerySet[Event]:
    return (Event.objects.filter(tenant=contact.tenant, organisation=contact.organisation)
            .select_related("occupational_field").order_by("-starts_at"))


def company_bookings(contact: CompanyContact) -> QuerySet[Booking]:
    """Every booking a company may see or touch: of its own events in the contact's tenant, made by
    a school of that tenant for one of its own pupils (bookings are only created through a school's
    scoped booking page), not cancelled. The one place the company portal reads pupils through."""
    return (Booking.objects.filter(event__organisation=contact.organisation, event__tenant=contact.tenant,
                                   tenant=contact.tenant, student__tenant=contact.tenant,
                                   student__school__tenant=contact.tenant)
            .exclude(status=BookingStatus.CANCELLED))


def bookings_for_company(contact: CompanyContact, event: Event) -> QuerySet[Booking]:
    """A company sees only bookings of its own events; the template shows only the shared name."""
    return company_bookings(contact).filter(event=event).select_related("student").order_by("status", "created_at")


def company_colleagues(contact: CompanyContact) -> QuerySet[CompanyContact]:
    return CompanyContact.objects.filter(tenant=contact.tenant, organisation=contact.organisation).order_by(
        "-is_active", "name")


def booking_display_name(booking: Booking) -> str:
    """What the company may see: the pseudonym, or the first name if the school chose to share it."""
    if booking.shared_name == "first_name":
        first = name_decrypt(booking.student.school_id, booking.student.first_name_enc)
        if first:
            return f"{first} ({booking.student.pseudonym})"
    return booking.student.pseudonym


def school_bookings(school: School, event: Event) -> QuerySet[Booking]:
    return Booking.objects.filter(event=event, student__school=school).select_related("student")


# ---------------------------------------------------------------------------------------------
# Privacy
# ---------------------------------------------------------------------------------------------


def access_log(tenant) -> QuerySet[AccessLogEntry]:
    return AccessLogEntry.objects.filter(tenant=tenant).select_related("school__organisation").order_by("-at", "-id")


def student_export(student: Student) -> dict:
    """Art. 15: everything stored about one person, as plain data (and nothing about anyone else)."""
    first, last = student_names(student)

    def d(value):
        return value.isoformat() if value else None

    bookings = student.bookings.select_related("event__organisation")
    return {
        "hinweis": "Auskunft nach Art. 15 DSGVO – alle gespeicherten Daten zu dieser Person.",
        "erstellt_am": timezone.now().isoformat(),
        "schueler_in": {
            "pseudonym": student.pseudonym, "vorname": first or None, "nachname": last or None,
            "schule": str(student.school.organisation), "jahrgang": student.grade, "klasse": student.class_name,
            "geschlecht": student.get_gender_display() if student.gender else None,
            "angestrebter_abschluss": student.get_expected_qualification_display() or None,
            "status": student.get_status_display(), "abgangsjahr": student.leaving_year,
            "abgegangen_am": d(student.left_on), "synthetisch": student.synthetic,
            "widerspruch_uebermittlung_am": d(student.handover_objection_on),
            "angelegt_am": d(student.created_at),
        },
        "aktivitaeten": [
            {"art": a.get_kind_display(), "datum": d(a.on_date),
             "standardelement": a.element.code if a.element else None,
             "berufsfeld": a.occupational_field.title if a.occupational_field else None, "beruf": a.occupation or None,
             "anbieter": str(a.provider) if a.provider else None, "notiz": a.note or None}
            for a in student_activities(student)],
        "anschluesse": [
            {"art": x.get_kind_display(), "anschluss": f"{x.option.code} – {x.option.title}", "datum": d(x.on_date),
             "quelle": x.get_source_display(), "verlaesslichkeit": x.get_confidence_display(),
             "beruf": x.occupation or None}
            for x in student.destinations.select_related("option")],
        "nachverfolgung": [
            {"anlass": f.get_reason_display(), "faellig_am": d(f.due_on), "status": f.get_status_display(),
             "notizen": f.notes or None, "zustaendig": str(f.owner) if f.owner else None}
            for f in student.follow_ups.select_related("owner")],
        "rechtsgrundlagen_einwilligungen": [
            {"zweck": c.get_purpose_display(), "rechtsgrundlage": c.get_legal_basis_display(),
             "version": c.text_version or None, "erteilt_am": d(c.given_on),
             "erteilt_von": c.get_given_by_display() or None, "widerrufen_am": d(c.withdrawn_on)}
            for c in student.consents.all()],
        "uebermittlungen": [
            {"an": h.get_recipient_display(), "am": d(h.handed_over_on)} for h in student.handovers.all()],
        "buchungen": [
            {"veranstaltung": b.event.title, "anbieter": str(b.event.organisation), "beginn": d(b.event.starts_at),
             "status": b.get_status_display(), "fuer_betrieb_sichtbar": b.get_shared_name_display(),
             "teilgenommen": b.attended}
            for b in bookings],
        "aenderungsverlauf": student_change_history(student),
        "zugriffe": [
            {"am": d(e.at), "wer": e.actor_label, "art": e.get_action_display(), "was": e.what}
            for e in AccessLogEntry.objects.filter(tenant=student.tenant, school=student.school).order_by("-at")
            if student.pk in e.student_ids],
    }


def student_change_history(student: Student) -> list[dict]:
    """Art. 15: the audit entries of the record and of everything attached to it, oldest first."""
    from bildungskette.core.models import AuditEntry

    ids_by_model = {
        "transitions.Student": [student.pk],
        "transitions.Activity": list(student.activities.values_list("pk", flat=True)),
        "transitions.Destination": list(student.destinations.values_list("pk", flat=True)),
        "transitions.FollowUp": list(student.follow_ups.values_list("pk", flat=True)),
        "transitions.Consent": list(student.consents.values_list("pk", flat=True)),
        "transitions.Handover": list(student.handovers.values_list("pk", flat=True)),
        "transitions.Booking": list(student.bookings.values_list("pk", flat=True)),
    }
    query = Q()
    for label, ids in ids_by_model.items():
        if ids:
            query |= Q(model_label=label, object_id__in=[str(i) for i in ids])
    entries = AuditEntry.objects.filter(query, tenant=student.tenant).order_by("created_at", "id")
    return [{"am": e.created_at.isoformat(), "wer": e.actor_label, "aktion": e.get_action_display(),
             "datensatz": e.model_label.split(".", 1)[1], "aenderungen": e.changes} for e in entries]


def company_contact_for_session(request) -> CompanyContact | None:
    data = request.session.get("transitions_company")
    if not data:
        return None
    contact = CompanyContact.objects.select_related("organisation", "tenant").filter(
        pk=data.get("c"), is_active=True).first()
    if contact is None or contact.link_generation != data.get("g"):
        return None
    return contact


def events_search(query: str, tenant, limit: int):
    """Upcoming public events by title, provider or place (the start page's search)."""
    from django.urls import reverse
    from django.utils import formats

    from bildungskette.core.search import SearchGroup, SearchHit

    qs = events_public(tenant).filter(Q(title__icontains=query) | Q(organisation__name__icontains=query)
                                      | Q(location__icontains=query))
    hits = [SearchHit(e.title, reverse("transitions:event", args=[e.pk]),
                      f"{formats.date_format(timezone.localtime(e.starts_at), 'SHORT_DATETIME_FORMAT')} · "
                      f"{e.organisation}") for e in qs[:limit]]
    return SearchGroup("", "", hits=hits, total=qs.count(), more_url=reverse("transitions:events"))
