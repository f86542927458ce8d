import pytest
from django.conf import settings

GENESIS = settings.DATA_DIR / "genesis"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Kept import files go to a temporary folder, never into var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def catalogue(db):
    from bildungskette.monitoring.catalogue import catalogue_load

    catalogue_load()


@pytest.fixture
def leavers(catalogue):
    from bildungskette.monitoring.importers import import_file

    return import_file(GENESIS / "21111-02-06-4.csv", fmt="genesis")


@pytest.fixture
def kassel_seed(catalogue):
    from bildungskette.monitoring.demo import kassel_seed_load

    kassel_seed_load()
