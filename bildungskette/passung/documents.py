"""The trend page as PDF (Typst): the same chart specs as the web page, the tables, the source lines."""

from __future__ import annotations

from bildungskette.core.charts import chart_svg
from bildungskette.core.pdf import pdf_render, typst_escape

from .figures import trend_chart_spec, women_chart_spec


def trend_pdf(*, group, region, points, women, women_title: str, sources: list[str], synthetic: bool) -> bytes:
    e = typst_escape
    parts = [f"= Passung: {e(group.name)} – {e(region.name)}\n"]
    if synthetic:
        parts.append('#block(fill: rgb("#fff0e0"), inset: 6pt)[*Synthetische Demodaten – keine amtlichen Zahlen.*]\n')
    files = {}
    if points:
        files["trend.svg"] = chart_svg(trend_chart_spec(points, region_name=region.name),
                                       description="AubA und Versorgungsprobleme je Berichtsjahr")
        parts.append('== Entwicklung\n#image("trend.svg", width: 100%)\n')
        cells = ["[*Jahr*]", "[*Bewerber\\*innen*]", "[*unbesetzt*]", "[*unversorgt*]", "[*AubA %*]",
                 "[*Versorgung %*]", "[*Index*]"]
        for p in points:
            cells += [f"[{p.year}]", f"[{e(p.counts.get('bewerber'))}]", f"[{e(p.counts.get('unbesetzt'))}]",
                      f"[{e(p.counts.get('unversorgt'))}]", f"[{e(p.auba)}]", f"[{e(p.versorgung)}]", f"[{e(p.ip)}]"]
        parts.append("#table(columns: 7, align: (left, right, right, right, right, right, right), "
                     'stroke: 0.4pt + rgb("#c9d1d9"), inset: 4pt, ' + ", ".join(cells) + ")\n")
    if any(r.share.ok for r in women):
        files["frauen.svg"] = chart_svg(women_chart_spec(women, title=women_title),
                                        description="Frauenanteil unter den Bewerber*innen je Beruf")
        parts.append(f'== {e(women_title)}\n#image("frauen.svg", width: 90%)\n')
        cells = ["[*Beruf*]", "[*Bewerber\\*innen*]", "[*darunter Frauen*]", "[*Anteil %*]"]
        for r in women:
            cells += [f"[{e(r.kldb)} {e(r.title)}]", f"[{e(r.bewerber)}]", f"[{e(r.weiblich)}]", f"[{e(r.share)}]"]
        parts.append("#table(columns: (3fr, 1fr, 1fr, 1fr), align: (left, right, right, right), "
                     'stroke: 0.4pt + rgb("#c9d1d9"), inset: 4pt, ' + ", ".join(cells) + ")\n")
    parts.append("#v(6pt)\n#text(size: 8pt)[*Quellen:* " + " · ".join(e(s) for s in sources) + "]\n")
    return pdf_render(source="".join(parts), files=files)
