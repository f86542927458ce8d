"""The network view: who sits where. Organisations on the left, bodies and agreements on the right,
a line for each active membership or party. Drawn on the server as SVG (no JavaScript), so the
same picture can be downloaded as SVG or PNG; the table beside it is the accessible alternative.

Two flags help the coordination: an organisation that sits in too many bodies (load on the same
people), and a body without an active member from a key partner (e.g. no Agentur für Arbeit).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bildungskette.organisations.models import OrganisationType

from .models import Body, CooperationAgreement, Membership

ROW = 28
TOP = 92
LEFT_X = 20
NODE_W = 330
RIGHT_X = 650
WIDTH = RIGHT_X + NODE_W + 20


def body_limit() -> int:
    """From how many bodies on an organisation counts as 'in too many bodies'."""
    return getattr(settings, "NETWORK_BODIES_PER_ORGANISATION_LIMIT", 4)


@dataclass
class Node:
    key: str
    kind: str  # organisation | body | agreement
    label: str
    url: str = ""
    obj: object = None
    links: list[str] = field(default_factory=list)
    linked: list[str] = field(default_factory=list)  # labels of what an organisation is linked to

    @property
    def name(self) -> str:
        """The label without the indentation that shows nesting in the picture."""
        return self.label.lstrip("– ")

    flags: list[str] = field(default_factory=list)
    y: float = 0


@dataclass
class NetworkGraph:
    organisations: list[Node]
    targets: list[Node]
    edges: list[tuple[str, str, str]]  # (organisation key, target key, label)
    query: str = ""

    @property
    def flagged_organisations(self) -> list[Node]:
        return [n for n in self.organisations if n.flags]

    @property
    def flagged_bodies(self) -> list[Node]:
        return [n for n in self.targets if n.flags]


def network_graph(tenant, *, query: str = "", url_for=None) -> NetworkGraph:
    """Build the graph of the tenant's active bodies, agreements in force and their member organisations."""
    today = timezone.localdate()
    url_for = url_for or (lambda kind, pk: "")
    bodies = list(
        Body.objects.filter(tenant=tenant)
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=today))
        .select_related("parent")
        .order_by("name")
    )
    memberships = list(
        Membership.objects.filter(body__in=bodies)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=today))
        .select_related("organisation")
    )
    agreements = list(CooperationAgreement.objects.filter(tenant=tenant, status="active").prefetch_related("parties"))
    type_labels = dict(OrganisationType.choices)

    orgs: dict[int, Node] = {}
    targets: dict[str, Node] = {}
    # Bodies ordered as a tree: each top-level body followed by its working groups.
    children: dict[int | None, list[Body]] = {}
    ids = {b.pk for b in bodies}
    for body in bodies:
        children.setdefault(body.parent_id if body.parent_id in ids else None, []).append(body)

    def walk(parent_id, depth):
        for body in children.get(parent_id, []):
            label = ("– " * depth) + body.name
            targets[f"b{body.pk}"] = Node(f"b{body.pk}", "body", label, url_for("body", body.pk), body)
            walk(body.pk, depth + 1)

    walk(None, 0)
    for agreement in agreements:
        targets[f"a{agreement.pk}"] = Node(
            f"a{agreement.pk}", "agreement", agreement.title, url_for("agreement", agreement.pk), agreement
        )
    edges = []
    body_types: dict[int, set[str]] = {b.pk: set() for b in bodies}
    for m in memberships:
        org = m.organisation
        node = orgs.setdefault(
            org.pk, Node(f"o{org.pk}", "organisation", org.name, url_for("organisation", org.pk), org)
        )
        node.links.append(f"b{m.body_id}")
        targets[f"b{m.body_id}"].links.append(node.key)
        edges.append((node.key, f"b{m.body_id}", m.get_role_display()))
        body_types[m.body_id].add(org.type)
    for agreement in agreements:
        for org in agreement.parties.all():
            node = orgs.setdefault(
                org.pk, Node(f"o{org.pk}", "organisation", org.name, url_for("organisation", org.pk), org)
            )
            node.links.append(f"a{agreement.pk}")
            targets[f"a{agreement.pk}"].links.append(node.key)
            edges.append((node.key, f"a{agreement.pk}", _("Vertragspartner")))

    limit = body_limit()
    for node in orgs.values():
        n_bodies = sum(1 for key in node.links if key.startswith("b"))
        if n_bodies >= limit:
            node.flags.append(_("in %(n)d Gremien (Grenze %(limit)d)") % {"n": n_bodies, "limit": limit})
    for body in bodies:
        node = targets[f"b{body.pk}"]
        if not node.links:
            node.flags.append(_("keine aktiven Mitglieder erfasst"))
        missing = [t for t in body.key_partner_types if t not in body_types[body.pk]]
        if missing:
            node.flags.append(
                _("ohne aktives Mitglied von: %(types)s")
                % {"types": ", ".join(str(type_labels.get(t, t)) for t in missing)}
            )

    for node in orgs.values():
        node.linked = [targets[key].name for key in node.links]
    target_list = list(targets.values())
    position = {n.key: i for i, n in enumerate(target_list)}
    # Order organisations by the mean position of what they are linked to (fewer crossing lines).
    org_list = sorted(orgs.values(), key=lambda n: (sum(position[k] for k in n.links) / len(n.links), n.label))
    graph = NetworkGraph(org_list, target_list, edges, query=query)
    if query:
        _filter(graph, query)
    return graph


