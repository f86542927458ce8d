"""Every write of the network area: bodies, members, meetings, minutes, follow-up, agreements.

Plain functions with keyword-only arguments; multi-step writes run in one transaction.
Every model here is audited (see core.audit), so these functions need not log themselves.
"""

from __future__ import annotations

import datetime
import hashlib
import mimetypes

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from bildungskette.core.timing import started_or_refuse

from .models import (
    OPEN_ACTION_STATUSES,
    ActionItem,
    ActionItemStatus,
    AgendaItem,
    Attendance,
    Body,
    ChairRotation,
    ChairRotationSlot,
    Commitment,
    CommitmentStatus,
    CooperationAgreement,
    Decision,
    Document,
    Meeting,
    MeetingStatus,
    Membership,
)


def _save(instance):
    instance.full_clean()
    instance.save()
    return instance


def _update(instance, fields: dict):
    for key, value in fields.items():
        setattr(instance, key, value)
    return _save(instance)


# Bodies and members ---------------------------------------------------------------------------


def body_create(*, tenant, name: str, type: str, **fields) -> Body:
    parent = fields.get("parent")
    if parent is not None and parent.tenant_id != tenant.id:
        raise ValidationError(_("Das übergeordnete Gremium gehört zu einem anderen Mandanten."))
    return _save(Body(tenant=tenant, name=name, type=type, **fields))


def body_update(*, body: Body, **fields) -> Body:
    parent = fields.get("parent")
    if parent is not None:
        node = parent
        while node is not None:
            if node.pk == body.pk:
                raise ValidationError(_("Ein Gremium kann nicht unter sich selbst stehen."))
            node = node.parent
    return _update(body, fields)


def body_ensure(*, tenant, name: str, type: str, **fields) -> Body:
    """Idempotent create for demo and seed data: matched by tenant and name."""
    body = Body.objects.filter(tenant=tenant, name=name).first()
    if body is None:
        return body_create(tenant=tenant, name=name, type=type, **fields)
    changed = {k: v for k, v in {"type": type, **fields}.items() if getattr(body, k) != v}
    return body_update(body=body, **changed) if changed else body


def membership_add(*, body: Body, organisation, role: str, delegates=(), deputies=(), **fields) -> Membership:
    if organisation.tenant_id not in (None, body.tenant_id):
        raise ValidationError(_("Die Organisation gehört zu einem anderen Mandanten."))
    with transaction.atomic():
        membership = _save(Membership(tenant=body.tenant, body=body, organisation=organisation, role=role, **fields))
        membership.delegates.set(delegates)
        membership.deputies.set(deputies)
    return membership


def membership_update(*, membership: Membership, delegates=None, deputies=None, **fields) -> Membership:
    with transaction.atomic():
        _update(membership, fields)
        if delegates is not None:
            membership.delegates.set(delegates)
        if deputies is not None:
            membership.deputies.set(deputies)
    return membership


def membership_end(*, membership: Membership, end_date: datetime.date) -> Membership:
    if membership.start_date and end_date < membership.start_date:
        raise ValidationError(_("Das Ende liegt vor dem Beginn der Mitgliedschaft."))
    return _update(membership, {"end_date": end_date})


def membership_ensure(*, body: Body, organisation, role: str, **fields) -> Membership:
    membership = Membership.objects.filter(body=body, organisation=organisation, end_date__isnull=True).first()
    if membership is None:
        return membership_add(body=body, organisation=organisation, role=role, **fields)
    delegates, deputies = fields.pop("delegates", None), fields.pop("deputies", None)
    changed = {k: v for k, v in {"role": role, **fields}.items() if getattr(membership, k) != v}
    return membership_update(membership=membership, delegates=delegates, deputies=deputies, **changed)


def chair_rotation_set(
    *,
    body: Body,
    starts_on: datetime.date,
    organisations: list,
    term_months: int = 12,
    labels: list[str] | None = None,
    description: str = "",
) -> ChairRotation:
    """Define (or redefine) who takes turns in the chair, in this order, one term each."""
    if len(organisations) < 2:
        raise ValidationError(_("Eine Rotation braucht mindestens zwei Organisationen."))
    if term_months < 1:
        raise ValidationError(_("Die Amtszeit muss mindestens einen Monat dauern."))
    labels = labels or [""] * len(organisations)
    with transaction.atomic():
        rotation, _created = ChairRotation.objects.update_or_create(
            body=body,
            defaults={
                "tenant": body.tenant,
                "starts_on": starts_on,
                "term_months": term_months,
                "description": description,
            },
        )
        rotation.slots.all().delete()
        ChairRotationSlot.objects.bulk_create(
            [
                ChairRotationSlot(rotation=rotation, organisation=org, position=i, chair_label=label)
                for i, (org, label) in enumerate(zip(organisations, labels, strict=True), start=1)
            ]
        )
    return rotation


