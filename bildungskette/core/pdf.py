"""PDF documents from Typst markup (the ``typst`` package: no TeX, no browser, fonts built in).

Charts go in as SVG files (from ``core.charts.chart_svg``) and are placed with ``#image("name.svg")``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import typst

PREAMBLE = """#set document(author: "Bildungskette")
#set page(paper: "a4", margin: (x: 2cm, y: 2cm), numbering: "1 / 1")
#set text(lang: "de", size: 10.5pt)
#set par(justify: false)
#show heading: set text(fill: rgb("#0b4f6c"))
"""


def typst_escape(text: object) -> str:
    """Escape a value for use inside Typst markup (content, not code)."""
    value = "" if text is None else str(text)
    for ch in "\\#$*_`<>@=[]~/":
        value = value.replace(ch, "\\" + ch)
    return value


def pdf_render(*, source: str, files: dict[str, bytes | str] | None = None, preamble: bool = True) -> bytes:
    """Compile Typst ``source`` (with optional side files such as chart SVGs) to PDF bytes."""
    with tempfile.TemporaryDirectory(prefix="bildungskette-pdf-") as tmp:
        root = Path(tmp)
        for name, content in (files or {}).items():
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        main = root / "main.typ"
        main.write_text((PREAMBLE if preamble else "") + source, encoding="utf-8")
        return typst.compile(str(main), root=str(root))