def _filter(graph: NetworkGraph, query: str) -> None:
    """Keep what matches the search and everything directly linked to it."""
    q = query.casefold()
    hits = {n.key for n in graph.organisations + graph.targets if q in n.label.casefold()}
    keep = set(hits)
    for a, b, _label in graph.edges:
        if a in hits or b in hits:
            keep.update((a, b))
    graph.organisations = [n for n in graph.organisations if n.key in keep]
    graph.targets = [n for n in graph.targets if n.key in keep]
    graph.edges = [e for e in graph.edges if e[0] in keep and e[1] in keep]


def _truncate(text: str, n: int = 44) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def network_svg(graph: NetworkGraph, *, title: str) -> str:
    """The graph as a standalone SVG document (for the page, and for download as SVG or PNG)."""
    rows = max(len(graph.organisations), len(graph.targets), 1)
    height = TOP + rows * ROW + 20
    # Spread the shorter column over the same height so lines stay readable.
    for column in (graph.organisations, graph.targets):
        step = (rows * ROW) / max(len(column), 1)
        for i, node in enumerate(column):
            node.y = TOP + i * step + min(step, ROW) / 2
    y = {n.key: n.y for n in graph.organisations + graph.targets}
    desc = _(
        "%(o)d Organisationen, %(t)d Gremien und Vereinbarungen, %(e)d Verbindungen. %(f)d Organisationen in "
        "zu vielen Gremien, %(g)d Gremien mit Lücken. Die Tabelle unter der Grafik enthält dieselben Angaben."
    ) % {
        "o": len(graph.organisations),
        "t": len(graph.targets),
        "e": len(graph.edges),
        "f": len(graph.flagged_organisations),
        "g": len(graph.flagged_bodies),
    }
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="ng-title ng-desc" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" font-family="DejaVu Sans, Arial, '
        f'sans-serif" font-size="12">',
        f'<title id="ng-title">{escape(title)}</title><desc id="ng-desc">{escape(desc)}</desc>',
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        f'<text x="{LEFT_X}" y="24" font-size="15" font-weight="bold" fill="#1b1f24">{escape(title)}</text>',
        f'<text x="{LEFT_X}" y="{TOP - 30}" font-weight="bold" fill="#1b1f24">{escape(_("Organisationen"))}</text>',
        f'<text x="{RIGHT_X}" y="{TOP - 30}" font-weight="bold" fill="#1b1f24">'
        f"{escape(_('Gremien und Vereinbarungen'))}</text>",
        # Legend
        f'<rect x="{LEFT_X}" y="36" width="14" height="10" fill="#fff4e0" stroke="#8a5a00" stroke-width="2"/>'
        f'<text x="{LEFT_X + 20}" y="45" fill="#1b1f24">{escape(_("in zu vielen Gremien"))}</text>',
        f'<rect x="{LEFT_X + 190}" y="36" width="14" height="10" fill="#fdecea" stroke="#a4161a" stroke-width="2" '
        f'stroke-dasharray="4 2"/><text x="{LEFT_X + 210}" y="45" fill="#1b1f24">'
        f"{escape(_('Gremium mit Lücke (Schlüsselpartner fehlt)'))}</text>",
        f'<rect x="{LEFT_X + 500}" y="36" width="14" height="10" fill="#eef6ee" stroke="#1d6b35"/>'
        f'<text x="{LEFT_X + 520}" y="45" fill="#1b1f24">{escape(_("Kooperationsvereinbarung"))}</text>',
        '<g fill="none" stroke-opacity="0.55">',
    ]
    for a, b, label in graph.edges:
        y1, y2 = y[a], y[b]
        x1, x2 = LEFT_X + NODE_W, RIGHT_X
        colour = "#1d6b35" if b.startswith("a") else "#2f7ea3"
        mid = (x1 + x2) / 2
        out.append(
            f'<path d="M{x1},{y1:.1f} C{mid},{y1:.1f} {mid},{y2:.1f} {x2},{y2:.1f}" stroke="{colour}" '
            f'stroke-width="1.5"><title>{escape(label)}</title></path>'
        )
    out.append("</g>")
    for node in graph.organisations:
        out.append(_node_svg(node, LEFT_X))
    for node in graph.targets:
        out.append(_node_svg(node, RIGHT_X))
    out.append("</svg>")
    return "\n".join(out)


def _node_svg(node: Node, x: float) -> str:
    top = node.y - (ROW - 6) / 2
    if node.kind == "agreement":
        fill, stroke, dash = "#eef6ee", "#1d6b35", ""
    elif node.flags and node.kind == "organisation":
        fill, stroke, dash = "#fff4e0", "#8a5a00", ""
    elif node.flags:
        fill, stroke, dash = "#fdecea", "#a4161a", ' stroke-dasharray="4 2"'
    else:
        fill, stroke, dash = "#f3f6f9", "#4d5663", ""
    width = 2 if node.flags else 1
    label = escape(_truncate(node.label))
    tip = escape(node.label + ("; " + "; ".join(node.flags) if node.flags else ""))
    marker = " ⚠" if node.flags else ""
    shape = (
        f'<g><title>{tip}</title><rect x="{x}" y="{top:.1f}" width="{NODE_W}" height="{ROW - 6}" rx="4" '
        f'fill="{fill}" stroke="{stroke}" stroke-width="{width}"{dash}/>'
        f'<text x="{x + 8}" y="{node.y + 4:.1f}" fill="#1b1f24">{label}{marker}</text></g>'
    )
    # No links inside the picture: it is one image (role="img"); the tables below link every name.
    return shape


def network_png(svg: str) -> bytes:
    import vl_convert

    return vl_convert.svg_to_png(svg, scale=2.0)