# Meetings ----------------------------------------------------------------------------------------


def meeting_create(*, body: Body, title: str, starts_at: datetime.datetime, **fields) -> Meeting:
    ends_at = fields.get("ends_at")
    if ends_at is not None and ends_at < starts_at:
        raise ValidationError({"ends_at": _("Das Ende liegt vor dem Beginn.")})
    return _save(Meeting(tenant=body.tenant, body=body, title=title, starts_at=starts_at, **fields))


def meeting_update(*, meeting: Meeting, **fields) -> Meeting:
    return _update(meeting, fields)


def meeting_cancel(*, meeting: Meeting) -> Meeting:
    return _update(meeting, {"status": MeetingStatus.CANCELLED})


def agenda_item_add(*, meeting: Meeting, title: str, parent: AgendaItem | None = None, **fields) -> AgendaItem:
    if parent is not None and parent.meeting_id != meeting.pk:
        raise ValidationError(_("Der übergeordnete Punkt gehört zu einer anderen Sitzung."))
    if parent is not None and parent.parent_id is not None:
        raise ValidationError(_("Die Tagesordnung hat höchstens zwei Ebenen (z. B. TOP 2.1)."))
    if "position" not in fields:
        siblings = meeting.agenda_items.filter(parent=parent)
        fields["position"] = (max((s.position for s in siblings), default=0)) + 1
    return _save(AgendaItem(tenant=meeting.tenant, meeting=meeting, parent=parent, title=title, **fields))


def agenda_item_update(*, item: AgendaItem, **fields) -> AgendaItem:
    parent = fields.get("parent")
    if parent is not None and (parent.pk == item.pk or parent.parent_id is not None or item.children.exists()):
        raise ValidationError(_("Die Tagesordnung hat höchstens zwei Ebenen (z. B. TOP 2.1)."))
    return _update(item, fields)


