"""The demo loads the seed municipalities, and loading it twice creates no duplicates."""

import pytest
from django.apps import apps
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def _counts():
    return {m._meta.label: m.objects.count() for m in apps.get_models()
            if m._meta.app_label not in {"sessions", "contenttypes", "auth", "admin", "axes", "django_tasks_db",
                                         "otp_totp"} and m._meta.label != "core.AuditEntry"}


def test_demo_twice_without_duplicates(demo_data, capsys):
    first = _counts()  # the demo is loaded once already
    call_command("load-demo")
    out = capsys.readouterr().out
    assert "kassel.koordination" in out and "Bildung-2026" in out  # the printed logins
    assert _counts() == first


def test_demo_content_from_the_seeds(demo_data):
    from bildungskette.core.models import RoleAssignment, Tenant
    from bildungskette.organisations.demo import KASSEL_STEERING_GROUP
    from bildungskette.organisations.models import Organisation

    kassel = Tenant.objects.get(slug="olov-kassel")
    assert len(KASSEL_STEERING_GROUP) == 11
    assert Organisation.objects.filter(tenant=kassel, name__in=[n for n, *_ in KASSEL_STEERING_GROUP]).count() == 11
    assert Organisation.objects.filter(tenant__slug="bochum", name__startswith="Stadt Herne").exists()
    assert Organisation.objects.filter(region__code="05911000", external_id__startswith="NRW-").count() == 97
    assert Organisation.objects.filter(region__code="06611000", external_id__startswith="HE-").count() > 40
    roles = set(RoleAssignment.objects.filter(tenant=kassel).values_list("role", flat=True))
    assert roles == {"tenant_admin", "coordination", "monitoring", "transition_manager", "partner",
                     "data_protection"}
    assert set(kassel.areas.values_list("region__code", flat=True)) == {"olov-kassel", "06611", "06633"}
