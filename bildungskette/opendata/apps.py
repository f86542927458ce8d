from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

OPENAPI_PATHS = {
    path: {"get": {"tags": ["Offene Daten"], "summary": summary,
                   "responses": {"200": {"description": "DCAT-AP.de-Katalog"}}}}
    for path, summary in [
        ("/katalog/dcat.ttl", "DCAT-AP.de-Katalog der ganzen Installation (Turtle)"),
        ("/katalog/dcat.jsonld", "DCAT-AP.de-Katalog der ganzen Installation (JSON-LD)"),
        ("/katalog/{slug}/dcat.ttl", "DCAT-AP.de-Katalog eines Mandanten (Turtle)"),
        ("/katalog/{slug}/dcat.jsonld", "DCAT-AP.de-Katalog eines Mandanten (JSON-LD)"),
    ]
}


class OpendataConfig(AppConfig):
    name = "bildungskette.opendata"
    label = "opendata"
    verbose_name = _("Offene Daten")

    def ready(self) -> None:
        from bildungskette.core.api import api_paths_register

        api_paths_register(OPENAPI_PATHS)
        from bildungskette.core.navigation import StartPanel, start_panel_register

        start_panel_register(StartPanel(
            "opendata", _("Offene Daten"), "opendata/panels/public.html", roles=frozenset({"public"}), order=80,
        ))
