"""Every write of the transition area: plain functions with keyword-only arguments.

Multi-step writes run in one transaction. Nothing here logs person-level data: log lines carry
ids and counts only.
"""

from __future__ import annotations

import calendar
import datetime
import logging
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from bildungskette.core.audit import audit_record_import
from bildungskette.core.auth.tokens import token_consume, token_issue, token_peek, tokens_revoke
from bildungskette.core.importing import ImportReport
from bildungskette.core.models import AuditEntry
from bildungskette.core.timing import started_or_refuse

from .importers import class_list_parse
from .models import (
    AccessAction,
    AccessLogEntry,
    Activity,
    Booking,
    BookingStatus,
    CompanyContact,
    Consent,
    ConsentGiver,
    Destination,
    DestinationKind,
    Event,
    FollowUp,
    FollowUpStatus,
    Handover,
    HandoverRecipient,
    LegalBasis,
    Outcome,
    Purpose,
    School,
    SharedName,
    Student,
    StudentStatus,
    TransitionPolicy,
)
from .pseudonyms import name_encrypt, pseudonym_from_key, source_key

logger = logging.getLogger(__name__)

COMPANY_LINK_PURPOSE = "transitions.company-link"
COMPANY_LINK_MAX_AGE = 30 * 60  # seconds; single use, so a link found later in a mailbox or log is worthless
PERSON_MODELS = ["transitions.Student", "transitions.Activity", "transitions.Destination", "transitions.FollowUp",
                 "transitions.Consent", "transitions.Handover", "transitions.Booking"]


def policy_for(tenant) -> TransitionPolicy:
    policy = TransitionPolicy.objects.filter(tenant=tenant).first()
    if policy is None:
        policy = TransitionPolicy.objects.create(tenant=tenant)
    return policy


# ---------------------------------------------------------------------------------------------
# Access log
# ---------------------------------------------------------------------------------------------


def access_log_record(*, tenant, actor=None, actor_label: str = "", action: str, what: str, school=None,
                      student_ids=()) -> AccessLogEntry:
    ids = sorted({int(i) for i in student_ids})
    return AccessLogEntry.objects.create(
        tenant=tenant, school=school, actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=(actor_label or (str(actor) if actor is not None else "System"))[:200], action=action,
        what=what[:200], student_ids=ids, record_count=len(ids))


# ---------------------------------------------------------------------------------------------
# Schools and students
# ---------------------------------------------------------------------------------------------


def school_ensure(*, tenant, organisation, **fields) -> School:
    school, created = School.objects.get_or_create(tenant=tenant, organisation=organisation, defaults=fields)
    if not created:
        changed = {k: v for k, v in fields.items() if getattr(school, k) != v}
        if changed:
            for k, v in changed.items():
                setattr(school, k, v)
            school.save()
    return school


def student_create(*, school: School, grade: int, class_name: str, gender: str = "",
                   expected_qualification: str = "", first_name: str = "", last_name: str = "",
                   identity: str = "", synthetic: bool = False) -> Student:
    key = source_key(school.pk, identity or f"manual|{timezone.now().isoformat()}|{class_name}")
    student = Student(tenant=school.tenant, school=school, pseudonym=_pseudonym_unique(school, key), source_key=key,
                      grade=grade, class_name=class_name, gender=gender,
                      expected_qualification=expected_qualification, synthetic=synthetic)
    if school.names_enabled:
        student.first_name_enc = name_encrypt(school.pk, first_name)
        student.last_name_enc = name_encrypt(school.pk, last_name)
    student.full_clean()
    student.save()
    return student


def _pseudonym_unique(school: School, key: str) -> str:
    pseudonym = pseudonym_from_key(key)
    length = 8
    while Student.objects.filter(school=school, pseudonym=pseudonym).exclude(source_key=key).exists():
        length += 1  # practically never: 32^8 combinations per school
        pseudonym = pseudonym_from_key(key, length)
    return pseudonym


@dataclass
class ClassListResult:
    report: ImportReport
    # Shown once after the upload so the school can keep its own key list; never stored.
    key_list: list[tuple[str, str, str]] = field(default_factory=list)


