"""Everything the app plugs into the foundation at start-up: importers, navigation, panels, API."""


def monitoring_register() -> None:
    from .importers import importers_register

    importers_register()
