"""Spreadsheet files handed out by every app (CSV and XLSX), written safely.

A cell whose text begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by
spreadsheet programs as a formula (CSV/formula injection, OWASP). Every export goes through
:func:`cell_escape` (CSV) or :func:`xlsx_workbook` (XLSX) so that such text arrives as text:

- CSV: the text gets a leading apostrophe, which spreadsheets show as "this is text";
- XLSX: the cell is stored as a string cell with Excel's quote prefix, never as a formula.

Numbers typed as numbers (``int``, ``float``, ``Decimal``) stay numbers, so ``-5`` remains ``-5``.
Key columns (AGS, Gemeindeschlüssel, PLZ) are strings and stay text with their leading zeros.
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SHEET_TITLE_BAD = re.compile(r"[\[\]:*?/\\]")


def cell_escape(value):
    """The value with formula-like text neutralised; numbers, dates and ``None`` unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def number_text(value, *, decimal_mark: str = ",") -> str:
    """A number as text without exponent or trailing zeros, with the given decimal mark."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", decimal_mark)


def csv_cell(value, *, decimal_mark: str = ",") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, (int, float, Decimal)):
        return number_text(value, decimal_mark=decimal_mark)
    return cell_escape(str(value))


def csv_text(
    rows, *, header: list[str] | None = None, delimiter: str = ";", decimal_mark: str = ",", bom: bool = True
) -> str:
    """Rows as CSV text; every cell escaped, numbers with the given decimal mark."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    if header is not None:
        writer.writerow([csv_cell(h) for h in header])
    for row in rows:
        writer.writerow([csv_cell(v, decimal_mark=decimal_mark) for v in row])
    return ("\ufeff" if bom else "") + out.getvalue()


def sheet_title(title: str) -> str:
    """A worksheet title Excel accepts: no ``[]:*?/\\``, at most 31 characters, not empty."""
    clean = _SHEET_TITLE_BAD.sub(" ", title or "").strip().strip("'")
    return clean[:31].strip() or "Daten"


def xlsx_workbook(title: str, header: list[str], rows, footer: list[str] = ()) -> bytes:
    """One worksheet: bold header, rows, then footer lines (sources). Text is always text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title(title)
    _xlsx_row(sheet, 1, header, bold=Font(bold=True))
    r = 2
    for row in rows:
        _xlsx_row(sheet, r, row)
        r += 1
    r += 1
    for line in footer:
        _xlsx_row(sheet, r, [line])
        r += 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_row(sheet, r: int, values, bold=None) -> None:
    for c, value in enumerate(values, start=1):
        if isinstance(value, Decimal):
            value = float(value)
        if isinstance(value, str):
            from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

            value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell = sheet.cell(row=r, column=c)
            # Assigning a string starting with "=" would make openpyxl store a formula;
            # set the value and force the string type, with Excel's "this is text" prefix.
            cell._value = value
            cell.data_type = "s"
            if value.startswith(FORMULA_START) or value[:1].isdigit():
                cell.quotePrefix = True
        else:
            cell = sheet.cell(row=r, column=c, value=value)
        if bold is not None:
            cell.font = bold


# CSV on the Web (W3C CSVW) ---------------------------------------------------------------------

CSVW_CONTEXT = ["http://www.w3.org/ns/csvw", {"@language": "de"}]
DECIMAL_VARIANTS = {",": "de", ".": "maschinenlesbar"}


def decimal_mark_from(request) -> str:
    """``?dezimal=punkt`` asks for the machine-readable variant (decimal point)."""
    return "." if request.GET.get("dezimal") == "punkt" else ","


def csvw_name(title: str) -> str:
    """A CSVW column name (letters, digits, ``_``) from a German column title."""
    text = title.lower()
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, plain)
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_") or "spalte"


def csvw_column(
    name: str,
    *,
    title: str | None = None,
    datatype: str = "string",
    unit: str = "",
    decimal_mark: str = ",",
    key: bool = False,
    description: str = "",
) -> dict:
    """One column description. Keys (AGS, Gemeindeschlüssel, PLZ) are strings, so that readers
    keep the leading zeros ("06611", "01001")."""
    column: dict = {"name": csvw_name(name), "titles": title or name}
    if datatype in ("decimal", "double") and decimal_mark != ".":
        column["datatype"] = {"base": datatype, "format": {"decimalChar": decimal_mark}}
    else:
        column["datatype"] = datatype
    if unit:
        column["schema:unitText"] = unit
    if description or key:
        column["dc:description"] = description or "Schlüssel: Text mit führenden Nullen"
    return column


def csvw_metadata(
    *,
    url: str,
    title: str,
    columns: list[dict],
    decimal_mark: str = ",",
    delimiter: str = ";",
    sources: list[str] = (),
    licence: str = "",
    primary_key: list[str] = (),
    modified: str | None = None,
    footer_lines: bool = True,
) -> dict:
    """CSVW table description (JSON-LD) of one CSV file as written by :func:`csv_text`.

    The UTF-8 BOM and the trailing source lines (written as ``# Quelle: …`` comment rows) are
    declared in the dialect, so CSVW readers read only the table.
    """
    variant = DECIMAL_VARIANTS.get(decimal_mark, "de")
    meta: dict = {
        "@context": CSVW_CONTEXT,
        "url": url,
        "dc:title": title,
        "dc:description": (
            "Variante „maschinenlesbar“: Dezimalpunkt, Semikolon als Trennzeichen."
            if variant == "maschinenlesbar"
            else "Variante „de“: Dezimalkomma (für deutsche Tabellenkalkulationen), Semikolon als Trennzeichen."
        ),
        "dc:source": list(sources),
        "dialect": {
            "delimiter": delimiter,
            "encoding": "utf-8",
            "header": True,
            "commentPrefix": "#",
            "skipBlankRows": True,
            "doubleQuote": True,
        },
        "tableSchema": {"columns": columns},
    }
    if licence:
        meta["dc:license"] = licence
    if modified:
        meta["dc:modified"] = modified
    if primary_key:
        meta["tableSchema"]["primaryKey"] = list(primary_key)
    return meta


def comment_lines(lines) -> list[list[str]]:
    """Source lines as CSV comment rows (skipped by CSVW readers, shown by spreadsheets)."""
    return [[f"# {line}"] for line in lines]
