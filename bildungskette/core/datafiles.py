"""Reference data files: found under ``settings.DATA_DIR`` (the package's ``bildungskette/data`` unless
``BILDUNGSKETTE_DATA_DIR`` says otherwise), plain or gzip-compressed.

A loader asks for ``geo/kreise_vg250_2018.geojson`` and gets the plain file if an installation put
one there, otherwise the ``.gz`` beside it, which the package ships.
"""

from __future__ import annotations

import gzip
from pathlib import Path

from django.conf import settings


def data_path(relative: str | Path, data_dir: Path | None = None) -> Path:
    """The file to read for ``relative``: the plain file if present, else its ``.gz``; the plain path
    (which does not exist) when neither is there, so error messages name what was looked for."""
    base = Path(data_dir or settings.DATA_DIR)
    plain = base / relative
    if plain.is_file():
        return plain
    packed = plain.with_name(plain.name + ".gz")
    if packed.is_file():
        return packed
    return plain


def data_bytes(path: Path) -> bytes:
    """The content of a data file, decompressed if it is gzip."""
    raw = Path(path).read_bytes()
    if raw[:2] == b"\x1f\x8b":
        return gzip.decompress(raw)
    return raw


def data_text(path: Path, encoding: str = "utf-8-sig") -> str:
    return data_bytes(path).decode(encoding)
