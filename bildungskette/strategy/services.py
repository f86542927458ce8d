"""Writes: every change of strategy data goes through these functions (one transaction each)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import (
    AgreementParty,
    FieldOfAction,
    Goal,
    GoalAgreement,
    GoalAssessment,
    GoalIndicator,
    IndicatorObservation,
    IntermediateTarget,
    Measure,
    MeasureMilestone,
    MeasureOutput,
    OverlapDecision,
    PeriodStatus,
    Programme,
    ReviewDecision,
    ReviewDecisionKind,
    ReviewStatus,
    StrategyPeriod,
    StrategyReview,
    TargetGroup,
)


def _writable(period: StrategyPeriod) -> None:
    if period.status == PeriodStatus.ARCHIVED:
        raise ValidationError(
            f"Die Strategie „{period.name}“ ist abgeschlossen und bleibt unverändert lesbar. "
            "Änderungen gehören in die Nachfolgestrategie."
        )


def _set_m2m(obj, **relations) -> None:
    for name, values in relations.items():
        if values is not None:
            getattr(obj, name).set(values)


# --- periods, fields of action, goals ------------------------------------------------------------

def period_create(*, tenant, name: str, start_year: int, end_year: int, **fields) -> StrategyPeriod:
    if end_year < start_year:
        raise ValidationError("Das Endjahr liegt vor dem Anfangsjahr.")
    return StrategyPeriod.objects.create(tenant=tenant, name=name, start_year=start_year, end_year=end_year,
                                         **fields)


@transaction.atomic
def period_successor_create(*, period: StrategyPeriod, name: str, start_year: int, end_year: int) -> StrategyPeriod:
    """Carry a strategy into a new period: fields, goals and indicators are copied (each copy knows
    its earlier version), the old strategy is archived and stays readable as it was."""
    successor = period_create(tenant=period.tenant, name=name, start_year=start_year, end_year=end_year,
                              leitziel=period.leitziel, description=period.description, predecessor=period,
                              status=PeriodStatus.ACTIVE, is_demo=period.is_demo)
    fields = {}
    for f in period.fields_of_action.all():
        fields[f.id] = FieldOfAction.objects.create(tenant=f.tenant, period=successor, code=f.code, name=f.name,
                                                    description=f.description, is_focus=f.is_focus, order=f.order)
    copies: dict[int, Goal] = {}
    pending = list(period.goals.order_by("id"))
    # Parents first: repeat until every goal whose parent is copied has been copied.
    while pending:
        rest = []
        for g in pending:
            if g.parent_id and g.parent_id not in copies:
                rest.append(g)
                continue
            copy = Goal.objects.create(
                tenant=g.tenant, period=successor, field_of_action=fields.get(g.field_of_action_id),
                parent=copies.get(g.parent_id), level=g.level, code=g.code, title=g.title,
                description=g.description, rollup=g.rollup, weight=g.weight, previous_version=g,
                is_demo=g.is_demo, order=g.order, **_body_fields(g),
            )
            copy.responsible_organisations.set(g.responsible_organisations.all())
            for gi in g.indicators.all():
                new = GoalIndicator.objects.create(
                    tenant=gi.tenant, goal=copy, label=gi.label, region=gi.region, unit=gi.unit,
                    direction=gi.direction, baseline_year=gi.baseline_year, baseline_value=gi.baseline_value,
                    target_year=gi.target_year, target_value=gi.target_value, weight=gi.weight,
                    source_note=gi.source_note, order=gi.order, **_indicator_fields(gi),
                )
                for interim in gi.intermediate_targets.all():
                    IntermediateTarget.objects.create(tenant=interim.tenant, goal_indicator=new, year=interim.year,
                                                      value=interim.value)
                for obs in gi.observations.all():
                    IndicatorObservation.objects.create(tenant=obs.tenant, goal_indicator=new, year=obs.year,
                                                        value=obs.value, source=obs.source,
                                                        is_synthetic=obs.is_synthetic)
            copies[g.id] = copy
        if len(rest) == len(pending):
            break
        pending = rest
    period.status = PeriodStatus.ARCHIVED
    period.save(update_fields=["status"])
    return successor


def _body_fields(goal: Goal) -> dict:
    return {"body_id": goal.body_id} if hasattr(goal, "body_id") else {}


def _indicator_fields(gi: GoalIndicator) -> dict:
    return {"indicator_id": gi.indicator_id} if hasattr(gi, "indicator_id") else {}


def field_of_action_create(*, period: StrategyPeriod, name: str, **fields) -> FieldOfAction:
    _writable(period)
    return FieldOfAction.objects.create(tenant=period.tenant, period=period, name=name, **fields)


def goal_create(*, period: StrategyPeriod, code: str, title: str, responsible_organisations=None,
                **fields) -> Goal:
    _writable(period)
    parent = fields.get("parent")
    if parent is not None and parent.period_id != period.id:
        raise ValidationError("Das übergeordnete Ziel gehört zu einer anderen Strategie.")
    if Goal.objects.filter(period=period, code=code).exists():
        raise ValidationError(f"Die Nummer {code} ist in dieser Strategie schon vergeben.")
    with transaction.atomic():
        goal = Goal.objects.create(tenant=period.tenant, period=period, code=code, title=title, **fields)
        _set_m2m(goal, responsible_organisations=responsible_organisations)
    return goal


def goal_update(*, goal: Goal, responsible_organisations=None, **fields) -> Goal:
    _writable(goal.period)
    parent = fields.get("parent")
    if parent is not None:
        current = parent
        while current is not None:
            if current.pk == goal.pk:
                raise ValidationError("Ein Ziel kann nicht unter sich selbst oder einem seiner Unterziele stehen.")
            current = current.parent
    with transaction.atomic():
        for name, value in fields.items():
            setattr(goal, name, value)
        goal.full_clean(exclude=["tenant", "period", "responsible_organisations"])
        goal.save()
        _set_m2m(goal, responsible_organisations=responsible_organisations)
    return goal


@transaction.atomic
def goal_indicator_create(*, goal: Goal, label: str, baseline_year: int, baseline_value, target_year: int,
                          target_value, intermediate_targets: dict[int, object] | None = None,
                          observations: list[tuple[int, object, str, bool]] | None = None,
                          **fields) -> GoalIndicator:
    """Link an indicator to a goal with its baseline, target and optional intermediate targets."""
    _writable(goal.period)
    if int(target_year) <= int(baseline_year):
        raise ValidationError("Das Zieljahr muss nach dem Ausgangsjahr liegen.")
    gi = GoalIndicator.objects.create(
        tenant=goal.tenant, goal=goal, label=label, baseline_year=baseline_year,
        baseline_value=Decimal(str(baseline_value)), target_year=target_year,
        target_value=Decimal(str(target_value)), **fields,
    )
    intermediate_targets_set(goal_indicator=gi, targets=intermediate_targets or {})
    for year, value, source, synthetic in observations or []:
        observation_record(goal_indicator=gi, year=year, value=value, source=source, is_synthetic=synthetic)
    return gi


def goal_indicator_update(*, goal_indicator: GoalIndicator, intermediate_targets: dict | None = None,
                          **fields) -> GoalIndicator:
    _writable(goal_indicator.goal.period)
    with transaction.atomic():
        for name, value in fields.items():
            setattr(goal_indicator, name, value)
        if int(goal_indicator.target_year) <= int(goal_indicator.baseline_year):
            raise ValidationError("Das Zieljahr muss nach dem Ausgangsjahr liegen.")
        goal_indicator.save()
        if intermediate_targets is not None:
            intermediate_targets_set(goal_indicator=goal_indicator, targets=intermediate_targets)
    return goal_indicator


def intermediate_targets_set(*, goal_indicator: GoalIndicator, targets: dict[int, object]) -> None:
    for year in targets:
        if not goal_indicator.baseline_year < int(year) < goal_indicator.target_year:
            raise ValidationError(f"Das Zwischenziel {year} muss zwischen Ausgangs- und Zieljahr liegen.")
    goal_indicator.intermediate_targets.exclude(year__in=[int(y) for y in targets]).delete()
    for year, value in targets.items():
        IntermediateTarget.objects.update_or_create(
            goal_indicator=goal_indicator, year=int(year),
            defaults={"tenant": goal_indicator.tenant, "value": Decimal(str(value))},
        )


def observation_record(*, goal_indicator: GoalIndicator, year: int, value, source: str,
                       is_synthetic: bool = False) -> IndicatorObservation:
    if not source.strip():
        raise ValidationError("Jeder eigene Wert braucht eine Quelle.")
    obs, _ = IndicatorObservation.objects.update_or_create(
        goal_indicator=goal_indicator, year=year,
        defaults={"tenant": goal_indicator.tenant, "value": Decimal(str(value)), "source": source,
                  "is_synthetic": is_synthetic},
    )
    return obs


def goal_assessment_record(*, goal: Goal, status: str, justification: str, assessed_on: datetime.date,
                           author=None, review: StrategyReview | None = None) -> GoalAssessment:
    """A people's assessment beside the computed status: needs a justification and a date."""
    from .selectors import goal_node

    if not (justification or "").strip():
        raise ValidationError("Eine Einschätzung braucht eine Begründung.")
    node = goal_node(goal)
    defaults = {
        "tenant": goal.tenant, "status": status, "justification": justification.strip(),
        "assessed_on": assessed_on, "author": author, "computed_status": node.progress.status.value,
        "computed_explanation": "\n".join(node.progress.explanation),
    }
    if review is not None:
        assessment, _ = GoalAssessment.objects.update_or_create(review=review, goal=goal, defaults=defaults)
        return assessment
    return GoalAssessment.objects.create(goal=goal, **defaults)


