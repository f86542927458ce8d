"""DOCX export of a report snapshot, for Kommunen that merge the report into their own layout.

Built-in Word styles only (Title, Heading 1/2, List Bullet, Table Grid), so a Kommune's template
restyles everything; charts are PNG pictures with their text alternative set as the picture's
description (``descr``), followed by the data table and the source line.
"""

from __future__ import annotations

import io
import json
import re

import vl_convert
from docx import Document
from docx.shared import Cm

from bildungskette.core.charts import CHART_CONFIG
from bildungskette.core.markup import _blocks

from .documents import LICENCE_NOTE, chart_spec, map_spec


def _plain_runs(paragraph, text: str) -> None:
    """**bold** and *italic* as runs; everything else as plain text (Word never interprets it)."""
    for part in re.split(r"(\*\*.+?\*\*|(?<!\*)\*(?!\*)[^*\n]+\*)", text):
        if part.startswith("**") and part.endswith("**") and len(part) > 4:
            paragraph.add_run(part[2:-2]).bold = True
        elif part.startswith("*") and part.endswith("*") and len(part) > 2:
            paragraph.add_run(part[1:-1]).italic = True
        elif part:
            paragraph.add_run(part)


def _table(doc, headers: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text


def _picture(doc, spec: dict, block: dict) -> None:
    """A chart or map as PNG from the same Vega-Lite definition as web and PDF, with its alt text."""
    png = vl_convert.vegalite_to_png(json.loads(json.dumps(spec | {"config": CHART_CONFIG})), scale=2)
    shape = doc.add_picture(io.BytesIO(png), width=Cm(15))
    shape._inline.docPr.set("descr", block.get("alt", ""))
    shape._inline.docPr.set("title", block["title"])


def snapshot_docx(snapshot: dict, *, version: int | None) -> bytes:
    doc = Document()
    doc.core_properties.title = snapshot["title"]
    doc.core_properties.language = "de-DE"
    doc.add_heading(snapshot["title"], level=0)
    doc.add_paragraph(f"{snapshot['region']} · {snapshot['template']}" + (f" · Fassung {version}" if version else ""))
    if snapshot.get("has_synthetic"):
        doc.add_paragraph("Enthält synthetische Teile (Demo); sie sind als synthetisch gekennzeichnet.")
    for number, chapter in enumerate(snapshot["chapters"], start=1):
        doc.add_heading(f"{number} {chapter['title']}", level=1)
        for block in chapter["blocks"]:
            if block["kind"] == "text":
                if block.get("title"):
                    doc.add_heading(block["title"], level=2)
                for kind, content in _blocks(block.get("text", "")):
                    if kind in ("h2", "h3"):
                        doc.add_heading(content, level=3)
                    elif kind == "ul":
                        for item in content:
                            _plain_runs(doc.add_paragraph(style="List Bullet"), item)
                    else:
                        _plain_runs(doc.add_paragraph(), content)
                continue
            doc.add_heading(block["title"], level=2)
            if block["kind"] == "chart" and any(r["value"] is not None for r in block.get("rows", [])):
                _picture(doc, chart_spec(block), block)
            if block["kind"] == "choropleth" and (block.get("map") or {}).get("features"):
                _picture(doc, map_spec(block), block)
                doc.add_paragraph("Klassen (von hell nach dunkel): "
                                  + "; ".join(c["label"] for c in block["map"]["classes"]))
            if block.get("columns"):
                _table(doc, block["columns"], [r["cells"] for r in block["rows"]])
                if block.get("method"):
                    doc.add_paragraph(f"Methode: {block['method']} {block['disclosure']}")
            elif block["kind"] == "datasheet":
                _table(doc, ["Indikator", "Zeitraum", "Wert"],
                       [[r["label"], r["period"], f"{r['display']} {r['unit']}".strip()] for r in block["rows"]])
            else:
                unit = (block.get("indicator") or {}).get("unit", "")
                _table(doc, ["Zeitraum", f"Wert ({unit})" if unit else "Wert"],
                       [[r["label"], r["display"]] for r in block.get("rows", [])])
            sources = "; ".join(block.get("sources", [])) or "keine Daten vorhanden"
            doc.add_paragraph(f"Quelle: {sources}. Datenstand: {block.get('data_state_label', '')}. {LICENCE_NOTE}")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
