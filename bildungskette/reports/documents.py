"""HTML figures and the tagged PDF (Typst, PDF/UA-1) of a report snapshot.

Both outputs are built from the same snapshot, so a published version renders identically
however often it is opened: nothing is recomputed.
"""

from __future__ import annotations

import typst

from bildungskette.core.charts import chart_svg
from bildungskette.core.markup import markdown_typst
from bildungskette.core.pdf import typst_escape
from bildungskette.monitoring.social_index import stadtteil_map_spec

LICENCE_NOTE = "Bericht: Datenlizenz Deutschland – Namensnennung – Version 2.0, soweit nicht anders angegeben."


def chart_spec(payload: dict) -> dict:
    unit = (payload.get("indicator") or {}).get("unit", "")
    values = [{"Zeitraum": r["label"], "Jahr": r["year"] or 0, "Wert": float(r["value"])}
              for r in payload.get("rows", []) if r["value"] is not None]
    return {
        "width": 520,
        "height": 220,
        "data": {"values": values},
        "mark": {"type": "line", "point": {"size": 60}, "strokeWidth": 2.5, "color": "#0b4f6c"},
        "encoding": {
            "x": {"field": "Zeitraum", "type": "ordinal", "sort": {"field": "Jahr"}, "title": "Zeitraum",
                  "axis": {"labelAngle": -30}},
            "y": {"field": "Wert", "type": "quantitative", "title": unit, "scale": {"zero": False}},
        },
    }


def block_svg(payload: dict) -> str:
    return chart_svg(chart_spec(payload), title=payload.get("title", ""), description=payload.get("alt", ""))


def map_spec(payload: dict) -> dict:
    """The Stadtteil map of a map block (monitoring's definition, the same for web, PDF and DOCX)."""
    return stadtteil_map_spec(payload["map"], measure=payload.get("measure", ""))


def map_svg(payload: dict) -> str:
    return chart_svg(map_spec(payload), title=payload.get("title", ""), description=payload.get("alt", ""))


def _s(value) -> str:
    return typst_escape(value)


def _quoted(value: str) -> str:
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _table(headers: list[str], rows: list[list[str]]) -> str:
    cells = ", ".join(f"table.header({', '.join(f'[*{_s(h)}*]' for h in headers)})" for _ in [0])
    body = ", ".join(f"[{_s(c)}]" for row in rows for c in row)
    return f"#table(columns: {len(headers)}, {cells}{', ' + body if body else ''})"


def snapshot_typst(snapshot: dict, *, version: int | None, published: str = "") -> tuple[str, dict]:
    files: dict[str, str] = {}
    title = snapshot["title"]
    out = [
        f"#set document(title: {_quoted(title)}, author: {_quoted(snapshot.get('tenant', 'Bildungskette'))})",
        '#set page(paper: "a4", margin: (x: 2cm, y: 2cm), numbering: "1 / 1")',
        '#set text(lang: "de", size: 10.5pt)',
        '#set heading(numbering: "1.1")',
        "#show table: set text(hyphenate: true)",
        '#show heading: set text(fill: rgb("#0b4f6c"))',
        f"#title[{_s(title)}]",
        f"{_s(snapshot['region'])} · {_s(snapshot['template'])}"
        + (f" · Fassung {version}, veröffentlicht {_s(published)}" if version else " · Entwurf"),
        "",
    ]
    if snapshot.get("has_synthetic"):
        out.append("#strong[Enthält synthetische Teile (Demo); sie sind als synthetisch gekennzeichnet.]\n")
    out.append("#outline(title: [Inhalt])\n")
    n = 0
    for chapter in snapshot["chapters"]:
        out.append(f"= {_s(chapter['title'])}\n")
        if not chapter["blocks"]:
            out.append("#emph[Noch kein Inhalt.]\n")
        for block in chapter["blocks"]:
            if block["kind"] == "text":
                if block.get("title"):
                    out.append(f"== {_s(block['title'])}\n")
                out.append(markdown_typst(block.get("text", "")) + "\n")
                continue
            out.append(f"== {_s(block['title'])}\n")
            if block["kind"] == "chart" and any(r["value"] is not None for r in block.get("rows", [])):
                n += 1
                name = f"fig{n}.svg"
                files[name] = block_svg(block)
                out.append(
                    f'#figure(image("{name}", width: 100%, alt: {_quoted(block["alt"])}), '
                    f"caption: [{_s(block['title'])}])\n"
                )
            if block["kind"] == "choropleth" and (block.get("map") or {}).get("features"):
                n += 1
                name = f"fig{n}.svg"
                files[name] = map_svg(block)
                out.append(
                    f'#figure(image("{name}", width: 85%, alt: {_quoted(block["alt"])}), '
                    f"caption: [{_s(block['title'])}])\n"
                )
                legend = "; ".join(c["label"] for c in block["map"]["classes"])
                out.append(f"#text(size: 9pt)[Klassen (von hell nach dunkel): {_s(legend)}]\n")
            if block.get("columns"):
                out.append(_table(block["columns"], [r["cells"] for r in block["rows"]]) + "\n")
                if block.get("method"):
                    out.append(f"#text(size: 9pt)[*Methode:* {_s(block['method'])} {_s(block['disclosure'])}]\n")
            elif block["kind"] == "datasheet":
                rows = [[r["label"], r["period"], f"{r['display']} {r['unit']}".strip()] for r in block["rows"]]
                out.append(_table(["Indikator", "Zeitraum", "Wert"], rows) + "\n")
            else:
                rows = [[r["label"], r["display"]] for r in block.get("rows", [])]
                unit = (block.get("indicator") or {}).get("unit", "")
                out.append(_table(["Zeitraum", f"Wert ({unit})" if unit else "Wert"], rows) + "\n")
            sources = "; ".join(block.get("sources", [])) or "keine Daten vorhanden"
            state = _s(block.get("data_state_label", ""))
            out.append(f"#text(size: 8.5pt)[Quelle: {_s(sources)}. Datenstand: {state}. {_s(LICENCE_NOTE)}]\n")
    return "\n".join(out), files


def snapshot_pdf(snapshot: dict, *, version: int | None, published: str = "") -> bytes:
    import tempfile
    from pathlib import Path

    source, files = snapshot_typst(snapshot, version=version, published=published)
    with tempfile.TemporaryDirectory(prefix="bildungskette-report-") as tmp:
        root = Path(tmp)
        for name, content in files.items():
            (root / name).write_text(content, encoding="utf-8")
        main = root / "main.typ"
        main.write_text(source, encoding="utf-8")
        return typst.compile(str(main), root=str(root), pdf_standards=["ua-1"])
