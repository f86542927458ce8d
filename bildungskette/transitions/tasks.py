"""Background jobs: the daily retention run and the statistics refresh (django-tasks)."""

from django_tasks import task

from bildungskette.core.audit import audit_actor


@task()
def retention_run() -> str:
    from .services import retention_apply

    with audit_actor(None, "Löschlauf Übergänge"):
        return retention_apply().summary()


@task()
def statistics_refresh() -> int:
    from .statistics import cohort_statistics_recompute

    with audit_actor(None, "Statistiklauf Übergänge"):
        return cohort_statistics_recompute()
