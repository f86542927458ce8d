"""Demo: the official regions (imported once) and the tenants' areas."""

from django.conf import settings

from bildungskette.core.models import Tenant

from .importers import regions_import
from .models import Region, RegionKind
from .selectors import region_by_code
from .services import region_group_create, tenant_area_set


def demo_load() -> list[str]:
    if Region.objects.filter(kind=RegionKind.KREIS, tenant__isnull=True).count() < 401:
        regions_import(settings.DATA_DIR)
    kassel = Tenant.objects.get(slug="olov-kassel")
    stadt, landkreis = region_by_code("06611"), region_by_code("06633")
    olov = region_group_create(tenant=kassel, code="olov-kassel", name="OloV-Region Kassel",
                               members=[stadt, landkreis])
    tenant_area_set(tenant=kassel, regions=[olov, stadt, landkreis], primary=olov)
    tenant_area_set(tenant=Tenant.objects.get(slug="fulda"), regions=[region_by_code("06631")],
                    primary=region_by_code("06631"))
    tenant_area_set(tenant=Tenant.objects.get(slug="bochum"), regions=[region_by_code("05911")],
                    primary=region_by_code("05911"))
    return []
