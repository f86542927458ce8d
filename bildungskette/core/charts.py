"""One chart definition for screen and paper: a Vega-Lite spec rendered to SVG on the server.

The same SVG is embedded in the web page (with a data table beside it as the accessible
alternative) and placed into PDFs (see ``core.pdf``). No JavaScript, no CDN.

Rendering costs 50–200 ms, so a chart is rendered once and kept in two layers: an in-process LRU
in front of the persistent ``charts`` cache (``CACHES["charts"]``, a database table shared by every
app process, worker and machine of an installation). The key is a hash of the complete spec, and
the spec carries the data it draws: a chart's key therefore is its (specification, data version).
An import that changes a statistic changes the specs of exactly the charts that read it; every
other chart keeps its key and stays cached. Old entries are never served and age out by the
cache's timeout and culling. Apps pre-render the charts they show most often after an import
(``monitoring.tasks.charts_prerender``); a page whose chart is not cached renders it on the spot.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from functools import lru_cache

import vl_convert
from django.core.cache import caches

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


CHART_CACHE_ALIAS = "charts"
# Part of every key, so a new renderer (or locale) never serves pictures drawn by the old one.
_RENDERER = f"vl-convert {getattr(vl_convert, '__version__', '?')} {FORMAT_LOCALE}"


def chart_cache_key(spec_json: str) -> str:
    """The persistent cache's key of a full spec (as serialised by ``chart_svg``)."""
    return "chart:" + hashlib.sha256(f"{_RENDERER}\n{spec_json}".encode()).hexdigest()


@lru_cache(maxsize=256)
def _render(spec_json: str) -> str:
    cache = caches[CHART_CACHE_ALIAS]
    key = chart_cache_key(spec_json)
    svg = cache.get(key)
    if svg is None:
        spec = json.loads(spec_json)
        svg = vl_convert.vegalite_to_svg(spec, format_locale=FORMAT_LOCALE, time_format_locale=FORMAT_LOCALE)
        cache.set(key, svg)
    return svg


def chart_spec_json(spec: dict) -> str:
    """The complete spec (schema and house style added) as the canonical JSON that is rendered and keyed."""
    full = copy.deepcopy(spec)
    full.setdefault("$schema", "https://vega.github.io/schema/vega-lite/v5.json")
    config = copy.deepcopy(CHART_CONFIG)
    config.update(full.get("config", {}))
    full["config"] = config
    return json.dumps(full, sort_keys=True, ensure_ascii=False, default=str)


def chart_svg(spec: dict, *, title: str = "", description: str = "") -> str:
    """Render a Vega-Lite spec to an SVG string with ``role="img"`` and a text alternative.

    ``title``/``description`` become the SVG's accessible name and description; always give a
    description that states what the chart shows (the data table carries the numbers).
    """
    spec_json = chart_spec_json(spec)
    svg = _render(spec_json)
    ident = "c" + hashlib.sha1(spec_json.encode()).hexdigest()[:10]
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
