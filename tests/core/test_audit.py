import pytest

from bildungskette.core.models import AuditEntry, Role
from bildungskette.organisations.models import Organisation, OrganisationType
from tests.security.forms_html import with_stand

pytestmark = pytest.mark.django_db


def test_create_update_delete_are_logged_with_actor_and_changes(tenant, make_user, client_as):
    coordinator = make_user(role=Role.COORDINATION, tenant=tenant, username="koordination")
    client = client_as(coordinator)
    response = client.post("/akteure/neu/", {"name": "IHK Kassel-Marburg", "type": OrganisationType.IHK})
    organisation = Organisation.objects.get(name="IHK Kassel-Marburg")
    assert response.status_code == 302
    created = AuditEntry.objects.get(action="create", model_label="organisations.Organisation")
    assert created.actor == coordinator and created.tenant == tenant
    assert created.changes["name"] == [None, "IHK Kassel-Marburg"]

    edit = f"/akteure/{organisation.pk}/bearbeiten/"
    client.post(edit, with_stand(client, edit, {"name": "IHK Kassel-Marburg", "type": "ihk", "city": "Kassel"}))
    updated = AuditEntry.objects.get(action="update")
    assert updated.changes == {"city": ["", "Kassel"]} or set(updated.changes) == {"city", "updated_at"}
    assert updated.actor == coordinator

    organisation.delete()
    deleted = AuditEntry.objects.get(action="delete")
    assert deleted.object_repr == "IHK Kassel-Marburg"


def test_saving_without_changes_writes_nothing(tenant):
    organisation = Organisation.objects.create(tenant=tenant, name="Jobcenter", type=OrganisationType.JOBCENTER)
    count = AuditEntry.objects.count()
    Organisation.objects.filter(pk=organisation.pk).first().save(update_fields=["name"])
    assert AuditEntry.objects.count() == count


def test_audit_log_page_only_for_tenant_admins(tenant, make_user, client_as, django_assert_max_num_queries):
    Organisation.objects.create(tenant=tenant, name="Jobcenter Stadt Kassel", type=OrganisationType.JOBCENTER)
    assert client_as(make_user(role=Role.COORDINATION, tenant=tenant)).get("/protokoll/").status_code == 403
    client = client_as(make_user(role=Role.TENANT_ADMIN, tenant=tenant))
    # 11: session, user, tenant, the person-level role check, the page of entries and their count,
    # and one name look-up per related model on the page (core.audit_display), never one per row.
    with django_assert_max_num_queries(11):
        response = client.get("/protokoll/")
    assert response.status_code == 200 and "Jobcenter Stadt Kassel" in response.content.decode()


def test_many_to_many_changes_are_logged(tenant):
    from bildungskette.regions.models import Region
    from bildungskette.regions.selectors import region_by_code

    group = Region.objects.create(code="test-gruppe", name="Testgruppe", kind="group", tenant=tenant)
    kassel = region_by_code("06611")
    group.members.add(kassel)
    added = AuditEntry.objects.filter(model_label="regions.Region", object_id=str(group.pk), action="update").last()
    assert added.changes == {"members": [None, [kassel.pk]]} and added.tenant == tenant
    group.members.remove(kassel)
    removed = AuditEntry.objects.filter(model_label="regions.Region", object_id=str(group.pk)).first()
    assert removed.changes == {"members": [[kassel.pk], None]}

