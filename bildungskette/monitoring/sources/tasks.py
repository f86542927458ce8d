"""The "Jetzt aktualisieren" button runs the refresh outside the request (django-tasks)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django_tasks import task

from bildungskette.core.audit import audit_actor
from bildungskette.core.models import Tenant


@task()
def subscriptions_refresh_task(tenant_id: int, user_id: int | None = None) -> list[str]:
    from .services import subscriptions_refresh

    tenant = Tenant.objects.get(pk=tenant_id)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    with audit_actor(user, "Aktualisierung (Schaltfläche)"):
        runs = subscriptions_refresh(tenant=tenant, trigger="button", user=user)
    return [f"{r.subscription}: {r.get_outcome_display()}" for r in runs]
