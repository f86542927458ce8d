"""The live blocks map (Stadtteile, social index), strategy goal status and network facts: pinned to a
data state, frozen on publishing, refreshed with the list of changes; PDF/UA and DOCX with figure
alternatives; block reordering and the title form."""

import datetime
import io
import statistics

import pytest
from django.utils import timezone

from bildungskette.core.models import Role
from bildungskette.monitoring.importers import import_file
from bildungskette.monitoring.kleinraum_demo import MAPPING_NAME, kleinraum_demo_load, synthetic_rows
from bildungskette.network import services as network_services
from bildungskette.network.models import BodyType, MeetingStatus
from bildungskette.regions.models import Region
from bildungskette.reports import services
from bildungskette.reports.models import Block, BlockKind, Template
from bildungskette.reports.selectors import report_snapshot
from bildungskette.strategy.models import Goal, StrategyPeriod

from .pdfua import pdfua_problems


def _report(tenant, template=Template.FULL, title="Bericht kleinräumig"):
    return services.report_create(tenant=tenant, title=title, region=Region.objects.get(code="06611"),
                                  template=template)


def _publish(report):
    for action in ("submit", "approve", "publish"):
        services.report_transition(report=report, action=action)
    return report.versions.get()


def _block(snapshot, kind):
    return next(b for c in snapshot["chapters"] for b in c["blocks"] if b["kind"] == kind)


def _expected_index(rows):
    """The documented method, computed here with floats from the demo rows (not from the app)."""
    small = {r["Stadtteil"] for r in rows if 0 < r["HH_Alleinerz"] < 3}
    assert small == {"Brasselsberg"}
    # Secondary suppression: the next-smallest count of single-parent households goes too.
    second = min((r for r in rows if r["Stadtteil"] not in small), key=lambda r: r["HH_Alleinerz"])["Stadtteil"]
    kept = [r for r in rows if r["Stadtteil"] not in small | {second}]
    shares = {r["Stadtteil"]: (r["SGB2"] / r["Einwohner"], r["HH_Alleinerz"] / r["HH_Kinder"],
                               r["Migration"] / r["Einwohner"]) for r in kept}
    index = dict.fromkeys(shares, 0.0)
    for k, w in enumerate((0.5, 0.25, 0.25)):
        values = [s[k] * 100 for s in shares.values()]
        mean, sd = statistics.fmean(values), statistics.pstdev(values)
        for name, s in shares.items():
            index[name] += w * (s[k] * 100 - mean) / sd
    return index, small | {second}


@pytest.mark.django_db
def test_stadtteil_map_is_pinned_published_unchanged_and_refresh_shows_the_revision(tenant, tmp_path, client):
    kleinraum_demo_load(tenant)
    report = _report(tenant)
    chapter = report.chapters.get(area="A")
    services.block_add(chapter=chapter, kind=BlockKind.CHOROPLETH, section="index")
    payload = _block(report_snapshot(report), "choropleth")
    rows = synthetic_rows()
    expected, suppressed = _expected_index(rows)
    by_name = {r["label"]: r for r in payload["rows"]}
    assert len(by_name) == 23 and len(payload["map"]["features"]) == 23
    for name, value in expected.items():
        assert by_name[name]["value"] == f"{value:.2f}", name
    for name in suppressed:
        assert by_name[name]["value"] is None and by_name[name]["display"] == "gesperrt (Geheimhaltung)"
        assert "•" in by_name[name]["cells"]
    assert payload["synthetic"] and "SYNTHETISCHE DATEN" in payload["sources"][0]
    assert "0,5 × z(SGB-II-Quote) + 0,25 × z(Anteil Alleinerziehender)" in payload["method"]
    assert payload["alt"].startswith("Karte: Sozialindex der 23 Stadtteile von Kassel (2024); höchster Wert")
    top = max(expected, key=expected.get)
    assert f"({top})" in payload["alt"].split(";")[1]

    version = _publish(report)
    published_top = by_name[top]["display"]
    # A revised Stadtteil file: the top Stadtteil's SGB II count halves.
    top_row = next(r for r in rows if r["Stadtteil"] == top)
    path = tmp_path / "revidiert.csv"
    path.write_text("Stadtteil;Einwohner;SGB2;HH_Kinder;HH_Alleinerz;Migration\n"
                    f"{top};{top_row['Einwohner']};{top_row['SGB2'] // 2};{top_row['HH_Kinder']};"
                    f"{top_row['HH_Alleinerz']};{top_row['Migration']}\n", encoding="utf-8")
    import_file(path, fmt=f"mapping:{MAPPING_NAME}", tenant=tenant)

    html = client.get(f"/berichte/{report.slug}/").content.decode()
    assert published_top in html and "role=\"img\"" in html and "Methode" in html
    version.refresh_from_db()
    assert {r["label"]: r["display"] for r in _block(version.snapshot, "choropleth")["rows"]}[top] == published_top

    services.report_transition(report=report, action="reopen")
    changes = services.report_refresh(report=report)
    top_change = next(c for c in changes if c["row"] == top)
    assert top_change["old"] == published_top and top_change["new"] != published_top
    new_rows = {r["label"]: r for r in _block(report_snapshot(report), "choropleth")["rows"]}
    assert new_rows[top]["display"] == top_change["new"]


