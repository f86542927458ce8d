"""The JSON API's shared pieces: one OpenAPI document that every app adds its paths to.

Apps call ``api_paths_register({...})`` in ``AppConfig.ready`` with OpenAPI 3.1 path items;
``/api/openapi.json`` serves them all together.
"""

from __future__ import annotations

from django.http import JsonResponse

_paths: dict[str, dict] = {}
_schemas: dict[str, dict] = {}


def api_paths_register(paths: dict[str, dict], schemas: dict[str, dict] | None = None) -> None:
    _paths.update(paths)
    _schemas.update(schemas or {})


def openapi_spec() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Bildungskette API",
            "version": "1",
            "description": "Öffentliche und interne Schnittstellen der Plattform Bildungskette. "
            "Jede Antwort mit Daten nennt Quelle und Lizenz.",
        },
        "paths": dict(sorted(_paths.items())),
        "components": {"schemas": dict(sorted(_schemas.items()))},
    }


def openapi_document(request):
    return JsonResponse(openapi_spec(), json_dumps_params={"ensure_ascii": False, "indent": 2})