def class_list_import(*, school: School, raw: bytes, actor=None) -> ClassListResult:
    """Import a class list: new students get a pseudonym, known ones (same identity) are updated.
    Names are dropped unless the school stores names (then encrypted)."""
    rows = class_list_parse(raw)
    report = ImportReport(importer="klassenliste", source=str(school))
    result = ClassListResult(report=report)
    with transaction.atomic():
        existing = {s.source_key: s for s in Student.objects.filter(school=school)}
        touched = []
        for row in rows:
            key = source_key(school.pk, row.identity)
            student = existing.get(key)
            if student is None:
                student = Student(tenant=school.tenant, school=school, source_key=key,
                                  pseudonym=_pseudonym_unique(school, key))
                report.created += 1
            else:
                report.updated += 1
            student.grade, student.class_name = row.grade, row.class_name
            student.gender, student.expected_qualification = row.gender, row.qualification
            student.status = StudentStatus.ACTIVE
            if school.names_enabled:
                student.first_name_enc = name_encrypt(school.pk, row.first_name)
                student.last_name_enc = name_encrypt(school.pk, row.last_name)
            student.save()
            touched.append(student.pk)
            name = f"{row.last_name}, {row.first_name}".strip(", ") or row.identity.split("|", 1)[-1]
            result.key_list.append((student.pseudonym, row.class_name, name))
        access_log_record(tenant=school.tenant, actor=actor, action=AccessAction.IMPORT, school=school,
                          what=_("Klassenliste importiert"), student_ids=touched)
        audit_record_import(tenant=school.tenant, model_label="transitions.Student",
                            description=f"Klassenliste {school}", summary={
                                "created": report.created, "updated": report.updated})
    logger.info("class list imported: school=%s created=%s updated=%s", school.pk, report.created, report.updated)
    return result


_GRADE_PREFIX = re.compile(r"^(\d{1,2})")


def school_year_advance(*, school: School, on_date: datetime.date | None = None) -> dict[str, int]:
    """Move every active student up one grade; the final grade leaves school (leaving year = the
    calendar year the school year ended in). Class names keep their letter: 8a → 9a."""
    on_date = on_date or timezone.localdate()
    with transaction.atomic():
        leaving = Student.objects.filter(school=school, status=StudentStatus.ACTIVE, grade__gte=school.final_grade)
        left = leaving.update(status=StudentStatus.LEFT, left_on=on_date, leaving_year=on_date.year)
        moving = list(Student.objects.filter(school=school, status=StudentStatus.ACTIVE))
        for student in moving:
            student.grade += 1
            student.class_name = _GRADE_PREFIX.sub(str(student.grade), student.class_name, count=1)
        Student.objects.bulk_update(moving, ["grade", "class_name"], batch_size=500)
        audit_record_import(tenant=school.tenant, model_label="transitions.Student",
                            description=f"Versetzung {school}", summary={"moved": len(moving), "left": left})
    return {"moved": len(moving), "left": left}


# ---------------------------------------------------------------------------------------------
# Activities
# ---------------------------------------------------------------------------------------------


def activity_record(*, student: Student, kind: str, on_date: datetime.date, element=None,
                    occupational_field=None, occupation: str = "", provider=None, event=None,
                    note: str = "") -> Activity:
    activity = Activity(tenant=student.tenant, student=student, kind=kind, on_date=on_date, element=element,
                        occupational_field=occupational_field, occupation=occupation, provider=provider,
                        event=event, note=note)
    activity.full_clean()
    activity.save()
    return activity


def activity_record_for_students(*, students, kind: str, on_date: datetime.date, **fields) -> tuple[int, int]:
    """The same activity for many students at once (a whole class).

    A student who already has this record (same kind, day, Berufsfeld, occupation and provider) is
    not recorded twice: a second click on the same form stores nothing new.
    Returns ``(recorded, already_there)``.
    """
    students = list(students)
    same = {"kind": kind, "on_date": on_date, "occupational_field": fields.get("occupational_field"),
            "occupation": fields.get("occupation", ""), "provider": fields.get("provider")}
    with transaction.atomic():
        existing = set(Activity.objects.select_for_update().filter(
            student__in=students, **same).values_list("student_id", flat=True))
        count = 0
        for student in students:
            if student.pk in existing:
                continue
            activity_record(student=student, kind=kind, on_date=on_date, **fields)
            count += 1
    return count, len(existing)


# ---------------------------------------------------------------------------------------------
# Next steps and follow-up
# ---------------------------------------------------------------------------------------------