def agenda_item_move(*, item: AgendaItem, up: bool) -> None:
    """Swap an agenda item with its neighbour on the same level (renumbers the agenda)."""
    siblings = sorted(item.meeting.agenda_items.filter(parent_id=item.parent_id), key=lambda i: (i.position, i.id))
    index = next(n for n, s in enumerate(siblings) if s.pk == item.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    with transaction.atomic():
        for position, sibling in enumerate(siblings, start=1):
            if sibling.position != position:
                _update(sibling, {"position": position})


def agenda_item_delete(*, item: AgendaItem) -> None:
    if item.decisions.exists() or item.action_items.exists() or item.children.filter(decisions__isnull=False).exists():
        raise ValidationError(
            _("Zu diesem Punkt gibt es schon Beschlüsse oder Aufgaben; er kann nicht entfernt werden.")
        )
    item.delete()


def document_attach(*, tenant, title: str, uploaded, user=None, **targets) -> Document:
    """Store an uploaded file and attach it to a meeting, agenda item, agreement or commitment."""
    content = uploaded.read()
    uploaded.seek(0)
    max_bytes = getattr(settings, "NETWORK_DOCUMENT_MAX_BYTES", 20 * 1024 * 1024)
    if len(content) > max_bytes:
        raise ValidationError(_("Die Datei ist zu groß (höchstens %(mb)d MB).") % {"mb": max_bytes // 1024 // 1024})
    mime = getattr(uploaded, "content_type", "") or mimetypes.guess_type(uploaded.name)[0] or ""
    document = Document(
        tenant=tenant,
        title=title or uploaded.name,
        file=uploaded,
        mime_type=mime[:120],
        size=len(content),
        sha1=hashlib.sha1(content).hexdigest(),  # noqa: S324 (OParl checksum)
        uploaded_by=user if user is not None and user.is_authenticated else None,
        **targets,
    )
    return _save(document)


def meeting_recipients(meeting: Meeting) -> list[dict]:
    """Who gets the invitation: delegates and deputies of the active members, else the organisation."""
    day = timezone.localtime(meeting.starts_at).date()
    recipients: dict[str, dict] = {}
    memberships = meeting.body.memberships.select_related("organisation").prefetch_related("delegates", "deputies")
    for membership in memberships:
        if not membership.is_active_on(day):
            continue
        people = [p for p in [*membership.delegates.all(), *membership.deputies.all()] if p.email]
        if people:
            for person in people:
                recipients.setdefault(
                    person.email.lower(),
                    {
                        "email": person.email,
                        "name": person.name,
                        "organisation": membership.organisation.name,
                    },
                )
        elif membership.organisation.email:
            recipients.setdefault(
                membership.organisation.email.lower(),
                {
                    "email": membership.organisation.email,
                    "name": membership.organisation.name,
                    "organisation": membership.organisation.name,
                },
            )
    return list(recipients.values())


def meeting_invite(*, meeting: Meeting, base_url: str = "", sender=None) -> dict:
    """Send the invitation with the agenda (PDF) and a calendar entry to every active member.

    Returns ``{"sent": [...], "missing": [organisation names without any address]}``.
    """
    from .calendar import meeting_ical
    from .documents import agenda_pdf

    if meeting.is_cancelled:
        raise ValidationError(_("Zu einer abgesagten Sitzung kann nicht eingeladen werden."))
    recipients = meeting_recipients(meeting)
    day = timezone.localtime(meeting.starts_at).date()
    reached = {r["organisation"] for r in recipients}
    missing = sorted(
        {
            m.organisation.name
            for m in meeting.body.memberships.select_related("organisation")
            if m.is_active_on(day) and m.organisation.name not in reached
        }
    )
    if not recipients:
        raise ValidationError(_("Kein Mitglied des Gremiums hat eine E-Mail-Adresse hinterlegt."))
    local = timezone.localtime(meeting.starts_at)
    subject = _("Einladung: %(title)s am %(date)s") % {"title": meeting.title, "date": f"{local:%d.%m.%Y}"}
    lines = [
        _("Sehr geehrte Damen und Herren,"),
        "",
        _("hiermit lädt %(body)s zur Sitzung „%(title)s“ ein.") % {"body": meeting.body.name, "title": meeting.title},
        "",
        _("Termin: %(when)s Uhr") % {"when": f"{local:%d.%m.%Y, %H:%M}"},
    ]
    if meeting.location:
        lines.append(_("Ort: %(place)s") % {"place": meeting.location})
    if meeting.video_url:
        lines.append(_("Videokonferenz: %(url)s") % {"url": meeting.video_url})
    if meeting.invitation_text:
        lines += ["", meeting.invitation_text]
    lines += ["", _("Tagesordnung:")]
    from .selectors import agenda_tree

    for number, item, _children in agenda_tree(meeting, flat=True):
        extra = ", ".join(
            x for x in [item.presenter, f"{item.duration_minutes} Min." if item.duration_minutes else ""] if x
        )
        lines.append(f"  TOP {number} {item.title}" + (f" ({extra})" if extra else ""))
    if base_url:
        lines += ["", _("Unterlagen: %(url)s") % {"url": base_url}]
    pdf = agenda_pdf(meeting)
    ics = meeting_ical(meeting)
    connection_sent = []
    for recipient in recipients:
        message = EmailMessage(
            subject=subject,
            body="\n".join(lines),
            to=[recipient["email"]],
            reply_to=[meeting.body.email] if meeting.body.email else None,
        )
        message.attach(f"Einladung-{local:%Y-%m-%d}.pdf", pdf, "application/pdf")
        message.attach("Sitzung.ics", ics, "text/calendar")
        message.send()
        connection_sent.append(recipient["email"])
    fields = {"invited_at": timezone.now(), "invitation_recipients": connection_sent}
    if meeting.status == MeetingStatus.PLANNED:
        fields["status"] = MeetingStatus.INVITED
    _update(meeting, fields)
    return {"sent": connection_sent, "missing": missing}


NOT_STARTED_ATTENDANCE = _lazy("Die Anwesenheit kann erst ab Beginn der Sitzung (%(start)s Uhr) erfasst werden.")
NOT_STARTED_MINUTES = _lazy("Ein Protokoll kann erst ab Beginn der Sitzung (%(start)s Uhr) erfasst werden; "
                            "vorher gilt die Sitzung nicht als durchgeführt.")


def attendance_record(
    *, meeting: Meeting, present: set[int], excused: set[int] = frozenset(), now: datetime.datetime | None = None
) -> None:
    """Record who (which member organisation) attended; everyone else counts as absent. Only from the
    meeting's start on."""
    started_or_refuse(meeting.starts_at, message=str(NOT_STARTED_ATTENDANCE), now=now)
    day = timezone.localtime(meeting.starts_at).date()
    with transaction.atomic():
        for membership in meeting.body.memberships.all():
            if not membership.is_active_on(day):
                continue
            org_id = membership.organisation_id
            status = (
                Attendance.Status.PRESENT
                if org_id in present
                else Attendance.Status.EXCUSED
                if org_id in excused
                else Attendance.Status.ABSENT
            )
            attendance = Attendance.objects.filter(meeting=meeting, organisation_id=org_id).first()
            if attendance is None:
                _save(Attendance(tenant=meeting.tenant, meeting=meeting, organisation_id=org_id, status=status))
            elif attendance.status != status:
                _update(attendance, {"status": status})


def minutes_record(
    *,
    meeting: Meeting,
    item_minutes: dict[int, str],
    summary: str | None = None,
    minutes_taker: str | None = None,
    now: datetime.datetime | None = None,
) -> Meeting:
    """Store the minutes per agenda item; the meeting counts as held from then on. Minutes of a
    meeting that has not begun are refused (they would mark it "durchgeführt")."""
    started_or_refuse(meeting.starts_at, message=str(NOT_STARTED_MINUTES), now=now)
    with transaction.atomic():
        for item in meeting.agenda_items.all():
            text = item_minutes.get(item.pk)
            if text is not None and text != item.minutes:
                _update(item, {"minutes": text})
        fields = {}
        if summary is not None:
            fields["minutes_summary"] = summary
        if minutes_taker is not None:
            fields["minutes_taker"] = minutes_taker
        if meeting.status in (MeetingStatus.PLANNED, MeetingStatus.INVITED):
            fields["status"] = MeetingStatus.HELD
        return _update(meeting, fields) if fields else meeting


def minutes_approve(*, meeting: Meeting) -> Meeting:
    if not meeting.has_minutes:
        raise ValidationError(_("Es gibt noch kein Protokoll, das freigegeben werden kann."))
    return _update(meeting, {"status": MeetingStatus.MINUTES_APPROVED})


def decision_record(*, meeting: Meeting, text: str, agenda_item: AgendaItem | None = None, **fields) -> Decision:
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError(_("Der Tagesordnungspunkt gehört zu einer anderen Sitzung."))
    if not fields.get("reference"):
        year = timezone.localtime(meeting.starts_at).year
        count = Decision.objects.filter(meeting__body=meeting.body, meeting__starts_at__year=year).count()
        fields["reference"] = f"{meeting.body.short_name or meeting.body.pk}/{year}/{count + 1:02d}"[:40]
    with transaction.atomic():
        decision = _save(Decision(tenant=meeting.tenant, meeting=meeting, agenda_item=agenda_item, text=text, **fields))
        # A decision prepared before the meeting does not make it "durchgeführt".
        if meeting.status in (MeetingStatus.PLANNED, MeetingStatus.INVITED) and meeting.starts_at <= timezone.now():
            _update(meeting, {"status": MeetingStatus.HELD})
    return decision


# Follow-up ---------------------------------------------------------------------------------------


def action_item_create(
    *, body: Body, title: str, meeting: Meeting | None = None, decision: Decision | None = None, **fields
) -> ActionItem:
    if meeting is not None and meeting.body_id != body.pk:
        raise ValidationError(_("Die Sitzung gehört zu einem anderen Gremium."))
    if decision is not None:
        meeting = meeting or decision.meeting
        if decision.meeting_id != meeting.pk:
            raise ValidationError(_("Der Beschluss gehört zu einer anderen Sitzung."))
        fields.setdefault("agenda_item", decision.agenda_item)
    owner = fields.get("owner_organisation")
    if owner is not None and owner.tenant_id not in (None, body.tenant_id):
        raise ValidationError(_("Die verantwortliche Organisation gehört zu einem anderen Mandanten."))
    person = fields.get("owner_person")
    if person is not None and owner is not None and person.organisation_id != owner.pk:
        raise ValidationError({"owner_person": _("Die Person gehört nicht zur verantwortlichen Organisation.")})
    return _save(ActionItem(tenant=body.tenant, body=body, meeting=meeting, decision=decision, title=title, **fields))


def action_item_update_status(
    *, item: ActionItem, status: str, progress_note: str | None = None, today: datetime.date | None = None
) -> ActionItem:
    fields = {"status": status}
    if progress_note is not None:
        fields["progress_note"] = progress_note
    if status == ActionItemStatus.DONE and item.completed_on is None:
        fields["completed_on"] = today or timezone.localdate()
    elif status in OPEN_ACTION_STATUSES:
        fields["completed_on"] = None
    return _update(item, fields)


# Agreements --------------------------------------------------------------------------------------


def agreement_create(*, tenant, title: str, subject: str, parties=(), **fields) -> CooperationAgreement:
    valid_from, valid_until = fields.get("valid_from"), fields.get("valid_until")
    if valid_from and valid_until and valid_until < valid_from:
        raise ValidationError({"valid_until": _("Das Ende der Gültigkeit liegt vor ihrem Beginn.")})
    with transaction.atomic():
        agreement = _save(CooperationAgreement(tenant=tenant, title=title, subject=subject, **fields))
        agreement.parties.set(parties)
    return agreement


def agreement_update(*, agreement: CooperationAgreement, parties=None, **fields) -> CooperationAgreement:
    with transaction.atomic():
        _update(agreement, fields)
        if parties is not None:
            agreement.parties.set(parties)
    return agreement


def commitment_add(*, agreement: CooperationAgreement, party, text: str, **fields) -> Commitment:
    if not agreement.parties.filter(pk=party.pk).exists():
        raise ValidationError(_("Nur Vertragspartner der Vereinbarung können Zusagen machen."))
    if "position" not in fields:
        fields["position"] = agreement.commitments.filter(party=party).count() + 1
    return _save(Commitment(tenant=agreement.tenant, agreement=agreement, party=party, text=text, **fields))


def commitment_update_status(
    *, commitment: Commitment, status: str, evidence: str | None = None, evidence_url: str | None = None
) -> Commitment:
    fields = {"status": status}
    if evidence is not None:
        fields["evidence"] = evidence
    if evidence_url is not None:
        fields["evidence_url"] = evidence_url
    if status == CommitmentStatus.FULFILLED and not (
        fields.get("evidence")
        or commitment.evidence
        or fields.get("evidence_url")
        or commitment.evidence_url
        or commitment.documents.exists()
    ):
        raise ValidationError({"evidence": _("Bitte einen Nachweis angeben, wenn die Zusage umgesetzt ist.")})
    return _update(commitment, fields)


def reminders_send(*, today: datetime.date | None = None, tenant=None) -> list[str]:
    """E-mail the tenant's coordination about agreements due for review or expiry and overdue tasks.

    Each agreement is reminded at most once per window (``last_reminder_on``). Returns log lines.
    """
    from bildungskette.core.models import Role, RoleAssignment

    from .selectors import agreements_due_for_reminder, overdue_action_items

    today = today or timezone.localdate()
    log = []
    agreements = agreements_due_for_reminder(today=today, tenant=tenant)
    by_tenant: dict[int, dict] = {}
    for agreement, reason in agreements:
        by_tenant.setdefault(agreement.tenant_id, {"tenant": agreement.tenant, "agreements": [], "tasks": []})
        by_tenant[agreement.tenant_id]["agreements"].append((agreement, reason))
    for item in overdue_action_items(today=today, tenant=tenant):
        by_tenant.setdefault(item.tenant_id, {"tenant": item.tenant, "agreements": [], "tasks": []})
        by_tenant[item.tenant_id]["tasks"].append(item)
    for entry in by_tenant.values():
        addresses = sorted(
            {
                a.user.email
                for a in RoleAssignment.objects.filter(
                    tenant=entry["tenant"], role__in=[Role.COORDINATION, Role.TENANT_ADMIN]
                ).select_related("user")
                if a.user.email
            }
        )
        lines = [
            _("Erinnerungen aus dem Bereich Netzwerk & Gremien (%(tenant)s):") % {"tenant": entry["tenant"]},
            "",
        ]
        for agreement, reason in entry["agreements"]:
            lines.append(f"- {agreement.title}: {reason}")
        if entry["tasks"]:
            lines += ["", _("Überfällige Aufgaben:")]
            for item in entry["tasks"]:
                owner = item.owner_organisation or _("ohne Verantwortliche")
                lines.append(f"- {item.title} ({owner}, fällig {item.due_date:%d.%m.%Y}, {item.body})")
        if addresses:
            EmailMessage(
                subject=_("Bildungskette: Erinnerungen Netzwerk & Gremien"),
                body="\n".join(lines),
                to=addresses,
            ).send()
            for agreement, _reason in entry["agreements"]:
                _update(agreement, {"last_reminder_on": today})
        log.append(
            f"{entry['tenant']}: {len(entry['agreements'])} Vereinbarungen, {len(entry['tasks'])} Aufgaben, "
            f"an {len(addresses)} Empfänger"
        )
    return log
