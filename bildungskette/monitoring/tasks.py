"""Background tasks: long imports run outside the request (django-tasks, database backend), and
the charts an import changed are rendered once afterwards instead of by the next visitor."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
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


@task()
def charts_prerender(statistic_codes: list[str] | None = None) -> dict:
    """Render the charts of the pages visitors open first – every indicator page that reads one of
    these statistics (``None``: all) in its default region, for the public and for each tenant, and
    the Datenblätter of those regions – into the shared chart cache (``core.charts``)."""
    from bildungskette.core.models import Tenant
    from bildungskette.regions.models import Region
    from bildungskette.regions.selectors import tenant_regions

    from .figures import datasheet_build, datasheet_chart, indicator_page_build
    from .models import Visibility
    from .recompute import indicator_values_refresh
    from .selectors import indicators_reading

    # Stored results made stale by the import are computed again first; the pages below then read them.
    indicator_values_refresh(statistic_codes)
    indicators = indicators_reading(statistic_codes)
    audiences = []
    germany = Region.objects.defer("boundary").filter(code="DG", tenant__isnull=True).first()
    if germany is not None:
        audiences.append((None, [germany]))
    for tenant in Tenant.objects.order_by("pk"):
        regions = tenant_regions(tenant, with_boundary=False)
        if regions:
            audiences.append((tenant, regions))
    pages = sheets = 0
    for tenant, regions in audiences:
        for indicator in indicators:
            if tenant is None and (indicator.tenant_id is not None or indicator.visibility != Visibility.PUBLIC):
                continue
            if indicator.tenant_id is not None and indicator.tenant_id != getattr(tenant, "pk", None):
                continue
            indicator_page_build(indicator=indicator, region=regions[0], tenant=tenant)
            pages += 1
        for region in regions:
            datasheet_chart(datasheet_build(region, tenant=tenant))
            sheets += 1
    return {"indicator_pages": pages, "datasheets": sheets}


def charts_prerender_enqueue(statistic_codes: list[str]) -> None:
    """Queue the pre-rendering after an import (switched off in tests: ``CHARTS_PRERENDER``)."""
    if settings.CHARTS_PRERENDER and statistic_codes:
        charts_prerender.enqueue(statistic_codes=sorted(set(statistic_codes)))
