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


@task()
def import_run_preview(run_id: int) -> str:
    """Read a large upload outside the request and leave its preview for the user to confirm."""
    from django.utils import timezone

    from .importers import dataset_read

    run = ImportRun.objects.get(pk=run_id)
    run.status = ImportStatus.RUNNING
    run.save(update_fields=["status"])
    try:
        dataset = dataset_read(Path(run.file.path), run.format, tenant=run.tenant)
    except ImportRejected as exc:
        run.status, run.report, run.finished_at = (
            ImportStatus.REJECTED, {"rejected": [str(p) for p in exc.problems[:50]]}, timezone.now())
        run.options = {k: v for k, v in run.options.items() if k != "stage"}
        run.save(update_fields=["status", "report", "finished_at", "options"])
        run.file.delete(save=True)  # nothing of a refused file is kept
        return run.status
    run.preview = dataset.preview()
    run.status = ImportStatus.PREVIEW
    run.options = {k: v for k, v in run.options.items() if k != "stage"}
    run.save(update_fields=["preview", "status", "options"])
    return run.status
