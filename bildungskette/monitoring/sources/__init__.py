"""Sources that refresh themselves: GENESIS web service subscriptions, BA tables as delivered,
Agenturbezirke, and the Datenstand (what is current). See docs/monitoring.md."""


def sources_register() -> None:
    """Plug the BA/BIBB reader into the import framework (same path as any file upload)."""
    from pathlib import Path

    from bildungskette.core.importing import Importer, importer_register

    from ..importers import READERS, import_file
    from .ba_delivered import ba_delivered_dataset, ba_delivered_detect

    READERS["ba-statistik"] = ba_delivered_dataset
    from ..forms import FORMAT_CHOICES

    if not any(code == "ba-statistik" for code, _ in FORMAT_CHOICES):
        FORMAT_CHOICES.append(("ba-statistik", "BA-Statistik/BIBB – Tabelle wie geliefert (XLSX/CSV)"))

    def run(path, *, tenant=None, **options):
        return import_file(Path(path), fmt="ba-statistik", tenant=tenant, options={})

    importer_register(
        Importer(
            "ba-statistik",
            "BA-Statistik/BIBB – Tabelle wie geliefert (XLSX, CSV der Tabellen-API)",
            ba_delivered_detect,
            run,
            priority=19,
            tables=None,
        )
    )