@pytest.mark.django_db
def test_goal_status_and_network_facts_are_frozen_until_refresh(tenant):
    period = StrategyPeriod.objects.create(tenant=tenant, name="Bildungsstrategie 2025–2030", start_year=2025,
                                           end_year=2030)
    Goal.objects.create(tenant=tenant, period=period, code="1", title="Übergänge sichern")
    body = network_services.body_create(tenant=tenant, name="OloV-Steuerungsgruppe", type=BodyType.STEERING_GROUP)
    now = timezone.now()
    network_services.meeting_create(body=body, title="Sitzung 1", starts_at=now - datetime.timedelta(days=30),
                                    status=MeetingStatus.HELD)
    report = _report(tenant, Template.COMMITTEE, title="Ausschuss")
    chapter = report.chapters.get(area="I")
    goals = services.block_add(chapter=chapter, kind=BlockKind.GOALS)
    net = services.block_add(chapter=chapter, kind=BlockKind.NETWORK)
    snap = report_snapshot(report)
    goal_rows = _block(snap, "goals")["rows"]
    # A goal without indicators: its status says the data are insufficient (symbol, not colour alone).
    assert [(r["label"], r["display"]) for r in goal_rows] == [("1 Übergänge sichern", "? Daten reichen nicht aus")]
    facts = {r["key"]: r["value"] for r in _block(snap, "network")["rows"]}
    assert facts["gremien"] == "1" and facts["sitzungen"] == "1" and facts["beschluesse"] == "0"
    assert _block(snap, "goals")["title"] == "Stand der Ziele: Bildungsstrategie 2025–2030"

    # Later: a second goal and a second meeting (and one more than a year ago, which does not count).
    Goal.objects.create(tenant=tenant, period=period, code="2", title="Ausbildung stärken")
    network_services.meeting_create(body=body, title="Sitzung 2", starts_at=now - datetime.timedelta(days=2),
                                    status=MeetingStatus.HELD)
    network_services.meeting_create(body=body, title="alt", starts_at=now - datetime.timedelta(days=400),
                                    status=MeetingStatus.HELD)
    snap = report_snapshot(report)
    assert len(_block(snap, "goals")["rows"]) == 1
    assert {r["key"]: r["value"] for r in _block(snap, "network")["rows"]}["sitzungen"] == "1"

    changes = services.report_refresh(report=report)
    assert {(c["row"], c["old"], c["new"]) for c in changes} >= {("durchgeführte Sitzungen (letzte 12 Monate)",
                                                                   "1", "2")}
    assert any(c["row"] == "2 Ausbildung stärken" and c["old"] == "–" for c in changes)
    goals.refresh_from_db()
    net.refresh_from_db()
    assert len(goals.frozen["rows"]) == 2 and goals.data_state > now


