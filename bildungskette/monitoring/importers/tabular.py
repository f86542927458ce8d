"""Reading CSV and XLSX files into rows of text cells, with line numbers for German error messages."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from bildungskette.core.importing import ImportRejected, RowProblem
from bildungskette.core.parsing import HEAD_BYTES


def text_decode(raw: bytes) -> str:
    if b"\x00" in raw[:4000]:
        raise ImportRejected(
            [
                RowProblem(
                    1,
                    None,
                    "Die Datei ist nicht als UTF-8 oder ISO-8859-1 gespeichert (UTF-16 oder Binärdatei erkannt).",
                )
            ]
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("iso-8859-1")


def table_rows(path: Path, *, delimiter: str | None = None, sheet: str | None = None) -> list[tuple[int, list[str]]]:
    """(line number, cells) of a CSV (delimiter sniffed among ; , tab) or the first/named XLSX sheet."""
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 – any unreadable workbook is one message for the user
            raise ImportRejected(f"Die Excel-Datei ist nicht lesbar: {exc}") from exc
        ws = book[sheet] if sheet else book.worksheets[0]
        rows = []
        for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
            rows.append((number, ["" if c is None else _xlsx_text(c) for c in row]))
        return rows
    text = text_decode(path.read_bytes())
    if delimiter is None:
        first = text.split("\n", 1)[0]
        delimiter = max([";", ",", "\t"], key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    return [(reader.line_num, row) for row in reader]


def table_rows_sample(path: Path, *, head: int = 20, tail: int = 8) -> tuple[list[list[str]], list[list[str]]]:
    """The first ``head`` and last ``tail`` rows, for format detection: a CSV is read from a bounded
    prefix and suffix, an XLSX sheet row by row (read-only mode keeps memory bounded)."""
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from collections import deque

        from openpyxl import load_workbook

        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 – any unreadable workbook is one message for the user
            raise ImportRejected(f"Die Excel-Datei ist nicht lesbar: {exc}") from exc
        try:
            first, last = [], deque(maxlen=tail)
            for row in book.worksheets[0].iter_rows(values_only=True):
                cells = ["" if c is None else _xlsx_text(c) for c in row]
                if len(first) < head:
                    first.append(cells)
                elif not tail:
                    break
                last.append(cells)
            return first, list(last)
        finally:
            book.close()
    size = path.stat().st_size
    with path.open("rb") as fh:
        start = fh.read(HEAD_BYTES)
        fh.seek(max(0, size - HEAD_BYTES))
        end = fh.read(HEAD_BYTES)
    if size > HEAD_BYTES:  # whole lines only, so a character cut in two does not change the encoding
        start = start[: start.rfind(b"\n") + 1] or start
        end = end[end.find(b"\n") + 1:]
    start_text = text_decode(start)
    delimiter = max([";", ",", "\t"], key=start_text.split("\n", 1)[0].count)
    first = list(csv.reader(io.StringIO(start_text), delimiter=delimiter))[:head]
    last = list(csv.reader(io.StringIO(text_decode(end)), delimiter=delimiter))[-tail:] if tail else []
    return first, last


def _xlsx_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return repr(value)
    return str(value)


def column_key(name: str) -> str:
    """A column name as ``header_index`` keys it: stripped, lower case."""
    return name.strip().lower()


def header_index(header: list[str]) -> dict[str, int]:
    return {column_key(h): i for i, h in enumerate(header) if h and h.strip()}