# --- programmes, target groups, measures -----------------------------------------------------------

def programme_ensure(*, name: str, funder_level: str, tenant=None, **fields) -> Programme:
    programme, _ = Programme.objects.update_or_create(tenant=tenant, name=name,
                                                      defaults={"funder_level": funder_level, **fields})
    return programme


def target_group_ensure(*, name: str, tenant=None, **fields) -> TargetGroup:
    group, _ = TargetGroup.objects.update_or_create(tenant=tenant, name=name, defaults=fields)
    return group


def _measure_check(start_date, end_date) -> None:
    if start_date and end_date and end_date < start_date:
        raise ValidationError("Das Ende liegt vor dem Beginn.")


def measure_create(*, tenant, title: str, responsible_organisations=None, target_groups=None, regions=None,
                   schools=None, goals=None, **fields) -> Measure:
    _measure_check(fields.get("start_date"), fields.get("end_date"))
    for goal in goals or []:
        if goal.tenant_id != tenant.id:
            raise ValidationError("Eine Maßnahme kann nur Zielen des eigenen Mandanten dienen.")
    with transaction.atomic():
        measure = Measure.objects.create(tenant=tenant, title=title, **fields)
        _set_m2m(measure, responsible_organisations=responsible_organisations, target_groups=target_groups,
                 regions=regions, schools=schools, goals=goals)
    return measure


