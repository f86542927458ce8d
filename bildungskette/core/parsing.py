"""Safe readers for uploaded and imported files: text, CSV and JSON.

Every failure becomes ``ImportRejected`` with a German message that names line and column –
wrong encoding, binary content, broken CSV quoting, invalid or too deeply nested JSON, numbers
out of range – never an exception that would turn into a server error.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import json
import math
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.utils.translation import gettext as _

from .importing import ImportRejected, RowProblem

MAX_JSON_DEPTH = 100
# csv's own default limit (128 KiB per field) raises csv.Error; one field larger than this is
# not a value anyone typed.
csv.field_size_limit(1024 * 1024)


def _position(raw: bytes | str, offset: int) -> tuple[int, int]:
    newline = b"\n" if isinstance(raw, bytes) else "\n"
    line = raw.count(newline, 0, offset) + 1
    column = offset - (raw.rfind(newline, 0, offset) + 1) + 1
    return line, column


def text_decode(raw: bytes, *, encodings: tuple[str, ...] = ("utf-8-sig", "cp1252")) -> str:
    """Decode a text file (UTF-16 recognised by its byte-order mark). Binary content is refused."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)
    first_error: UnicodeDecodeError | None = None
    text = None
    for encoding in encodings:
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError as exc:
            first_error = first_error or exc
    if text is None:
        line, column = _position(raw, first_error.start)
        raise ImportRejected([RowProblem(line, str(column), _(
            "Die Datei ist keine Textdatei in einer lesbaren Kodierung (UTF-8, UTF-16 oder Windows-1252): "
            "unlesbares Zeichen (Byte 0x%(byte)02X).") % {"byte": raw[first_error.start]})])
    nul = text.find("\x00")
    if nul >= 0:
        line, column = _position(text, nul)
        raise ImportRejected([RowProblem(line, str(column), _(
            "Die Datei enthält Binärdaten (Nullzeichen) und ist keine Text- oder CSV-Datei."))])
    return text


def csv_rows(text: str | Iterable[str], **reader_options) -> Iterator[list[str]]:
    """csv.reader over ``text`` (or its lines, e.g. from ``text_lines``); a malformed file stops with
    line and column instead of csv.Error."""
    reader = csv.reader(io.StringIO(text, newline="") if isinstance(text, str) else text, **reader_options)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ImportRejected([RowProblem(reader.line_num or 1, "1", _(
                "Die CSV-Datei ist fehlerhaft: %(msg)s") % {"msg": exc})]) from exc
        yield row


def csv_dict_rows(text: str, **reader_options) -> Iterator[dict]:
    rows = csv_rows(text, **reader_options)
    header = next(rows, None)
    if header is None:
        return
    for values in rows:
        record = dict(zip(header, values, strict=False))
        for name in header[len(values):]:
            record[name] = ""
        if len(values) > len(header):
            record[None] = values[len(header):]
        yield record


def _depth_problem(text: str) -> RowProblem:
    """Where nesting first exceeds MAX_JSON_DEPTH (only computed when parsing failed)."""
    depth, in_string, escaped = 0, False, False
    for offset, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                line, column = _position(text, offset)
                break
        elif char in "]}":
            depth -= 1
    else:
        line, column = 1, 1
    return RowProblem(line, str(column), _("Die JSON-Daten sind zu tief verschachtelt (mehr als %(n)d Ebenen).")
                      % {"n": MAX_JSON_DEPTH})


