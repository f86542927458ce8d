"""Reads: the goal tree with computed statuses, measures, coverage, overlaps, synergies, agreements."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Prefetch, Q, QuerySet

from bildungskette.core.selectors import user_organisation_ids, user_roles
from bildungskette.regions.models import Region, RegionKind
from bildungskette.regions.selectors import tenant_regions

from .indicator_data import SeriesData, goal_indicator_series
from .models import (
    EducationStage,
    FieldOfAction,
    FunderLevel,
    Goal,
    GoalAgreement,
    GoalAssessment,
    GoalIndicator,
    IndicatorObservation,
    Measure,
    OverlapDecision,
    PeriodStatus,
    Programme,
    StrategyPeriod,
    StrategyReview,
    TargetGroup,
)
from .overlap import DEFAULT_THRESHOLD, MeasureFacts, OverlapFlag, overlaps_find
from .progress import Contribution, Direction, Progress, Rollup, Target, progress_compute, progress_rollup

STAFF_ROLES = {"tenant_admin", "coordination", "monitoring"}


# --- who sees which goals -------------------------------------------------------------------

def network_available() -> bool:
    return apps.is_installed("bildungskette.network") and hasattr(Goal, "body")


def body_ids_of_organisations(tenant, organisation_ids: set[int]) -> set[int]:
    """Bodies in which one of the organisations is an active member (network app)."""
    if not organisation_ids or not network_available():
        return set()
    membership = apps.get_model("network", "Membership")
    today = datetime.date.today()
    return set(
        membership.objects.filter(tenant=tenant, organisation_id__in=organisation_ids)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .values_list("body_id", flat=True)
    )


def partner_body_ids(user, tenant) -> set[int]:
    cache = user.__dict__.setdefault("_strategy_body_cache", {})
    if tenant.id not in cache:
        cache[tenant.id] = body_ids_of_organisations(tenant, user_organisation_ids(user, tenant, role="partner"))
    return cache[tenant.id]


def goals_visible_to(user, tenant) -> QuerySet[Goal]:
    """Staff see all goals of the tenant; partners the goals owned by bodies their organisation is in."""
    qs = Goal.objects.filter(tenant=tenant)
    if tenant is None or not user.is_authenticated:
        return qs.none()
    if user.is_superuser or user_roles(user, tenant) & STAFF_ROLES:
        return qs
    if "partner" in user_roles(user, tenant) and network_available():
        return qs.filter(body_id__in=partner_body_ids(user, tenant))
    return qs.none()


def goal_ids_readable(user, tenant, forest: list[GoalNode]) -> set[int] | None:
    """Ids of the goals in ``forest`` the user may read (None = all): a body's goals and everything below."""
    if user.is_superuser or user_roles(user, tenant) & STAFF_ROLES:
        return None
    owned = set(goals_visible_to(user, tenant).values_list("id", flat=True))
    readable: set[int] = set()
    for root in forest:
        for node in root.walk():
            if node.goal.id in owned:
                readable |= {n.goal.id for n in node.walk()}
    return readable


def periods_for(tenant) -> QuerySet[StrategyPeriod]:
    return StrategyPeriod.objects.filter(tenant=tenant).order_by("-status", "-start_year")


def period_current(tenant) -> StrategyPeriod | None:
    qs = StrategyPeriod.objects.filter(tenant=tenant)
    return qs.filter(status=PeriodStatus.ACTIVE).order_by("-start_year").first() or qs.order_by("-start_year").first()


# --- goal tree with computed progress ---------------------------------------------------------

@dataclass
class IndicatorResult:
    goal_indicator: GoalIndicator
    series: SeriesData
    progress: Progress
    target: Target

    @property
    def is_synthetic(self) -> bool:
        return self.series.is_synthetic


@dataclass
class GoalNode:
    goal: Goal
    depth: int = 0
    children: list[GoalNode] = field(default_factory=list)
    indicators: list[IndicatorResult] = field(default_factory=list)
    progress: Progress | None = None
    assessment: GoalAssessment | None = None

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


def goal_indicator_target(gi: GoalIndicator) -> Target:
    return Target(
        baseline_year=gi.baseline_year, baseline_value=float(gi.baseline_value), target_year=gi.target_year,
        target_value=float(gi.target_value), direction=Direction(gi.direction),
        intermediate=tuple((t.year, float(t.value)) for t in gi.intermediate_targets.all()),
    )


def indicator_result(gi: GoalIndicator) -> IndicatorResult:
    series = goal_indicator_series(gi)
    target = goal_indicator_target(gi)
    return IndicatorResult(gi, series, progress_compute(series.points, target), target)


