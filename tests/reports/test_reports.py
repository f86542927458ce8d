"""Report composer: templates, pinned data states, publishing freezes, refresh shows differences,
stale saves refused, permissions, safe Markdown."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from bildungskette.core.markup import markdown_html, markdown_typst
from bildungskette.core.models import Role
from bildungskette.monitoring.importers import import_file
from bildungskette.regions.models import Region
from bildungskette.reports import services
from bildungskette.reports.models import Area, BlockKind, ReportVersion, Status, Template
from bildungskette.reports.selectors import report_snapshot

from .conftest import revised_leavers

# Kassel 2023 in 21111-02-06-4: 165 of 1,870 leavers without Hauptschulabschluss; revised: 186.
OLD_QUOTE = Decimal(165) / Decimal(1870) * 100  # 8.82… -> "8,8"
NEW_QUOTE = Decimal(186) / Decimal(1870) * 100  # 9.94… -> "9,9"


def _report(tenant, template=Template.FULL):
    return services.report_create(
        tenant=tenant, title="Bildungsbericht Test", region=Region.objects.get(code="06611"), template=template
    )


def _quote_rows(payload):
    return [r["value"] for r in payload["rows"] if r["value"] is not None]


@pytest.mark.django_db
def test_templates_create_the_chapters_of_the_leitfaden(tenant):
    full = _report(tenant)
    assert [c.area for c in full.chapters.all()] == [a.value for a in Area]
    assert full.chapters.get(area="I").title == "Bildungsnetzwerke/-beratung"
    short = _report(tenant, Template.COMMITTEE)
    assert short.chapters.count() == 3 and short.slug == "bildungsbericht-test-2"
    transition = _report(tenant, Template.TRANSITION)
    assert [c.area for c in transition.chapters.all()] == ["A", "D", "E", "I"]


def _publish(report, user=None):
    services.report_transition(report=report, action="submit")
    services.report_transition(report=report, action="approve")
    return services.report_publish(report=report, user=user)


@pytest.mark.django_db
def test_published_report_stays_as_published_while_refreshed_draft_shows_the_change(tenant, leavers_imported,
                                                                                     tmp_path):
    report = _report(tenant)
    schools = report.chapters.get(area="D")
    services.block_add(chapter=schools, kind=BlockKind.TEXT, title="Einleitung", text="Ein **Text**.")
    chart = services.block_add(chapter=schools, kind=BlockKind.CHART, indicator_code="quote-ohne-hsa")
    table = services.block_add(chapter=schools, kind=BlockKind.TABLE, indicator_code="quote-ohne-hsa")
    sheet = services.block_add(chapter=schools, kind=BlockKind.DATASHEET, section="Schulabschlüsse")
    version = _publish(report)
    assert report.status == Status.PUBLISHED and version.number == 1
    published_blocks = version.snapshot["chapters"][3]["blocks"]
    assert [b["kind"] for b in published_blocks] == ["text", "chart", "table", "datasheet"]
    assert _quote_rows(published_blocks[1]) == [str(OLD_QUOTE.quantize(Decimal("0.1")))] == ["8.8"]
    assert "Regionalstatistik" in " ".join(published_blocks[1]["sources"]) or published_blocks[1]["sources"]

    import_file(revised_leavers(tmp_path), fmt="genesis")

    # Published: unchanged, also when the report is computed again from its pinned states.
    version.refresh_from_db()
    assert _quote_rows(version.snapshot["chapters"][3]["blocks"][1]) == ["8.8"]
    # A new draft still shows the pinned (old) state until it is refreshed ...
    services.report_transition(report=report, action="reopen")
    assert _quote_rows(report_snapshot(report)["chapters"][3]["blocks"][2]) == ["8.8"]
    changes = services.report_refresh(report=report)
    # ... then the new value, with a list of what changed (chart, table and the Datenblatt row).
    assert _quote_rows(report_snapshot(report)["chapters"][3]["blocks"][2]) == [
        str(NEW_QUOTE.quantize(Decimal("0.1")))
    ] == ["9.9"]
    assert {(c["old"], c["new"]) for c in changes} == {("8,8", "9,9")}
    assert len(changes) == 3  # chart, table, Datenblatt row "Quote ohne HSA"
    sheet_changes = [c for c in changes if c["block"] == "Datenblatt: Schulabschlüsse"]
    assert sheet_changes[0]["row"] == "Quote der Abgänger*innen ohne Hauptschulabschluss"
    chart.refresh_from_db(), table.refresh_from_db(), sheet.refresh_from_db()
    assert chart.data_state == table.data_state == sheet.data_state
    # Publishing again makes version 2; version 1 is untouched.
    second = _publish(report)
    assert second.number == 2 and _quote_rows(second.snapshot["chapters"][3]["blocks"][1]) == ["9.9"]
    assert _quote_rows(ReportVersion.objects.get(number=1).snapshot["chapters"][3]["blocks"][1]) == ["8.8"]


@pytest.mark.django_db
def test_a_published_version_can_never_be_changed(tenant, leavers_imported):
    report = _report(tenant)
    version = _publish(report)
    version.snapshot["title"] = "geändert"
    with pytest.raises(ValueError, match="nie geändert"):
        version.save()


@pytest.mark.django_db
def test_workflow_order_and_editing_only_in_draft(tenant, leavers_imported):
    report = _report(tenant)
    with pytest.raises(ValidationError, match="nur ein freigegebener"):
        services.report_publish(report=report)
    services.report_transition(report=report, action="submit")
    with pytest.raises(ValidationError, match="Nur ein Entwurf"):
        services.block_add(chapter=report.chapters.first(), kind=BlockKind.TEXT, text="x")
    with pytest.raises(ValidationError, match="nicht möglich"):
        services.report_transition(report=report, action="submit")


@pytest.mark.django_db
def test_stale_block_save_is_refused(tenant):
    report = _report(tenant)
    block = services.block_add(chapter=report.chapters.first(), kind=BlockKind.TEXT, text="alt")
    loaded = block.lock_version
    services.block_update(block=block, lock_version=loaded, text="erste Änderung")
    with pytest.raises(services.StaleEdit, match="inzwischen"):
        services.block_update(block=block, lock_version=loaded, text="zweite, veraltete Änderung")
    block.refresh_from_db()
    assert block.text == "erste Änderung"


def test_markdown_is_escaped_and_only_the_subset_renders():
    html = markdown_html('## Titel\n\nEin **fetter** <script>alert(1)</script> [Link](https://example.org) '
                         '[böse](javascript:alert(1))\n\n- eins\n- zwei')
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<a href="https://example.org">Link</a>' in html and 'href="javascript' not in html
    assert "<h3>Titel</h3>" in html and "<strong>fetter</strong>" in html and "<li>zwei</li>" in html
    typ = markdown_typst('#import "x" **fett** [L](https://a.de)')
    assert typ.startswith("\\#import") and "#strong[fett]" in typ and '#link("https://a.de")[L]' in typ


@pytest.mark.django_db
def test_permissions_tenant_roles_edit_public_reads_published_only(tenant, other_tenant, make_user, client,
                                                                   client_as, leavers_imported):
    report = _report(tenant)
    coordination = make_user(Role.COORDINATION, tenant)
    monitoring = make_user(Role.MONITORING, tenant)
    partner = make_user(Role.PARTNER, tenant)
    foreign = make_user(Role.COORDINATION, other_tenant)
    for user, allowed in ((coordination, True), (monitoring, True), (partner, False), (foreign, False)):
        assert user.has_perm("reports.change_report", report) is allowed
    assert monitoring.has_perm("reports.approve_report", report) is False
    assert coordination.has_perm("reports.approve_report", report) is True
    # The public sees no draft ...
    assert client.get(f"/berichte/{report.slug}/").status_code == 404
    assert client.get(f"/berichte/bearbeiten/{report.pk}/").status_code == 302  # to the login
    _publish(report)
    response = client.get(f"/berichte/{report.slug}/")
    assert response.status_code == 200 and "Bildungsbericht Test" in response.content.decode()
    assert client_as(foreign).get(f"/berichte/bearbeiten/{report.pk}/").status_code == 403
    assert client_as(monitoring).get(f"/berichte/bearbeiten/{report.pk}/").status_code == 200


@pytest.mark.django_db
def test_stale_save_through_the_form_gets_409(tenant, make_user, client_as):
    report = _report(tenant)
    block = services.block_add(chapter=report.chapters.first(), kind=BlockKind.TEXT, text="alt")
    client = client_as(make_user(Role.COORDINATION, tenant))
    form = {"kind": "text", "text": "neu", "lock_version": block.lock_version}
    assert client.post(f"/berichte/bearbeiten/block/{block.pk}/", form).status_code == 302
    response = client.post(f"/berichte/bearbeiten/block/{block.pk}/", form | {"text": "veraltet"})
    assert response.status_code == 409 and "inzwischen" in response.content.decode()
    block.refresh_from_db()
    assert block.text == "neu"
