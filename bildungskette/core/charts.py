"""One chart definition for screen and paper: a Vega-Lite spec rendered to SVG on the server.

The same SVG is embedded in the web page (with a data table beside it as the accessible
alternative) and placed into PDFs (see ``core.pdf``). No JavaScript, no CDN.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from functools import lru_cache

import vl_convert

# German number and date formats, and a calm, high-contrast look that prints well.
CHART_CONFIG = {
    "font": "DejaVu Sans, Liberation Sans, Arial, sans-serif",
    "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": "#1b1f24", "titleColor": "#1b1f24",
             "gridColor": "#e3e7ec"},
    "legend": {"labelFontSize": 12, "titleFontSize": 12},
    "title": {"fontSize": 14, "anchor": "start", "color": "#1b1f24"},
    "view": {"stroke": None},
    "range": {"category": ["#0b4f6c", "#b8420f", "#1d6b35", "#6a3d9a", "#8a5a00", "#4d5663", "#a4161a",
                           "#2f7ea3"]},
    "background": "white",
}
FORMAT_LOCALE = "de-DE"


@lru_cache(maxsize=256)
def _render(spec_json: str) -> str:
    spec = json.loads(spec_json)
    return vl_convert.vegalite_to_svg(spec, format_locale=FORMAT_LOCALE, time_format_locale=FORMAT_LOCALE)


def chart_svg(spec: dict, *, title: str = "", description: str = "") -> str:
    """Render a Vega-Lite spec to an SVG string with ``role="img"`` and a text alternative.

    ``title``/``description`` become the SVG's accessible name and description; always give a
    description that states what the chart shows (the data table carries the numbers).
    """
    full = copy.deepcopy(spec)
    full.setdefault("$schema", "https://vega.github.io/schema/vega-lite/v5.json")
    config = copy.deepcopy(CHART_CONFIG)
    config.update(full.get("config", {}))
    full["config"] = config
    svg = _render(json.dumps(full, sort_keys=True, ensure_ascii=False, default=str))
    ident = "c" + hashlib.sha1(json.dumps(full, sort_keys=True, default=str).encode()).hexdigest()[:10]
    label = title or (spec.get("title") if isinstance(spec.get("title"), str) else "") or "Diagramm"
    accessible = (
        f'<title id="{ident}-t">{_escape(label)}</title>'
        + (f'<desc id="{ident}-d">{_escape(description)}</desc>' if description else "")
    )
    labelled = f'{ident}-t' + (f' {ident}-d' if description else "")
    svg = re.sub(r"<svg\b", f'<svg role="img" aria-labelledby="{labelled}"', svg, count=1)
    svg = svg.replace('class="marks"', 'class="marks chart"', 1)
    svg = re.sub(r"(<svg\b[^>]*>)", r"\1" + accessible.replace("\\", "\\\\"), svg, count=1)
    return svg


def _escape(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