def _indicator_queryset():
    return GoalIndicator.objects.select_related("region", "indicator").prefetch_related(
        "intermediate_targets", Prefetch("observations", queryset=IndicatorObservation.objects.order_by("year"))
    )


def goal_forest(period: StrategyPeriod, *, goals: QuerySet[Goal] | None = None) -> list[GoalNode]:
    """The period's goals as a tree, each with its indicators' and its own rolled-up progress.

    A fixed number of queries whatever the size of the tree.
    """
    qs = goals if goals is not None else Goal.objects.filter(period=period)
    goal_list = list(qs.select_related("field_of_action").order_by("order", "code"))
    ids = {g.id for g in goal_list}
    indicators = defaultdict(list)
    for gi in _indicator_queryset().filter(goal_id__in=ids).order_by("order", "id"):
        indicators[gi.goal_id].append(gi)
    latest: dict[int, GoalAssessment] = {}
    for a in GoalAssessment.objects.filter(goal_id__in=ids).select_related("author").order_by("assessed_on", "id"):
        latest[a.goal_id] = a
    nodes = {g.id: GoalNode(goal=g, assessment=latest.get(g.id)) for g in goal_list}
    roots = []
    for g in goal_list:
        node = nodes[g.id]
        node.indicators = [indicator_result(gi) for gi in indicators[g.id]]
        if g.parent_id in nodes:
            nodes[g.parent_id].children.append(node)
        else:
            roots.append(node)
    for root in roots:
        _progress_fill(root, 0)
    return roots


def _progress_fill(node: GoalNode, depth: int) -> Progress:
    node.depth = depth
    contributions = [
        Contribution(f"Indikator „{r.goal_indicator.label}“", r.progress, float(r.goal_indicator.weight))
        for r in node.indicators
    ]
    for child in node.children:
        child_progress = _progress_fill(child, depth + 1)
        contributions.append(Contribution(f"Ziel {child.goal.code}", child_progress, float(child.goal.weight)))
    if len(contributions) == 1 and not node.children:
        single = node.indicators[0].progress
        node.progress = Progress(**{**single.__dict__, "explanation": list(single.explanation)})
    else:
        node.progress = progress_rollup(contributions, Rollup(node.goal.rollup))
    return node.progress


def goal_node(goal: Goal) -> GoalNode:
    """One goal with its subtree computed (and nothing else of the period)."""
    subtree_ids = {goal.id}
    frontier = {goal.id}
    while frontier:
        frontier = set(Goal.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - subtree_ids
        subtree_ids |= frontier
    roots = goal_forest(goal.period, goals=Goal.objects.filter(id__in=subtree_ids))
    for root in roots:
        if root.goal.id == goal.id:
            return root
    raise Goal.DoesNotExist


def goal_ancestors(goal: Goal) -> list[Goal]:
    chain, current = [], goal.parent
    while current is not None:
        chain.append(current)
        current = current.parent
    return list(reversed(chain))


def status_counts(forest: list[GoalNode]) -> Counter:
    return Counter(n.progress.status for root in forest for n in root.walk())


# --- measures ------------------------------------------------------------------------------

def measures_visible_to(user, tenant) -> QuerySet[Measure]:
    qs = Measure.objects.filter(tenant=tenant)
    if tenant is None or not user.is_authenticated:
        return qs.none()
    if user.is_superuser or user_roles(user, tenant) & STAFF_ROLES:
        return qs
    org_ids = user_organisation_ids(user, tenant)
    if org_ids:
        return qs.filter(Q(responsible_organisations__in=org_ids) | Q(schools__in=org_ids)).distinct()
    return qs.none()


def measures_in_region(qs: QuerySet[Measure], region_id: int) -> list[int]:
    """Ids of measures serving the region: an area inside it, an area containing it, or no area at all."""
    links = list(Measure.regions.through.objects.filter(measure__in=qs).values_list("measure_id", "region_id"))
    groups = dict(Region.members.through.objects.filter(from_region_id__in={r for _, r in links})
                  .values_list("from_region_id", "to_region_id"))
    members: dict[int, set[int]] = defaultdict(set)
    for group_id, member_id in Region.members.through.objects.filter(
            from_region_id__in=set(groups)).values_list("from_region_id", "to_region_id"):
        members[group_id].add(member_id)
    ids = {r for _, r in links} | {m for ms in members.values() for m in ms} | {region_id}
    paths = _region_paths(ids)
    target_path = paths.get(region_id, frozenset({region_id}))
    serving = set()
    for measure_id, rid in links:
        for area in members.get(rid) or {rid}:
            if region_id in paths.get(area, frozenset()) or area in target_path:
                serving.add(measure_id)
    with_area = {m for m, _ in links}
    return list(serving | set(qs.exclude(id__in=with_area).values_list("id", flat=True)))


def measure_list(qs: QuerySet[Measure], *, query: str = "", programme: str = "", target_group: str = "",
                 stage: str = "", status: str = "", funder_level: str = "", region: int | None = None
                 ) -> QuerySet[Measure]:
    if region:
        qs = qs.filter(id__in=measures_in_region(qs, region))
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(description__icontains=query))
    if programme:
        qs = qs.filter(programme_id=programme)
    if target_group:
        qs = qs.filter(target_groups__id=target_group)
    if stage:
        qs = qs.filter(id__in=[m.id for m in qs.only("id", "education_stages") if stage in m.education_stages])
    if status:
        qs = qs.filter(status=status)
    if funder_level:
        qs = qs.filter(programme__funder_level=funder_level)
    return qs.select_related("programme").prefetch_related("target_groups", "regions", "responsible_organisations")\
        .distinct().order_by("title")


