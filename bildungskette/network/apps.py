from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_OPARL_TAG = ["OParl 1.1 (Netzwerk & Gremien)"]


def _oparl_path(summary: str, params: list[str] | None = None) -> dict:
    parameters = [{"name": p, "in": "path", "required": True, "schema": {"type": "string"}} for p in params or []]
    return {
        "get": {
            "summary": summary,
            "tags": _OPARL_TAG,
            "parameters": parameters,
            "responses": {
                "200": {"description": "OParl-1.1-Objekt bzw. -Liste (JSON)"},
                "400": {"description": "ungültiger Parameter (z. B. modified_since, limit, page); JSON-Fehlerobjekt"},
                "404": {"description": "nicht vorhanden, nicht öffentlich oder Seite nach der letzten"},
            },
        }
    }


OPENAPI_PATHS = {
    "/oparl/v1/system": _oparl_path("OParl-System (Einstieg)"),
    "/oparl/v1/bodies": _oparl_path("Körperschaften (Mandanten mit öffentlichen Gremien)"),
    "/oparl/v1/body/{slug}": _oparl_path("Körperschaft", ["slug"]),
    "/oparl/v1/body/{slug}/organizations": _oparl_path("Gremien und Mitgliedsinstitutionen", ["slug"]),
    "/oparl/v1/body/{slug}/meetings": _oparl_path("Sitzungen öffentlicher Gremien", ["slug"]),
    "/oparl/v1/body/{slug}/papers": _oparl_path("Öffentliche Beschlüsse", ["slug"]),
    "/oparl/v1/meeting/{id}": _oparl_path("Sitzung mit Tagesordnung", ["id"]),
    "/oparl/v1/agendaitem/{id}": _oparl_path("Tagesordnungspunkt", ["id"]),
}


class NetworkConfig(AppConfig):
    name = "bildungskette.network"
    label = "network"
    verbose_name = _("Netzwerk & Gremien")

    def ready(self) -> None:
        from bildungskette.core.api import api_paths_register

        from .oparl import tombstones_connect
        from .panels import panels_register

        panels_register()
        tombstones_connect()
        api_paths_register(OPENAPI_PATHS)
