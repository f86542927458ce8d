"""Importers of the monitoring app: every format reads a file into a ``Dataset``; one pipeline stores it.

Formats: ``genesis`` (classic table CSV), ``ffcsv`` (GENESIS flat file, old and new),
``ba`` (BA training-market balance, documented column layout), ``mapping:NAME`` (any CSV/XLSX
through a named column mapping). Every import is one transaction; the original file is kept
with its ``ImportRun``; re-importing the same data updates instead of duplicating.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone

from bildungskette.core.audit import audit_record_import
from bildungskette.core.dbstats import tables_analyze
from bildungskette.core.importing import Importer, ImportRejected, ImportReport, RowProblem

from ..models import ImportRun, ImportStatus, Period, Statistic, Value, ValueRevision
from ..services import breakdown_ensure, slug_code, source_ensure, statistic_ensure, values_upsert
from ..tasks import charts_prerender_enqueue


@dataclass
class Dataset:
    """What a file contains, in the app's terms, before anything is stored."""

    format: str
    source: dict  # keyword arguments for source_ensure
    breakdowns: dict[str, tuple[str, list[tuple]]] = field(default_factory=dict)  # code -> (name, categories)
    statistics: list[dict] = field(default_factory=list)  # statistic_ensure kwargs + "breakdowns": [codes]
    values: list[dict] = field(default_factory=list)  # values_upsert rows (+ "line")
    notes: list[str] = field(default_factory=list)
    # Called inside the transaction before values are stored (e.g. to create missing official regions).
    prepare: Callable[[], list[str]] | None = None
    new_regions: list[str] = field(default_factory=list)

    def preview(self) -> dict:
        """A summary for the upload preview: what will be created."""
        regions = sorted({str(v["region"]) for v in self.values})
        periods = sorted({str(v["period"]) for v in self.values})
        flags: dict[str, int] = {}
        for v in self.values:
            if v.get("flag"):
                flags[v["flag"]] = flags.get(v["flag"], 0) + 1
        return {
            "format": self.format,
            "source": {
                k: str(v)
                for k, v in self.source.items()
                if k in ("code", "title", "table_code", "attribution", "publisher")
            },
            "statistics": [{"code": s["code"], "name": s["name"], "unit": s.get("unit", "")} for s in self.statistics],
            "breakdowns": [
                {"code": code, "name": name, "categories": [c[1] for c in cats]}
                for code, (name, cats) in self.breakdowns.items()
            ],
            "values": len(self.values),
            "regions": len(regions),
            "region_sample": regions[:12],
            "periods": periods,
            "flags": flags,
            "new_regions": self.new_regions,
            "notes": self.notes,
            "sample": [{k: str(v) for k, v in row.items() if k != "line"} for row in self.values[:10]],
        }


