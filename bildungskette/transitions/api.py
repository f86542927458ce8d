"""JSON API of the transition area.

- ``/api/transitions/events``: public events (no person data), open to everybody.
- ``/api/transitions/statistics``: disclosure-controlled aggregates, for coordination/monitoring.
- ``/api/transitions/schools/{id}/students``: pseudonyms of one school, only for its own transition
  managers (session login), every call written to the access log. Never names.
"""

from __future__ import annotations

from django.http import JsonResponse

from . import selectors as sel
from .models import AccessAction
from .services import access_log_record
from .statistics import statistics_is_synthetic, tenant_tables
from .views.stats import SOURCE_LINE


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status, json_dumps_params={"ensure_ascii": False})


def events(request):
    qs = sel.events_public()[:500]
    data = [{
        "id": e.pk, "title": e.title, "kind": e.kind, "organisation": str(e.organisation),
        "occupational_field": e.occupational_field.title if e.occupational_field else None,
        "starts_at": e.starts_at.isoformat(), "ends_at": e.ends_at.isoformat(), "location": e.location,
        "capacity": e.capacity, "free": max(e.capacity - e.taken, 0), "synthetic": e.is_synthetic,
        "tenant": e.tenant.slug,
    } for e in qs]
    return JsonResponse({"events": data}, json_dumps_params={"ensure_ascii": False})


def statistics(request):
    tenant = request.tenant
    if tenant is None or not request.user.has_perm("transitions.view_statistics", tenant):
        return _error(403, "Nur für Koordination und Bildungsmonitoring des Mandanten.")
    data = tenant_tables(tenant)
    tables = {}
    for key, table in data["tables"].items():
        tables[key] = {
            "title": table.title, "rows": table.rows, "columns": table.columns,
            "cells": table.disclosed.cells, "row_totals": table.disclosed.row_totals, "note": table.disclosed.note,
        }
    return JsonResponse({"tenant": tenant.slug, "synthetic": statistics_is_synthetic(tenant), "tables": tables,
                         "source": SOURCE_LINE}, json_dumps_params={"ensure_ascii": False})


def school_students(request, pk):
    tenant = request.tenant
    if tenant is None or not request.user.is_authenticated:
        return _error(403, "Anmeldung erforderlich.")
    school = sel.schools_managed_by(request.user, tenant).filter(pk=pk).first()
    if school is None:
        return _error(404, "Schule nicht gefunden.")
    students = list(sel.students_visible_to(request.user, tenant).filter(school=school)
                    .select_related("planned_option", "actual_option").order_by("class_name", "pseudonym")[:5000])
    access_log_record(tenant=tenant, actor=request.user, action=AccessAction.API, what="API Schülerliste",
                      school=school, student_ids=[s.pk for s in students])
    data = [{"id": s.pk, "pseudonym": s.pseudonym, "grade": s.grade, "class": s.class_name, "status": s.status,
             "planned": s.planned_option.code if s.planned_option else None,
             "actual": s.actual_option.code if s.actual_option else None, "synthetic": s.synthetic}
            for s in students]
    return JsonResponse({"school": str(school), "students": data}, json_dumps_params={"ensure_ascii": False})


OPENAPI_PATHS = {
    "/api/transitions/events": {"get": {
        "summary": "Öffentliche Veranstaltungen zur Berufsorientierung (ohne Personendaten)",
        "tags": ["Übergänge"],
        "responses": {"200": {"description": "Liste", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/TransitionEvents"}}}}}}},
    "/api/transitions/statistics": {"get": {
        "summary": "Kohortenstatistik des Mandanten, geheimhaltungsgeprüft (Mindestfallzahl bzw. Rundung)",
        "tags": ["Übergänge"],
        "responses": {"200": {"description": "Tabellen"}, "403": {"description": "keine Berechtigung"}}}},
    "/api/transitions/schools/{id}/students": {"get": {
        "summary": "Pseudonyme Schülerliste einer Schule – nur für deren Übergangsmanagement, protokolliert",
        "tags": ["Übergänge"],
        "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
        "responses": {"200": {"description": "Liste"}, "403": {"description": "nicht angemeldet"},
                      "404": {"description": "nicht die eigene Schule"}}}},
}
OPENAPI_SCHEMAS = {
    "TransitionEvents": {"type": "object", "properties": {"events": {"type": "array", "items": {
        "type": "object", "properties": {
            "id": {"type": "integer"}, "title": {"type": "string"}, "kind": {"type": "string"},
            "organisation": {"type": "string"}, "starts_at": {"type": "string", "format": "date-time"},
            "ends_at": {"type": "string", "format": "date-time"}, "location": {"type": "string"},
            "capacity": {"type": "integer"}, "free": {"type": "integer"}, "synthetic": {"type": "boolean"}}}}}},
}
