"""Bodies (Gremien) and their members, meetings from invitation to minutes, decisions and their
follow-up, cooperation agreements with the commitments of each party."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bildungskette.core.audit import audited
from bildungskette.core.models import TenantOwned


class BodyType(models.TextChoices):
    STEERING_GROUP = "steuerungsgruppe", _("Steuerungsgruppe / Steuergremium")
    WORKING_GROUP = "facharbeitsgruppe", _("Facharbeitsgruppe")
    WORKING_CIRCLE = "arbeitskreis", _("Arbeitskreis")
    ALLIANCE = "arbeitsbuendnis", _("Arbeitsbündnis")
    COMMITTEE = "ausschuss", _("Ausschuss (politisches Gremium)")
    STATE_BODY = "landesgremium", _("Landesgremium")
    NETWORK = "netzwerk", _("Netzwerk")


@audited
class Body(TenantOwned):
    """A Gremium: a steering group, working group, committee … of several institutions."""

    name = models.CharField(_("Name"), max_length=250)
    short_name = models.CharField(_("Kurzname"), max_length=80, blank=True)
    type = models.CharField(_("Art"), max_length=30, choices=BodyType.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("übergeordnetes Gremium"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("z. B. die Steuerungsgruppe, unter der eine Facharbeitsgruppe arbeitet"),
    )
    mandate = models.TextField(_("Auftrag"), blank=True)
    field_of_action = models.CharField(
        _("Handlungsfeld"),
        max_length=200,
        blank=True,
        help_text=_("z. B. Übergangssystem oder Attraktivität der dualen Ausbildung"),
    )
    is_public = models.BooleanField(
        _("öffentlich"),
        default=False,
        help_text=_("Öffentliche Gremien haben eine öffentliche Seite und erscheinen in der OParl-Schnittstelle."),
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("Gebiet"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    founded_on = models.DateField(_("eingerichtet am"), null=True, blank=True)
    dissolved_on = models.DateField(_("aufgelöst am"), null=True, blank=True)
    key_partner_types = models.JSONField(
        _("Schlüsselpartner (Arten)"),
        default=list,
        blank=True,
        help_text=_(
            "Arten von Organisationen, die mit einem aktiven Mitglied vertreten sein sollen "
            "(z. B. Agentur für Arbeit, Schulaufsicht)."
        ),
    )
    email = models.EmailField(_("E-Mail der Geschäftsführung"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Gremium")
        verbose_name_plural = _("Gremien")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["tenant", "name"], name="network_unique_body_name")]

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def is_active(self) -> bool:
        return self.dissolved_on is None or self.dissolved_on > timezone.localdate()


class MembershipRole(models.TextChoices):
    CHAIR = "vorsitz", _("Vorsitz")
    CO_CHAIR = "co_vorsitz", _("Co-Vorsitz")
    SECRETARIAT = "geschaeftsfuehrung", _("Geschäftsführung")
    MEMBER = "mitglied", _("Mitglied")
    PERMANENT_GUEST = "staendiger_gast", _("ständiger Gast")


@audited
class Membership(TenantOwned):
    """An organisation in a body, with the persons it delegates and their deputies."""

    body = models.ForeignKey(Body, verbose_name=_("Gremium"), on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("Organisation"),
        on_delete=models.CASCADE,
        related_name="body_memberships",
    )
    role = models.CharField(_("Rolle"), max_length=30, choices=MembershipRole.choices, default=MembershipRole.MEMBER)
    delegates = models.ManyToManyField(
        "organisations.Person",
        verbose_name=_("entsandte Personen"),
        blank=True,
        related_name="delegations",
    )
    deputies = models.ManyToManyField(
        "organisations.Person",
        verbose_name=_("Stellvertretungen"),
        blank=True,
        related_name="deputy_delegations",
    )
    start_date = models.DateField(_("Beginn"), null=True, blank=True)
    end_date = models.DateField(_("Ende"), null=True, blank=True)
    voting_right = models.BooleanField(_("stimmberechtigt"), default=True)
    note = models.CharField(_("Bemerkung"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")
        ordering = ["body", "organisation__name"]
        indexes = [models.Index(fields=["organisation", "end_date"])]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.body} ({self.get_role_display()})"

    def is_active_on(self, day: datetime.date) -> bool:
        return (self.start_date is None or self.start_date <= day) and (self.end_date is None or self.end_date >= day)

    @property
    def is_active(self) -> bool:
        return self.is_active_on(timezone.localdate())


@audited
class ChairRotation(TenantOwned):
    """A rule for a rotating chair: the listed organisations take turns, one term each."""

    body = models.OneToOneField(
        Body, verbose_name=_("Gremium"), on_delete=models.CASCADE, related_name="chair_rotation"
    )
    starts_on = models.DateField(_("Beginn der ersten Amtszeit"))
    term_months = models.PositiveSmallIntegerField(_("Amtszeit in Monaten"), default=12)
    description = models.CharField(_("Beschreibung"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("Vorsitzrotation")
        verbose_name_plural = _("Vorsitzrotationen")

    def __str__(self) -> str:
        return f"{self.body}: {self.description or self.term_months}"


class ChairRotationSlot(models.Model):
    rotation = models.ForeignKey(ChairRotation, on_delete=models.CASCADE, related_name="slots")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("Organisation"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    position = models.PositiveSmallIntegerField(_("Reihenfolge"))
    chair_label = models.CharField(
        _("Vorsitz durch"),
        max_length=200,
        blank=True,
        help_text=_("z. B. die Leitung der Agentur für Arbeit"),
    )

    class Meta:
        ordering = ["rotation", "position"]
        constraints = [
            models.UniqueConstraint(fields=["rotation", "position"], name="network_unique_slot_position"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.organisation}"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("geplant")
    INVITED = "invited", _("eingeladen")
    HELD = "held", _("durchgeführt")
    MINUTES_APPROVED = "minutes_approved", _("Protokoll freigegeben")
    CANCELLED = "cancelled", _("abgesagt")


@audited
class Meeting(TenantOwned):
    body = models.ForeignKey(Body, verbose_name=_("Gremium"), on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(_("Titel"), max_length=250)
    starts_at = models.DateTimeField(_("Beginn"), db_index=True)
    ends_at = models.DateTimeField(_("Ende"), null=True, blank=True)
    location = models.CharField(_("Ort"), max_length=300, blank=True)
    video_url = models.URLField(_("Videokonferenz-Link"), blank=True)
    status = models.CharField(_("Stand"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    invitation_text = models.TextField(_("Einladungstext"), blank=True)
    invited_at = models.DateTimeField(_("Einladung versandt am"), null=True, blank=True)
    invitation_recipients = models.JSONField(_("Einladung an"), default=list, blank=True)
    minutes_summary = models.TextField(_("Protokoll: allgemeine Notizen"), blank=True)
    minutes_taker = models.CharField(_("Protokoll geführt von"), max_length=200, blank=True)
    is_synthetic = models.BooleanField(
        _("synthetisch (Beispieldaten)"),
        default=False,
        help_text=_("Für Demo und Schulung erfunden; wird überall als synthetisch gekennzeichnet."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Sitzung")
        verbose_name_plural = _("Sitzungen")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["body", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.title} ({timezone.localtime(self.starts_at):%d.%m.%Y})"

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    @property
    def has_minutes(self) -> bool:
        return self.status in (MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED)


@audited
class AgendaItem(TenantOwned):
    """A Tagesordnungspunkt; items nest (TOP 2.1 under TOP 2). Minutes are recorded per item."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("Sitzung"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("Unterpunkt von"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=1)
    title = models.CharField(_("Thema"), max_length=300)
    presenter = models.CharField(_("Vortragende*r"), max_length=200, blank=True)
    presenter_organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("Organisation der/des Vortragenden"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    duration_minutes = models.PositiveSmallIntegerField(_("Dauer (Minuten)"), null=True, blank=True)
    description = models.TextField(_("Erläuterung"), blank=True)
    is_public = models.BooleanField(_("öffentlich"), default=True)
    minutes = models.TextField(_("Protokoll"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Tagesordnungspunkt")
        verbose_name_plural = _("Tagesordnungspunkte")
        ordering = ["meeting", "parent_id", "position", "id"]

    def __str__(self) -> str:
        return self.title


@audited
class Attendance(TenantOwned):
    class Status(models.TextChoices):
        PRESENT = "present", _("anwesend")
        EXCUSED = "excused", _("entschuldigt")
        ABSENT = "absent", _("nicht anwesend")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("Organisation"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    person = models.ForeignKey(
        "organisations.Person",
        verbose_name=_("Person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(_("Anwesenheit"), max_length=10, choices=Status.choices, default=Status.PRESENT)

    class Meta:
        verbose_name = _("Anwesenheit")
        verbose_name_plural = _("Anwesenheiten")
        constraints = [models.UniqueConstraint(fields=["meeting", "organisation"], name="network_unique_attendance")]


@audited
class Decision(TenantOwned):
    """A Beschluss, recorded in the minutes of an agenda item."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("Sitzung"), on_delete=models.CASCADE, related_name="decisions")
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("Tagesordnungspunkt"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
    )
    reference = models.CharField(_("Beschlussnummer"), max_length=40, blank=True)
    text = models.TextField(_("Beschlusstext"))
    votes_yes = models.PositiveSmallIntegerField(_("Ja-Stimmen"), null=True, blank=True)
    votes_no = models.PositiveSmallIntegerField(_("Nein-Stimmen"), null=True, blank=True)
    votes_abstain = models.PositiveSmallIntegerField(_("Enthaltungen"), null=True, blank=True)
    is_public = models.BooleanField(_("öffentlich"), default=True)
    is_synthetic = models.BooleanField(
        _("synthetisch (Beispieldaten)"),
        default=False,
        help_text=_("Für Demo und Schulung erfunden; wird überall als synthetisch gekennzeichnet."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Beschluss")
        verbose_name_plural = _("Beschlüsse")
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return self.reference or self.text[:60]

    @property
    def has_vote(self) -> bool:
        return any(v is not None for v in (self.votes_yes, self.votes_no, self.votes_abstain))


class ActionItemStatus(models.TextChoices):
    OPEN = "open", _("offen")
    IN_PROGRESS = "in_progress", _("in Arbeit")
    DONE = "done", _("erledigt")
    DROPPED = "dropped", _("entfallen")


OPEN_ACTION_STATUSES = (ActionItemStatus.OPEN, ActionItemStatus.IN_PROGRESS)


@audited
class ActionItem(TenantOwned):
    """An Aufgabe: follow-up of a meeting or decision with an owner and a due date."""

    body = models.ForeignKey(Body, verbose_name=_("Gremium"), on_delete=models.CASCADE, related_name="action_items")
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("Sitzung"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("Tagesordnungspunkt"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
    )
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("zum Beschluss"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
    )
    title = models.CharField(_("Aufgabe"), max_length=300)
    description = models.TextField(_("Beschreibung"), blank=True)
    owner_organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("verantwortliche Organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="network_action_items",
    )
    owner_person = models.ForeignKey(
        "organisations.Person",
        verbose_name=_("verantwortliche Person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="network_action_items",
    )
    due_date = models.DateField(_("fällig am"), null=True, blank=True, db_index=True)
    status = models.CharField(
        _("Stand"),
        max_length=20,
        choices=ActionItemStatus.choices,
        default=ActionItemStatus.OPEN,
        db_index=True,
    )
    completed_on = models.DateField(_("erledigt am"), null=True, blank=True)
    progress_note = models.TextField(_("Sachstand"), blank=True)
    is_synthetic = models.BooleanField(
        _("synthetisch (Beispieldaten)"),
        default=False,
        help_text=_("Für Demo und Schulung erfunden; wird überall als synthetisch gekennzeichnet."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Aufgabe")
        verbose_name_plural = _("Aufgaben")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["tenant", "status", "due_date"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_date is not None and self.due_date < timezone.localdate()


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    ACTIVE = "active", _("in Kraft")
    EXPIRED = "expired", _("ausgelaufen")
    TERMINATED = "terminated", _("beendet")


@audited
class CooperationAgreement(TenantOwned):
    """A Kooperationsvereinbarung between several parties; what each promised is a Commitment."""

    title = models.CharField(_("Titel"), max_length=300)
    subject = models.TextField(_("Gegenstand"))
    body = models.ForeignKey(
        Body,
        verbose_name=_("zugehöriges Gremium"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements",
    )
    parties = models.ManyToManyField(
        "organisations.Organisation", verbose_name=_("Vertragspartner"), related_name="cooperation_agreements"
    )
    signed_on = models.DateField(_("unterzeichnet am"), null=True, blank=True)
    signed_at_place = models.CharField(_("unterzeichnet in"), max_length=120, blank=True)
    valid_from = models.DateField(_("gültig ab"), null=True, blank=True)
    valid_until = models.DateField(_("gültig bis"), null=True, blank=True, help_text=_("leer: unbefristet"))
    review_on = models.DateField(_("nächste Überprüfung"), null=True, blank=True)
    reminder_days = models.PositiveSmallIntegerField(
        _("Erinnerung (Tage vorher)"),
        default=60,
        help_text=_("So viele Tage vor Überprüfung oder Ablauf erinnert die Plattform die Koordination."),
    )
    last_reminder_on = models.DateField(_("zuletzt erinnert am"), null=True, blank=True)
    status = models.CharField(
        _("Stand"), max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.ACTIVE
    )
    is_public = models.BooleanField(_("öffentlich"), default=False)
    source = models.CharField(_("Quelle"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Kooperationsvereinbarung")
        verbose_name_plural = _("Kooperationsvereinbarungen")
        ordering = ["-signed_on", "title"]

    def __str__(self) -> str:
        return self.title


class CommitmentStatus(models.TextChoices):
    OPEN = "open", _("offen")
    IN_PROGRESS = "in_progress", _("in Umsetzung")
    FULFILLED = "fulfilled", _("umgesetzt")
    NOT_FULFILLED = "not_fulfilled", _("nicht umgesetzt")


@audited
class Commitment(TenantOwned):
    """What one party of an agreement promised to do, with its status and evidence."""

    agreement = models.ForeignKey(
        CooperationAgreement,
        verbose_name=_("Vereinbarung"),
        on_delete=models.CASCADE,
        related_name="commitments",
    )
    party = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("Partner"),
        on_delete=models.CASCADE,
        related_name="agreement_commitments",
    )
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=1)
    text = models.TextField(_("Zusage"))
    due_date = models.DateField(_("umzusetzen bis"), null=True, blank=True)
    status = models.CharField(
        _("Stand"), max_length=20, choices=CommitmentStatus.choices, default=CommitmentStatus.OPEN
    )
    evidence = models.TextField(_("Nachweis"), blank=True)
    evidence_url = models.URLField(_("Nachweis (Link)"), blank=True)
    is_synthetic = models.BooleanField(
        _("synthetisch (Beispieldaten)"),
        default=False,
        help_text=_("Für Demo und Schulung erfunden; wird überall als synthetisch gekennzeichnet."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Zusage")
        verbose_name_plural = _("Zusagen")
        ordering = ["agreement", "party__name", "position", "id"]

    def __str__(self) -> str:
        return f"{self.party}: {self.text[:60]}"


def document_upload_to(instance, filename: str) -> str:
    return f"network/{instance.tenant_id}/{timezone.now():%Y/%m}/{filename}"


@audited
class Document(TenantOwned):
    """A file attached to a meeting, an agenda item, an agreement or as evidence of a commitment."""

    title = models.CharField(_("Bezeichnung"), max_length=300)
    file = models.FileField(_("Datei"), upload_to=document_upload_to, max_length=300)
    mime_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha1 = models.CharField(max_length=40, blank=True)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, null=True, blank=True, related_name="documents")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    agreement = models.ForeignKey(
        CooperationAgreement, on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Dokument")
        verbose_name_plural = _("Dokumente")
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class OParlTombstone(models.Model):
    """A public object that was deleted: OParl clients that sync see it with ``deleted: true``.

    Only the kind, the former id and the times are kept, never content.
    """

    tenant = models.ForeignKey("core.Tenant", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    object_pk = models.PositiveIntegerField()
    created_at = models.DateTimeField()
    deleted_at = models.DateTimeField(auto_now_add=True, db_index=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("gelöschtes OParl-Objekt")
        verbose_name_plural = _("gelöschte OParl-Objekte")
        constraints = [models.UniqueConstraint(fields=["kind", "object_pk"], name="oparl_tombstone_unique")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_pk} (gelöscht)"