def destination_set(*, student: Student, kind: str, option, on_date: datetime.date, source: str = "school",
                    confidence: str = "confirmed", occupation: str = "", occupational_field=None,
                    owner=None, provider=None) -> Destination:
    """Record a planned or actual next step. An actual "unknown" or "no next step" opens a
    follow-up (due in four weeks) unless one is open already; a known one closes open ones."""
    with transaction.atomic():
        destination = Destination(tenant=student.tenant, student=student, kind=kind, option=option,
                                  on_date=on_date, source=source, confidence=confidence, occupation=occupation,
                                  occupational_field=occupational_field, provider=provider)
        destination.full_clean()
        destination.save()
        latest = student.destinations.filter(kind=kind).order_by("-on_date", "-id").first()
        if kind == DestinationKind.PLANNED:
            student.planned_option = latest.option
            student.save(update_fields=["planned_option"])
        else:
            student.actual_option = latest.option
            student.actual_outcome = latest.option.outcome
            student.actual_sector = latest.option.iabe_sector
            student.actual_field = latest.occupational_field
            student.save(update_fields=["actual_option", "actual_outcome", "actual_sector", "actual_field"])
            if latest.option.outcome in {Outcome.UNKNOWN, Outcome.NO_NEXT_STEP}:
                if not student.follow_ups.filter(status=FollowUpStatus.OPEN).exists():
                    follow_up_open(student=student, reason=latest.option.outcome, owner=owner,
                                   due_on=on_date + datetime.timedelta(days=28))
            else:
                for follow_up in student.follow_ups.filter(status=FollowUpStatus.OPEN):
                    follow_up_close(follow_up=follow_up, notes=follow_up.notes)
    return destination


def follow_up_open(*, student: Student, reason: str, due_on: datetime.date, owner=None) -> FollowUp:
    follow_up = FollowUp(tenant=student.tenant, student=student, reason=reason, due_on=due_on, owner=owner)
    follow_up.full_clean()
    follow_up.save()
    return follow_up


def follow_up_update(*, follow_up: FollowUp, owner=None, due_on=None, notes: str | None = None) -> FollowUp:
    if owner is not None:
        follow_up.owner = owner
    if due_on is not None:
        follow_up.due_on = due_on
    if notes is not None:
        follow_up.notes = notes
    follow_up.save()
    return follow_up


def follow_up_close(*, follow_up: FollowUp, notes: str = "") -> FollowUp:
    follow_up.status = FollowUpStatus.DONE
    follow_up.notes = notes
    follow_up.closed_at = timezone.now()
    follow_up.save()
    return follow_up


# ---------------------------------------------------------------------------------------------
# Consent and handover
# ---------------------------------------------------------------------------------------------


def consent_record(*, student: Student, purpose: str, legal_basis: str, given_on: datetime.date,
                   text_version: str = "", given_by: str = "", age_at_consent: int | None = None,
                   recorded_by=None) -> Consent:
    """Record a legal basis or a consent. Consent by the young person alone needs the age of
    self-consent configured for the tenant (policy)."""
    if legal_basis == LegalBasis.CONSENT:
        errors = {}
        if not text_version:
            errors["text_version"] = _("Bei einer Einwilligung bitte die Version des Einwilligungstexts angeben.")
        if not given_by:
            errors["given_by"] = _("Bitte angeben, wer eingewilligt hat.")
        if given_by == ConsentGiver.STUDENT:
            minimum = policy_for(student.tenant).self_consent_age
            if age_at_consent is None or age_at_consent < minimum:
                errors["age_at_consent"] = _(
                    "Eine eigene Einwilligung ist erst ab %(n)d Jahren möglich; sonst willigen die "
                    "Erziehungsberechtigten ein.") % {"n": minimum}
        if errors:
            raise ValidationError(errors)
    consent = Consent(tenant=student.tenant, student=student, purpose=purpose, legal_basis=legal_basis,
                      given_on=given_on, text_version=text_version, given_by=given_by,
                      age_at_consent=age_at_consent, recorded_by=recorded_by)
    consent.full_clean()
    consent.save()
    return consent


def consent_withdraw(*, consent: Consent, on_date: datetime.date | None = None) -> Consent:
    consent.withdrawn_on = on_date or timezone.localdate()
    consent.save()
    if consent.legal_basis == LegalBasis.SGB_III_31A:
        Student.objects.filter(pk=consent.student_id).update(handover_objection_on=consent.withdrawn_on)
    return consent


def handover_basis(student: Student) -> Consent | None:
    """The recorded basis that allows a handover, or None: an active consent for the handover
    purpose, or § 31a SGB III for a young person without a next step who has not objected."""
    active = student.consents.filter(purpose=Purpose.HANDOVER, withdrawn_on__isnull=True)
    consent = active.filter(legal_basis=LegalBasis.CONSENT).order_by("-given_on").first()
    if consent:
        return consent
    if student.handover_objection_on is None and student.actual_outcome in {Outcome.NO_NEXT_STEP, Outcome.UNKNOWN}:
        return active.filter(legal_basis=LegalBasis.SGB_III_31A).order_by("-given_on").first()
    return None


