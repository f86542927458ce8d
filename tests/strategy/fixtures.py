"""A lean demo for the strategy tests: only what the strategy demo builds on (the whole demo of all apps
takes minutes; this takes seconds)."""

from pathlib import Path

from django.conf import settings


def strategy_demo_load() -> None:
    from bildungskette.core import demo as core_demo
    from bildungskette.monitoring.catalogue import catalogue_load
    from bildungskette.monitoring.demo import kassel_seed_load
    from bildungskette.monitoring.importers import import_file
    from bildungskette.network import demo as network_demo
    from bildungskette.organisations.demo import (
        BOCHUM_OTHERS,
        BOCHUM_STEERING_GROUP,
        KASSEL_OTHERS,
        KASSEL_STEERING_GROUP,
    )
    from bildungskette.organisations.services import organisation_ensure
    from bildungskette.regions import demo as regions_demo
    from bildungskette.regions.selectors import region_by_code
    from bildungskette.strategy import demo as strategy_demo

    core_demo.demo_load()
    regions_demo.demo_load()
    from bildungskette.core.models import Tenant

    for slug, rows in (("olov-kassel", KASSEL_STEERING_GROUP + KASSEL_OTHERS),
                       ("bochum", BOCHUM_STEERING_GROUP + BOCHUM_OTHERS)):
        tenant = Tenant.objects.get(slug=slug)
        for name, short, type_, region in rows:
            organisation_ensure(tenant=tenant, name=name, type=type_, short_name=short, region=region_by_code(region))
    catalogue_load()
    kassel_seed_load()
    import_file(Path(settings.DATA_DIR) / "genesis" / "21111-02-06-4.csv", fmt="genesis")
    network_demo.demo_load()
    strategy_demo.demo_load()
