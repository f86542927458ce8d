import pytest
from django.conf import settings

LEAVERS_CSV = settings.DATA_DIR / "genesis" / "21111-02-06-4.csv"
KASSEL_OLD = "Kassel, kreisfreie Stadt, documenta-Stadt;1870;952;165;"
KASSEL_NEW = "Kassel, kreisfreie Stadt, documenta-Stadt;1870;952;186;"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def revised_leavers(tmp_path):
    """The real table 21111-02-06-4 with one cell changed: Kassel's leavers without Hauptschulabschluss
    165 -> 186 (as a revised download would be)."""
    text = LEAVERS_CSV.read_bytes().decode("iso-8859-1")
    assert text.count(KASSEL_OLD) == 1
    path = tmp_path / "21111-02-06-4_revidiert.csv"
    path.write_bytes(text.replace(KASSEL_OLD, KASSEL_NEW).encode("iso-8859-1"))
    return path


@pytest.fixture
def leavers_imported(db):
    from bildungskette.monitoring.catalogue import catalogue_load
    from bildungskette.monitoring.importers import import_file

    catalogue_load()
    return import_file(LEAVERS_CSV, fmt="genesis")
