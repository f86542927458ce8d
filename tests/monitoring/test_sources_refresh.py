"""Subscriptions refresh from the command line and from the button; a second refresh changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command

from bildungskette.core.models import Role
from bildungskette.monitoring.models import (
    Category,
    DataNotice,
    ImportRun,
    Indicator,
    RefreshOutcome,
    RefreshRun,
    SourceCredential,
    Subscription,
    Value,
)
from bildungskette.monitoring.sources.services import credential_password, credential_set, subscription_create

from .conftest import GENESIS
from .genesis_fake import TABLE, transport

FAKE = "tests.monitoring.genesis_fake.transport"


@pytest.fixture(autouse=True)
def fake_genesis(settings, monkeypatch):
    settings.MONITORING_GENESIS_TRANSPORT = FAKE
    transport.reset()
    # No real waiting between requests in tests.
    monkeypatch.setattr("bildungskette.monitoring.sources.genesis_client.MIN_PAUSE", 0)
    monkeypatch.setattr("time.sleep", lambda s: None)
    return transport


def _subscribe_cli(tenant, monkeypatch, key="06"):
    monkeypatch.setenv("GENESIS_PASSWORD", "s3cret-pw")
    call_command(
        "sources", "credentials", "--tenant", tenant.slug, "--instance", "regionalstatistik", "--username", "olov"
    )
    call_command(
        "sources",
        "subscribe",
        "--tenant",
        tenant.slug,
        "--instance",
        "regionalstatistik",
        "--table",
        TABLE,
        "--regional-variable",
        "KREISE",
        "--regional-key",
        key,
    )
    return Subscription.objects.get(tenant=tenant)


@pytest.mark.django_db
def test_cli_refresh_imports_then_second_refresh_changes_nothing(tenant, monkeypatch, capsys, catalogue):
    sub = _subscribe_cli(tenant, monkeypatch)
    call_command("sources", "refresh")
    run = RefreshRun.objects.get()
    assert run.outcome == RefreshOutcome.NEW_DATA, run.message
    assert run.trigger == "cli" and run.status_code == 0
    # 30 Hessen regions × 12 cells of the table
    assert run.created == 360 and Value.objects.filter(source__table_code=TABLE).count() == 360
    assert run.import_run.status == "done" and run.import_run.format == "ffcsv"
    assert Value.objects.filter(import_run=run.import_run).count() == 360
    first = transport.requests[0]
    assert first["headers"]["username"] == "olov" and first["headers"]["password"] == "s3cret-pw"
    assert first["form"]["regionalvariable"] == "KREISE" and first["form"]["regionalkey"] == "06"
    assert first["form"]["stand"] == ""
    sub.refresh_from_db()
    assert sub.stand and sub.source is not None
    before = list(Value.objects.order_by("pk").values_list("pk", "value", "flag", "import_run_id"))
    imports_before = ImportRun.objects.count()

    call_command("sources", "refresh")
    out = capsys.readouterr().out
    second = RefreshRun.objects.order_by("-pk").first()
    assert second.outcome == RefreshOutcome.NO_CHANGE and second.status_code == 50
    assert "nichts geändert" in second.message and "nichts geändert" in out
    assert transport.requests[-1]["form"]["stand"] == sub.stand
    assert list(Value.objects.order_by("pk").values_list("pk", "value", "flag", "import_run_id")) == before
    assert ImportRun.objects.count() == imports_before


@pytest.mark.django_db
def test_refresh_with_the_job_path(tenant, monkeypatch, catalogue):
    _subscribe_cli(tenant, monkeypatch)
    transport.large = True
    call_command("sources", "refresh")
    run = RefreshRun.objects.get()
    assert run.outcome == RefreshOutcome.NEW_DATA and run.created == 360
    assert any("catalogue/results" in line for line in run.log)
    assert any("data/resultfile" in line for line in run.log)


@pytest.mark.django_db
def test_failures_are_kept_in_the_history_and_exit_non_zero(tenant, monkeypatch, catalogue):
    monkeypatch.setenv("GENESIS_PASSWORD", "x")
    subscription_create(tenant=tenant, instance="regionalstatistik", table_code="99999-99-99-9")
    with pytest.raises(Exception, match="1 Aktualisierung"):
        call_command("sources", "refresh")
    run = RefreshRun.objects.get()
    assert run.outcome == RefreshOutcome.FAILED and run.status_code == 90
    assert "unbekannt" in run.message


@pytest.mark.django_db
def test_no_match_for_a_region_outside_the_table(tenant, catalogue):
    subscription_create(
        tenant=tenant, instance="regionalstatistik", table_code=TABLE, regional_variable="KREISE", regional_key="05911"
    )
    call_command("sources", "refresh")
    run = RefreshRun.objects.get()
    assert run.outcome == RefreshOutcome.NO_MATCH and run.status_code == 104
    assert Value.objects.count() == 0


@pytest.mark.django_db
def test_ffcsv_from_the_web_service_equals_the_classic_csv(tenant, monkeypatch, catalogue):
    """The same table, once as classic CSV, once fetched as ffcsv: the same values cell by cell."""
    from bildungskette.monitoring.importers import import_file

    def cells(table_code):
        names = {
            (c.breakdown.code, c.code): (c.breakdown.name, c.name) for c in Category.objects.select_related("breakdown")
        }
        out = {}
        qs = Value.objects.filter(source__table_code=table_code, region__code__startswith="06")
        for v in qs.select_related("statistic", "region", "period"):
            cats = frozenset(names[tuple(pair.split("=", 1))] for pair in v.categories.split(";") if pair)
            out[(v.region.code, v.period.code, v.statistic.name, cats)] = (v.value, v.flag)
        return out

    import_file(GENESIS / "21121-02-02-4.csv", fmt="genesis")
    classic = cells(TABLE)
    # The same table from the web service lands in the same statistics (one reader for both
    # layouts); start from an empty value table so that every cell is written by the refresh.
    Value.objects.all().delete()
    _subscribe_cli(tenant, monkeypatch)
    call_command("sources", "refresh")
    assert RefreshRun.objects.get().outcome == RefreshOutcome.NEW_DATA

    web = cells(TABLE)
    assert len(classic) == 360
    assert classic == web
    # A cell checked by hand against the classic file (Kassel, documenta-Stadt, line 168): 812 in total,
    # 372 with Fachhochschulreife; Landkreis Kassel (line 171): "x" for Allg. Hochschulreife.
    total = ("06611", "2022/23", "Absolvierende/Abgehende", frozenset())
    assert web[total] == (Decimal("812"), "")
    fhr = ("06611", "2022/23", "Absolvierende/Abgehende", frozenset({("Abschlussart", "Fachhochschulreife")}))
    assert web[fhr] == (Decimal("372"), "")
    ahr = (
        "06633",
        "2022/23",
        "Absolvierende/Abgehende",
        frozenset({("Abschlussart", "Allg. Hochschulreife-einschl.fachge.Hochschulreife")}),
    )
    assert web[ahr] == (None, "x")


@pytest.mark.django_db
def test_credentials_are_encrypted_per_tenant(tenant, other_tenant):
    credential = credential_set(tenant=tenant, instance="regionalstatistik", username="olov", password="s3cret-pw")
    assert "s3cret-pw" not in credential.password_encrypted and credential.password_encrypted
    assert credential_password(credential) == "s3cret-pw"
    # The token copied to another tenant's row does not open with that tenant's key.
    stolen = SourceCredential(
        tenant=other_tenant,
        instance="regionalstatistik",
        username="x",
        password_encrypted=credential.password_encrypted,
    )
    assert credential_password(stolen) == ""


@pytest.mark.django_db
def test_button_refreshes_and_followers_get_a_notice(tenant, make_user, client_as, catalogue):
    officer = make_user(role=Role.MONITORING, tenant=tenant)
    coordinator = make_user(role=Role.COORDINATION, tenant=tenant)
    credential_set(tenant=tenant, instance="regionalstatistik", username="olov", password="pw")
    client = client_as(officer)
    response = client.post(
        "/monitoring/datenstand/abonnieren/",
        {"instance": "regionalstatistik", "table_code": TABLE, "regional_variable": "KREISE", "regional_key": "06"},
    )
    assert response.status_code == 302
    assert Subscription.objects.filter(tenant=tenant, table_code=TABLE, regional_key="06").exists()
    indicator = Indicator.objects.create(
        code="abgehende-berufliche-schulen",
        name="Abgehende beruflicher Schulen (Web-Abo)",
        numerator='wert("21121-02-02-4.absolvierende-abgehende")',
        tenant=tenant,
    )
    client = client_as(coordinator)
    client.post(f"/monitoring/indikatoren/{indicator.code}/folgen/", {"folgen": "1", "next": "/"})

    client = client_as(officer)
    response = client.post("/monitoring/datenstand/aktualisieren/", follow=True)
    run = RefreshRun.objects.get()
    assert run.trigger == "button" and run.outcome == RefreshOutcome.NEW_DATA and run.started_by == officer
    assert "Neue Daten übernommen" in response.content.decode()
    notice = DataNotice.objects.get()
    assert list(notice.indicators.all()) == [indicator]

    start = client_as(coordinator).get("/").content.decode()
    assert "Neue Daten:" in start and "Abgehende beruflicher Schulen" in start

    # Second click: nothing newer → nothing changes, and the history says so.
    values = Value.objects.count()
    response = client_as(officer).post("/monitoring/datenstand/aktualisieren/", follow=True)
    assert RefreshRun.objects.order_by("-pk").first().outcome == RefreshOutcome.NO_CHANGE
    assert "Keine neueren Daten" in response.content.decode()
    assert Value.objects.count() == values and DataNotice.objects.count() == 1


@pytest.mark.django_db
def test_only_monitoring_roles_may_subscribe_or_refresh(tenant, make_user, client_as):
    coordinator = make_user(role=Role.COORDINATION, tenant=tenant)
    client = client_as(coordinator)
    assert client.post("/monitoring/datenstand/aktualisieren/").status_code == 403
    assert (
        client.post("/monitoring/datenstand/abonnieren/", {"instance": "destatis", "table_code": "x"}).status_code
        == 403
    )
    assert RefreshRun.objects.count() == 0 and Subscription.objects.count() == 0


@pytest.mark.django_db
def test_cli_reports_progress_and_another_tenant_sees_nothing(
    tenant, other_tenant, make_user, client_as, capsys, catalogue
):
    subscription_create(
        tenant=tenant, instance="regionalstatistik", table_code=TABLE, regional_variable="KREISE", regional_key="06"
    )
    call_command("sources", "refresh", "--tenant", tenant.slug)
    assert "[1/1] 21121-02-02-4 (KREISE 06)" in capsys.readouterr().out
    officer = make_user(role=Role.MONITORING, tenant=other_tenant)
    html = client_as(officer).get("/monitoring/datenstand/").content.decode()
    assert "Noch keine Abonnements." in html and "KREISE 06" not in html
    call_command("sources", "refresh", "--tenant", other_tenant.slug)
    assert RefreshRun.objects.filter(tenant=other_tenant).count() == 0