def programmes_for(tenant) -> QuerySet[Programme]:
    return Programme.objects.filter(Q(tenant__isnull=True) | Q(tenant=tenant)).order_by("funder_level", "name")


def target_groups_for(tenant) -> QuerySet[TargetGroup]:
    return TargetGroup.objects.filter(Q(tenant__isnull=True) | Q(tenant=tenant)).order_by("order", "name")


def _region_paths(region_ids: set[int]) -> dict[int, frozenset[int]]:
    """For each region: its id and all ancestors' ids (a few queries, one per tree level)."""
    parent_of: dict[int, int | None] = {}
    todo = set(region_ids)
    while todo:
        rows = list(Region.objects.filter(id__in=todo).values_list("id", "parent_id"))
        for rid, pid in rows:
            parent_of[rid] = pid
        todo = {pid for _, pid in rows if pid is not None and pid not in parent_of}
    paths = {}
    for rid in region_ids:
        path, current = [], rid
        while current is not None and current not in path:
            path.append(current)
            current = parent_of.get(current)
        paths[rid] = frozenset(path)
    return paths


def measure_facts(measures: list[Measure]) -> list[MeasureFacts]:
    """Plain facts for the overlap finder; groups of areas (e.g. OloV-Region) count as their members."""
    region_ids: set[int] = set()
    group_members: dict[int, list[Region]] = {}
    for m in measures:
        for r in m.regions.all():
            if r.kind in (RegionKind.GROUP, RegionKind.AGENTURBEZIRK):
                group_members[r.id] = list(r.members.all())
                region_ids |= {x.id for x in group_members[r.id]}
            else:
                region_ids.add(r.id)
    paths = _region_paths(region_ids)
    facts = []
    for m in measures:
        areas = []
        for r in m.regions.all():
            for member in group_members.get(r.id, [r]):
                areas.append((member.id, member.name, paths.get(member.id, frozenset({member.id}))))
        facts.append(MeasureFacts(
            id=m.id, title=m.title, text=m.description,
            target_groups={g.id: g.name for g in m.target_groups.all()},
            areas=areas, start=m.start_date, end=m.end_date,
            organisations={o.id: str(o) for o in m.responsible_organisations.all()},
            goals={g.id: g.code for g in m.goals.all()},
            programme=str(m.programme) if m.programme else "",
            funder_level=m.programme.funder_level if m.programme else "",
        ))
    return facts


def _measures_for_analysis(tenant) -> list[Measure]:
    return list(
        Measure.objects.filter(tenant=tenant).exclude(status="stopped").select_related("programme")
        .prefetch_related("target_groups", "regions", "regions__members", "responsible_organisations", "goals",
                          "goals__parent")
        .order_by("id")
    )


@dataclass
class OverlapRow:
    flag: OverlapFlag
    decision: OverlapDecision | None
    measure_a: Measure
    measure_b: Measure


def overlap_rows(tenant, *, threshold: float = DEFAULT_THRESHOLD, include_decided: bool = True) -> list[OverlapRow]:
    measures = _measures_for_analysis(tenant)
    by_id = {m.id: m for m in measures}
    flags = overlaps_find(measure_facts(measures), threshold=threshold)
    decisions = {(d.measure_a_id, d.measure_b_id): d
                 for d in OverlapDecision.objects.filter(tenant=tenant).select_related("decided_by")}
    rows = []
    for flag in flags:
        a_id, b_id = flag.key
        decision = decisions.get((a_id, b_id))
        if decision is not None and not include_decided:
            continue
        rows.append(OverlapRow(flag, decision, by_id[a_id], by_id[b_id]))
    return rows


