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