def measure_update(*, measure: Measure, responsible_organisations=None, target_groups=None, regions=None,
                   schools=None, goals=None, **fields) -> Measure:
    with transaction.atomic():
        for name, value in fields.items():
            setattr(measure, name, value)
        _measure_check(measure.start_date, measure.end_date)
        measure.save()
        _set_m2m(measure, responsible_organisations=responsible_organisations, target_groups=target_groups,
                 regions=regions, schools=schools, goals=goals)
    return measure


def milestone_add(*, measure: Measure, title: str, due_on=None, done_on=None) -> MeasureMilestone:
    return MeasureMilestone.objects.create(tenant=measure.tenant, measure=measure, title=title, due_on=due_on,
                                           done_on=done_on)


def output_add(*, measure: Measure, label: str, value, unit: str = "", year: int | None = None) -> MeasureOutput:
    return MeasureOutput.objects.create(tenant=measure.tenant, measure=measure, label=label,
                                        value=Decimal(str(value)), unit=unit, year=year)


# --- goal agreements ------------------------------------------------------------------------

def agreement_create(*, tenant, title: str, start_date: datetime.date, goals=None,
                     parties: list[tuple[object, str]] | None = None, **fields) -> GoalAgreement:
    with transaction.atomic():
        agreement = GoalAgreement.objects.create(tenant=tenant, title=title, start_date=start_date, **fields)
        _set_m2m(agreement, goals=goals)
        for organisation, contribution in parties or []:
            party_set(agreement=agreement, organisation=organisation, contribution=contribution)
    return agreement


def agreement_update(*, agreement: GoalAgreement, goals=None, **fields) -> GoalAgreement:
    with transaction.atomic():
        for name, value in fields.items():
            setattr(agreement, name, value)
        if agreement.end_date and agreement.end_date < agreement.start_date:
            raise ValidationError("Das Ende liegt vor dem Beginn.")
        agreement.save()
        _set_m2m(agreement, goals=goals)
    return agreement


