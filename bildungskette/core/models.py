"""Tenants, users, roles and the audit log."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Tenant(models.Model):
    """A Mandant: one Gebietskörperschaft or a grouping of them that works together."""

    class Kind(models.TextChoices):
        AUTHORITY = "authority", _("Gebietskörperschaft")
        REGION_GROUP = "region_group", _("Regionaler Verbund")

    name = models.CharField(_("Name"), max_length=200, unique=True)
    slug = models.SlugField(_("Kurzname"), max_length=60, unique=True)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.AUTHORITY)
    land_code = models.CharField(
        _("Land (Schlüssel)"), max_length=2, blank=True, help_text=_("z. B. 06 für Hessen; bestimmt Landesprogramme.")
    )
    description = models.TextField(_("Beschreibung"), blank=True)
    modules = models.JSONField(
        _("Module"), default=list, blank=True,
        help_text=_("Die Module, die der Mandant nutzt (leer: alle installierten Module)."),
    )
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Mandant")
        verbose_name_plural = _("Mandanten")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """An account. Roles come from RoleAssignment, scoped to a tenant."""

    display_name = models.CharField(_("Anzeigename"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("Benutzerkonto")
        verbose_name_plural = _("Benutzerkonten")

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    def has_perm(self, perm, obj=None) -> bool:
        # Person-level permissions get no superuser short-cut (core/rules.py PERSON_LEVEL_PERMISSIONS).
        from .rules import PERSON_LEVEL_PERMISSIONS

        if perm in PERSON_LEVEL_PERMISSIONS:
            import rules

            return self.is_active and rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)


class Role(models.TextChoices):
    TENANT_ADMIN = "tenant_admin", _("Mandanten-Administration")
    COORDINATION = "coordination", _("Koordination (Bildungsmanagement, OloV, KAoA)")
    MONITORING = "monitoring", _("Bildungsmonitoring")
    TRANSITION_MANAGER = "transition_manager", _("Übergangsmanagement an einer Schule")
    PARTNER = "partner", _("Partnerorganisation")
    DATA_PROTECTION = "data_protection", _("Datenschutzbeauftragte*r")


class RoleAssignment(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Benutzerkonto"), on_delete=models.CASCADE,
                             related_name="role_assignments")
    tenant = models.ForeignKey(Tenant, verbose_name=_("Mandant"), on_delete=models.CASCADE,
                               related_name="role_assignments")
    role = models.CharField(_("Rolle"), max_length=30, choices=Role.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("Organisation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        help_text=_("Für Übergangsmanagement (die Schule) und Partner (die Mitgliedsorganisation)."),
    )

    class Meta:
        verbose_name = _("Rollenzuweisung")
        verbose_name_plural = _("Rollenzuweisungen")
        constraints = [
            models.UniqueConstraint(fields=["user", "tenant", "role", "organisation"], name="unique_role_assignment"),
            models.UniqueConstraint(
                fields=["user", "tenant", "role"],
                condition=models.Q(organisation__isnull=True),
                name="unique_role_assignment_without_organisation",
            ),
        ]

    def __str__(self) -> str:
        scope = f" – {self.organisation}" if self.organisation_id else ""
        return f"{self.user} · {self.get_role_display()} · {self.tenant}{scope}"


class TenantOwned(models.Model):
    """Base for everything a tenant's users create: it belongs to exactly one tenant."""

    tenant = models.ForeignKey(Tenant, verbose_name=_("Mandant"), on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """Who changed what, when. Written for every create/update/delete of audited domain data."""

    class Action(models.TextChoices):
        CREATE = "create", _("angelegt")
        UPDATE = "update", _("geändert")
        DELETE = "delete", _("gelöscht")
        IMPORT = "import", _("importiert")

    tenant = models.ForeignKey(Tenant, verbose_name=_("Mandant"), on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Person"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("Wer"), max_length=150, blank=True)
    action = models.CharField(_("Aktion"), max_length=10, choices=Action.choices)
    model_label = models.CharField(_("Datenart"), max_length=100)
    object_id = models.CharField(_("Objekt-Nr."), max_length=64, blank=True)
    object_repr = models.CharField(_("Objekt"), max_length=300, blank=True)
    changes = models.JSONField(_("Änderungen"), default=dict, blank=True)
    created_at = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Änderungsprotokoll")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["tenant", "-created_at"]), models.Index(fields=["model_label", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%d.%m.%Y %H:%M} {self.actor_label} {self.get_action_display()} {self.object_repr}"


class AuthThrottleEvent(models.Model):
    """One counted attempt for rate limits and login delays (see core/auth/throttle.py).

    ``key`` is a keyed hash of what is counted (an IP address, a user name, an e-mail address), so
    the table holds no addresses in clear; rows older than the longest window are deleted.
    """

    kind = models.CharField(max_length=30)
    key = models.CharField(max_length=64)
    at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("Anmeldeversuch (Zählung)")
        verbose_name_plural = _("Anmeldeversuche (Zählung)")
        indexes = [models.Index(fields=["kind", "key", "at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%d.%m.%Y %H:%M:%S}"


class OneTimeToken(models.Model):
    """A single-use, short-lived secret sent by e-mail (company sign-in links, invitations).

    Only a hash of the token is stored; ``subject`` names what the token stands for
    (e.g. ``transitions.companycontact:12``).
    """

    purpose = models.CharField(max_length=60)
    subject = models.CharField(max_length=120)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Einmal-Link")
        verbose_name_plural = _("Einmal-Links")
        indexes = [models.Index(fields=["purpose", "subject"])]

    def __str__(self) -> str:
        return f"{self.purpose} {self.subject}"


# The tenant's public duties. Defaults are placeholders that say what is missing, so a page is never
# empty and never looks finished before the tenant has completed it.
TO_COMPLETE = "[Bitte ergänzen]"


DEFAULT_IMPRINT = (
    f"{TO_COMPLETE} Dieses Impressum ist eine Vorlage und muss von der Kommune vervollständigt werden.\n\n"
    "## Herausgeberin\n\nName der Kommune, Anschrift, vertreten durch (Landrat/Landrätin, "
    "Oberbürgermeister*in)\n\n## Kontakt\n\nTelefon, E-Mail-Adresse\n\n"
    "## Verantwortlich für den Inhalt\n\nName, Anschrift der verantwortlichen Stelle\n\n"
    "## Umsatzsteuer-Identifikationsnummer\n\nfalls vorhanden"
)
DEFAULT_PRIVACY = (
    f"{TO_COMPLETE} Diese Datenschutzerklärung ist eine Vorlage und muss von der Kommune und ihrer "
    "oder ihrem Datenschutzbeauftragten vervollständigt werden.\n\n"
    "## Verantwortliche Stelle\n\nName und Anschrift der Kommune\n\n"
    "## Datenschutzbeauftragte*r\n\nKontakt\n\n"
    "## Welche Daten diese Website verarbeitet\n\n"
    "- Öffentliche Seiten setzen keine Cookies außer dem Sprach-Cookie, wenn Sie die Sprache wechseln.\n"
    "- „In meiner Nähe“: Ihr Standort wird nur auf Ihren Wunsch im Browser ermittelt, gerundet in der "
    "Adresse der Ergebnisliste übertragen und auf dem Server weder gespeichert noch protokolliert.\n"
    "- Rückmeldungen zur Barrierefreiheit werden mit den Angaben gespeichert, die Sie eintragen.\n"
    "- Es werden keine Inhalte von anderen Servern geladen (keine Schriften, keine Karten-Kacheln).\n\n"
    "## Ihre Rechte\n\nAuskunft, Berichtigung, Löschung, Einschränkung, Widerspruch, Beschwerde bei der "
    "Aufsichtsbehörde (Name und Anschrift der Landesdatenschutzbehörde ergänzen)"
)
DEFAULT_GAPS = (
    f"{TO_COMPLETE} Listen Sie hier die Inhalte auf, die noch nicht barrierefrei sind, mit Begründung "
    "und barrierefreier Alternative.\n\n"
    "- Beispiel: Karten – die Lernorte stehen zusätzlich als Liste zur Verfügung.\n"
    "- Beispiel: ältere PDF-Dokumente, die vor der Umstellung erstellt wurden."
)
DEFAULT_ARBITRATION = (
    f"{TO_COMPLETE} Nennen Sie die für Ihre Kommune zuständige Schlichtungs- oder Durchsetzungsstelle "
    "nach dem Behindertengleichstellungsgesetz Ihres Landes, mit Anschrift und Website. Wenn auch nach "
    "Ihrer Rückmeldung an uns keine zufriedenstellende Lösung gefunden wurde, können Sie sich dorthin wenden."
)
DEFAULT_EASY_LANGUAGE = (
    "## Was steht auf dieser Website?\n\n"
    "Auf dieser Website finden Sie Informationen über Bildung in unserer Kommune.\n\n"
    "- Sie finden Lern-Orte. Lern-Orte sind zum Beispiel Schulen, Büchereien und Volks-Hochschulen.\n"
    "- Sie finden Angebote und Veranstaltungen. Zum Beispiel Kurse oder Tage zum Kennen-Lernen von Berufen.\n"
    "- Sie finden Zahlen über Bildung in Ihrer Region.\n\n"
    "## Wie finden Sie sich zurecht?\n\n"
    "- Oben auf jeder Seite ist das Menü. Dort gibt es Links zu allen Bereichen.\n"
    "- Auf der Start-Seite gibt es ein Such-Feld. Dort können Sie ein Wort eingeben. "
    "Zum Beispiel den Namen von Ihrem Ort.\n"
    "- Unten auf jeder Seite stehen Links zum Impressum, zum Daten-Schutz und zur Barriere-Freiheit.\n\n"
    "## Barriere-Freiheit\n\n"
    "Wir wollen, dass alle Menschen diese Website benutzen können. Das nennt man Barriere-Freiheit. "
    "In der Erklärung zur Barriere-Freiheit steht:\n\n"
    "- Was auf der Website schon gut funktioniert.\n"
    "- Was noch nicht gut funktioniert.\n"
    "- Wie Sie uns einen Fehler melden können.\n"
    "- An wen Sie sich wenden können, wenn wir den Fehler nicht beheben.\n\n"
    "## Weitere Informationen\n\n"
    "- Ist etwas auf der Website schwer zu benutzen? Dann schreiben Sie uns. "
    "Das Formular dafür finden Sie bei „Barriere-Freiheit“.\n"
    f"- {TO_COMPLETE} Kontakt für Fragen: Telefon-Nummer und E-Mail-Adresse der Kommune."
)


# Named functions, not lambdas: migrations must be able to refer to the defaults.
def default_imprint() -> str:
    return DEFAULT_IMPRINT


def default_privacy() -> str:
    return DEFAULT_PRIVACY


def default_gaps() -> str:
    return DEFAULT_GAPS


def default_feedback_contact() -> str:
    return f"{TO_COMPLETE} Stelle, Telefon, E-Mail-Adresse"


def default_arbitration() -> str:
    return DEFAULT_ARBITRATION


def default_easy_language() -> str:
    return DEFAULT_EASY_LANGUAGE


class LegalPages(models.Model):
    """Impressum, Datenschutzerklärung, Erklärung zur Barrierefreiheit (BITV 2.0 § 7) and the
    explanations in Leichte Sprache (BITV 2.0 § 4) of one tenant, edited by its administration.
    Texts are the safe Markdown subset of ``core/markup.py``."""

    class Status(models.TextChoices):
        FULL = "full", _("vollständig vereinbar")
        PARTIAL = "partial", _("teilweise vereinbar")
        NONE = "none", _("nicht vereinbar")

    class Method(models.TextChoices):
        SELF = "self", _("Selbstbewertung")
        THIRD_PARTY = "third_party", _("Prüfung durch Dritte")

    tenant = models.OneToOneField(Tenant, verbose_name=_("Mandant"), on_delete=models.CASCADE,
                                  related_name="legal_pages")
    imprint = models.TextField(_("Impressum"), default=default_imprint)
    privacy = models.TextField(_("Datenschutzerklärung"), default=default_privacy)
    accessibility_status = models.CharField(
        _("Stand der Vereinbarkeit mit den Anforderungen"), max_length=12, choices=Status.choices,
        default=Status.PARTIAL)
    accessibility_gaps = models.TextField(_("Nicht barrierefreie Inhalte"), default=default_gaps)
    accessibility_prepared_on = models.DateField(_("Erklärung erstellt am"), null=True, blank=True)
    accessibility_reviewed_on = models.DateField(_("zuletzt überprüft am"), null=True, blank=True)
    accessibility_method = models.CharField(_("Grundlage der Erklärung"), max_length=12, choices=Method.choices,
                                            default=Method.SELF)
    feedback_contact = models.TextField(
        _("Kontakt für Rückmeldungen"), default=default_feedback_contact)
    feedback_email = models.EmailField(
        _("E-Mail-Adresse für Benachrichtigungen"), blank=True,
        help_text=_("Erhält eine Nachricht bei jeder Rückmeldung zur Barrierefreiheit. Leer: die "
                    "Mandanten-Administration."))
    arbitration = models.TextField(_("Schlichtungsverfahren"), default=default_arbitration)
    easy_language = models.TextField(_("Informationen in Leichter Sprache"), default=default_easy_language)
    sign_language_video_url = models.URLField(
        _("Video in Deutscher Gebärdensprache (Adresse)"), blank=True, max_length=300,
        help_text=_("Falls vorhanden: die Adresse des Videos mit denselben Informationen in DGS."))
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        verbose_name = _("Rechtliche Seiten")
        verbose_name_plural = _("Rechtliche Seiten")

    def __str__(self) -> str:
        return str(self.tenant)

    def incomplete_fields(self) -> list[str]:
        """Labels of the texts that still hold the placeholder."""
        names = ["imprint", "privacy", "accessibility_gaps", "feedback_contact", "arbitration", "easy_language"]
        return [str(self._meta.get_field(n).verbose_name) for n in names if TO_COMPLETE in getattr(self, n)]


class AccessibilityFeedback(models.Model):
    """A barrier reported through the form of the Erklärung zur Barrierefreiheit. Holds only what
    the sender typed in (no IP address, no browser data)."""

    tenant = models.ForeignKey(Tenant, verbose_name=_("Mandant"), on_delete=models.CASCADE, related_name="+")
    page = models.CharField(_("Seite"), max_length=300, blank=True)
    message = models.TextField(_("Nachricht"))
    name = models.CharField(_("Name"), max_length=150, blank=True)
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    created_at = models.DateTimeField(_("eingegangen am"), auto_now_add=True)
    handled = models.BooleanField(_("erledigt"), default=False)

    class Meta:
        verbose_name = _("Rückmeldung zur Barrierefreiheit")
        verbose_name_plural = _("Rückmeldungen zur Barrierefreiheit")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%d.%m.%Y} {self.message[:40]}"
