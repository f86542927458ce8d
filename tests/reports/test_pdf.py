"""The report PDF is tagged PDF/UA-1 (Typst ``pdf_standards=["ua-1"]``), checked against its structure."""

import pytest

from bildungskette.regions.models import Region
from bildungskette.reports import services
from bildungskette.reports.documents import snapshot_pdf
from bildungskette.reports.models import BlockKind, Template

from .pdfua import pdfua_problems


@pytest.mark.django_db
def test_published_report_pdf_passes_the_structure_check(tenant, leavers_imported, client):
    report = services.report_create(tenant=tenant, title="Kurzbericht PDF", region=Region.objects.get(code="06611"),
                                    template=Template.COMMITTEE)
    chapter = report.chapters.get(area="E")
    services.block_add(chapter=chapter, kind=BlockKind.TEXT, title="Lage", text="Die **Lage** am Übergang.")
    services.block_add(chapter=chapter, kind=BlockKind.CHART, indicator_code="quote-ohne-hsa")
    services.block_add(chapter=chapter, kind=BlockKind.DATASHEET, section="Schulabschlüsse")
    for action in ("submit", "approve", "publish"):
        services.report_transition(report=report, action=action)
    response = client.get(f"/berichte/{report.slug}/bericht.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    problems, info = pdfua_problems(response.content, title="Kurzbericht PDF")
    assert problems == []
    # Kassel 2023: 165 / 1,870 = 8.8 % in the figure's alternative text.
    assert info["figure_alts"] == ["Zeitreihe „Quote der Abgänger*innen ohne Hauptschulabschluss“ für Kassel: "
                                   "8,8 % (2022/23)."]
    assert info["outline"] == ["1 Ausgangslage", "2 Übergang Schule–Beruf", "3 Empfehlungen an den Ausschuss"]
    assert {"/Table", "/TH", "/H1", "/Figure", "/Caption"} <= set(info["elements"])


def test_the_check_fails_for_an_untagged_pdf_and_a_figure_without_alt(tmp_path):
    import typst

    main = tmp_path / "main.typ"
    main.write_text('#set document(title: "X")\n#image("a.svg")\n', encoding="utf-8")
    (tmp_path / "a.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
                                    encoding="utf-8")
    plain = typst.compile(str(main), root=str(tmp_path))
    problems, _ = pdfua_problems(plain, title="X")
    assert "/Lang ist nicht de" in problems and "Figure ohne /Alt" in problems and "keine Lesezeichen" in problems
    with pytest.raises(RuntimeError, match="(?i)alt"):
        typst.compile(str(main), root=str(tmp_path), pdf_standards=["ua-1"])


def test_snapshot_pdf_escapes_typst_markup_in_titles():
    snap = {"title": '#panic("x") "quoted"', "region": "R", "template": "T", "tenant": "T",
            "chapters": [{"title": "#eval(1)", "blocks": []}]}
    pdf = snapshot_pdf(snap, version=None)
    problems, info = pdfua_problems(pdf, title='#panic("x") "quoted"')
    assert problems == [] and info["outline"] == ["1 #eval(1)"]


@pytest.mark.django_db
def test_docx_export_has_headings_tables_sources_and_picture_descriptions(tenant, leavers_imported, client):
    import io

    import docx

    report = services.report_create(tenant=tenant, title="Kurzbericht DOCX", region=Region.objects.get(code="06611"),
                                    template=Template.COMMITTEE)
    chapter = report.chapters.get(area="E")
    services.block_add(chapter=chapter, kind=BlockKind.TEXT, text="Ein **fetter** Satz.\n\n- Punkt")
    services.block_add(chapter=chapter, kind=BlockKind.CHART, indicator_code="quote-ohne-hsa")
    for action in ("submit", "approve", "publish"):
        services.report_transition(report=report, action=action)
    response = client.get(f"/berichte/{report.slug}/bericht.docx")
    assert response.status_code == 200 and response["Content-Type"].endswith("wordprocessingml.document")
    document = docx.Document(io.BytesIO(response.content))
    assert document.core_properties.title == "Kurzbericht DOCX"
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["1 Ausgangslage", "2 Übergang Schule–Beruf",
                        "Quote der Abgänger*innen ohne Hauptschulabschluss", "3 Empfehlungen an den Ausschuss"]
    bold = [r.text for p in document.paragraphs for r in p.runs if r.bold]
    assert bold == ["fetter"]
    assert [[c.text for c in row.cells] for row in document.tables[0].rows] == [["Zeitraum", "Wert (%)"],
                                                                                 ["2022/23", "8,8"]]
    assert any(p.text.startswith("Quelle: © Statistische Ämter") for p in document.paragraphs)
    descr = document.inline_shapes[0]._inline.docPr.get("descr")
    assert descr.startswith("Zeitreihe „Quote der Abgänger*innen ohne Hauptschulabschluss“ für Kassel: 8,8 %")