def handover_create(*, student: Student, recipient: str, actor=None,
                    on_date: datetime.date | None = None) -> Handover:
    basis = handover_basis(student)
    if basis is None:
        raise ValidationError(_(
            "Eine Übergabe an %(r)s ist nur mit erfasster Rechtsgrundlage (§ 31a SGB III ohne Widerspruch, bei "
            "fehlendem Anschluss) oder Einwilligung möglich.") % {"r": HandoverRecipient(recipient).label})
    handover = Handover(tenant=student.tenant, student=student, recipient=recipient, consent=basis,
                        handed_over_on=on_date or timezone.localdate(), created_by=actor)
    handover.full_clean()
    handover.save()
    return handover


# ---------------------------------------------------------------------------------------------
# Events, bookings, company access
# ---------------------------------------------------------------------------------------------


def event_create(*, tenant, organisation, title: str, starts_at, ends_at, location: str, capacity: int,
                 **fields) -> Event:
    event = Event(tenant=tenant, organisation=organisation, title=title, starts_at=starts_at, ends_at=ends_at,
                  location=location, capacity=capacity, **fields)
    event.full_clean()
    event.save()
    return event


def event_places_taken(event: Event) -> int:
    """Places given: bookings requested or confirmed (the waiting list and cancellations hold none)."""
    return event.bookings.filter(status__in=[BookingStatus.REQUESTED, BookingStatus.CONFIRMED]).count()


def event_waitlist_advance(*, event: Event) -> int:
    """Move bookings up from the waiting list, oldest first, while the event has free places (after
    its capacity was raised); returns how many moved up. Call inside a transaction."""
    Event.objects.select_for_update().filter(pk=event.pk).first()
    free = event.capacity - event_places_taken(event)
    if free <= 0:
        return 0
    moving = list(event.bookings.filter(status=BookingStatus.WAITLISTED).order_by("created_at", "id")[:free])
    for booking in moving:
        booking.status = BookingStatus.REQUESTED
        booking.save()
    return len(moving)


def booking_create(*, event: Event, student: Student, shared_name: str = SharedName.PSEUDONYM) -> Booking:
    """Book a place; when the event is full the booking goes on the waiting list."""
    if student.tenant_id != event.tenant_id:
        raise ValidationError(_("Veranstaltung und Schüler*in gehören zu verschiedenen Mandanten."))
    if shared_name == SharedName.FIRST_NAME and not (student.school.names_enabled and student.first_name_enc):
        shared_name = SharedName.PSEUDONYM
    with transaction.atomic():
        # Lock the event row so two schools booking the last place at once cannot both get it.
        Event.objects.select_for_update().filter(pk=event.pk).first()
        booking = Booking.objects.filter(event=event, student=student).first()
        status = BookingStatus.REQUESTED if event_places_taken(event) < event.capacity else BookingStatus.WAITLISTED
        if booking is None:
            booking = Booking(tenant=event.tenant, event=event, student=student)
        elif booking.status != BookingStatus.CANCELLED:
            return booking
        booking.status, booking.shared_name = status, shared_name
        booking.save()
    return booking


def booking_confirm(*, booking: Booking) -> Booking:
    if booking.status != BookingStatus.REQUESTED:
        raise ValidationError(_("Nur angefragte Buchungen können bestätigt werden."))
    booking.status = BookingStatus.CONFIRMED
    booking.confirmed_at = timezone.now()
    booking.save()
    return booking


def booking_cancel(*, booking: Booking) -> Booking:
    """Cancel; the first on the waiting list moves up."""
    with transaction.atomic():
        was_holding = booking.status in {BookingStatus.REQUESTED, BookingStatus.CONFIRMED}
        booking.status = BookingStatus.CANCELLED
        booking.save()
        if was_holding:
            nxt = booking.event.bookings.filter(status=BookingStatus.WAITLISTED).order_by("created_at", "id").first()
            if nxt:
                nxt.status = BookingStatus.REQUESTED
                nxt.save()
    return booking


ATTENDANCE_NOT_STARTED = _lazy("Die Teilnahme kann erst ab Beginn der Veranstaltung (%(start)s Uhr) erfasst werden.")


