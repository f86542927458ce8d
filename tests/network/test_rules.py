"""Permission matrix: role × action × own/other tenant, on the rules themselves (no views)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from bildungskette.network import services
from bildungskette.network.models import Meeting

pytestmark = pytest.mark.django_db

ROLES = ["coordination", "admin", "monitoring", "partner", "ihk_partner", "other_coordination", "other_partner",
         "anonymous"]


def _user(net, role):
    return AnonymousUser() if role == "anonymous" else net.users[role]


def _matrix(net, objects):
    return {
        (role, action): _user(net, role).has_perm(perm, objects[obj])
        for role in ROLES
        for action, (perm, obj) in ACTIONS.items()
    }


ACTIONS = {
    "view public body": ("network.view_body", "steering"),
    "view internal body": ("network.view_body", "working_group"),
    "view other tenant's body": ("network.view_body", "other_body"),
    "edit body": ("network.change_body", "steering"),
    "edit other tenant's body": ("network.change_body", "other_body"),
    "add body": ("network.add_body", "tenant"),
    "add meeting": ("network.add_meeting", "steering"),
    "record minutes": ("network.record_minutes", "meeting"),
    "view internal meeting": ("network.view_meeting", "internal_meeting"),
    "view action item": ("network.view_actionitem", "item_stadt"),
    "update own action item": ("network.update_status_actionitem", "item_agentur"),
    "update others' action item": ("network.update_status_actionitem", "item_stadt"),
    "view network graph": ("network.view_network", "tenant"),
    "view agreement": ("network.view_agreement", "agreement"),
    "update own commitment": ("network.update_status_commitment", "commitment_agentur"),
    "update others' commitment": ("network.update_status_commitment", "commitment_stadt"),
}

# Expected: which roles may do each action. ``partner`` acts for the Agentur für Arbeit Kassel (member
# of the steering group only); ``ihk_partner`` for the IHK, whose membership has ended.
EXPECTED = {
    "view public body": set(ROLES),
    "view internal body": {"coordination", "admin", "monitoring"},
    "view other tenant's body": {"other_coordination", "other_partner"},
    "edit body": {"coordination", "admin"},
    "edit other tenant's body": {"other_coordination"},
    "add body": {"coordination", "admin"},
    "add meeting": {"coordination", "admin"},
    "record minutes": {"coordination", "admin"},
    "view internal meeting": {"coordination", "admin", "monitoring"},
    "view action item": {"coordination", "admin", "monitoring", "partner"},
    "update own action item": {"coordination", "admin", "partner"},
    "update others' action item": {"coordination", "admin"},
    "view network graph": {"coordination", "admin", "monitoring"},
    "view agreement": {"coordination", "admin", "monitoring", "partner"},
    "update own commitment": {"coordination", "admin", "partner"},
    "update others' commitment": {"coordination", "admin"},
}


@pytest.fixture
def objects(net, meeting_with_minutes):
    internal_meeting = services.meeting_create(body=net.working_group, title="FAG", starts_at=Meeting.objects.first()
                                               .starts_at, location="Kassel")
    agreement = services.agreement_create(tenant=net.tenant, title="Arbeitsbündnis", subject="x",
                                          parties=[net.agentur, net.stadt])
    return {
        "steering": net.steering, "working_group": net.working_group, "other_body": net.other_body,
        "tenant": net.tenant, "meeting": meeting_with_minutes["meeting"], "internal_meeting": internal_meeting,
        "item_stadt": meeting_with_minutes["items"][0], "item_agentur": meeting_with_minutes["items"][1],
        "agreement": agreement,
        "commitment_agentur": services.commitment_add(agreement=agreement, party=net.agentur, text="a"),
        "commitment_stadt": services.commitment_add(agreement=agreement, party=net.stadt, text="b"),
    }


def test_permission_matrix(net, objects):
    actual = _matrix(net, objects)
    problems = []
    for action, allowed in EXPECTED.items():
        for role in ROLES:
            if actual[(role, action)] != (role in allowed):
                problems.append(f"{role} / {action}: {'erlaubt' if actual[(role, action)] else 'verboten'}")
    assert problems == []


def test_a_role_counts_only_in_its_own_tenant(net, objects):
    # Coordination of Bochum is coordination, but not in Kassel.
    bochum = net.users["other_coordination"]
    assert not bochum.has_perm("network.change_body", net.steering)
    assert not bochum.has_perm("network.record_minutes", objects["meeting"])
    assert not bochum.has_perm("network.view_actionitem", objects["item_stadt"])


def test_partner_loses_access_when_membership_ends(net, objects):
    partner = net.users["partner"]
    assert partner.has_perm("network.view_actionitem", objects["item_stadt"])
    membership = net.steering.memberships.get(organisation=net.agentur)
    services.membership_end(membership=membership, end_date=membership.body.created_at.date().replace(year=2000))
    fresh = type(partner).objects.get(pk=partner.pk)  # new request: no cached memberships
    assert not fresh.has_perm("network.view_actionitem", objects["item_stadt"])
    assert fresh.has_perm("network.update_status_actionitem", objects["item_agentur"])  # still owns its own


def test_every_network_object_leads_to_its_body(net, meeting_with_minutes):
    """Membership, chair rotation, meeting, agenda item, decision, action item, agreement and commitment
    are judged by their body; anything else (the tenant, nothing) has none."""
    import datetime

    from bildungskette.network.models import ChairRotation
    from bildungskette.network.rules import _body_of, belongs_to_body, is_public_object

    meeting = meeting_with_minutes["meeting"]
    rotation = ChairRotation.objects.create(tenant=net.tenant, body=net.steering, starts_on=datetime.date(2026, 1, 1))
    agreement = services.agreement_create(tenant=net.tenant, title="Arbeitsbündnis", subject="x",
                                          parties=[net.agentur], body=net.steering)
    commitment = services.commitment_add(agreement=agreement, party=net.agentur, text="a")
    for obj in (net.steering, net.steering.memberships.first(), rotation, meeting, meeting_with_minutes["top1"],
                meeting_with_minutes["decisions"][0], meeting_with_minutes["items"][0], agreement, commitment):
        assert _body_of(obj) == net.steering, obj._meta.label
    assert _body_of(net.tenant) is None
    assert _body_of(None) is None
    partner = net.users["partner"]  # the Agentur, a member of the steering group only
    assert belongs_to_body(partner, meeting)
    assert belongs_to_body(partner, net.steering.memberships.first())
    assert belongs_to_body(partner, rotation)
    assert not belongs_to_body(partner, net.working_group)
    assert not belongs_to_body(partner, net.tenant)
    # Public steering group: its meetings and public agenda items are public, action items never.
    assert net.steering.is_public
    assert is_public_object(AnonymousUser(), meeting)
    assert is_public_object(AnonymousUser(), meeting_with_minutes["top1"])
    secret = meeting.agenda_items.get(title="Vertrauliches")
    assert not is_public_object(AnonymousUser(), secret)
    assert not is_public_object(AnonymousUser(), meeting_with_minutes["items"][0])
    decision = meeting_with_minutes["decisions"][0]
    assert is_public_object(AnonymousUser(), decision)
    decision.is_public = False
    assert not is_public_object(AnonymousUser(), decision)  # its own flag counts, not only the body's
    assert not is_public_object(AnonymousUser(), None)


def test_agreements_are_public_by_their_own_flag_and_parties_only_for_agreements(net, meeting_with_minutes):
    from bildungskette.network.rules import is_party, is_public_object, owns_action_item

    anonymous, partner = AnonymousUser(), net.users["partner"]
    assert net.steering.is_public
    internal = services.agreement_create(tenant=net.tenant, title="Intern", subject="x", parties=[net.agentur],
                                         body=net.steering, is_public=False)
    public = services.agreement_create(tenant=net.tenant, title="Öffentlich", subject="x", parties=[net.agentur],
                                       is_public=True)
    assert not is_public_object(anonymous, internal)  # the public body does not make it public
    assert is_public_object(anonymous, public)
    commitment = services.commitment_add(agreement=internal, party=net.agentur, text="a")
    assert not is_public_object(anonymous, commitment)
    assert is_party(partner, internal) and is_party(partner, commitment)
    assert not is_party(partner, None)
    assert not is_party(partner, meeting_with_minutes["meeting"])  # only agreements have parties
    assert not is_party(anonymous, internal)
    own_item = meeting_with_minutes["items"][1]  # owned by the Agentur
    assert owns_action_item(partner, own_item)
    assert not owns_action_item(partner, None)
    assert not owns_action_item(partner, commitment)  # not an action item
    assert not owns_action_item(anonymous, own_item)
