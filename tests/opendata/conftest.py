import pytest


@pytest.fixture
def leavers(db, settings, tmp_path):
    """The official school leavers table (GENESIS 21111-02-06-4) through the product's importer."""
    from bildungskette.monitoring.catalogue import catalogue_load
    from bildungskette.monitoring.importers import import_file

    settings.MEDIA_ROOT = tmp_path / "media"
    catalogue_load()
    return import_file(settings.DATA_DIR / "genesis" / "21111-02-06-4.csv", fmt="genesis")


@pytest.fixture
def kassel_area(tenant):
    from bildungskette.regions.selectors import region_by_code
    from bildungskette.regions.services import tenant_area_set

    tenant_area_set(tenant=tenant, regions=[region_by_code("06611")])
    return tenant