def attendance_record(*, booking: Booking, attended: bool, now: datetime.datetime | None = None) -> Booking:
    """Attendance in one click, from the event's start on; attending writes the activity into the
    student's record."""
    from .models import ActivityKind, EventKind

    started_or_refuse(booking.event.starts_at, message=str(ATTENDANCE_NOT_STARTED), now=now)
    with transaction.atomic():
        booking.attended = attended
        booking.save()
        event = booking.event
        existing = Activity.objects.filter(student=booking.student, event=event)
        if attended and not existing.exists():
            kind = ActivityKind.BFE if event.kind == EventKind.BFE_PLACE else ActivityKind.EVENT
            activity_record(student=booking.student, kind=kind, on_date=timezone.localtime(event.starts_at).date(),
                            occupational_field=event.occupational_field, provider=event.organisation, event=event)
        elif not attended:
            existing.delete()
    return booking


def _link_subject(contact: CompanyContact) -> str:
    # The generation is part of the subject: revoking raises it and so voids every open link.
    return f"transitions.companycontact:{contact.pk}:{contact.link_generation}"


def company_link_token(contact: CompanyContact) -> str:
    """A single-use sign-in token, valid for ``COMPANY_LINK_MAX_AGE``."""
    return token_issue(purpose=COMPANY_LINK_PURPOSE, subject=_link_subject(contact),
                       lifetime=datetime.timedelta(seconds=COMPANY_LINK_MAX_AGE))


def _contact_for_subject(subject: str | None) -> CompanyContact | None:
    if not subject:
        return None
    _label, pk, generation = subject.rsplit(":", 2)
    contact = CompanyContact.objects.select_related("organisation", "tenant").filter(
        pk=int(pk), is_active=True).first()
    if contact is None or contact.link_generation != int(generation):
        return None
    return contact


def company_link_verify(token: str) -> CompanyContact | None:
    """The contact a valid, unused link stands for (the landing page; does not use the link up)."""
    return _contact_for_subject(token_peek(purpose=COMPANY_LINK_PURPOSE, token=token))


def company_link_consume(token: str) -> CompanyContact | None:
    """Use the link up and return its contact; None if unknown, expired, used or revoked."""
    return _contact_for_subject(token_consume(purpose=COMPANY_LINK_PURPOSE, token=token))


def company_link_send(*, email: str, link_for) -> int:
    """E-mail a sign-in link to every active contact with this address. Returns how many were sent
    (the page never tells the visitor whether an address is known)."""
    contacts = CompanyContact.objects.filter(email__iexact=email.strip(), is_active=True).select_related(
        "organisation")
    sent = 0
    minutes = COMPANY_LINK_MAX_AGE // 60
    for contact in contacts:
        url = link_for(company_link_token(contact))
        body = _(
            "Guten Tag %(name)s,\n\nmit diesem Link melden Sie sich ohne Passwort im Veranstaltungsportal der "
            "Bildungskette an (%(org)s):\n\n%(url)s\n\nDer Link gilt %(minutes)d Minuten und nur für eine "
            "Anmeldung. Wenn Sie ihn nicht angefordert haben, können Sie diese E-Mail ignorieren.\n") % {
            "name": contact.name, "org": contact.organisation, "url": url, "minutes": minutes}
        send_mail(_("Ihr Anmeldelink für das Veranstaltungsportal"), body, None, [contact.email])
        sent += 1
    logger.info("company sign-in links sent: %s", sent)
    return sent


def company_links_revoke(*, contact: CompanyContact) -> None:
    CompanyContact.objects.filter(pk=contact.pk).update(link_generation=F("link_generation") + 1)
    tokens_revoke(purpose=COMPANY_LINK_PURPOSE, subject=_link_subject(contact))


def company_contact_add(*, tenant, organisation, name: str, email: str) -> CompanyContact:
    """Add (or re-activate) a contact. Callers check who may: tenant-wide roles
    (``transitions.manage_company_contacts``) or a contact of the same company in its portal."""
    contact, created = CompanyContact.objects.get_or_create(tenant=tenant, organisation=organisation,
                                                            email=email.strip().lower(), defaults={"name": name})
    if not created and not contact.is_active:
        contact.is_active = True
        contact.name = name
        contact.save()
    return contact


def company_contact_deactivate(*, contact: CompanyContact) -> CompanyContact:
    contact.is_active = False
    contact.save()
    company_links_revoke(contact=contact)
    return contact


# ---------------------------------------------------------------------------------------------
# Art. 17, retention
# ---------------------------------------------------------------------------------------------


