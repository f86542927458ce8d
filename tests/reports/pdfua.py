"""A PDF/UA structure check written against the PDF itself (veraPDF is not pip-installable here).

It checks what PDF/UA-1 needs and what we can verify without veraPDF: a structure tree
(tagged PDF), /MarkInfo /Marked true, document language, title in the document info and shown
as window title, the PDF/UA identifier in the XMP metadata, bookmarks (outlines), and an /Alt text on
every /Figure structure element. It is NOT a full PDF/UA validation (no Matterhorn protocol).
"""

from __future__ import annotations

import io

import pypdf
from pypdf.generic import ArrayObject, DictionaryObject


def _walk(node, out: list) -> None:
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, ArrayObject):
        for kid in node:
            _walk(kid, out)
        return
    if not isinstance(node, DictionaryObject):
        return
    if "/S" in node:
        out.append((str(node["/S"]), node.get("/Alt")))
    if "/K" in node:
        _walk(node["/K"], out)


def pdfua_problems(pdf: bytes, *, title: str, lang: str = "de") -> tuple[list[str], dict]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    problems, info = [], {}
    if "/StructTreeRoot" not in root:
        problems.append("kein Strukturbaum (/StructTreeRoot)")
        elements = []
    else:
        elements = []
        _walk(root["/StructTreeRoot"], elements)
    info["elements"] = [s for s, _ in elements]
    if not root.get("/MarkInfo", {}).get("/Marked"):
        problems.append("/MarkInfo /Marked fehlt")
    if str(root.get("/Lang", "")) != lang:
        problems.append(f"/Lang ist nicht {lang}")
    if (reader.metadata or {}).get("/Title") != title:
        problems.append("Titel fehlt in den Metadaten")
    if not root.get("/ViewerPreferences", {}).get("/DisplayDocTitle"):
        problems.append("/DisplayDocTitle fehlt")
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8") if "/Metadata" in root else ""
    if "pdfuaid" not in xmp:
        problems.append("PDF/UA-Kennung fehlt in XMP")
    figures = [alt for s, alt in elements if s == "/Figure"]
    info["figure_alts"] = [str(a) if a is not None else None for a in figures]
    if any(not a for a in figures):
        problems.append("Figure ohne /Alt")
    info["outline"] = [o.title for o in reader.outline if not isinstance(o, list)]
    if not info["outline"]:
        problems.append("keine Lesezeichen")
    return problems, info
