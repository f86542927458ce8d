"""Files handed out: CSV and XLSX downloads of every table, and the Datenblatt as PDF (Typst).

Every file carries the source and licence lines of the data in it.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from bildungskette.core.charts import chart_svg
from bildungskette.core.pdf import pdf_render, typst_escape

from .figures import Datasheet, datasheet_chart_spec


def table_csv(header: list[str], rows: list[list], source_lines: list[str]) -> bytes:
    """Semicolon CSV with decimal comma (what German spreadsheet users open), UTF-8 with BOM."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell_text(v) for v in row])
    writer.writerow([])
    for line in source_lines:
        writer.writerow([f"Quelle: {line}"])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (Decimal, float)):
        return (
            format(value, "f").rstrip("0").rstrip(".").replace(".", ",")
            if "." in format(value, "f")
            else format(value, "f")
        )
    return str(value)


def table_xlsx(title: str, header: list[str], rows: list[list], source_lines: list[str]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31] or "Daten"
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
    sheet.append([])
    for line in source_lines:
        sheet.append([f"Quelle: {line}"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def datasheet_pdf(sheet: Datasheet) -> bytes:
    """The Datenblatt on A4: same numbers and the same chart spec as the web page."""
    e = typst_escape
    parts = [
        "#set page(margin: (x: 1.6cm, y: 1.5cm))\n#show table: set text(size: 8.5pt)\n",
        f"= Datenblatt {e(sheet.region.title)}\n",
        f'#text(fill: rgb("#4d5663"))[Bildungsmonitoring · Stand der Daten je Abschnitt · '
        f"Vergleich mit {e(sheet.land.title if sheet.land else '–')}]\n",
    ]
    if sheet.members:
        members = ", ".join(f"{m.title} ({m.code})" for m in sheet.members)
        parts.append(
            f"#text(size: 9pt)[Gebietsgruppe: Anzahlen sind die Summen von {e(members)}; Quoten werden aus den "
            "Summen berechnet, nie gemittelt.]\n"
        )
    if sheet.synthetic:
        parts.append('#block(fill: rgb("#fff0e0"), inset: 6pt)[*Enthält synthetische Daten.*]\n')
    for section in sheet.sections:
        period = section.period.label if section.period else "keine Daten"
        parts.append(f"== {e(section.title)} ({e(period)})\n#text(size: 9pt)[{e(section.subtitle)}]\n")
        cells = [
            "[*Kennzahl*]",
            "[*Stand*]",
            "[*Wert*]",
            "[*Vorjahr*]",
            "[*Veränderung*]",
            f"[*{e(sheet.land.title if sheet.land else 'Land')}*]",
        ]
        for row in section.rows:
            cur = row.current.display() if row.current else "kein Wert"
            unit = f" {row.unit}" if row.current and row.current.value is not None and row.unit in ("%",) else ""
            prev = row.previous.display() if row.previous else "–"
            land = row.land.display() if row.land else "–"
            if row.land and row.land.value is not None and row.unit == "%":
                land += " %"
            cells += [
                f"[{e(row.label)}]",
                f"[{e(row.period.label if row.period else '–')}]",
                f"[{e(cur + unit)}]",
                f"[{e(prev)}]",
                f"[{e(row.change or '–')}]",
                f"[{e(land)}]",
            ]
        parts.append(
            "#table(columns: (2.4fr, 1.1fr, 0.9fr, 0.9fr, 0.9fr, 0.9fr), "
            "align: (left, left, right, right, right, right), "
            'stroke: 0.4pt + rgb("#c9d1d9"), inset: 4pt, ' + ", ".join(cells) + ")\n"
        )
        notes = {row.approximation for row in section.rows if row.approximation}
        notes |= {row.current.reason for row in section.rows if row.current is not None and row.current.reason}
        for note in sorted(notes):
            parts.append(f"#text(size: 8pt)[Hinweis: {e(note)}]\n")
    files = {}
    if sheet.chart_rows:
        files["abschluesse.svg"] = chart_svg(
            datasheet_chart_spec(sheet), title="Abschlussarten im Vergleich", description="Anteile der Abschlussarten"
        )
        parts.append('== Abschlussarten im Vergleich\n#image("abschluesse.svg", width: 100%)\n')
    lines = " · ".join(e(s.line_with_state) for s in sheet.sources)
    parts.append("#v(6pt)\n#text(size: 8pt)[*Quellen:* " + lines + "]\n")
    return pdf_render(source="".join(parts), files=files)
