"""Background job: the yearly reminder to providers (schedule it e.g. weekly; it reminds each entry
at most every 30 days)."""

from django_tasks import task

from bildungskette.core.audit import audit_actor


@task()
def verification_reminders() -> str:
    from django.conf import settings

    from .services import verification_reminders_send

    with audit_actor(None, "Erinnerung Lernortkarte"):
        return verification_reminders_send(base_url=settings.SITE_URL).summary()
