"""dataset_store, the one pipeline every monitoring importer ends in: what it reports, where it
puts a tenant's own source and values, what it leaves on the import run and in the change log,
how it reports progress, and what it starts after the commit.

Written against the survivors of `make mutation MODULES=importer-store`; every expectation is
worked out by hand from the small synthetic dataset below.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from bildungskette.core.importing import ImportRejected
from bildungskette.core.models import AuditEntry
from bildungskette.monitoring import importers
from bildungskette.monitoring.importers import Dataset, dataset_store
from bildungskette.monitoring.models import ImportRun, ImportStatus, Period, Source, Statistic, Value, ValueRevision
from bildungskette.monitoring.services import period_ensure

pytestmark = pytest.mark.django_db

SOURCE = {"code": "test-store", "publisher": "Test", "title": "Synthetische Testtabelle", "attribution": "Test"}


def _dataset(values, *, tenant_owned=False, notes=(), prepare=None, fmt="testformat"):
    period_ensure("2023")
    source = dict(SOURCE, tenant_owned=True) if tenant_owned else dict(SOURCE)
    return Dataset(
        format=fmt, source=source,
        breakdowns={"geschlecht": ("Geschlecht", [("maennlich", "männlich"), ("weiblich", "weiblich")])},
        statistics=[{"code": "t.store", "name": "Gespeichert", "breakdowns": ["geschlecht"]},
                    {"code": "t.ohne", "name": "Ohne Gliederung"}],
        values=[{"statistic": "t.store", "region": "06611", "period": "2023", "value": v,
                 "categories": {"geschlecht": "weiblich"} if i % 2 else {"geschlecht": "maennlich"},
                 "line": i + 2} if i < 2 else
                {"statistic": "t.ohne", "region": "06611", "period": "2023", "value": v, "line": i + 2}
                for i, v in enumerate(values)],
        notes=list(notes), prepare=prepare,
    )


def test_the_report_counts_and_names_the_file_or_the_source():
    report = dataset_store(_dataset([1, 2, 3]), filename="tabelle.csv")
    assert (report.importer, report.source, report.created, report.updated, report.unchanged) == (
        "testformat", "tabelle.csv", 3, 0, 0)
    again = dataset_store(_dataset([1, 5, 3]))
    assert (again.source, again.created, again.updated, again.unchanged) == ("Synthetische Testtabelle", 0, 1, 2)


def test_counts_add_up_over_the_pieces(monkeypatch):
    monkeypatch.setattr(importers, "STORE_CHUNK", 2)
    assert (dataset_store(_dataset([1, 2, 3])).created) == 3
    report = dataset_store(_dataset([1, 9, 8]))
    assert (report.created, report.updated, report.unchanged) == (0, 2, 1)
    assert sorted(Value.objects.values_list("value", flat=True)) == [1, 8, 9]


def test_breakdowns_and_statistics_are_created_with_the_source():
    dataset_store(_dataset([1, 2, 3]))
    stat = Statistic.objects.get(code="t.store")
    assert stat.source.code == "test-store" and stat.name == "Gespeichert"
    assert list(stat.breakdowns.values_list("code", flat=True)) == ["geschlecht"]
    assert list(stat.breakdowns.get().categories.order_by("order").values_list("code", "name")) == [
        ("maennlich", "männlich"), ("weiblich", "weiblich")]
    assert not Statistic.objects.get(code="t.ohne").breakdowns.exists()
    assert Value.objects.filter(statistic=stat, categories="geschlecht=weiblich").get().value == 2


def test_a_tenants_own_table_keeps_source_and_values_with_the_tenant(tenant):
    dataset_store(_dataset([1, 2, 3], tenant_owned=True), tenant=tenant)
    assert Source.objects.get(code="test-store").tenant == tenant
    assert set(Value.objects.values_list("tenant", flat=True)) == {tenant.pk}


def test_an_official_table_imported_by_a_tenant_stays_shared(tenant):
    dataset_store(_dataset([1, 2, 3]), tenant=tenant)
    assert Source.objects.get(code="test-store").tenant is None
    assert set(Value.objects.values_list("tenant", flat=True)) == {None}


def test_prepare_notes_revisions_and_warnings_are_reported_in_order():
    dataset_store(_dataset([1, 2, 3]))
    report = dataset_store(_dataset([1, 7, 3], notes=["Fußzeile abgeschnitten"], prepare=lambda: ["Region neu"]))
    assert report.notes == ["Region neu",
                            "1 Werte revidiert: die früheren Fassungen bleiben mit ihrem Import erhalten "
                            "(Verlauf auf der Quellenseite).",
                            "Fußzeile abgeschnitten"]
    assert ValueRevision.objects.count() == 1


def test_no_revision_no_revision_note():
    assert dataset_store(_dataset([1, 2, 3]), ).notes == []


def test_a_value_error_while_storing_is_a_rejection_with_its_message():
    dataset = _dataset([1, 2, 3])
    dataset.values[2]["statistic"] = "t.gibt-es-nicht"
    with pytest.raises(ImportRejected, match="t.gibt-es-nicht") as error:
        dataset_store(dataset)
    assert [(p.line, p.column) for p in error.value.problems] == [(None, None)]
    assert "t.gibt-es-nicht" in error.value.problems[0].message
    assert not Value.objects.exists() and not Source.objects.filter(code="test-store").exists()


def test_the_import_run_is_done_with_its_source_report_and_time(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    run = ImportRun.objects.create(format="testformat", original_name="tabelle.csv", status=ImportStatus.RUNNING)
    report = dataset_store(_dataset([1, 2, 3]), import_run=run, filename="tabelle.csv")
    run.refresh_from_db()
    assert (run.status, run.progress, run.source.code) == (ImportStatus.DONE, 100, "test-store")
    assert run.report == report.as_dict() and run.report["created"] == 3
    assert run.finished_at is not None
    assert Value.objects.filter(import_run=run).count() == 3
    assert importers.progress_path(run.pk).read_text() == "100"


def test_progress_is_written_per_piece_and_never_100_before_the_end(tmp_path, settings, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    written = []
    monkeypatch.setattr(importers, "progress_write", lambda run_id, percent: written.append((run_id, percent)))
    monkeypatch.setattr(importers, "STORE_CHUNK", 2)
    run = ImportRun.objects.create(format="testformat", original_name="t.csv", status=ImportStatus.RUNNING)
    dataset_store(_dataset([1, 2, 3, 4, 5]), import_run=run)
    # Pieces end after 2, 4 and 6 of 5 rows: 40 %, 80 %, then capped at 99 % until the commit is done.
    assert written == [(run.pk, 40), (run.pk, 80), (run.pk, 99), (run.pk, 100)]
    written.clear()
    monkeypatch.setattr(importers, "STORE_CHUNK", 1)
    dataset_store(_dataset([1, 2, 3]), import_run=run)
    assert written == [(run.pk, 33), (run.pk, 66), (run.pk, 99), (run.pk, 100)]  # rounded down: 2/3 is 66 %
    written.clear()
    dataset_store(_dataset([1]), import_run=run)
    assert written == [(run.pk, 99), (run.pk, 100)]


def test_the_import_is_in_the_change_log_of_the_tenant():
    dataset_store(_dataset([1, 2, 3]), filename="tabelle.csv")
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT).latest("pk")
    assert (entry.tenant, entry.model_label) == (None, "monitoring.Value")
    assert entry.object_repr == "testformat: " + str(Source.objects.get(code="test-store"))
    assert entry.changes["created"] == 3


def test_the_tenants_import_is_in_its_change_log(tenant):
    dataset_store(_dataset([1, 2, 3], tenant_owned=True), tenant=tenant)
    assert AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT).latest("pk").tenant == tenant


def test_charts_of_changed_statistics_are_queued_after_the_commit(monkeypatch, django_capture_on_commit_callbacks):
    queued = []
    monkeypatch.setattr(importers, "charts_prerender_enqueue", queued.append)
    with django_capture_on_commit_callbacks(execute=True):
        dataset_store(_dataset([1, 2, 3]))
    assert queued == [["t.ohne", "t.store"]]
    with django_capture_on_commit_callbacks(execute=True):
        dataset_store(_dataset([1, 2, 3]))  # nothing changed
    assert queued == [["t.ohne", "t.store"]]
    with django_capture_on_commit_callbacks(execute=True):
        dataset_store(_dataset([1, 2, 4]))  # one value updated
    assert queued == [["t.ohne", "t.store"], ["t.ohne", "t.store"]]


def test_the_tables_are_analysed_after_the_import(monkeypatch):
    analysed = []
    monkeypatch.setattr(importers, "tables_analyze", lambda *models: analysed.append(models))
    dataset_store(_dataset([1, 2, 3]))
    assert analysed == [(Value, ValueRevision, Statistic, Period)]


def test_values_are_stored_as_given():
    dataset_store(_dataset([Decimal("1.5"), 2, 3]))
    assert Value.objects.get(categories="geschlecht=maennlich").value == Decimal("1.5")


def test_a_failure_after_a_piece_was_written_leaves_nothing(monkeypatch, tenant):
    monkeypatch.setattr(importers, "STORE_CHUNK", 2)
    dataset = _dataset([1, 2, 3], tenant_owned=True)
    dataset.values[2]["region"] = "99999"  # the second piece fails, after the first was written
    with pytest.raises(ImportRejected, match="99999"):
        dataset_store(dataset, tenant=tenant)
    assert not Value.objects.exists()
    assert not Source.objects.filter(code="test-store").exists()
    assert not Statistic.objects.filter(code__in=["t.store", "t.ohne"]).exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT, model_label="monitoring.Value").exists()


def test_revisions_are_counted_over_all_pieces(monkeypatch):
    dataset_store(_dataset([1, 2, 3]))
    monkeypatch.setattr(importers, "STORE_CHUNK", 2)
    report = dataset_store(_dataset([5, 2, 6]))  # one revision in each piece
    assert report.notes[0].startswith("2 Werte revidiert")
