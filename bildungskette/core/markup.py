"""A minimal, safe Markdown subset for tenant texts (report blocks, legal pages), rendered to HTML and to Typst.

Supported: paragraphs (blank line), ``## `` / ``### `` headings, ``- `` lists, ``**bold**``,
``*italic*``, ``[text](https://…)`` links (http/https only). Everything else is text: all input
is escaped first, so no HTML, script or Typst code from a text block ever reaches the output.
"""

from __future__ import annotations

import html
import re

from bildungskette.core.pdf import typst_escape

_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^\s)]+)\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<!\*)\*(?!\*)([^*\n]+)\*")


def _blocks(text: str) -> list[tuple[str, object]]:
    """[("h2"|"h3", text) | ("p", text) | ("ul", [items])]"""
    out: list[tuple[str, object]] = []
    para: list[str] = []
    items: list[str] = []

    def flush():
        if para:
            out.append(("p", " ".join(para)))
            para.clear()
        if items:
            out.append(("ul", list(items)))
            items.clear()

    for raw in (text or "").replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("### "):
            flush()
            out.append(("h3", line[4:].strip()))
        elif line.startswith("## ") or line.startswith("# "):
            flush()
            out.append(("h2", line.split(" ", 1)[1].strip()))
        elif line.startswith(("- ", "* ")):
            if para:
                out.append(("p", " ".join(para)))
                para.clear()
            items.append(line[2:].strip())
        else:
            if items:
                out.append(("ul", list(items)))
                items.clear()
            para.append(line)
    flush()
    return out


def _inline_html(text: str) -> str:
    value = html.escape(text, quote=True)
    value = _LINK.sub(lambda m: f'<a href="{m.group(2)}">{m.group(1)}</a>', value)
    value = _BOLD.sub(r"<strong>\1</strong>", value)
    return _ITALIC.sub(r"<em>\1</em>", value)


def markdown_html(text: str, *, heading_level: int = 3) -> str:
    parts = []
    for kind, content in _blocks(text):
        if kind in ("h2", "h3"):
            level = min(6, heading_level + (0 if kind == "h2" else 1))
            parts.append(f"<h{level}>{_inline_html(content)}</h{level}>")
        elif kind == "ul":
            parts.append("<ul>" + "".join(f"<li>{_inline_html(i)}</li>" for i in content) + "</ul>")
        else:
            parts.append(f"<p>{_inline_html(content)}</p>")
    return "\n".join(parts)


def _inline_typst(text: str) -> str:
    out, pos = [], 0
    pattern = re.compile(r"\[([^\]\n]+)\]\((https?://[^\s)]+)\)|\*\*(.+?)\*\*|(?<!\*)\*(?!\*)([^*\n]+)\*")
    for m in pattern.finditer(text):
        out.append(typst_escape(text[pos : m.start()]))
        if m.group(1):
            url = m.group(2).replace("\\", "").replace('"', "")
            out.append(f'#link("{url}")[{typst_escape(m.group(1))}]')
        elif m.group(3):
            out.append(f"#strong[{typst_escape(m.group(3))}]")
        else:
            out.append(f"#emph[{typst_escape(m.group(4))}]")
        pos = m.end()
    out.append(typst_escape(text[pos:]))
    return "".join(out)


def markdown_typst(text: str, *, heading_level: int = 3) -> str:
    parts = []
    for kind, content in _blocks(text):
        if kind in ("h2", "h3"):
            level = heading_level + (0 if kind == "h2" else 1)
            parts.append(f"#heading(level: {level})[{_inline_typst(content)}]")
        elif kind == "ul":
            parts.append("\n".join(f"- {_inline_typst(i)}" for i in content))
        else:
            parts.append(_inline_typst(content))
    return "\n\n".join(parts)