def progress_path(run_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "monitoring" / "progress" / f"{run_id}.txt"


def progress_write(run_id: int | None, percent: int) -> None:
    """Progress goes to a small file, readable from other processes while the import transaction is open."""
    if run_id is None:
        return
    path = progress_path(run_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(str(percent))


def progress_read(run: ImportRun) -> int:
    if run.status in (ImportStatus.DONE, ImportStatus.REJECTED):
        return 100
    try:
        return int(progress_path(run.pk).read_text())
    except (OSError, ValueError):
        return run.progress


# Values are written in pieces of this many rows (one values_upsert each), inside the one transaction.
STORE_CHUNK = 20000


def dataset_store(
    dataset: Dataset, *, tenant=None, import_run: ImportRun | None = None, filename: str = ""
) -> ImportReport:
    """Store a dataset in one transaction; a problem anywhere rolls everything back."""
    report = ImportReport(importer=dataset.format, source=filename or dataset.source.get("title", ""))
    run_id = import_run.pk if import_run else None
    with transaction.atomic():
        if dataset.prepare is not None:
            report.notes += dataset.prepare()
        source = source_ensure(
            tenant=tenant if dataset.source.get("tenant_owned") else None,
            **{k: v for k, v in dataset.source.items() if k != "tenant_owned"},
        )
        breakdowns = {}
        for code, (name, cats) in dataset.breakdowns.items():
            breakdowns[code] = breakdown_ensure(code=code, name=name, categories=cats)
        for stat in dataset.statistics:
            fields = {k: v for k, v in stat.items() if k != "breakdowns"}
            statistic_ensure(source=source, breakdowns=[breakdowns[b] for b in stat.get("breakdowns", [])], **fields)
        chunk = STORE_CHUNK
        total = max(len(dataset.values), 1)
        value_tenant = tenant if dataset.source.get("tenant_owned") else None
        revised = 0
        try:
            for start in range(0, len(dataset.values), chunk):
                counts = values_upsert(
                    source=source,
                    rows=dataset.values[start : start + chunk],
                    tenant=value_tenant,
                    import_run=import_run,
                )
                report.created += counts.created
                report.updated += counts.updated
                report.unchanged += counts.unchanged
                revised += counts.revised
                progress_write(run_id, min(99, int((start + chunk) * 100 / total)))
        except ValueError as exc:
            raise ImportRejected([RowProblem(None, None, str(exc))]) from exc
        if revised:
            report.notes.append(
                f"{revised} Werte revidiert: die früheren Fassungen bleiben mit ihrem Import erhalten "
                "(Verlauf auf der Quellenseite)."
            )
        # Warnings (cut footer, negative counts …) stay with the run, visible after a background import.
        report.notes += dataset.notes
        if import_run is not None:
            import_run.source = source
            import_run.status = ImportStatus.DONE
            import_run.progress = 100
            import_run.report = report.as_dict()
            import_run.finished_at = timezone.now()
            import_run.save()
        audit_record_import(
            tenant=tenant,
            model_label="monitoring.Value",
            summary=report.as_dict(),
            description=f"{dataset.format}: {source}",
        )
        if report.created or report.updated:
            changed = sorted({str(v["statistic"]) for v in dataset.values})
            transaction.on_commit(lambda: charts_prerender_enqueue(changed))
    progress_write(run_id, 100)
    # After the commit, so that the statistics see the new rows (issue #14: plans without them took minutes).
    tables_analyze(Value, ValueRevision, Statistic, Period)
    return report


def import_run_create(
    *, path: Path, fmt: str, tenant=None, user=None, options: dict | None = None, status: str = ImportStatus.QUEUED
) -> ImportRun:
    """Keep the original file with an ImportRun (for the CLI too, so every value links to its file).

    Hashed and copied in chunks: a large upload is never held in memory whole."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1024 * 1024):
            digest.update(chunk)
    run = ImportRun(
        tenant=tenant,
        format=fmt,
        original_name=path.name,
        status=status,
        sha256=digest.hexdigest(),
        options=options or {},
        created_by=user,
    )
    with path.open("rb") as fh:
        run.file.save(path.name, File(fh), save=False)
    run.save()
    return run


READERS: dict[str, Callable[..., Dataset]] = {}


def dataset_read(path: Path, fmt: str, *, tenant=None, options: dict | None = None) -> Dataset:
    """Read a file with the reader of ``fmt`` (``mapping:NAME`` → the named column mapping)."""
    name = fmt.split(":", 1)[0]
    reader = READERS.get(name)
    if reader is None:
        raise ImportRejected(f"Unbekanntes Format „{fmt}“.")
    return reader(path, tenant=tenant, fmt=fmt, **(options or {}))


def import_file(
    path: Path, *, fmt: str, tenant=None, user=None, import_run: ImportRun | None = None, options: dict | None = None
) -> ImportReport:
    """Read and store; the run is marked rejected (with the German problems) if the file is refused."""
    if import_run is None:
        import_run = import_run_create(
            path=path, fmt=fmt, tenant=tenant, user=user, options=options, status=ImportStatus.RUNNING
        )
    try:
        dataset = dataset_read(path, fmt, tenant=tenant, options=options)
        report = dataset_store(dataset, tenant=tenant, import_run=import_run, filename=path.name)
    except ImportRejected as exc:
        import_run.status = ImportStatus.REJECTED
        import_run.report = {"rejected": [str(p) for p in exc.problems[:200]]}
        import_run.finished_at = timezone.now()
        import_run.save()
        # The original file of a refused import is not kept as data: nothing of it is stored.
        import_run.file.delete(save=True)
        raise
    return report


def _cli_runner(fmt: str):
    def run(path: Path, *, tenant=None, **options) -> ImportReport:
        chosen = options.pop("format", fmt) or fmt
        if chosen == "auto":
            chosen = fmt
        return import_file(Path(path), fmt=chosen, tenant=tenant, options={})

    return run


def importers_register() -> None:
    from bildungskette.core.importing import importer_register

    from . import ba, ffcsv, genesis_reader, mapping

    READERS.update(
        {
            "genesis": genesis_reader.genesis_dataset,
            "ffcsv": ffcsv.ffcsv_dataset,
            "ba": ba.ba_dataset,
            "mapping": mapping.mapping_dataset,
        }
    )
    importer_register(
        Importer(
            "genesis",
            "GENESIS/Regionalstatistik – Tabelle (CSV)",
            genesis_reader.detect,
            _cli_runner("genesis"),
            priority=20,
            tables=None,
        )
    )
    importer_register(
        Importer(
            "ffcsv", "GENESIS – Flatfile (CSV/ZIP)", ffcsv.ffcsv_detect, _cli_runner("ffcsv"), priority=21, tables=None
        )
    )
    importer_register(
        Importer(
            "ba", "BA – Ausbildungsmarktbilanz (CSV/XLSX)", ba.ba_detect, _cli_runner("ba"), priority=22, tables=None
        )
    )
    importer_register(
        Importer(
            "mapping",
            "Beliebige CSV/XLSX über gespeicherte Spaltenzuordnung",
            lambda path: False,
            _cli_runner("mapping"),
            priority=90,
            tables=None,
        )
    )


def slug(text: str) -> str:
    return slug_code(text)