def party_set(*, agreement: GoalAgreement, organisation, contribution: str) -> AgreementParty:
    party, _ = AgreementParty.objects.update_or_create(
        agreement=agreement, organisation=organisation,
        defaults={"tenant": agreement.tenant, "contribution": contribution},
    )
    return party


# --- overlaps -----------------------------------------------------------------------------

def overlap_decide(*, measure_a: Measure, measure_b: Measure, decision: str, note: str = "", user=None,
                   score: float | None = None, decided_on: datetime.date | None = None) -> OverlapDecision:
    """Record what was decided about a flagged pair (or that it is no overlap). Last decision wins."""
    if measure_a.tenant_id != measure_b.tenant_id:
        raise ValidationError("Die Maßnahmen gehören zu verschiedenen Mandanten.")
    if measure_a.pk == measure_b.pk:
        raise ValidationError("Eine Maßnahme überschneidet sich nicht mit sich selbst.")
    if decision != "dismissed" and not note.strip():
        raise ValidationError("Bitte die Entscheidung kurz begründen (was wird zusammengelegt oder abgestimmt?).")
    a, b = sorted((measure_a, measure_b), key=lambda m: m.pk)
    record, _ = OverlapDecision.objects.update_or_create(
        measure_a=a, measure_b=b,
        defaults={"tenant": a.tenant, "decision": decision, "note": note.strip(), "decided_by": user,
                  "decided_on": decided_on or datetime.date.today(), "score": score},
    )
    return record


def overlap_reopen(*, decision: OverlapDecision) -> None:
    decision.delete()


# --- strategy review -----------------------------------------------------------------------

def review_create(*, period: StrategyPeriod, title: str, held_on: datetime.date, **fields) -> StrategyReview:
    return StrategyReview.objects.create(tenant=period.tenant, period=period, title=title, held_on=held_on,
                                         **fields)


def _review_open(review: StrategyReview) -> None:
    if review.status == ReviewStatus.CLOSED:
        raise ValidationError("Die Klausur ist abgeschlossen; ihr Ergebnis bleibt unverändert.")


def review_assess(*, review: StrategyReview, goal: Goal, status: str, justification: str, user=None
                  ) -> GoalAssessment:
    _review_open(review)
    if goal.period_id != review.period_id:
        raise ValidationError("Das Ziel gehört nicht zur Strategie dieser Klausur.")
    return goal_assessment_record(goal=goal, status=status, justification=justification,
                                  assessed_on=review.held_on, author=user, review=review)


def review_decision_add(*, review: StrategyReview, kind: str, text: str, goal: Goal | None = None,
                        previous_text: str = "") -> ReviewDecision:
    _review_open(review)
    if not text.strip():
        raise ValidationError("Der Beschluss braucht einen Text.")
    return ReviewDecision.objects.create(tenant=review.tenant, review=review, kind=kind, text=text.strip(),
                                         goal=goal, previous_text=previous_text)


@transaction.atomic
def review_goal_change(*, review: StrategyReview, goal: Goal, title: str, description: str | None = None
                       ) -> ReviewDecision:
    """Change a goal's wording in the session; the earlier wording is kept with the decision."""
    _review_open(review)
    previous = goal.title
    fields = {"title": title}
    if description is not None:
        fields["description"] = description
    goal_update(goal=goal, **fields)
    return review_decision_add(review=review, kind=ReviewDecisionKind.GOAL_CHANGED, goal=goal,
                               text=f"{goal.code}: {title}", previous_text=f"{goal.code}: {previous}")


@transaction.atomic
def review_goal_add(*, review: StrategyReview, code: str, title: str, parent: Goal | None = None, **fields
                    ) -> ReviewDecision:
    _review_open(review)
    goal = goal_create(period=review.period, code=code, title=title, parent=parent,
                       field_of_action=parent.field_of_action if parent else None,
                       level="operational" if parent else "strategic", **fields)
    return review_decision_add(review=review, kind=ReviewDecisionKind.GOAL_NEW, goal=goal, text=f"{code}: {title}")


def review_close(*, review: StrategyReview, summary: str | None = None) -> StrategyReview:
    if summary is not None:
        review.summary = summary
    review.status = ReviewStatus.CLOSED
    review.save()
    return review
