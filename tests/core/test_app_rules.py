"""Rules and scoping selectors of the apps, role by role, against own and foreign objects.

Expected sets are written down from the documented rules (the docstrings of each app's rules.py),
not derived from the predicates: a dropped role, tenant or organisation filter makes a row fail.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from bildungskette.core.models import Role
from bildungskette.organisations.models import Organisation, OrganisationType

pytestmark = pytest.mark.django_db

ROLES = [None, *Role.values]
ADMIN, COORD, MON = Role.TENANT_ADMIN, Role.COORDINATION, Role.MONITORING
PARTNER, TM, DP = Role.PARTNER, Role.TRANSITION_MANAGER, Role.DATA_PROTECTION
STAFF = {ADMIN, COORD, MON}
TIED = {PARTNER, TM}  # roles that act for one organisation


@pytest.fixture
def orgs(tenant, other_tenant):
    return {
        "own": Organisation.objects.create(tenant=tenant, name="Jugendberufsagentur Kassel",
                                           type=OrganisationType.AGENTUR_FUER_ARBEIT),
        "neighbour": Organisation.objects.create(tenant=tenant, name="Volkshochschule Kassel",
                                                 type=OrganisationType.AGENTUR_FUER_ARBEIT),
        "foreign": Organisation.objects.create(tenant=other_tenant, name="Agentur für Arbeit Bochum",
                                               type=OrganisationType.AGENTUR_FUER_ARBEIT),
    }


@pytest.fixture
def users(make_user, tenant, orgs):
    """One user per role in the own tenant; the tied roles act for the organisation 'own'."""
    out = {None: AnonymousUser()}
    for role in Role.values:
        out[role] = make_user(role=role, tenant=tenant, organisation=orgs["own"] if role in TIED else None)
    return out


def _place(tenant, operator, status):
    from bildungskette.places.models import Category, LearningPlace

    cat = Category.objects.get(code="bibliothek")
    place = LearningPlace.objects.create(name=f"Stadtbibliothek {status}", category=cat, tenant=tenant,
                                         latitude=51.3127, longitude=9.4797, operator=operator, status=status,
                                         source="Testdaten", licence="CC0")
    place.categories.add(cat)
    return place


# ----------------------------------------------------------------------------- places


@pytest.fixture
def places(tenant, other_tenant, orgs):
    from bildungskette.places.models import Offer

    own_pending = _place(tenant, orgs["own"], "pending")
    return {
        "published": _place(tenant, orgs["neighbour"], "published"),
        "own_pending": own_pending,
        "neighbour_pending": _place(tenant, orgs["neighbour"], "pending"),
        "foreign_pending": _place(other_tenant, orgs["foreign"], "pending"),
        "own_offer": Offer.objects.create(tenant=tenant, title="Bewerbungstraining", provider=orgs["own"],
                                          status="pending", place=own_pending),
        "neighbour_offer": Offer.objects.create(tenant=tenant, title="Sprachkurs", provider=orgs["neighbour"],
                                                status="pending"),
    }


@pytest.mark.parametrize("role", ROLES, ids=[r or "public" for r in ROLES])
def test_places_permissions_per_role_own_and_foreign(role, users, places, tenant, other_tenant):
    user = users[role]
    manage = role in {ADMIN, COORD}
    provider = role in TIED
    assert user.has_perm("places.view_learningplace", places["published"])
    assert user.has_perm("places.view_learningplace", places["own_pending"]) == (manage or provider)
    assert user.has_perm("places.view_learningplace", places["neighbour_pending"]) == manage
    assert not user.has_perm("places.view_learningplace", places["foreign_pending"])
    assert user.has_perm("places.change_learningplace", places["own_pending"]) == (manage or provider)
    assert user.has_perm("places.change_learningplace", places["published"]) == manage
    assert not user.has_perm("places.change_learningplace", places["foreign_pending"])
    assert user.has_perm("places.view_offer", places["own_offer"]) == (manage or provider)
    assert user.has_perm("places.change_offer", places["own_offer"]) == (manage or provider)
    assert user.has_perm("places.change_offer", places["neighbour_offer"]) == manage
    for perm in ("places.add_learningplace", "places.add_offer"):
        assert user.has_perm(perm, tenant) == (manage or provider), perm
        assert not user.has_perm(perm, other_tenant), perm
    for perm in ("places.review_changeproposal", "places.import_learningplace"):
        assert user.has_perm(perm, tenant) == manage, perm
        assert not user.has_perm(perm, other_tenant), perm


def test_places_an_organisation_without_a_provider_role_does_not_act_for_it(make_user, tenant, orgs, places):
    """Only partner and transition-manager assignments make someone a provider, also when tied to the org."""
    monitoring_of_org = make_user(role=MON, tenant=tenant, organisation=orgs["own"])
    assert not monitoring_of_org.has_perm("places.view_learningplace", places["own_pending"])
    assert not monitoring_of_org.has_perm("places.change_offer", places["own_offer"])
    untied_partner = make_user(role=PARTNER, tenant=tenant)
    assert not untied_partner.has_perm("places.add_learningplace", tenant)
    assert not untied_partner.has_perm("places.view_learningplace", places["own_pending"])
    assert not untied_partner.has_perm("places.view_learningplace", None)
    # An entry without operator belongs to no provider, also not to one whose role has no organisation.
    orphan = _place(tenant, None, "pending")
    assert not untied_partner.has_perm("places.view_learningplace", orphan)
    assert not untied_partner.has_perm("places.change_learningplace", orphan)
    # A provider of the foreign tenant adds nothing here, and only its own entries there.
    foreign_partner = make_user(role=PARTNER, tenant=places["foreign_pending"].tenant, organisation=orgs["foreign"])
    assert not foreign_partner.has_perm("places.add_offer", tenant)
    assert foreign_partner.has_perm("places.change_learningplace", places["foreign_pending"])
    assert not foreign_partner.has_perm("places.change_learningplace", places["own_pending"])


def test_places_provider_entries_and_review_queue_per_tenant(users, places, tenant, other_tenant, orgs):
    from bildungskette.places.selectors import operator_choices, provider_organisation_ids, review_queue_count

    assert provider_organisation_ids(users[PARTNER], tenant) == {orgs["own"].pk}
    assert provider_organisation_ids(users[TM], tenant) == {orgs["own"].pk}
    assert provider_organisation_ids(users[COORD], tenant) == set()
    assert provider_organisation_ids(users[PARTNER], other_tenant) == set()
    assert set(operator_choices(users[PARTNER], tenant, whole_tenant=False)) == {orgs["own"]}
    whole = set(operator_choices(users[COORD], tenant, whole_tenant=True))
    assert {orgs["own"], orgs["neighbour"]} <= whole and orgs["foreign"] not in whole
    # Two pending places and two pending offers in the own tenant; the foreign pending place is not counted.
    assert review_queue_count(tenant) == 4
    assert review_queue_count(other_tenant) == 1


def test_places_review_queue_counts_open_proposals_pending_places_and_offers(users, places, tenant, other_tenant):
    from bildungskette.places.models import ChangeProposal
    from bildungskette.places.selectors import review_queue, review_queue_count

    for status in ("open", "open", "approved", "rejected"):
        ChangeProposal.objects.create(tenant=tenant, place=places["published"], changes={"name": "Neu"},
                                      status=status, submitted_by=users[PARTNER])
    ChangeProposal.objects.create(tenant=other_tenant, place=places["foreign_pending"], changes={"name": "Neu"},
                                  submitted_by=users[PARTNER])
    # 2 open proposals + 2 pending places + 2 pending offers; the decided ones and Bochum's are not counted.
    assert review_queue_count(tenant) == 6
    assert review_queue_count(other_tenant) == 2  # 1 open proposal + 1 pending place
    assert [p.status for p in review_queue(tenant)["proposals"]] == ["open", "open"]


def test_places_entries_a_user_created_count_as_theirs(users, places, tenant, other_tenant, orgs):
    """An account without organisation maintains what it created in this tenant (from the audit log)."""
    from bildungskette.core.models import AuditEntry
    from bildungskette.places.models import Offer
    from bildungskette.places.selectors import provider_entries

    withdrawn = _place(tenant, orgs["neighbour"], "withdrawn")
    monitoring, create = users[MON], AuditEntry.Action.CREATE

    def log(obj, *, actor=monitoring, action=create, tenant_=tenant, label=None, object_id=None):
        AuditEntry.objects.create(tenant=tenant_, actor=actor, action=action,
                                  model_label=label or f"places.{type(obj).__name__}",
                                  object_id=str(obj.pk) if object_id is None else object_id)

    log(places["neighbour_pending"])
    log(places["neighbour_offer"])
    log(withdrawn)  # created, but withdrawn since
    log(places["published"], action=AuditEntry.Action.UPDATE)  # only changed it
    log(places["published"], actor=users[COORD])  # someone else created it
    log(places["published"], tenant_=other_tenant)  # recorded in another tenant
    log(places["published"], label="places.Offer")  # an offer with the same number
    log(places["published"], object_id="")  # an entry without number is skipped
    foreign_offer = Offer.objects.create(tenant=other_tenant, title="Bochumer Kurs", provider=orgs["foreign"],
                                         status="pending")
    log(foreign_offer)  # a number that names another tenant's offer
    log(places["foreign_pending"])  # … or place
    entries = provider_entries(monitoring, tenant)
    assert set(entries["places"]) == {places["neighbour_pending"]}
    assert set(entries["offers"]) == {places["neighbour_offer"]}
    assert set(provider_entries(monitoring, other_tenant)["places"]) == set()
    assert set(provider_entries(users[COORD], tenant)["places"]) == {places["published"]}


def test_places_pending_offers_of_the_review_queue_and_withdrawn_offers(users, places, tenant, other_tenant, orgs):
    import datetime

    from django.utils import timezone

    from bildungskette.places.models import Offer
    from bildungskette.places.selectors import provider_entries, review_queue, review_queue_count

    Offer.objects.create(tenant=tenant, title="Veröffentlicht", provider=orgs["neighbour"], status="published")
    Offer.objects.create(tenant=other_tenant, title="Bochumer Kurs", provider=orgs["foreign"], status="pending")
    withdrawn = Offer.objects.create(tenant=tenant, title="Zurückgezogen", provider=orgs["own"], status="withdrawn")
    assert set(review_queue(tenant)["pending_offers"]) == {places["own_offer"], places["neighbour_offer"]}
    assert review_queue_count(tenant) == 4  # 2 pending places + 2 pending offers
    entries = provider_entries(users[PARTNER], tenant)
    assert set(entries["offers"]) == {places["own_offer"]} and withdrawn not in set(entries["offers"])
    # Confirmation is due for entries not confirmed within a year.
    assert entries["due"] == timezone.localdate() - datetime.timedelta(days=365)


def test_places_an_offer_keeps_its_current_place_among_the_choices(users, places, tenant, orgs):
    from bildungskette.places.models import Offer
    from bildungskette.places.selectors import offer_place_choices

    offer = Offer.objects.create(tenant=tenant, title="Kurs in Bochum", provider=orgs["own"], status="published",
                                 place=places["foreign_pending"])
    choices = set(offer_place_choices(users[PARTNER], tenant, offer))
    assert places["foreign_pending"] in choices  # not choosable otherwise, but it is where the offer is now
    assert {places["published"], places["own_pending"], places["neighbour_pending"]} <= choices
    assert places["foreign_pending"] not in set(offer_place_choices(users[PARTNER], tenant))


def test_places_coordination_acting_for_a_shared_organisation_keeps_it_among_the_operators(make_user, tenant, orgs):
    from bildungskette.core.services import role_assign
    from bildungskette.places.selectors import operator_choices

    shared = Organisation.objects.create(tenant=None, name="Berufskolleg (Landesliste)", type=OrganisationType.SCHULE)
    user = make_user(role=COORD, tenant=tenant)
    role_assign(user=user, tenant=tenant, role=PARTNER, organisation=shared)
    choices = set(operator_choices(user, tenant, whole_tenant=True))
    assert {shared, orgs["own"], orgs["neighbour"]} <= choices and orgs["foreign"] not in choices


# ----------------------------------------------------------------------------- monitoring


def _indicator(code, tenant=None, visibility="public"):
    from bildungskette.monitoring.models import Indicator

    return Indicator.objects.create(code=code, name=code, numerator="a", tenant=tenant, visibility=visibility)


@pytest.mark.parametrize("role", ROLES, ids=[r or "public" for r in ROLES])
def test_monitoring_permissions_per_role_own_and_foreign(role, users, tenant, other_tenant):
    user = users[role]
    own, builtin, foreign = _indicator("own-x", tenant), _indicator("builtin-x"), _indicator("foreign-x", other_tenant)
    steer = role in {MON, ADMIN}
    for perm in ("monitoring.add_indicator", "monitoring.import_values"):
        assert user.has_perm(perm, tenant) == steer, perm
        assert not user.has_perm(perm, other_tenant), perm
    assert user.has_perm("monitoring.change_indicator", own) == steer
    assert not user.has_perm("monitoring.change_indicator", builtin)
    assert not user.has_perm("monitoring.change_indicator", foreign)
    assert not user.has_perm("monitoring.change_indicator", None)
    assert not user.has_perm("monitoring.change_indicator", tenant)  # a tenant is no indicator


def test_monitoring_own_indicator_is_none_for_no_indicator():
    from bildungskette.monitoring.rules import is_own_indicator

    anonymous = AnonymousUser()
    assert is_own_indicator(anonymous, None) is False
    assert is_own_indicator(anonymous, object()) is False  # no tenant_id at all


def test_monitoring_own_indicator_needs_a_tenant(tenant):
    from bildungskette.monitoring.rules import is_own_indicator

    assert is_own_indicator(AnonymousUser(), _indicator("own-v", tenant)) is True
    assert is_own_indicator(AnonymousUser(), _indicator("builtin-v")) is False


def test_monitoring_only_the_superuser_changes_built_in_indicators(make_user, tenant):
    admin = make_user()
    admin.is_superuser = True
    admin.save()
    assert admin.has_perm("monitoring.change_indicator", _indicator("builtin-y"))
    assert admin.has_perm("monitoring.change_indicator", _indicator("own-y", tenant))


def test_monitoring_indicators_sources_and_statistics_visible_per_tenant(users, make_user, tenant, other_tenant):
    from bildungskette.monitoring.models import Source, Statistic
    from bildungskette.monitoring.selectors import indicators_visible_to, sources_visible_to, statistics_visible_to

    public, internal = _indicator("pub-z"), _indicator("int-z", visibility="internal")
    own, foreign = _indicator("own-z", tenant, "internal"), _indicator("foreign-z", other_tenant, "public")
    mine = {public, internal, own, foreign}

    def seen(user, t):
        return set(indicators_visible_to(user, t)) & mine

    assert seen(users[None], tenant) == {public}
    assert seen(users[PARTNER], tenant) == {public, internal, own}
    assert seen(users[PARTNER], other_tenant) == {public}  # no role there
    assert seen(users[MON], None) == {public}
    assert seen(None, tenant) == {public}
    superuser = make_user()
    superuser.is_superuser = True
    assert seen(superuser, other_tenant) == {public, internal, foreign}

    def source(code, t):
        return Source.objects.create(code=code, publisher="Statistik", title=code, attribution="Quelle", tenant=t)

    shared, own_src, foreign_src = source("s-shared", None), source("s-own", tenant), source("s-foreign", other_tenant)
    srcs = {shared, own_src, foreign_src}
    assert set(sources_visible_to(tenant)) & srcs == {shared, own_src}
    assert set(sources_visible_to(None)) & srcs == {shared}
    stats = {Statistic.objects.create(code=f"st-{s.code}", name=s.code, source=s) for s in srcs}
    loose = Statistic.objects.create(code="st-loose", name="ohne Quelle")
    stats.add(loose)
    names = {s.name for s in statistics_visible_to(tenant) if s in stats}
    assert names == {"s-shared", "s-own", "ohne Quelle"}
    assert {s.name for s in statistics_visible_to(None) if s in stats} == {"s-shared", "ohne Quelle"}


# ----------------------------------------------------------------------------- reports


@pytest.fixture
def reports(tenant, other_tenant):
    from bildungskette.regions.models import Region
    from bildungskette.reports.models import Report, ReportVersion

    region = Region.objects.filter(tenant__isnull=True).order_by("code").first()
    draft = Report.objects.create(tenant=tenant, slug="entwurf", title="Entwurf", region=region)
    published = Report.objects.create(tenant=tenant, slug="bericht-2025", title="Bericht 2025", region=region)
    ReportVersion.objects.create(report=published, number=1, snapshot={})
    foreign = Report.objects.create(tenant=other_tenant, slug="bochum", title="Bochum", region=region)
    return {"draft": draft, "published": published, "foreign": foreign}


@pytest.mark.parametrize("role", ROLES, ids=[r or "public" for r in ROLES])
def test_reports_permissions_per_role_own_and_foreign(role, users, reports, tenant, other_tenant):
    from bildungskette.reports.selectors import can_edit_reports

    user = users[role]
    authors = {COORD, MON}
    assert user.has_perm("reports.add_report", tenant) == (role in authors)
    assert not user.has_perm("reports.add_report", other_tenant)
    assert user.has_perm("reports.change_report", reports["draft"]) == (role in authors)
    assert not user.has_perm("reports.change_report", reports["foreign"])
    assert user.has_perm("reports.approve_report", reports["draft"]) == (role == COORD)
    assert not user.has_perm("reports.approve_report", reports["foreign"])
    assert user.has_perm("reports.view_report", reports["published"])
    assert user.has_perm("reports.view_report", reports["draft"]) == (role in authors)
    assert not user.has_perm("reports.view_report", reports["foreign"])
    assert not user.has_perm("reports.view_report", None)
    assert can_edit_reports(user, tenant) == (role in STAFF)
    assert not can_edit_reports(user, other_tenant)
    assert not can_edit_reports(user, None)


def test_reports_of_tenant_are_its_own_only(reports, tenant, other_tenant):
    from bildungskette.reports.selectors import reports_of_tenant

    assert set(reports_of_tenant(tenant)) == {reports["draft"], reports["published"]}
    assert set(reports_of_tenant(other_tenant)) == {reports["foreign"]}
    assert list(reports_of_tenant(None)) == []


# ----------------------------------------------------------------------------- regions, passung


@pytest.fixture
def districts(tenant, other_tenant):
    from bildungskette.regions.models import Region

    official = Region.objects.filter(tenant__isnull=True).order_by("code").first()
    return {
        "official": official,
        "own": Region.objects.create(code="kassel-st-wesertor", name="Wesertor", kind="stadtteil", tenant=tenant),
        "foreign": Region.objects.create(code="bochum-st-mitte", name="Mitte", kind="stadtteil", tenant=other_tenant),
    }


@pytest.mark.parametrize("role", ROLES, ids=[r or "public" for r in ROLES])
def test_regions_and_passung_permissions_per_role(role, users, districts, tenant, other_tenant):
    user = users[role]
    assert user.has_perm("regions.view_region", districts["official"])
    assert user.has_perm("regions.view_region", None)  # the list of (official) regions
    assert user.has_perm("regions.view_region", districts["own"]) == (role is not None)
    assert not user.has_perm("regions.view_region", districts["foreign"])
    assert user.has_perm("regions.upload_stadtteile", tenant) == (role in STAFF)
    assert not user.has_perm("regions.upload_stadtteile", other_tenant)
    assert user.has_perm("regions.change_region", districts["own"]) == (role in STAFF)
    assert not user.has_perm("regions.change_region", districts["official"])
    assert not user.has_perm("regions.change_region", districts["foreign"])
    assert user.has_perm("passung.view", tenant) == (role in STAFF)
    assert user.has_perm("passung.change", tenant) == (role in {COORD, ADMIN})
    assert not user.has_perm("passung.view", other_tenant)
    assert not user.has_perm("passung.change", other_tenant)


def test_regions_visible_official_and_own_only(districts, tenant, other_tenant):
    from bildungskette.regions.models import Region, TenantArea
    from bildungskette.regions.selectors import regions_visible_to, tenant_regions

    mine = set(districts.values())
    assert set(regions_visible_to(tenant)) & mine == {districts["official"], districts["own"]}
    assert set(regions_visible_to(None)) & mine == {districts["official"]}
    kreise = list(Region.objects.filter(tenant__isnull=True, kind="kreis").order_by("code")[:3])
    TenantArea.objects.filter(tenant=tenant).delete()
    TenantArea.objects.create(tenant=tenant, region=kreise[1], is_primary=False)
    TenantArea.objects.create(tenant=tenant, region=kreise[0], is_primary=False)
    TenantArea.objects.create(tenant=tenant, region=kreise[2], is_primary=True)
    assert tenant_regions(tenant) == [kreise[2], kreise[0], kreise[1]]  # the primary area first, then by code
    assert kreise[1] not in tenant_regions(other_tenant)


# ----------------------------------------------------------------------------- core: roles of an account


def test_roles_and_organisations_of_an_account_per_tenant(make_user, tenant, other_tenant, orgs):
    from bildungskette.core.selectors import user_organisation_ids, user_role_assignments, user_roles, user_tenants

    user = make_user(role=PARTNER, tenant=tenant, organisation=orgs["own"])
    from bildungskette.core.services import role_assign

    role_assign(user=user, tenant=tenant, role=TM, organisation=orgs["neighbour"])
    role_assign(user=user, tenant=tenant, role=MON)
    assert user_roles(user, tenant) == {PARTNER, TM, MON}
    assert user_roles(user, other_tenant) == set()
    assert user_roles(user, None) == set()
    assert user_roles(AnonymousUser(), tenant) == set()
    assert user_role_assignments(AnonymousUser(), tenant) == []
    assert user_organisation_ids(user, tenant) == {orgs["own"].pk, orgs["neighbour"].pk}
    assert user_organisation_ids(user, tenant, role=PARTNER) == {orgs["own"].pk}
    assert user_organisation_ids(user, tenant, role=TM) == {orgs["neighbour"].pk}
    assert user_organisation_ids(user, other_tenant) == set()
    assert user_tenants(user) == [tenant]
    assert user_tenants(AnonymousUser()) == []
    superuser = make_user()
    superuser.is_superuser = True
    assert set(user_tenants(superuser)) >= {tenant, other_tenant}


def test_places_what_a_provider_maintains_and_may_attach_offers_to(users, places, tenant, other_tenant, orgs):
    from bildungskette.places.selectors import offer_place_choices, provider_entries, review_queue

    withdrawn = _place(tenant, orgs["own"], "withdrawn")
    entries = provider_entries(users[PARTNER], tenant)
    assert set(entries["places"]) == {places["own_pending"]}
    assert withdrawn not in set(entries["places"])
    assert set(entries["offers"]) == {places["own_offer"]}
    assert set(provider_entries(users[COORD], tenant)["places"]) == set()
    assert set(provider_entries(users[PARTNER], other_tenant)["places"]) == set()
    # Offers attach to the tenant's places and to published places the provider operates elsewhere.
    own_elsewhere = _place(other_tenant, orgs["own"], "published")
    own_elsewhere_pending = _place(other_tenant, orgs["own"], "pending")
    foreign_published = _place(other_tenant, orgs["foreign"], "published")
    choices = set(offer_place_choices(users[PARTNER], tenant))
    assert own_elsewhere in choices and places["neighbour_pending"] in choices
    assert own_elsewhere_pending not in choices and foreign_published not in choices
    assert places["foreign_pending"] not in choices
    assert own_elsewhere not in set(offer_place_choices(users[COORD], tenant))
    queue = review_queue(tenant)
    assert set(queue["pending_places"]) == {places["own_pending"], places["neighbour_pending"]}
    assert set(queue["pending_offers"]) == {places["own_offer"], places["neighbour_offer"]}
    assert set(review_queue(other_tenant)["pending_places"]) == {places["foreign_pending"], own_elsewhere_pending}
