"""Permission matrix: role × action × own/other tenant, for the foundation's objects."""

import pytest

from bildungskette.core.models import Role
from bildungskette.organisations.models import Organisation, OrganisationType, Person

pytestmark = pytest.mark.django_db

ROLES = [None, *Role.values]


@pytest.fixture
def world(tenant, other_tenant):
    own_org = Organisation.objects.create(tenant=tenant, name="Agentur für Arbeit Kassel",
                                          type=OrganisationType.AGENTUR_FUER_ARBEIT)
    other_org = Organisation.objects.create(tenant=other_tenant, name="Agentur für Arbeit Bochum",
                                            type=OrganisationType.AGENTUR_FUER_ARBEIT)
    shared = Organisation.objects.create(tenant=None, name="Offene Schule Waldau", type=OrganisationType.SCHULE,
                                         external_id="HE-TEST")
    person = Person.objects.create(tenant=tenant, organisation=own_org, name="A. Beispiel")
    return {"own_org": own_org, "other_org": other_org, "reference": shared, "person": person}


# (permission, object key, roles allowed in the OWN tenant). In the other tenant nobody is allowed
# except for reading shared reference data, which everyone may.
MATRIX = [
    ("core.view_auditentry", "tenant", {Role.TENANT_ADMIN}),
    ("organisations.add_organisation", "tenant", {Role.TENANT_ADMIN, Role.COORDINATION}),
    ("organisations.change_organisation", "own_org", {Role.TENANT_ADMIN, Role.COORDINATION}),
    ("organisations.delete_organisation", "own_org", {Role.TENANT_ADMIN, Role.COORDINATION}),
    ("organisations.view_organisation", "own_org", set(Role.values)),
    ("organisations.change_person", "person", {Role.TENANT_ADMIN, Role.COORDINATION}),
    ("organisations.view_person", "person", set(Role.values)),
    ("regions.upload_stadtteile", "tenant", {Role.TENANT_ADMIN, Role.COORDINATION, Role.MONITORING}),
]


@pytest.mark.parametrize("perm,key,allowed", MATRIX, ids=[m[0] for m in MATRIX])
@pytest.mark.parametrize("role", ROLES, ids=[r or "public" for r in ROLES])
def test_matrix_own_and_other_tenant(perm, key, allowed, role, world, tenant, other_tenant, make_user):
    from django.contrib.auth.models import AnonymousUser

    own_user = make_user(role=role, tenant=tenant) if role else AnonymousUser()
    foreign_user = make_user(role=role, tenant=other_tenant) if role else AnonymousUser()
    obj = tenant if key == "tenant" else world[key]
    assert own_user.has_perm(perm, obj) is (role in allowed), f"{role} in own tenant"
    assert foreign_user.has_perm(perm, obj) is False, f"{role} from another tenant"


@pytest.mark.parametrize("role", ROLES, ids=[r or "public" for r in ROLES])
def test_everyone_reads_shared_reference_data_nobody_changes_it(role, world, tenant, make_user):
    from django.contrib.auth.models import AnonymousUser

    user = make_user(role=role, tenant=tenant) if role else AnonymousUser()
    assert user.has_perm("organisations.view_organisation", world["reference"])
    assert not user.has_perm("organisations.change_organisation", world["reference"])


def test_partner_edits_only_its_own_organisation(world, tenant, make_user):
    partner = make_user(role=Role.PARTNER, tenant=tenant, organisation=world["own_org"])
    assert partner.has_perm("organisations.change_organisation", world["own_org"])
    assert not partner.has_perm("organisations.change_organisation", world["other_org"])
    school_manager = make_user(role=Role.TRANSITION_MANAGER, tenant=tenant, organisation=world["reference"])
    # Acting for a shared school does not let anyone change the record every tenant reads.
    assert not school_manager.has_perm("organisations.change_organisation", world["reference"])
    assert not school_manager.has_perm("organisations.change_organisation", world["own_org"])


# Who may change which organisation record: "own" belongs to the user's tenant, "foreign" to another
# tenant, "reference" is the shared (tenant-less) school record. Worked out from the rule in words:
# tenant admin and coordination manage their tenant's records; an account tied to an organisation
# changes that tenant-owned organisation; only the operator (superuser) changes reference records.
ORG_CASES = [
    # (label, role, tied to, {own, foreign, reference} allowed)
    ("public", None, None, set()),
    *[(f"{role}{at}", role, tied, {"own"} if role in (Role.TENANT_ADMIN, Role.COORDINATION) or tied == "own"
       else set())
      for role in Role.values for at, tied in (("", None), ("@own", "own"), ("@reference", "reference"),
                                               ("@foreign", "foreign"))],
    ("operator", "superuser", None, {"own", "foreign", "reference"}),
]


@pytest.mark.parametrize(("label", "role", "tied", "allowed"), ORG_CASES, ids=[c[0] for c in ORG_CASES])
def test_who_changes_which_organisation(label, role, tied, allowed, world, tenant, make_user):
    from django.contrib.auth.models import AnonymousUser

    records = {"own": world["own_org"], "foreign": world["other_org"], "reference": world["reference"]}
    if role is None:
        user = AnonymousUser()
    elif role == "superuser":
        user = make_user()
        user.is_superuser = True
        user.save()
    else:
        user = make_user(role=role, tenant=tenant, organisation=records[tied] if tied else None)
    got = {key for key, org in records.items() if user.has_perm("organisations.change_organisation", org)}
    assert got == allowed


REFUSAL = ("„Offene Schule Waldau“ ist ein gemeinsamer Referenzeintrag (z. B. aus dem amtlichen Schulverzeichnis) "
           "und gilt für alle Mandanten. Ändern kann ihn nur der Betrieb der Plattform; nichts wurde geändert.")


@pytest.mark.parametrize("tied", [False, True], ids=["coordination", "coordination-acting-for-the-school"])
def test_a_tenant_cannot_change_a_reference_record_through_the_form(tied, world, tenant, make_user, client_as):
    import html

    from django.urls import reverse

    reference = world["reference"]
    user = make_user(role=Role.COORDINATION, tenant=tenant, organisation=reference if tied else None)
    client = client_as(user)
    url = reverse("organisations:edit", args=[reference.pk])
    for response in (client.get(url, follow=True),
                     client.post(url, {"name": "Umbenannt", "type": reference.type, "phone": "0561 1"}, follow=True)):
        assert response.redirect_chain == [(reverse("organisations:detail", args=[reference.pk]), 302)]
        assert REFUSAL in html.unescape(response.content.decode())
    reference.refresh_from_db()
    assert (reference.name, reference.phone) == ("Offene Schule Waldau", "")


def test_the_operator_changes_a_reference_record_through_the_form(world, make_user, client_as):
    from django.urls import reverse

    from tests.security.forms_html import form_with_field

    reference = world["reference"]
    operator = make_user()
    operator.is_superuser = True
    operator.save()
    client = client_as(operator)
    url = reverse("organisations:edit", args=[reference.pk])
    data = form_with_field(client.get(url).content.decode(), "stand")
    data["phone"] = ["0561 4711"]
    assert client.post(url, data).status_code == 302
    reference.refresh_from_db()
    assert reference.phone == "0561 4711"
