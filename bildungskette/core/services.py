"""Writes for tenants, users and roles."""

from __future__ import annotations

from django.db import transaction

from .models import Role, RoleAssignment, Tenant, User


def tenant_ensure(*, slug: str, name: str, **fields) -> Tenant:
    tenant, _ = Tenant.objects.update_or_create(slug=slug, defaults={"name": name, **fields})
    return tenant


def user_ensure(*, username: str, password: str, display_name: str = "", email: str = "",
                is_superuser: bool = False) -> User:
    """Create or reset an account (used by the demo and by administrators' scripts)."""
    with transaction.atomic():
        user, _ = User.objects.get_or_create(username=username)
        user.display_name = display_name
        user.email = email
        user.is_superuser = is_superuser
        user.is_staff = is_superuser
        user.set_password(password)
        user.save()
    return user


def role_assign(*, user: User, tenant: Tenant, role: str, organisation=None) -> RoleAssignment:
    if role not in Role.values:
        raise ValueError(f"unknown role {role}")
    assignment, _ = RoleAssignment.objects.get_or_create(user=user, tenant=tenant, role=role,
                                                         organisation=organisation)
    return assignment


def user_invite(*, tenant: Tenant, email: str, role: str, organisation=None, display_name: str = "",
                invited_by: User | None = None) -> tuple[User, bool]:
    """Give ``email`` a role in ``tenant``; a new account gets no password (it sets one via the invitation link).

    Returns the account and whether it still needs its invitation link (no usable password yet).
    """
    email = email.strip().lower()
    if not email:
        raise ValueError("email required")
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first() or User.objects.filter(username=email).first()
        if user is None:
            user = User(username=email, email=email, display_name=display_name)
            user.set_unusable_password()
            user.save()
        elif not user.is_active:
            user.is_active = True
            user.save(update_fields=["is_active"])
        role_assign(user=user, tenant=tenant, role=role, organisation=organisation)
    return user, not user.has_usable_password()


def invitation_send(*, user: User, link: str, tenant: Tenant) -> None:
    """The invitation e-mail (the link is also shown to the inviting administrator)."""
    from django.core.mail import send_mail
    from django.utils.translation import gettext as _

    send_mail(
        _("Einladung zur Bildungskette – %(tenant)s") % {"tenant": tenant.name},
        _("Guten Tag,\n\nSie wurden zur Bildungskette (%(tenant)s) eingeladen. Mit diesem Link legen Sie Ihr "
          "Passwort fest:\n\n%(link)s\n\nIhr Benutzername ist %(username)s. Der Link gilt einmal und nur wenige "
          "Tage.") % {"tenant": tenant.name, "link": link, "username": user.username},
        None, [user.email], fail_silently=True,
    )


def role_remove(*, assignment: RoleAssignment) -> None:
    assignment.delete()


def user_deactivate(*, tenant: Tenant, user: User) -> bool:
    """Remove every role of ``user`` in ``tenant``; an account left without any role is switched off.

    Returns whether the account was switched off (it keeps its roles in other tenants otherwise).
    """
    with transaction.atomic():
        RoleAssignment.objects.filter(user=user, tenant=tenant).delete()
        if user.is_superuser or RoleAssignment.objects.filter(user=user).exists():
            return False
        user.is_active = False
        user.save(update_fields=["is_active"])
    return True


def legal_pages_ensure(*, tenant: Tenant):
    """The tenant's legal pages, created with the placeholder texts on first use."""
    from .models import LegalPages

    pages, _created = LegalPages.objects.get_or_create(tenant=tenant)
    return pages


def accessibility_feedback_submit(*, tenant: Tenant, message: str, name: str = "", email: str = "",
                                  page: str = ""):
    """Store a reported barrier and tell the tenant by e-mail (the feedback address of its
    Erklärung zur Barrierefreiheit, else its administrators)."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from .models import AccessibilityFeedback, LegalPages

    feedback = AccessibilityFeedback.objects.create(tenant=tenant, message=message, name=name, email=email,
                                                    page=page)
    address = LegalPages.objects.filter(tenant=tenant).values_list("feedback_email", flat=True).first()
    recipients = [address] if address else sorted(set(
        RoleAssignment.objects.filter(tenant=tenant, role=Role.TENANT_ADMIN, user__is_active=True)
        .exclude(user__email="").values_list("user__email", flat=True)))
    if recipients:
        send_mail(
            _("Rückmeldung zur Barrierefreiheit – %(tenant)s") % {"tenant": tenant.name},
            _("Über das Formular der Erklärung zur Barrierefreiheit ist eine Rückmeldung eingegangen.\n\n"
              "Seite: %(page)s\n\n%(message)s\n\nAlle Rückmeldungen: %(list)s") % {
                "page": page or "–", "message": message,
                "list": getattr(settings, "SITE_URL", "") + reverse("core:feedback_list")},
            None, recipients, fail_silently=True,
        )
    return feedback


def accessibility_feedback_mark(*, tenant: Tenant, pk: int, handled: bool) -> int:
    from .models import AccessibilityFeedback

    return AccessibilityFeedback.objects.filter(tenant=tenant, pk=pk).update(handled=handled)
