"""Strategy pages: thin views that parse, check permissions, call services/selectors and render."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bildungskette.core.language import translated

from . import services
from .forms import (
    AgreementForm,
    AssessmentForm,
    GoalForm,
    GoalIndicatorForm,
    MeasureForm,
    MilestoneForm,
    ObservationForm,
    OutputForm,
    OverlapDecisionForm,
    PeriodForm,
    ReviewAssessForm,
    ReviewCloseForm,
    ReviewDecisionForm,
    ReviewForm,
    ReviewGoalAddForm,
    ReviewGoalChangeForm,
    SuccessorForm,
    party_formset,
)
from .models import (
    EducationStage,
    FunderLevel,
    Goal,
    GoalAgreement,
    GoalIndicator,
    Measure,
    MeasureStatus,
    OverlapDecision,
    StrategyPeriod,
    StrategyReview,
)
from .report import agreement_report_pdf, indicator_chart, review_report_context, review_report_pdf
from .selectors import (
    agreement_goal_nodes,
    agreements_for,
    coverage_matrix,
    goal_ancestors,
    goal_forest,
    goal_ids_readable,
    goal_node,
    landscape_regions,
    measure_list,
    measures_visible_to,
    overlap_rows,
    period_current,
    periods_for,
    programmes_for,
    review_assessments,
    review_goal_sequence,
    reviews_for,
    status_counts,
    synergy_hints,
    target_groups_for,
)


def _render(request, template: str, context: dict):
    tenant = getattr(request, "tenant", None)
    context.setdefault("staff", tenant is not None and request.user.has_perm("strategy.view_analysis", tenant))
    return render(request, template, context)


def _tenant(request):
    if not request.user.is_authenticated:
        raise PermissionDenied
    if request.tenant is None or not request.user.has_perm("strategy.view_strategy", request.tenant):
        raise PermissionDenied
    return request.tenant


def _require(request, perm: str, obj) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _form_errors_to_messages(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _visible_forest(request, period):
    """The whole tree for staff; for partners only the branches they may read."""
    forest = goal_forest(period)
    return forest, goal_ids_readable(request.user, request.tenant, forest)


# --- overview, periods, goals ---------------------------------------------------------------

@translated  # the strategy overview has its own English catalogue (strategy/locale)
@login_required
def strategy_index(request):
    tenant = _tenant(request)
    period_id = request.GET.get("strategie")
    periods = list(periods_for(tenant))
    period = next((p for p in periods if str(p.pk) == period_id), None) or period_current(tenant)
    return _period_page(request, period, periods)


@login_required
def period_detail(request, pk):
    tenant = _tenant(request)
    period = get_object_or_404(StrategyPeriod, pk=pk, tenant=tenant)
    return _period_page(request, period, list(periods_for(tenant)))


def _period_page(request, period, periods):
    forest, readable = (_visible_forest(request, period) if period else ([], None))
    nodes = [n for root in forest for n in root.walk() if readable is None or n.goal.id in readable]
    staff = request.user.has_perm("strategy.view_analysis", request.tenant)
    return _render(request, "strategy/index.html", {
        "period": period, "periods": periods, "nodes": nodes, "staff": staff,
        "counts": status_counts(forest) if staff else None,
        "can_edit": period is not None and request.user.has_perm("strategy.change_strategyperiod", period),
        "can_add_period": request.user.has_perm("strategy.add_goal", request.tenant),
        "fields": list(period.fields_of_action.all()) if period else [],
        "successor_form": SuccessorForm(initial={"start_year": period.end_year + 1, "end_year": period.end_year + 4}
                                        ) if period else None,
    })


@login_required
def period_new(request):
    tenant = _tenant(request)
    _require(request, "strategy.add_goal", tenant)
    form = PeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            period = services.period_create(tenant=tenant, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Strategie angelegt."))
            return redirect("strategy:period", pk=period.pk)
    return _render(request, "strategy/form.html", {"form": form, "title": _("Neue Strategie")})


@login_required
@require_POST
def period_successor(request, pk):
    tenant = _tenant(request)
    period = get_object_or_404(StrategyPeriod, pk=pk, tenant=tenant)
    _require(request, "strategy.change_strategyperiod", period)
    form = SuccessorForm(request.POST)
    if form.is_valid():
        successor = services.period_successor_create(period=period, **form.cleaned_data)
        messages.success(request, _("Nachfolgestrategie angelegt; „%(old)s“ bleibt unverändert lesbar.")
                         % {"old": period.name})
        return redirect("strategy:period", pk=successor.pk)
    messages.error(request, _("Bitte Name und Jahre der neuen Strategie angeben."))
    return redirect("strategy:period", pk=period.pk)


@login_required
def goal_new(request, pk):
    tenant = _tenant(request)
    period = get_object_or_404(StrategyPeriod, pk=pk, tenant=tenant)
    _require(request, "strategy.change_strategyperiod", period)
    initial = {}
    if request.GET.get("parent"):
        parent = Goal.objects.filter(period=period, pk=request.GET["parent"]).first()
        if parent:
            initial = {"parent": parent, "field_of_action": parent.field_of_action, "level": "operational",
                       "body": getattr(parent, "body", None)}
    form = GoalForm(request.POST or None, period=period, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        orgs = data.pop("responsible_organisations")
        try:
            goal = services.goal_create(period=period, responsible_organisations=orgs, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Ziel angelegt."))
            return redirect("strategy:goal", pk=goal.pk)
    return _render(request, "strategy/form.html", {"form": form, "title": _("Neues Ziel"), "period": period})


@login_required
def goal_detail(request, pk):
    tenant = _tenant(request)
    goal = get_object_or_404(Goal.objects.select_related("period", "field_of_action", "parent"), pk=pk, tenant=tenant)
    visible = request.user.has_perm("strategy.view_goal", goal)
    if not visible:
        raise PermissionDenied
    node = goal_node(goal)
    can_edit = request.user.has_perm("strategy.change_goal", goal)
    charts = [(r, indicator_chart(r)) for r in node.indicators]
    return _render(request, "strategy/goal_detail.html", {
        "goal": goal, "node": node, "charts": charts, "ancestors": goal_ancestors(goal),
        "parent_node": goal_node(goal.parent) if goal.parent_id else None,
        "assessments": list(goal.assessments.select_related("author", "review")[:10]),
        "measures": list(goal.measures.select_related("programme").order_by("title")),
        "organisations": list(goal.responsible_organisations.all()),
        "can_edit": can_edit, "can_assess": request.user.has_perm("strategy.add_goalassessment", goal),
        "assessment_form": AssessmentForm(initial={"assessed_on": datetime.date.today()}),
        "observation_form": ObservationForm(),
        "versions": list(goal.later_versions.select_related("period")) + (
            [goal.previous_version] if goal.previous_version_id else []),
    })


@login_required
def goal_edit(request, pk):
    tenant = _tenant(request)
    goal = get_object_or_404(Goal, pk=pk, tenant=tenant)
    _require(request, "strategy.change_goal", goal)
    form = GoalForm(request.POST or None, instance=goal, period=goal.period)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in form.changed_data}
        orgs = data.pop("responsible_organisations", None)
        try:
            services.goal_update(goal=Goal.objects.get(pk=goal.pk), responsible_organisations=orgs, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Änderungen gespeichert."))
            return redirect("strategy:goal", pk=goal.pk)
    return _render(request, "strategy/form.html", {"form": form, "title": str(goal), "goal": goal})


@login_required
def goal_indicator_new(request, pk):
    tenant = _tenant(request)
    goal = get_object_or_404(Goal, pk=pk, tenant=tenant)
    _require(request, "strategy.change_goal", goal)
    form = GoalIndicatorForm(request.POST or None, tenant=tenant, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        intermediate = data.pop("intermediate")
        try:
            services.goal_indicator_create(goal=goal, intermediate_targets=intermediate, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Indikator mit Ausgangs- und Zielwert verknüpft."))
            return redirect("strategy:goal", pk=goal.pk)
    return _render(request, "strategy/form.html", {
        "form": form, "title": _("Indikator verknüpfen"), "goal": goal,
        "intro": _("Ausgangswert und Zielwert bestimmen, woran der Fortschritt gemessen wird. Der Stand wird "
                   "danach aus den Daten berechnet."),
    })


@login_required
def goal_indicator_edit(request, pk):
    tenant = _tenant(request)
    gi = get_object_or_404(GoalIndicator.objects.select_related("goal__period"), pk=pk, tenant=tenant)
    _require(request, "strategy.change_goalindicator", gi)
    form = GoalIndicatorForm(request.POST or None, instance=gi, tenant=tenant, user=request.user)
    if request.method == "POST":
        if "delete" in request.POST:
            goal = gi.goal
            gi.delete()
            messages.success(request, _("Indikator vom Ziel gelöst."))
            return redirect("strategy:goal", pk=goal.pk)
        if form.is_valid():
            data = dict(form.cleaned_data)
            intermediate = data.pop("intermediate")
            try:
                services.goal_indicator_update(goal_indicator=GoalIndicator.objects.get(pk=gi.pk),
                                               intermediate_targets=intermediate, **data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Änderungen gespeichert."))
                return redirect("strategy:goal", pk=gi.goal_id)
    return _render(request, "strategy/form.html", {"form": form, "title": gi.label, "goal": gi.goal,
                                                  "can_delete": True})


@login_required
@require_POST
def observation_add(request, pk):
    tenant = _tenant(request)
    gi = get_object_or_404(GoalIndicator.objects.select_related("goal__period"), pk=pk, tenant=tenant)
    _require(request, "strategy.change_goalindicator", gi)
    form = ObservationForm(request.POST)
    if form.is_valid():
        try:
            services.observation_record(goal_indicator=gi, **form.cleaned_data)
            messages.success(request, _("Wert gespeichert."))
        except ValidationError as exc:
            _form_errors_to_messages(request, exc)
    else:
        messages.error(request, _("Bitte Jahr, Wert und Quelle angeben."))
    return redirect("strategy:goal", pk=gi.goal_id)


@login_required
@require_POST
def assessment_add(request, pk):
    tenant = _tenant(request)
    goal = get_object_or_404(Goal, pk=pk, tenant=tenant)
    _require(request, "strategy.add_goalassessment", goal)
    form = AssessmentForm(request.POST)
    if form.is_valid():
        services.goal_assessment_record(goal=goal, author=request.user, **form.cleaned_data)
        messages.success(request, _("Einschätzung gespeichert. Sie steht neben dem berechneten Stand."))
    else:
        messages.error(request, _("Eine Einschätzung braucht Stand, Datum und Begründung."))
    return redirect("strategy:goal", pk=goal.pk)


# --- measures ---------------------------------------------------------------------------

@login_required
def measure_index(request):
    tenant = _tenant(request)
    g = request.GET
    filters = {"query": (g.get("q") or "").strip(), "programme": g.get("programm") or "",
               "target_group": g.get("zielgruppe") or "", "stage": g.get("phase") or "",
               "status": g.get("stand") or "", "funder_level": g.get("ebene") or ""}
    regions = landscape_regions(tenant)
    region_id = next((r.pk for r in regions if str(r.pk) == g.get("gebiet")), None)
    qs = measure_list(measures_visible_to(request.user, tenant), region=region_id, **filters)
    page = Paginator(qs, 25).get_page(g.get("page"))
    return _render(request, "strategy/measure_index.html", {
        "page": page, "filters": filters, "programmes": programmes_for(tenant),
        "target_groups": target_groups_for(tenant), "stages": EducationStage.choices,
        "statuses": MeasureStatus.choices, "levels": FunderLevel.choices, "regions": regions, "region_id": region_id,
        "can_add": request.user.has_perm("strategy.add_measure", tenant),
        "staff": request.user.has_perm("strategy.view_analysis", tenant),
    })


@login_required
def measure_detail(request, pk):
    tenant = _tenant(request)
    measure = get_object_or_404(Measure.objects.select_related("programme"), pk=pk, tenant=tenant)
    _require(request, "strategy.view_measure", measure)
    related = [row for row in overlap_rows(tenant) if measure.pk in row.flag.key] \
        if request.user.has_perm("strategy.view_analysis", tenant) else []
    return _render(request, "strategy/measure_detail.html", {
        "measure": measure, "overlaps": related,
        "goals": list(measure.goals.select_related("period").order_by("period", "code")),
        "can_edit": request.user.has_perm("strategy.change_measure", measure),
        "milestone_form": MilestoneForm(prefix="ms"), "output_form": OutputForm(prefix="out"),
    })


@login_required
@require_POST
def measure_progress_add(request, pk, kind):
    tenant = _tenant(request)
    measure = get_object_or_404(Measure, pk=pk, tenant=tenant)
    _require(request, "strategy.change_measure", measure)
    if kind == "meilenstein":
        form = MilestoneForm(request.POST, prefix="ms")
        if form.is_valid():
            services.milestone_add(measure=measure, **form.cleaned_data)
            messages.success(request, _("Meilenstein gespeichert."))
    else:
        form = OutputForm(request.POST, prefix="out")
        if form.is_valid():
            services.output_add(measure=measure, **form.cleaned_data)
            messages.success(request, _("Leistung gespeichert."))
    if not form.is_valid():
        messages.error(request, _("Bitte die Angaben prüfen."))
    return redirect("strategy:measure", pk=measure.pk)


def _measure_form_save(request, form, tenant, measure=None):
    data = dict(form.cleaned_data)
    m2m = {k: data.pop(k) for k in ("responsible_organisations", "target_groups", "regions", "schools", "goals")}
    if measure is None:
        return services.measure_create(tenant=tenant, **data, **m2m)
    return services.measure_update(measure=measure, **data, **m2m)


@login_required
def measure_new(request):
    tenant = _tenant(request)
    _require(request, "strategy.add_measure", tenant)
    form = MeasureForm(request.POST or None, tenant=tenant)
    if request.method == "POST" and form.is_valid():
        try:
            measure = _measure_form_save(request, form, tenant)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Maßnahme angelegt."))
            return redirect("strategy:measure", pk=measure.pk)
    return _render(request, "strategy/form.html", {"form": form, "title": _("Neue Maßnahme")})


@login_required
def measure_edit(request, pk):
    tenant = _tenant(request)
    measure = get_object_or_404(Measure, pk=pk, tenant=tenant)
    _require(request, "strategy.change_measure", measure)
    form = MeasureForm(request.POST or None, instance=measure, tenant=tenant)
    if request.method == "POST" and form.is_valid():
        try:
            _measure_form_save(request, form, tenant, Measure.objects.get(pk=measure.pk))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Änderungen gespeichert."))
            return redirect("strategy:measure", pk=measure.pk)
    return _render(request, "strategy/form.html", {"form": form, "title": measure.title})


# --- parallel structures ------------------------------------------------------------------

def _analysis_tenant(request):
    tenant = _tenant(request)
    _require(request, "strategy.view_analysis", tenant)
    return tenant


@login_required
def landscape(request):
    tenant = _analysis_tenant(request)
    columns = request.GET.get("spalten") if request.GET.get("spalten") in ("field", "region", "stage") else "field"
    stage = request.GET.get("phase") or ""
    regions = landscape_regions(tenant)
    region_id = next((r.pk for r in regions if str(r.pk) == request.GET.get("gebiet")), None)
    period = period_current(tenant)
    matrix = coverage_matrix(tenant, period=period, columns=columns, stage=stage, region_id=region_id)
    return _render(request, "strategy/landscape.html", {
        "matrix": matrix, "columns": columns, "stage": stage, "stages": EducationStage.choices, "period": period,
        "regions": regions, "region_id": region_id,
    })


@login_required
def overlaps(request):
    tenant = _analysis_tenant(request)
    show = request.GET.get("zeige", "offen")
    rows = overlap_rows(tenant)
    open_rows = [r for r in rows if r.decision is None]
    shown = open_rows if show == "offen" else rows
    return _render(request, "strategy/overlaps.html", {
        "rows": shown, "open_count": len(open_rows), "all_count": len(rows), "show": show,
        "can_decide": request.user.has_perm("strategy.decide_overlap", tenant),
        "form": OverlapDecisionForm(),
    })


@login_required
@require_POST
def overlap_decide(request):
    tenant = _analysis_tenant(request)
    _require(request, "strategy.decide_overlap", tenant)
    form = OverlapDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte eine Entscheidung wählen."))
        return redirect("strategy:overlaps")
    a = get_object_or_404(Measure, pk=form.cleaned_data["measure_a"], tenant=tenant)
    b = get_object_or_404(Measure, pk=form.cleaned_data["measure_b"], tenant=tenant)
    score = next((r.flag.score for r in overlap_rows(tenant) if r.flag.key == tuple(sorted((a.pk, b.pk)))), None)
    try:
        services.overlap_decide(measure_a=a, measure_b=b, decision=form.cleaned_data["decision"],
                                note=form.cleaned_data["note"], user=request.user, score=score)
    except ValidationError as exc:
        _form_errors_to_messages(request, exc)
    else:
        messages.success(request, _("Entscheidung zu „%(a)s“ und „%(b)s“ gespeichert.") % {"a": a, "b": b})
    return redirect(reverse("strategy:overlaps") + f"#paar-{min(a.pk, b.pk)}-{max(a.pk, b.pk)}")


@login_required
@require_POST
def overlap_reopen(request, pk):
    tenant = _analysis_tenant(request)
    _require(request, "strategy.decide_overlap", tenant)
    decision = get_object_or_404(OverlapDecision, pk=pk, tenant=tenant)
    services.overlap_reopen(decision=decision)
    messages.success(request, _("Die Entscheidung wurde zurückgenommen; das Paar ist wieder offen."))
    return redirect("strategy:overlaps")


@login_required
def synergies(request):
    tenant = _analysis_tenant(request)
    return _render(request, "strategy/synergies.html", {"hints": synergy_hints(tenant)})


# --- goal agreements ----------------------------------------------------------------------

@login_required
def agreement_index(request):
    tenant = _tenant(request)
    agreements = [a for a in agreements_for(tenant) if request.user.has_perm("strategy.view_goalagreement", a)]
    return _render(request, "strategy/agreement_index.html", {
        "agreements": agreements, "can_add": request.user.has_perm("strategy.add_goalagreement", tenant)})


@login_required
def agreement_detail(request, pk):
    tenant = _tenant(request)
    agreement = get_object_or_404(GoalAgreement.objects.select_related("period"), pk=pk, tenant=tenant)
    _require(request, "strategy.view_goalagreement", agreement)
    nodes = agreement_goal_nodes(agreement)
    return _render(request, "strategy/agreement_detail.html", {
        "agreement": agreement, "nodes": nodes,
        "parties": list(agreement.parties.select_related("organisation")),
        "charts": {n.goal.id: [(r, indicator_chart(r)) for r in n.indicators] for n in nodes},
        "can_edit": request.user.has_perm("strategy.change_goalagreement", agreement),
    })


@login_required
def agreement_pdf(request, pk):
    tenant = _tenant(request)
    agreement = get_object_or_404(GoalAgreement.objects.select_related("period"), pk=pk, tenant=tenant)
    _require(request, "strategy.view_goalagreement", agreement)
    response = HttpResponse(agreement_report_pdf(agreement, agreement_goal_nodes(agreement)),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="zielvereinbarung-{agreement.pk}.pdf"'
    return response


def _agreement_edit(request, agreement=None):
    tenant = _tenant(request)
    if agreement is None:
        _require(request, "strategy.add_goalagreement", tenant)
    else:
        _require(request, "strategy.change_goalagreement", agreement)
    form = AgreementForm(request.POST or None, instance=agreement, tenant=tenant)
    parties = party_formset(tenant=tenant, data=request.POST or None, instance=agreement)
    if request.method == "POST" and form.is_valid() and parties.is_valid():
        data = dict(form.cleaned_data)
        goals = data.pop("goals")
        data.pop("standards_text", None)
        try:
            with transaction.atomic():
                if agreement is None:
                    agreement = services.agreement_create(tenant=tenant, goals=goals, **data)
                else:
                    agreement = services.agreement_update(agreement=GoalAgreement.objects.get(pk=agreement.pk),
                                                          goals=goals, **data)
                for party_form in parties.forms:
                    cleaned = getattr(party_form, "cleaned_data", None) or {}
                    if not cleaned.get("organisation"):
                        continue
                    if cleaned.get("DELETE"):
                        agreement.parties.filter(organisation=cleaned["organisation"]).delete()
                        continue
                    services.party_set(agreement=agreement, organisation=cleaned["organisation"],
                                       contribution=cleaned.get("contribution", ""))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Zielvereinbarung gespeichert."))
            return redirect("strategy:agreement", pk=agreement.pk)
    return _render(request, "strategy/agreement_form.html", {
        "form": form, "parties": parties,
        "title": agreement.title if agreement else _("Neue Zielvereinbarung"), "agreement": agreement,
    })


@login_required
def agreement_new(request):
    return _agreement_edit(request)


@login_required
def agreement_edit(request, pk):
    agreement = get_object_or_404(GoalAgreement, pk=pk, tenant=_tenant(request))
    return _agreement_edit(request, agreement)


# --- strategy review ----------------------------------------------------------------------

def _review(request, pk, perm="strategy.view_strategyreview"):
    tenant = _tenant(request)
    review = get_object_or_404(StrategyReview.objects.select_related("period"), pk=pk, tenant=tenant)
    _require(request, perm, review)
    return review


@login_required
def review_index(request):
    tenant = _tenant(request)
    _require(request, "strategy.view_analysis", tenant)
    can_add = request.user.has_perm("strategy.add_strategyreview", tenant)
    form = ReviewForm(request.POST or None, tenant=tenant,
                      initial={"held_on": datetime.date.today(), "period": period_current(tenant)})
    if request.method == "POST":
        _require(request, "strategy.add_strategyreview", tenant)
        if form.is_valid():
            data = dict(form.cleaned_data)
            review = services.review_create(**data)
            messages.success(request, _("Klausur angelegt. Sie führt Schritt für Schritt durch alle Ziele."))
            return redirect("strategy:review_step", pk=review.pk, step=1)
    return _render(request, "strategy/review_index.html", {
        "reviews": list(reviews_for(tenant)), "form": form, "can_add": can_add,
    })


@login_required
def review_detail(request, pk):
    review = _review(request, pk)
    ctx = review_report_context(review)
    ctx.update({"can_edit": request.user.has_perm("strategy.change_strategyreview", review)
                and review.status == "open", "close_form": ReviewCloseForm(initial={"summary": review.summary}),
                "decision_form": ReviewDecisionForm()})
    return _render(request, "strategy/review_detail.html", ctx)


@login_required
def review_step(request, pk, step):
    review = _review(request, pk)
    sequence = review_goal_sequence(review)
    if not sequence:
        messages.info(request, _("Die Strategie hat noch keine Ziele."))
        return redirect("strategy:review", pk=review.pk)
    if not 1 <= step <= len(sequence):
        raise Http404
    node = sequence[step - 1]
    can_edit = request.user.has_perm("strategy.change_strategyreview", review) and review.status == "open"
    assessment = review_assessments(review).get(node.goal.id)
    form = ReviewAssessForm(request.POST or None, initial={
        "status": assessment.status if assessment else node.progress.status.value,
        "justification": assessment.justification if assessment else "",
    })
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        action = request.POST.get("action", "assess")
        try:
            if action == "change":
                change = ReviewGoalChangeForm(request.POST)
                if change.is_valid():
                    services.review_goal_change(review=review, goal=node.goal, title=change.cleaned_data["title"])
                    messages.success(request, _("Neue Fassung des Ziels gespeichert; die bisherige bleibt im "
                                                "Beschluss festgehalten."))
                return redirect("strategy:review_step", pk=review.pk, step=step)
            if action == "add":
                add = ReviewGoalAddForm(request.POST)
                if add.is_valid():
                    services.review_goal_add(review=review, parent=node.goal, **add.cleaned_data)
                    messages.success(request, _("Neues Unterziel angelegt."))
                return redirect("strategy:review_step", pk=review.pk, step=step)
            if form.is_valid():
                services.review_assess(review=review, goal=node.goal, user=request.user, **form.cleaned_data)
                messages.success(request, _("Einschätzung zu %(code)s gespeichert.") % {"code": node.goal.code})
                if step < len(sequence) and "next" in request.POST:
                    return redirect("strategy:review_step", pk=review.pk, step=step + 1)
                return redirect("strategy:review_step", pk=review.pk, step=step)
        except ValidationError as exc:
            _form_errors_to_messages(request, exc)
    return _render(request, "strategy/review_step.html", {
        "review": review, "node": node, "step": step, "total": len(sequence), "sequence": sequence,
        "assessments": review_assessments(review), "form": form, "can_edit": can_edit,
        "charts": [(r, indicator_chart(r)) for r in node.indicators], "assessment": assessment,
        "change_form": ReviewGoalChangeForm(initial={"title": node.goal.title}),
        "add_form": ReviewGoalAddForm(initial={"code": f"{node.goal.code}.{len(node.children) + 1}"}),
    })


@login_required
@require_POST
def review_decision_add(request, pk):
    review = _review(request, pk, "strategy.change_strategyreview")
    form = ReviewDecisionForm(request.POST)
    if form.is_valid():
        try:
            services.review_decision_add(review=review, **form.cleaned_data)
            messages.success(request, _("Beschluss festgehalten."))
        except ValidationError as exc:
            _form_errors_to_messages(request, exc)
    return redirect("strategy:review", pk=review.pk)


@login_required
@require_POST
def review_close(request, pk):
    review = _review(request, pk, "strategy.change_strategyreview")
    form = ReviewCloseForm(request.POST)
    if form.is_valid():
        services.review_close(review=review, summary=form.cleaned_data["summary"])
        messages.success(request, _("Klausur abgeschlossen. Der Bericht für den Ausschuss ist fertig."))
    return redirect("strategy:review", pk=review.pk)


@login_required
def review_report(request, pk):
    review = _review(request, pk)
    ctx = review_report_context(review)
    ctx["charts"] = {n.goal.id: [(r, indicator_chart(r)) for r in n.indicators] for n in ctx["nodes"]}
    return _render(request, "strategy/review_report.html", ctx)


@login_required
def review_report_pdf_view(request, pk):
    review = _review(request, pk)
    response = HttpResponse(review_report_pdf(review), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="strategieklausur-{review.pk}.pdf"'
    return response
