"""JSON API: the goal tree of a strategy with computed statuses (read-only, for the tenant's staff)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404

from .models import StrategyPeriod
from .selectors import goal_forest, goal_ids_readable

API_PATHS = {
    "/strategie/api/strategien/{id}/ziele/": {
        "get": {
            "summary": "Ziele einer Strategie mit berechnetem Stand",
            "description": "Zielbaum mit Indikatoren, Ausgangs- und Zielwerten, dem aus den Daten berechneten "
                           "Stand (Open-SDG-Methode) und seiner Begründung. Nur für angemeldete Konten des Mandanten; "
                           "Partner sehen die Ziele der Gremien, in denen ihre Organisation Mitglied ist.",
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "responses": {
                "200": {"description": "Zielbaum",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/StrategyGoals"}}}},
                "403": {"description": "keine Berechtigung"},
            },
        }
    }
}
API_SCHEMAS = {
    "StrategyGoal": {
        "type": "object",
        "properties": {
            "code": {"type": "string"}, "title": {"type": "string"}, "level": {"type": "string"},
            "status": {"type": "string",
                       "enum": ["achieved", "on_track", "moderate", "off_track", "insufficient"]},
            "status_label": {"type": "string"}, "score": {"type": ["number", "null"]},
            "explanation": {"type": "array", "items": {"type": "string"}},
            "indicators": {"type": "array", "items": {"type": "object"}},
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/StrategyGoal"}},
        },
    },
    "StrategyGoals": {
        "type": "object",
        "properties": {
            "strategy": {"type": "string"},
            "goals": {"type": "array", "items": {"$ref": "#/components/schemas/StrategyGoal"}},
        },
    },
}


def _node_json(node, visible: set[int] | None) -> dict | None:
    children = [c for c in (_node_json(child, visible) for child in node.children) if c]
    readable = visible is None or node.goal.id in visible
    if not readable and not children:
        return None
    p = node.progress
    return {
        "code": node.goal.code, "title": node.goal.title, "level": node.goal.level,
        "status": p.status.value, "status_label": p.label, "score": p.score, "explanation": p.explanation,
        "indicators": [
            {"label": r.goal_indicator.label, "baseline": [r.target.baseline_year, r.target.baseline_value],
             "target": [r.target.target_year, r.target.target_value], "direction": r.target.direction.value,
             "series": r.series.points, "sources": r.series.sources, "synthetic": r.series.is_synthetic,
             "status": r.progress.status.value, "explanation": r.progress.explanation}
            for r in node.indicators
        ] if readable else [],
        "children": children,
    }


def goals_json(request, pk):
    if not request.user.is_authenticated or request.tenant is None:
        raise PermissionDenied
    period = get_object_or_404(StrategyPeriod, pk=pk, tenant=request.tenant)
    if not request.user.has_perm("strategy.view_strategy", request.tenant):
        raise PermissionDenied
    forest = goal_forest(period)
    visible = goal_ids_readable(request.user, request.tenant, forest)
    if visible is not None and not visible:
        raise Http404
    goals = [g for g in (_node_json(root, visible) for root in forest) if g]
    return JsonResponse({"strategy": period.name, "goals": goals}, json_dumps_params={"ensure_ascii": False})
