"""Who may do what in the network area.

- Coordination and the tenant's administration edit bodies, meetings, minutes and agreements.
- Staff of the tenant (also monitoring and data protection) read everything of their tenant.
- A partner or a school reads what concerns the bodies its organisation belongs to, updates the
  status of action items it owns and the commitments it made.
- Public bodies (and their meetings) can be read by everyone, also without an account.

The object of a check is the domain object itself; for ``add_body``/``add_agreement`` it is the tenant.
"""

import rules

from bildungskette.core.rules import is_coordination, is_tenant_admin, is_tenant_staff
from bildungskette.core.selectors import user_organisation_ids

from .selectors import member_body_ids, sees_whole_tenant


def _body_of(obj):
    if obj is None:
        return None
    label = obj._meta.label
    if label == "network.Body":
        return obj
    if label in ("network.Meeting", "network.Membership", "network.ActionItem", "network.ChairRotation"):
        return obj.body
    if label in ("network.AgendaItem", "network.Decision"):
        return obj.meeting.body
    if label == "network.CooperationAgreement":
        return obj.body
    if label == "network.Commitment":
        return obj.agreement.body
    return None


@rules.predicate
def is_public_object(user, obj) -> bool:
    if obj is None:
        return False
    label = obj._meta.label
    if label == "network.CooperationAgreement":
        return obj.is_public
    if label == "network.Commitment":
        return obj.agreement.is_public
    body = _body_of(obj)
    if body is None or not body.is_public:
        return False
    if label == "network.AgendaItem":
        return obj.is_public
    if label == "network.Decision":
        return obj.is_public
    if label == "network.ActionItem":
        return False  # follow-up work is internal even in public bodies
    return True


@rules.predicate
def sees_tenant(user, obj) -> bool:
    return obj is not None and sees_whole_tenant(user, obj.tenant)


@rules.predicate
def belongs_to_body(user, obj) -> bool:
    """The user's organisation is an active member of the body the object belongs to."""
    body = _body_of(obj)
    if body is None:
        return False
    return body.pk in member_body_ids(user, body.tenant)


@rules.predicate
def is_party(user, obj) -> bool:
    """The user's organisation is a party of the agreement (or made the commitment)."""
    if obj is None or not user.is_authenticated:
        return False
    org_ids = user_organisation_ids(user, obj.tenant)
    if obj._meta.label == "network.Commitment":
        return obj.party_id in org_ids
    if obj._meta.label == "network.CooperationAgreement":
        return obj.parties.filter(pk__in=org_ids).exists()
    return False


@rules.predicate
def owns_action_item(user, obj) -> bool:
    if obj is None or not user.is_authenticated or obj._meta.label != "network.ActionItem":
        return False
    return obj.owner_organisation_id in user_organisation_ids(user, obj.tenant)


can_edit = is_tenant_admin | is_coordination
can_read = is_public_object | sees_tenant | belongs_to_body

rules.add_perm("network.add_body", can_edit)  # object: the tenant
rules.add_perm("network.view_body", can_read)
rules.add_perm("network.change_body", can_edit)
rules.add_perm("network.delete_body", can_edit)
rules.add_perm("network.change_membership", can_edit)
rules.add_perm("network.view_meeting", can_read)
rules.add_perm("network.add_meeting", can_edit)  # object: the body
rules.add_perm("network.change_meeting", can_edit)
rules.add_perm("network.record_minutes", can_edit)
rules.add_perm("network.invite_meeting", can_edit)
rules.add_perm("network.view_actionitem", sees_tenant | belongs_to_body | owns_action_item)
rules.add_perm("network.change_actionitem", can_edit)
rules.add_perm("network.update_status_actionitem", can_edit | owns_action_item)
rules.add_perm("network.add_agreement", can_edit)  # object: the tenant
rules.add_perm("network.view_agreement", is_public_object | sees_tenant | is_party | belongs_to_body)
rules.add_perm("network.change_agreement", can_edit)
rules.add_perm("network.update_status_commitment", can_edit | is_party)
rules.add_perm("network.view_network", is_tenant_staff)  # object: the tenant