# --- coverage matrix ------------------------------------------------------------------------

@dataclass
class CoverageCell:
    measures: list[Measure]

    @property
    def count(self) -> int:
        return len(self.measures)


@dataclass
class CoverageMatrix:
    rows: list[tuple[str, str]]      # (key, label)
    columns: list[tuple[str, str]]
    cells: dict[tuple[str, str], CoverageCell]
    pile_up: int
    column_title: str

    def row_cells(self):
        for key, label in self.rows:
            yield label, [(col_label, self.cells[(key, col)]) for col, col_label in self.columns]

    @property
    def gaps(self) -> int:
        return sum(1 for c in self.cells.values() if c.count == 0)

    @property
    def piles(self) -> int:
        return sum(1 for c in self.cells.values() if c.count >= self.pile_up)


COVERAGE_DIMENSIONS = {
    "field": "Handlungsfeld",
    "region": "Gebiet / Stadtteil",
    "stage": "Bildungsphase",
}


def coverage_matrix(tenant, *, period: StrategyPeriod | None, columns: str = "field", region_id: int | None = None,
                    stage: str = "", pile_up: int = 3) -> CoverageMatrix:
    """Target group × (field of action | area | education stage): how many measures in each cell."""
    measures = _measures_for_analysis(tenant)
    if stage:
        measures = [m for m in measures if stage in m.education_stages]
    if region_id:
        paths = None
        ids = set()
        for m in measures:
            for r in m.regions.all():
                ids |= {x.id for x in r.members.all()} | {r.id}
        paths = _region_paths(ids | {region_id})
        target_path = paths.get(region_id, frozenset({region_id}))
        kept = []
        for m in measures:
            m_ids = {x.id for r in m.regions.all() for x in ([*r.members.all()] or [r])}
            if not m_ids or any(region_id in paths.get(i, frozenset()) or i in target_path for i in m_ids):
                kept.append(m)
        measures = kept
    groups = list(target_groups_for(tenant))
    rows = [(str(g.id), g.name) for g in groups]
    col_of: dict[int, list[str]] = {}
    if columns == "region":
        areas: dict[str, str] = {}
        for m in measures:
            keys = []
            for r in m.regions.all():
                areas[str(r.id)] = r.name
                keys.append(str(r.id))
            if not keys:
                areas["all"] = "gesamtes Gebiet"
                keys = ["all"]
            col_of[m.id] = keys
        cols = sorted(areas.items(), key=lambda kv: (kv[0] == "all", kv[1]))
    elif columns == "stage":
        cols = [(value, str(label)) for value, label in EducationStage.choices]
        for m in measures:
            col_of[m.id] = list(m.education_stages)
    else:
        fields = list(FieldOfAction.objects.filter(period=period).order_by("order", "code")) if period else []
        cols = [(str(f.id), str(f)) for f in fields] + [("none", "ohne Handlungsfeld")]
        field_ids = {str(f.id) for f in fields}
        for m in measures:
            keys = sorted({str(g.field_of_action_id) for g in m.goals.all() if str(g.field_of_action_id) in field_ids})
            if not keys:
                # Goals of an operational level inherit the field of their parent.
                inherited = {str(_field_via_parent(g)) for g in m.goals.all()}
                keys = sorted(inherited & field_ids)
            col_of[m.id] = keys or ["none"]
    cells = {(r, c): CoverageCell([]) for r, _ in rows for c, _ in cols}
    for m in measures:
        for g in m.target_groups.all():
            for c in col_of.get(m.id, []):
                if (str(g.id), c) in cells:
                    cells[(str(g.id), c)].measures.append(m)
    if columns == "field" and all(not cells[(r, "none")].measures for r, _ in rows):
        cols = [c for c in cols if c[0] != "none"]
        cells = {k: v for k, v in cells.items() if k[1] != "none"}
    return CoverageMatrix(rows=rows, columns=cols, cells=cells, pile_up=pile_up,
                          column_title=COVERAGE_DIMENSIONS.get(columns, columns))


def landscape_regions(tenant) -> list[Region]:
    """Areas the tenant's measures name (and the Kreise/Stadtteile above them), for the region filter."""
    ids = set(Measure.regions.through.objects.filter(measure__tenant=tenant).values_list("region_id", flat=True))
    for area in tenant_regions(tenant):
        ids |= {area.id} | set(area.members.values_list("id", flat=True))
    paths = _region_paths(ids)
    wanted = set().union(*paths.values()) if paths else set()
    return list(Region.objects.filter(id__in=wanted).exclude(kind__in=[RegionKind.BUND, RegionKind.LAND,
                                                                        RegionKind.REGIERUNGSBEZIRK])
                .defer("boundary").order_by("code"))