def _audit_scrub(model_label: str, ids: list[int]) -> None:
    """Person-level values in the change log go with the person: keep that something happened."""
    if ids:
        AuditEntry.objects.filter(model_label=model_label, object_id__in=[str(i) for i in ids]).update(
            changes={}, object_repr=_("(gelöscht)"))


def _log_targets_for_students(student_ids: list[int]) -> list[tuple[str, list[int]]]:
    """The change-log objects about these people; collected before the delete, scrubbed after it
    (deleting writes one more entry per object, with every value it had)."""
    targets = [("transitions.Student", list(student_ids))]
    for label, model in [("transitions.Activity", Activity), ("transitions.Destination", Destination),
                         ("transitions.FollowUp", FollowUp), ("transitions.Consent", Consent),
                         ("transitions.Handover", Handover), ("transitions.Booking", Booking)]:
        targets.append((label, list(model.objects.filter(student_id__in=student_ids).values_list("pk", flat=True))))
    return targets


def _scrub_targets(targets: list[tuple[str, list[int]]]) -> None:
    for label, ids in targets:
        _audit_scrub(label, ids)


def student_erase(*, student: Student, actor=None, ledger: bool = True) -> None:
    """Art. 17: delete everything about one person in one step (records, bookings, follow-up,
    consents, handovers, person-level audit values). The access log keeps the bare id; the
    erasure ledger keeps a salted hash so a restored backup can be erased again."""
    from .erasure import ledger_record

    with transaction.atomic():
        tenant, school, pk = student.tenant, student.school, student.pk
        if ledger:
            ledger_record([("transitions.Student", pk, student.created_at)])
        targets = _log_targets_for_students([pk])
        student.delete()
        _scrub_targets(targets)
        access_log_record(tenant=tenant, actor=actor, action=AccessAction.ERASE, school=school,
                          what=_("Datensatz gelöscht (Art. 17 DSGVO)"), student_ids=[pk])
    logger.info("student erased: id=%s", pk)


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` calendar months earlier (clamped to the month's last day)."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass
class RetentionResult:
    follow_ups: int = 0
    handovers: int = 0
    students: int = 0
    access_log: int = 0

    def summary(self) -> str:
        return (f"{self.follow_ups} Nachverfolgungen, {self.handovers} Übermittlungen, {self.students} "
                f"Schülerdatensätze, {self.access_log} Protokolleinträge gelöscht")


def retention_apply(*, today: datetime.date | None = None, tenant=None) -> RetentionResult:
    """The scheduled deletion job: removes what has outlived its purpose, per tenant policy."""
    from bildungskette.core.models import Tenant

    from .erasure import ledger_record

    today = today or timezone.localdate()
    result = RetentionResult()
    tenants = [tenant] if tenant is not None else list(Tenant.objects.filter(
        pk__in=School.objects.values("tenant")))
    for t in tenants:
        policy = policy_for(t)
        with transaction.atomic():
            cutoff = months_before(today, policy.follow_up_retention_months)
            follow_ups = FollowUp.objects.filter(tenant=t, student__status=StudentStatus.LEFT,
                                                 student__left_on__lt=cutoff)
            ids = list(follow_ups.values_list("pk", flat=True))
            result.follow_ups += FollowUp.objects.filter(pk__in=ids).delete()[0]
            _audit_scrub("transitions.FollowUp", ids)
            handover_cutoff = months_before(today, policy.handover_retention_months)
            ids = list(Handover.objects.filter(tenant=t, handed_over_on__lt=handover_cutoff).values_list("pk",
                                                                                                          flat=True))
            result.handovers += Handover.objects.filter(pk__in=ids).delete()[0]
            _audit_scrub("transitions.Handover", ids)
            student_cutoff = months_before(today, policy.student_retention_months)
            expired_rows = list(Student.objects.filter(tenant=t, status=StudentStatus.LEFT,
                                                       left_on__lt=student_cutoff).values_list("pk", "created_at"))
            expired = [pk for pk, _created in expired_rows]
            if expired:
                ledger_record(("transitions.Student", pk, created) for pk, created in expired_rows)
                targets = _log_targets_for_students(expired)
                Student.objects.filter(pk__in=expired).delete()
                _scrub_targets(targets)
                result.students += len(expired)
            log_cutoff = timezone.make_aware(datetime.datetime.combine(
                months_before(today, policy.access_log_retention_months), datetime.time.min))
            result.access_log += AccessLogEntry.objects.filter(tenant=t, at__lt=log_cutoff).delete()[0]
    logger.info("retention applied: %s", result.summary())
    return result

