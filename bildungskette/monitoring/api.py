"""JSON API: sources, statistics, values and indicator results. Public data for everyone; a
tenant's internal indicators and own values only for its members. Every answer names its sources."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import JsonResponse

from bildungskette.regions.models import Region

from .figures import sources_for
from .models import Period
from .selectors import (
    indicator_periods,
    indicators_evaluate,
    indicators_visible_to,
    sources_visible_to,
    statistics_visible_to,
    values_table,
)

MAX_LIMIT = 5000


def _json(data, status=200):
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def _error(message: str, status=400):
    return _json({"error": message}, status=status)


def _source_dict(s) -> dict:
    return {
        "code": s.code,
        "publisher": s.publisher,
        "table_code": s.table_code,
        "title": s.title,
        "licence": s.licence,
        "attribution": s.line,
        "url": s.url,
        "published_on": s.published_on.isoformat() if s.published_on else None,
        "synthetic": s.is_synthetic,
        "rounding": s.rounding_note,
        "data_state": s.data_state,
    }


def sources(request):
    return _json({"results": [_source_dict(s) for s in sources_visible_to(request.tenant).order_by("code")]})


def statistics(request):
    qs = (
        statistics_visible_to(request.tenant)
        .select_related("source")
        .prefetch_related("breakdowns__categories__parent")
    )
    return _json(
        {
            "results": [
                {
                    "code": s.code,
                    "name": s.name,
                    "unit": s.unit,
                    "aggregation": s.aggregation,
                    "source": s.source.code if s.source else None,
                    "breakdowns": [
                        {
                            "code": b.code,
                            "name": b.name,
                            "categories": [c.code for c in b.categories.all()],
                            # part: summable; subtotal ("zusammen") and subset ("darunter") never summed
                            "category_details": [
                                {
                                    "code": c.code,
                                    "name": c.name,
                                    "role": c.role,
                                    "subset_of": c.parent.code if c.parent_id else None,
                                }
                                for c in b.categories.all()
                            ],
                        }
                        for b in s.breakdowns.all()
                    ],
                }
                for s in qs.order_by("code")
            ]
        }
    )


def values(request):
    region = None
    if code := request.GET.get("region"):
        region = Region.objects.filter(code=code, tenant__isnull=True).defer("boundary").first()
        if region is None:
            return _error(f"Unbekanntes Gebiet: {code}", 404)
    try:
        year = int(request.GET["year"]) if request.GET.get("year") else None
        limit = min(int(request.GET.get("limit") or 1000), MAX_LIMIT)
    except ValueError:
        return _error("year und limit müssen ganze Zahlen sein.")
    table, statistic = request.GET.get("table"), request.GET.get("statistic")
    if not (table or statistic or region):
        return _error("Bitte mindestens table, statistic oder region angeben.")
    rows = values_table(
        table=table, statistic=statistic, region=region, year=year, tenant=request.tenant, limit=limit + 1
    )
    truncated = len(rows) > limit
    rows = rows[:limit]
    lines = sorted({r["source"] for r in rows})
    for r in rows:
        r["value"] = float(r["value"]) if r["value"] is not None else None
        r.pop("source")
    return _json({"results": rows, "truncated": truncated, "sources": lines})


def indicators(request):
    qs = indicators_visible_to(request.user, request.tenant)
    return _json(
        {
            "results": [
                {
                    "code": i.code,
                    "name": i.name,
                    "theme": i.get_theme_display(),
                    "type": i.get_indicator_type_display(),
                    "official_code": i.official_code,
                    "numerator": i.numerator,
                    "denominator": i.denominator,
                    "factor": float(i.factor),
                    "unit": i.unit,
                    "decimals": i.decimals,
                    "direction": i.direction,
                    "visibility": i.visibility,
                    "explanation": i.explanation,
                    "definition_source": i.source_note,
                    "approximation": i.approximation_note,
                }
                for i in qs
            ]
        }
    )


def indicator_results(request, code):
    indicator = indicators_visible_to(request.user, request.tenant).filter(code=code).first()
    if indicator is None:
        return _error(f"Unbekannter oder nicht öffentlicher Indikator: {code}", 404)
    codes = [c for c in (request.GET.get("region") or "").split(",") if c]
    if not codes:
        return _error("Parameter region fehlt (Regionalschlüssel, mehrere mit Komma).")
    if len(codes) > 500:
        return _error("Höchstens 500 Gebiete je Abfrage.")
    regions = list(Region.objects.filter(code__in=codes).defer("boundary"))
    regions = [r for r in regions if r.tenant_id is None or r.tenant_id == getattr(request.tenant, "pk", None)]
    if not regions:
        return _error("Unbekanntes Gebiet.", 404)
    periods = indicator_periods(indicator=indicator, tenant=request.tenant)
    if p := request.GET.get("period"):
        periods = [x for x in periods if x.code == p] or list(Period.objects.filter(code=p))
        if not periods:
            return _error(f"Unbekannter Zeitraum: {p}", 404)
    as_of = request.GET.get("as_of") or None
    try:
        results = indicators_evaluate(
            indicators=[indicator], regions=regions, periods=periods, tenant=request.tenant, as_of=as_of
        )
    except (ValidationError, ValueError) as exc:
        return _error(exc.messages[0] if isinstance(exc, ValidationError) else str(exc))
    return _json(
        {
            "indicator": indicator.code,
            "name": indicator.name,
            "unit": indicator.unit,
            "as_of": as_of,
            "results": [r.as_dict() for r in results.values()],
            "sources": [s.line_with_state for s in sources_for(results.values())],
        }
    )


SCHEMAS = {
    "MonitoringIndicatorResult": {
        "type": "object",
        "properties": {
            "indicator": {"type": "string"},
            "region": {"type": "string"},
            "period": {"type": "string"},
            "year": {"type": ["integer", "null"]},
            "value": {
                "type": ["number", "null"],
                "description": "gerundet auf die Nachkommastellen des Indikators; null = kein Wert (siehe reason)",
            },
            "value_exact": {"type": ["string", "null"]},
            "reason": {"type": "string"},
            "rounded_inputs": {"type": "boolean"},
            "inputs": {"type": "object"},
        },
    },
    "MonitoringValue": {
        "type": "object",
        "properties": {
            "statistic": {"type": "string"},
            "region": {"type": "string"},
            "period": {"type": "string"},
            "categories": {"type": "string"},
            "value": {"type": ["number", "null"]},
            "flag": {
                "type": "string",
                "description": "Sonderzeichen der amtlichen Statistik (- 0 . ... / x () p r s e)",
            },
            "rounded": {"type": "boolean"},
            "status": {"type": "string", "description": "„vorläufig“, „revidiert“ oder leer"},
        },
    },
}


def _get(summary, params=(), ref=None):
    item = {
        "get": {
            "summary": summary,
            "tags": ["Bildungsmonitoring"],
            "parameters": [
                {"name": n, "in": "query", "required": req, "schema": {"type": "string"}, "description": d}
                for n, req, d in params
            ],
            "responses": {"200": {"description": "OK"}},
        }
    }
    if ref:
        item["get"]["responses"]["200"]["content"] = {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "results": {"type": "array", "items": {"$ref": f"#/components/schemas/{ref}"}},
                        "sources": {"type": "array", "items": {"type": "string"}},
                    },
                }
            }
        }
    return item


PATHS = {
    "/api/monitoring/sources": _get("Quellen mit Lizenz und Quellenangabe"),
    "/api/monitoring/statistics": _get("Merkmale mit Aufgliederungen"),
    "/api/monitoring/values": _get(
        "Werte (mit Kennzeichen) nach Tabelle, Merkmal, Gebiet, Jahr",
        [
            ("table", False, "Tabellencode, z. B. 21111-02-06-4"),
            ("statistic", False, "Kennung eines Merkmals"),
            ("region", False, "Regionalschlüssel"),
            ("year", False, "Jahr"),
            ("limit", False, "höchstens 5000"),
        ],
        "MonitoringValue",
    ),
    "/api/monitoring/indicators": _get("Indikatoren (öffentliche; interne für Mitglieder des Mandanten)"),
    "/api/monitoring/indicators/{code}/results": {
        "get": {
            **_get(
                "Ergebnisse eines Indikators",
                [
                    ("region", True, "Regionalschlüssel, mehrere mit Komma"),
                    ("period", False, "Zeitraum, z. B. 2022/23"),
                    ("as_of", False, "Datenstand: Importnummer oder Datum (JJJJ-MM-TT); ohne = aktuell"),
                ],
                "MonitoringIndicatorResult",
            )["get"],
            "parameters": [
                {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}},
                {"name": "region", "in": "query", "required": True, "schema": {"type": "string"}},
                {"name": "period", "in": "query", "required": False, "schema": {"type": "string"}},
                {
                    "name": "as_of",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "string"},
                    "description": "Datenstand: Importnummer oder Datum (JJJJ-MM-TT)",
                },
            ],
        }
    },
}
