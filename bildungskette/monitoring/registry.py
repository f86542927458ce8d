"""Everything the app plugs into the foundation at start-up: importers, navigation, panels, API."""


def monitoring_register() -> None:
    pass
