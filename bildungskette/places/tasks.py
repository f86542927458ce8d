"""Background job: the yearly reminder to providers (schedule it e.g. weekly; it reminds each entry
at most every 30 days)."""

import logging

from django_tasks import task

from bildungskette.core.audit import audit_actor

logger = logging.getLogger(__name__)


@task()
def verification_reminders() -> str:
    from django.conf import settings

    from .services import verification_reminders_send

    with audit_actor(None, "Erinnerung Lernortkarte"):
        return verification_reminders_send(base_url=settings.SITE_URL).summary()


@task()
def places_import_run(import_id: int) -> str:
    """Run a large Lernort import outside the request; the kept file is removed afterwards."""
    from pathlib import Path

    from django.utils import timezone

    from bildungskette.core.importing import ImportRejected, importer_for

    from .models import BackgroundImport

    job = BackgroundImport.objects.select_related("tenant", "created_by").get(pk=import_id)
    job.status = BackgroundImport.Status.RUNNING
    job.save(update_fields=["status"])
    path = Path(job.stored_path)
    try:
        importer = importer_for(path, job.format)
        if not importer.format.startswith("places-"):
            raise ImportRejected("Diese Datei ist keine Lernort-Datei.")
        with audit_actor(job.created_by, str(job.created_by or "Import")):
            report = importer.run(path, tenant=job.tenant, mapping=job.mapping)
    except ImportRejected as exc:
        job.status, job.result = BackgroundImport.Status.REJECTED, {"rejected": [str(p) for p in exc.problems[:50]]}
    except Exception:  # never leave the job "running" forever; the traceback goes to the log
        logger.exception("background Lernort import %s failed", job.pk)
        job.status, job.result = BackgroundImport.Status.REJECTED, {
            "rejected": ["Die Datei konnte nicht eingelesen werden; nichts wurde gespeichert."]}
    else:
        report.source = job.file_name
        job.status, job.result = BackgroundImport.Status.DONE, report.as_dict()
    finally:
        path.unlink(missing_ok=True)
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "result", "finished_at"])
    return job.status
