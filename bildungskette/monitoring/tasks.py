"""Background tasks: long imports run outside the request (django-tasks, database backend)."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django_tasks import task

from bildungskette.core.audit import audit_actor
from bildungskette.core.importing import ImportRejected

from .models import ImportRun, ImportStatus


@task()
def import_run_execute(run_id: int, user_id: int | None = None) -> dict:
    """Import the kept file of a confirmed ImportRun; a rejected file changes nothing."""
    from .importers import import_file

    run = ImportRun.objects.select_related("tenant").get(pk=run_id)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    run.status = ImportStatus.RUNNING
    run.save(update_fields=["status"])
    try:
        with audit_actor(user, f"Import ({run.format})"):
            report = import_file(Path(run.file.path), fmt=run.format, tenant=run.tenant, user=user, import_run=run)
    except ImportRejected as exc:
        return {"rejected": [str(p) for p in exc.problems[:50]]}
    return report.as_dict()