@pytest.mark.django_db
def test_pdf_with_map_goals_and_network_passes_the_structure_check_and_docx_describes_the_map(tenant, client):
    import docx

    kleinraum_demo_load(tenant)
    report = _report(tenant, Template.COMMITTEE, title="Kurzbericht Stadtteile")
    chapter = report.chapters.get(area="A")
    services.block_add(chapter=chapter, kind=BlockKind.CHOROPLETH, section="sgb2")
    services.block_add(chapter=chapter, kind=BlockKind.GOALS)
    services.block_add(chapter=chapter, kind=BlockKind.NETWORK)
    _publish(report)
    pdf = client.get(f"/berichte/{report.slug}/bericht.pdf").content
    problems, info = pdfua_problems(pdf, title="Kurzbericht Stadtteile")
    assert problems == []
    assert len(info["figure_alts"]) == 1
    assert info["figure_alts"][0].startswith("Karte: SGB-II-Quote (%) der 23 Stadtteile von Kassel (2024)")
    document = docx.Document(io.BytesIO(client.get(f"/berichte/{report.slug}/bericht.docx").content))
    descrs = [shape._inline.docPr.get("descr") for shape in document.inline_shapes]
    assert descrs == [info["figure_alts"][0]]
    headers = [t.rows[0].cells[0].text for t in document.tables]
    assert headers == ["Stadtteil", "Ziel", "Kennzahl"]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Methode: Sozialindex" in text and "SYNTHETISCHE DATEN" in text


@pytest.mark.django_db
def test_blocks_move_up_and_down_by_post_only_for_editors_of_the_tenant(tenant, other_tenant, make_user, client_as):
    report = _report(tenant)
    chapter = report.chapters.get(area="A")
    a, b, c = (services.block_add(chapter=chapter, kind=BlockKind.TEXT, text=t) for t in "ABC")
    editor_user = make_user(Role.MONITORING, tenant)
    editor = client_as(editor_user)

    def order():
        return "".join(Block.objects.filter(chapter=chapter).order_by("order", "id").values_list("text", flat=True))

    response = editor.post(f"/berichte/bearbeiten/block/{c.pk}/verschieben/", {"direction": "up"})
    assert response.status_code == 302 and response["Location"].endswith(f"#block-{c.pk}") and order() == "ACB"
    editor.post(f"/berichte/bearbeiten/block/{a.pk}/verschieben/", {"direction": "up"})  # already first
    assert order() == "ACB"
    editor.post(f"/berichte/bearbeiten/block/{a.pk}/verschieben/", {"direction": "down"})
    assert order() == "CAB"
    editor.post(f"/berichte/bearbeiten/block/{b.pk}/verschieben/", {"direction": "down"})  # already last
    assert order() == "CAB"
    assert editor.get(f"/berichte/bearbeiten/block/{a.pk}/verschieben/").status_code == 405
    foreign = client_as(make_user(Role.COORDINATION, other_tenant))
    assert foreign.post(f"/berichte/bearbeiten/block/{a.pk}/verschieben/", {"direction": "up"}).status_code == 403
    partner = client_as(make_user(Role.PARTNER, tenant))
    assert partner.post(f"/berichte/bearbeiten/block/{a.pk}/verschieben/", {"direction": "up"}).status_code == 403
    assert order() == "CAB"
    html = client_as(editor_user).get(f"/berichte/bearbeiten/{report.pk}/").content.decode()
    assert "„Text (Markdown)“ nach oben verschieben" in html


@pytest.mark.django_db
def test_title_form_refuses_a_stale_save(tenant, make_user, client_as):
    report = _report(tenant)
    first = client_as(make_user(Role.COORDINATION, tenant))
    second = client_as(make_user(Role.MONITORING, tenant))
    url = f"/berichte/bearbeiten/{report.pk}/angaben/"
    token = first.get(url).context["form"]["stand"].value()  # both open the form with the same title
    saved = second.post(url, {"title": "Bildungsbericht 2026", "region": "06611", "stand": token})
    assert saved.status_code == 302
    stale = first.post(url, {"title": "Mein Titel", "region": "06611", "stand": token})
    assert stale.status_code == 409
    assert "Titel: „Bildungsbericht 2026“" in stale.content.decode()
    report.refresh_from_db()
    assert report.title == "Bildungsbericht 2026"
    unknown = second.post(url, {"title": "X", "region": "99999", "stand": second.get(url).context["form"]["stand"]
                                .value()})
    assert "Unbekannter Regionalschlüssel" in unknown.content.decode()
    services.report_transition(report=report, action="submit")
    with pytest.raises(Exception, match="Nur ein Entwurf"):
        services.report_update(report=report, lock_version=report.lock_version, title="Y")