def _field_via_parent(goal: Goal):
    current, seen = goal, 0
    while current is not None and seen < 10:
        if current.field_of_action_id:
            return current.field_of_action_id
        current = current.parent
        seen += 1
    return None


# --- synergies between Land and Bund programmes -----------------------------------------------

@dataclass
class SynergyHint:
    land: Programme
    bund: Programme
    goals: list[Goal]
    organisations: list[str]
    land_measures: list[Measure]
    bund_measures: list[Measure]


def synergy_hints(tenant) -> list[SynergyHint]:
    """Land and Bund programmes whose measures serve the same goals with the same actors."""
    measures = [m for m in _measures_for_analysis(tenant) if m.programme_id]
    land = [m for m in measures if m.programme.funder_level == FunderLevel.LAND]
    bund = [m for m in measures if m.programme.funder_level in (FunderLevel.BUND, FunderLevel.EU)]
    pairs: dict[tuple[int, int], SynergyHint] = {}
    for lm in land:
        l_goals = {g.id: g for g in lm.goals.all()}
        l_orgs = {o.id: str(o) for o in lm.responsible_organisations.all()}
        for bm in bund:
            shared_goals = [l_goals[g.id] for g in bm.goals.all() if g.id in l_goals]
            shared_orgs = [l_orgs[o.id] for o in bm.responsible_organisations.all() if o.id in l_orgs]
            if not shared_goals or not shared_orgs:
                continue
            key = (lm.programme_id, bm.programme_id)
            hint = pairs.setdefault(key, SynergyHint(lm.programme, bm.programme, [], [], [], []))
            for g in shared_goals:
                if g not in hint.goals:
                    hint.goals.append(g)
            for o in shared_orgs:
                if o not in hint.organisations:
                    hint.organisations.append(o)
            if lm not in hint.land_measures:
                hint.land_measures.append(lm)
            if bm not in hint.bund_measures:
                hint.bund_measures.append(bm)
    hints = list(pairs.values())
    for h in hints:
        h.goals.sort(key=lambda g: g.code)
        h.organisations.sort()
    hints.sort(key=lambda h: (-len(h.goals) * len(h.organisations), str(h.land), str(h.bund)))
    return hints


# --- agreements and reviews ----------------------------------------------------------------

def agreements_for(tenant) -> QuerySet[GoalAgreement]:
    return GoalAgreement.objects.filter(tenant=tenant).select_related("period").prefetch_related(
        "parties__organisation").order_by("-start_date")


def agreement_goal_nodes(agreement: GoalAgreement) -> list[GoalNode]:
    """The agreed goals, each with its computed progress (subtrees included for roll-up)."""
    goals = list(agreement.goals.all().select_related("period"))
    if not goals:
        return []
    forest = goal_forest(goals[0].period) if len({g.period_id for g in goals}) == 1 else []
    index = {n.goal.id: n for root in forest for n in root.walk()}
    result = []
    for g in sorted(goals, key=lambda g: (g.order, g.code)):
        result.append(index.get(g.id) or goal_node(g))
    return result


def reviews_for(tenant) -> QuerySet[StrategyReview]:
    return StrategyReview.objects.filter(tenant=tenant).select_related("period").order_by("-held_on")


def review_goal_sequence(review: StrategyReview) -> list[GoalNode]:
    """The goals of the review's strategy in the order the session walks through them (depth-first)."""
    return [n for root in goal_forest(review.period) for n in root.walk()]


def review_assessments(review: StrategyReview) -> dict[int, GoalAssessment]:
    return {a.goal_id: a for a in review.assessments.select_related("author")}


def goal_status_rows(tenant) -> tuple[StrategyPeriod | None, list[dict]]:
    """The current strategy period's goals with their computed status, for reports (depth-first)."""
    period = period_current(tenant)
    if period is None:
        return None, []
    rows = []
    for root in goal_forest(period):
        for node in root.walk():
            rows.append({
                "key": node.goal.code or str(node.goal.pk),
                "code": node.goal.code,
                "label": node.goal.title,
                "depth": node.depth,
                "status": str(node.progress.status),
                "status_label": node.progress.label,
                "symbol": node.progress.symbol,
                "synthetic": any(r.is_synthetic for r in node.indicators),
            })
    return period, rows