def _reject_constant(name: str):
    raise ValueError(name)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def json_parse(raw: bytes | str):
    """Parse JSON from bytes (UTF-8) or text; NaN, Infinity and numbers beyond float range are refused."""
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line, column = _position(raw, exc.start)
            raise ImportRejected([RowProblem(line, str(column), _(
                "Die Datei ist nicht UTF-8-kodiert (unlesbares Byte 0x%(byte)02X).") % {"byte": raw[exc.start]})]
            ) from exc
    else:
        text = raw
    decoder = json.JSONDecoder(parse_constant=_reject_constant, parse_float=_finite_float)
    try:
        return decoder.decode(text)
    except json.JSONDecodeError as exc:
        raise ImportRejected([RowProblem(exc.lineno, str(exc.colno), _("kein gültiges JSON: %(msg)s")
                                         % {"msg": exc.msg})]) from exc
    except RecursionError as exc:
        raise ImportRejected([_depth_problem(text)]) from exc
    except ValueError as exc:  # NaN, Infinity, 1e999 (the decoder reports no position for these)
        offset = text.find(str(exc)) if str(exc) else -1
        line, column = _position(text, offset) if offset >= 0 else (None, None)
        raise ImportRejected([RowProblem(line, str(column) if column else None, _(
            "Zahl „%(v)s“ ist keine endliche Zahl.") % {"v": str(exc)[:40]})]) from exc


# --------------------------------------------------------------------------- bounded reading
# Format detection looks at a bounded prefix, and large text files are read line by line, so a
# 50 MB upload never sits in memory whole (or twice, as bytes and as text).

HEAD_BYTES = 64 * 1024
_CHUNK = 1024 * 1024


def file_head(path, size: int = HEAD_BYTES) -> bytes:
    """The first ``size`` bytes of a file: enough to recognise any format we read."""
    with open(path, "rb") as fh:
        return fh.read(size)


def head_first_line(head: bytes, encoding: str = "utf-8-sig") -> str:
    """The first line of a prefix (a cut-off last character is replaced, never an error)."""
    return head.decode(encoding, errors="replace").lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")


def stream_encoding(open_binary, encodings: tuple[str, ...] = ("utf-8-sig", "cp1252")) -> str:
    """The first of ``encodings`` that decodes the whole stream, checked chunk by chunk.

    ``open_binary`` opens the stream anew for each try (a path's ``open("rb")``, a ZIP member).
    A file no encoding reads is refused with line and column, like ``text_decode``.
    """
    first_error = None
    for encoding in encodings:
        decoder = codecs.getincrementaldecoder(encoding)()
        lines_before = 0
        with open_binary() as fh:
            try:
                while chunk := fh.read(_CHUNK):
                    decoder.decode(chunk)
                    lines_before += chunk.count(b"\n")
                decoder.decode(b"", final=True)
                return encoding
            except UnicodeDecodeError as exc:
                if first_error is None:
                    data, offset = bytes(exc.object), exc.start
                    first_error = (lines_before + data.count(b"\n", 0, offset) + 1,
                                   offset - (data.rfind(b"\n", 0, offset) + 1) + 1, data[offset])
    line, column, byte = first_error
    raise ImportRejected([RowProblem(line, str(column), _(
        "Die Datei ist keine Textdatei in einer lesbaren Kodierung (UTF-8, UTF-16 oder Windows-1252): "
        "unlesbares Zeichen (Byte 0x%(byte)02X).") % {"byte": byte})])


@contextlib.contextmanager
def text_lines(path: Path, *, encodings: tuple[str, ...] = ("utf-8-sig", "cp1252")) -> Iterator[Iterator[str]]:
    """A text file line by line, with the checks of ``text_decode`` (UTF-16 by its byte-order mark,
    unreadable bytes and binary content refused with line and column), never whole in memory."""
    path = Path(path)
    if file_head(path, 2).startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)
    encoding = stream_encoding(lambda: path.open("rb"), encodings)
    with path.open(encoding=encoding, newline="") as fh:
        yield _lines_without_nul(fh)


def _lines_without_nul(fh) -> Iterator[str]:
    for number, line in enumerate(fh, start=1):
        nul = line.find("\x00")
        if nul >= 0:
            raise ImportRejected([RowProblem(number, str(nul + 1), _(
                "Die Datei enthält Binärdaten (Nullzeichen) und ist keine Text- oder CSV-Datei."))])
        yield line
