"""Pages of the network area: bodies, members, meetings from invitation to minutes, follow-up,
agreements, the network graph, PDFs and calendar feeds. Thin: parse, check, call, render."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bildungskette.core.ical import calendar_host
from bildungskette.core.timing import CONFIRM_PAST_FIELD
from bildungskette.organisations.models import Person

from . import services
from .calendar import feed_token, feed_token_check, meeting_ical, meetings_ical
from .documents import agenda_pdf, minutes_pdf
from .forms import (
    ActionItemForm,
    ActionItemStatusForm,
    AgendaItemForm,
    AgreementForm,
    BodyForm,
    ChairRotationForm,
    CommitmentForm,
    CommitmentStatusForm,
    DecisionForm,
    DocumentForm,
    MeetingForm,
    MembershipForm,
    MinutesForm,
)
from .graph import body_limit, network_graph, network_png, network_svg
from .models import (
    ActionItem,
    ActionItemStatus,
    AgendaItem,
    Attendance,
    Body,
    BodyType,
    ChairRotation,
    Commitment,
    CooperationAgreement,
    Document,
    Meeting,
)
from .models import Membership as MembershipModel
from .selectors import (
    action_item_counts_by_organisation,
    action_item_list,
    action_items_grouped,
    agenda_tree,
    agreement_deadlines,
    agreement_progress,
    agreements_visible_to,
    bodies_visible_to,
    body_list,
    body_memberships,
    chair_overview,
    meeting_detail,
    meetings_upcoming,
    member_body_ids,
    sees_whole_tenant,
)


def _deny(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def _internal(user, body) -> bool:
    """Staff of the tenant and members of the body see the internal record (minutes, people, tasks)."""
    return sees_whole_tenant(user, body.tenant) or body.pk in member_body_ids(user, body.tenant)


def _url_of(obj) -> str:
    if obj is None:
        return ""
    name = {"Body": "network:body", "Meeting": "network:meeting", "CooperationAgreement": "network:agreement"}
    return reverse(name[type(obj).__name__], args=[obj.pk])


def _form_page(request, form, title: str, back=None):
    """The shared form page; ``back`` (a body, meeting or agreement) is the breadcrumb's way back."""
    context = {"form": form, "title": title, "back": back, "back_url": _url_of(back)}
    return render(request, "network/form.html", context)


def _require(request, perm: str, obj):
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def _validation_message(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# Bodies ------------------------------------------------------------------------------------------


def index(request):
    query = (request.GET.get("q") or "").strip()
    type_ = request.GET.get("art") or ""
    sees_all = sees_whole_tenant(request.user, request.tenant)
    # A partner or school first sees the bodies its organisation belongs to; public ones on request.
    members_only = request.tenant is not None and not sees_all and request.GET.get("alle") != "1"
    qs = body_list(
        user=request.user, tenant=request.tenant, query=query, type=type_, only_own_tenant=request.tenant is not None
    )
    if members_only:
        qs = qs.filter(pk__in=member_body_ids(request.user, request.tenant))
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    visible = bodies_visible_to(request.user, request.tenant).filter(tenant=request.tenant)
    if members_only:
        visible = visible.filter(pk__in=member_body_ids(request.user, request.tenant))
    body_ids = list(visible.values_list("pk", flat=True)) if request.tenant else []
    return render(
        request,
        "network/index.html",
        {
            "page": page,
            "query": query,
            "type": type_,
            "types": BodyType.choices,
            "upcoming": meetings_upcoming(body_ids=body_ids, limit=8) if request.tenant else [],
            "can_add": request.tenant is not None and request.user.has_perm("network.add_body", request.tenant),
            "sees_all": sees_all,
            "members_only": members_only,
            "can_toggle": request.tenant is not None and not sees_all,
        },
    )


def body_detail(request, pk):
    body = get_object_or_404(Body.objects.select_related("tenant", "parent", "region"), pk=pk)
    if not request.user.has_perm("network.view_body", body):
        return _deny(request)
    internal = _internal(request.user, body)
    memberships = body_memberships(body, include_former=request.GET.get("ehemalige") == "1")
    meetings = list(body.meetings.order_by("-starts_at")[:20])
    now = timezone.now()
    can_edit = request.user.has_perm("network.change_body", body)
    context = {
        "body": body,
        "memberships": memberships,
        "public_view": not internal,
        "children": [c for c in body.children.all().order_by("name") if request.user.has_perm("network.view_body", c)],
        "upcoming": [m for m in reversed(meetings) if m.starts_at >= now and not m.is_cancelled],
        "past": [m for m in meetings if m.starts_at < now],
        "chair": chair_overview(body),
        "open_items": list(action_item_list(user=request.user, tenant=body.tenant, body_id=body.pk))
        if internal
        else [],
        "agreements": [a for a in body.agreements.all() if request.user.has_perm("network.view_agreement", a)],
        "can_edit": can_edit,
        "can_add_meeting": request.user.has_perm("network.add_meeting", body),
        "membership_form": MembershipForm(tenant=body.tenant) if can_edit else None,
        "ical_url": reverse("network:body_ical", args=[body.pk])
        + ("" if body.is_public else f"?token={feed_token('body', body.pk)}"),
        "show_former": request.GET.get("ehemalige") == "1",
        "today": timezone.localdate(),
    }
    if can_edit:
        for m in memberships:
            for p in [*m.delegates.all(), *m.deputies.all()]:
                p.feed_url = reverse("network:person_ical", args=[feed_token("person", p.pk)])
    return render(request, "network/body_detail.html", context)


def body_meetings(request, pk):
    body = get_object_or_404(Body.objects.select_related("tenant"), pk=pk)
    if not request.user.has_perm("network.view_body", body):
        return _deny(request)
    page = Paginator(body.meetings.order_by("-starts_at"), 25).get_page(request.GET.get("page"))
    return render(request, "network/body_meetings.html", {"body": body, "page": page})


@login_required
def body_new(request):
    if request.tenant is None or not request.user.has_perm("network.add_body", request.tenant):
        raise PermissionDenied
    form = BodyForm(request.POST or None, tenant=request.tenant)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("name", "type")}
        try:
            body = services.body_create(
                tenant=request.tenant, name=form.cleaned_data["name"], type=form.cleaned_data["type"], **data
            )
        except ValidationError as exc:
            form.add_error(None, _validation_message(exc))
        else:
            messages.success(request, _("Gremium angelegt."))
            return redirect("network:body", pk=body.pk)
    return _form_page(request, form, _("Neues Gremium"))


@login_required
def body_edit(request, pk):
    body = get_object_or_404(Body, pk=pk)
    _require(request, "network.change_body", body)
    form = BodyForm(request.POST or None, instance=body, tenant=body.tenant)
    if request.method == "POST" and form.is_valid():
        try:
            services.body_update(
                body=Body.objects.get(pk=body.pk), **{k: form.cleaned_data[k] for k in form.changed_data}
            )
        except ValidationError as exc:
            form.add_error(None, _validation_message(exc))
        else:
            messages.success(request, _("Änderungen gespeichert."))
            return redirect("network:body", pk=body.pk)
    return _form_page(request, form, body.name, body)


@login_required
def chair_rotation_edit(request, pk):
    body = get_object_or_404(Body, pk=pk)
    _require(request, "network.change_body", body)
    rotation = ChairRotation.objects.filter(body=body).first()
    initial = {}
    if rotation is not None:
        slots = list(rotation.slots.all())
        initial = {
            "starts_on": rotation.starts_on,
            "term_months": rotation.term_months,
            "description": rotation.description,
        }
        for name, slot in zip(("first", "second", "third", "fourth"), slots, strict=False):
            initial[name] = slot.organisation_id
    form = ChairRotationForm(request.POST or None, body=body, initial=initial, version_of=body)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.chair_rotation_set(
            body=body,
            starts_on=data["starts_on"],
            organisations=form.organisations(),
            term_months=data["term_months"],
            description=data["description"],
        )
        messages.success(request, _("Vorsitzrotation gespeichert."))
        return redirect("network:body", pk=body.pk)
    return _form_page(request, form, _("Vorsitz im Wechsel: %(body)s") % {"body": body.name}, body)


@login_required
@require_POST
def agreement_document_new(request, pk):
    agreement = get_object_or_404(CooperationAgreement, pk=pk)
    _require(request, "network.change_agreement", agreement)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.document_attach(
                tenant=agreement.tenant,
                title=form.cleaned_data["title"] or upload.name,
                uploaded=upload,
                user=request.user,
                agreement=agreement,
            )
            messages.success(request, _("Dokument hinzugefügt."))
        except ValidationError as exc:
            messages.error(request, _validation_message(exc))
    else:
        _form_errors(request, form)
    return redirect("network:agreement", pk=agreement.pk)


@login_required
@require_POST
def membership_new(request, pk):
    body = get_object_or_404(Body, pk=pk)
    _require(request, "network.change_body", body)
    form = MembershipForm(request.POST, tenant=body.tenant)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.membership_add(
                body=body,
                organisation=data["organisation"],
                role=data["role"],
                delegates=data["delegates"],
                deputies=data["deputies"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                voting_right=data["voting_right"],
                note=data["note"],
            )
            messages.success(request, _("Mitglied aufgenommen."))
        except ValidationError as exc:
            messages.error(request, _validation_message(exc))
    else:
        _form_errors(request, form)
    return redirect("network:body", pk=body.pk)


@login_required
def membership_edit(request, pk):
    membership = get_object_or_404(MembershipModel.objects.select_related("body", "organisation"), pk=pk)
    _require(request, "network.change_membership", membership)
    form = MembershipForm(request.POST or None, instance=membership, tenant=membership.tenant)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.membership_update(
                membership=MembershipModel.objects.get(pk=membership.pk),
                delegates=data["delegates"],
                deputies=data["deputies"],
                role=data["role"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                voting_right=data["voting_right"],
                note=data["note"],
            )
        except ValidationError as exc:
            form.add_error(None, _validation_message(exc))
        else:
            messages.success(request, _("Mitgliedschaft gespeichert."))
            return redirect("network:body", pk=membership.body_id)
    return _form_page(request, form, str(membership), membership.body)


def body_ical(request, pk):
    body = get_object_or_404(Body, pk=pk)
    token_ok = feed_token_check(request.GET.get("token", ""), "body", body.pk) is not None
    if not (body.is_public or token_ok or request.user.has_perm("network.view_body", body)):
        raise Http404
    meetings = body.meetings.order_by("starts_at")
    data = meetings_ical(
        str(body),
        meetings,
        url_for=lambda m: request.build_absolute_uri(reverse("network:meeting", args=[m.pk])),
        host=calendar_host(request),
    )
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="gremium-{body.pk}.ics"'
    return response


def person_ical(request, token):
    person_id = feed_token_check(token, "person")
    if person_id is None:
        raise Http404
    person = get_object_or_404(Person, pk=person_id)
    today = timezone.localdate()
    memberships = MembershipModel.objects.filter(tenant=person.tenant).filter(
        delegates=person
    ) | MembershipModel.objects.filter(tenant=person.tenant, deputies=person)
    body_ids = {m.body_id for m in memberships if m.end_date is None or m.end_date >= today}
    meetings = Meeting.objects.filter(body_id__in=body_ids).select_related("body").order_by("starts_at")
    data = meetings_ical(
        _("Sitzungen – %(name)s") % {"name": person.name},
        meetings,
        url_for=lambda m: request.build_absolute_uri(reverse("network:meeting", args=[m.pk])),
        host=calendar_host(request),
    )
    return HttpResponse(data, content_type="text/calendar; charset=utf-8")


# Meetings ----------------------------------------------------------------------------------------


@login_required
def meeting_new(request, pk):
    body = get_object_or_404(Body, pk=pk)
    _require(request, "network.add_meeting", body)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            meeting = services.meeting_create(
                body=body, title=data.pop("title"), starts_at=data.pop("starts_at"), **data
            )
        except ValidationError as exc:
            form.add_error(None, _validation_message(exc))
        else:
            messages.success(request, _("Sitzung angelegt. Stellen Sie jetzt die Tagesordnung zusammen."))
            return redirect("network:meeting", pk=meeting.pk)
    return _form_page(request, form, _("Neue Sitzung: %(body)s") % {"body": body.name}, body)


def _meeting_or_deny(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("body", "tenant"), pk=pk)
    if not request.user.has_perm("network.view_meeting", meeting):
        return None, _deny(request)
    return meeting, None


def meeting_detail_view(request, pk):
    meeting, denied = _meeting_or_deny(request, pk)
    if denied:
        return denied
    meeting = meeting_detail(meeting.pk, queryset=Meeting.objects.all())
    body = meeting.body
    internal = _internal(request.user, body)
    items = list(meeting.agenda_items.all())
    tree = agenda_tree(meeting, items=items, public_only=not internal)
    decisions = [d for d in meeting.decisions.all() if internal or d.is_public]
    decisions_by_item: dict = {}
    for d in decisions:
        decisions_by_item.setdefault(d.agenda_item_id, []).append(d)
    actions = list(meeting.action_items.all()) if internal else []
    actions_by_item: dict = {}
    for a in actions:
        actions_by_item.setdefault(a.agenda_item_id, []).append(a)
    can_edit = request.user.has_perm("network.change_meeting", meeting)
    rows = []
    for number, item, kids in tree:
        rows.append(
            {
                "number": number,
                "item": item,
                "level": 1,
                "decisions": decisions_by_item.get(item.pk, []),
                "actions": actions_by_item.get(item.pk, []),
            }
        )
        for kid_number, kid, _k in kids:
            rows.append(
                {
                    "number": kid_number,
                    "item": kid,
                    "level": 2,
                    "decisions": decisions_by_item.get(kid.pk, []),
                    "actions": actions_by_item.get(kid.pk, []),
                }
            )
    return render(
        request,
        "network/meeting_detail.html",
        {
            "meeting": meeting,
            "body": body,
            "rows": rows,
            "internal": internal,
            "can_edit": can_edit,
            "total_minutes": sum(i.duration_minutes or 0 for i in items),
            "unassigned_decisions": decisions_by_item.get(None, []),
            "unassigned_actions": actions_by_item.get(None, []),
            "attendances": list(meeting.attendances.all()) if internal else [],
            "agenda_form": AgendaItemForm(meeting=meeting) if can_edit else None,
            "documents": [d for d in meeting.documents.all() if d.agenda_item_id is None],
        },
    )


@login_required
def meeting_edit(request, pk):
    meeting = get_object_or_404(Meeting, pk=pk)
    _require(request, "network.change_meeting", meeting)
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        services.meeting_update(
            meeting=Meeting.objects.get(pk=meeting.pk), **{k: form.cleaned_data[k] for k in form.changed_data}
        )
        messages.success(request, _("Änderungen gespeichert."))
        return redirect("network:meeting", pk=meeting.pk)
    return _form_page(request, form, meeting.title, meeting)


@login_required
@require_POST
def meeting_cancel(request, pk):
    meeting = get_object_or_404(Meeting, pk=pk)
    _require(request, "network.change_meeting", meeting)
    services.meeting_cancel(meeting=meeting)
    messages.success(request, _("Sitzung abgesagt."))
    return redirect("network:meeting", pk=meeting.pk)


@login_required
@require_POST
def agenda_item_new(request, pk):
    meeting = get_object_or_404(Meeting, pk=pk)
    _require(request, "network.change_meeting", meeting)
    form = AgendaItemForm(request.POST, request.FILES, meeting=meeting)
    if form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("document", None)
        try:
            with transaction.atomic():
                item = services.agenda_item_add(meeting=meeting, title=data.pop("title"), **data)
                if upload:
                    services.document_attach(
                        tenant=meeting.tenant,
                        title=upload.name,
                        uploaded=upload,
                        user=request.user,
                        agenda_item=item,
                    )
            messages.success(request, _("Tagesordnungspunkt hinzugefügt."))
        except ValidationError as exc:
            messages.error(request, _validation_message(exc))
    else:
        _form_errors(request, form)
    return redirect(reverse("network:meeting", args=[meeting.pk]) + "#tagesordnung")


@login_required
def agenda_item_edit(request, pk):
    item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=pk)
    _require(request, "network.change_meeting", item.meeting)
    form = AgendaItemForm(request.POST or None, request.FILES or None, instance=item, meeting=item.meeting)
    form.fields["parent"].queryset = form.fields["parent"].queryset.exclude(pk=item.pk)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in form.changed_data if k != "document"}
        upload = form.cleaned_data.get("document")
        try:
            with transaction.atomic():
                services.agenda_item_update(item=AgendaItem.objects.get(pk=item.pk), **data)
                if upload:
                    services.document_attach(
                        tenant=item.tenant, title=upload.name, uploaded=upload, user=request.user, agenda_item=item
                    )
        except ValidationError as exc:
            form.add_error(None, _validation_message(exc))
        else:
            messages.success(request, _("Tagesordnungspunkt gespeichert."))
            return redirect(reverse("network:meeting", args=[item.meeting_id]) + f"#top-{item.pk}")
    return _form_page(request, form, item.title, item.meeting)


@login_required
@require_POST
def agenda_item_change(request, pk):
    item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=pk)
    _require(request, "network.change_meeting", item.meeting)
    action = request.POST.get("aktion")
    try:
        if action in ("hoch", "runter"):
            services.agenda_item_move(item=item, up=action == "hoch")
        elif action == "entfernen":
            services.agenda_item_delete(item=item)
            messages.success(request, _("Tagesordnungspunkt entfernt."))
    except ValidationError as exc:
        messages.error(request, _validation_message(exc))
    return redirect(reverse("network:meeting", args=[item.meeting_id]) + "#tagesordnung")


@login_required
@require_POST
def meeting_invite(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("body", "tenant"), pk=pk)
    _require(request, "network.invite_meeting", meeting)
    try:
        result = services.meeting_invite(
            meeting=meeting, base_url=request.build_absolute_uri(reverse("network:meeting", args=[meeting.pk]))
        )
    except ValidationError as exc:
        messages.error(request, _validation_message(exc))
    else:
        messages.success(request, _("Einladung an %(n)d Empfänger*innen versandt.") % {"n": len(result["sent"])})
        if result["missing"]:
            messages.warning(
                request,
                _("Ohne E-Mail-Adresse, bitte anders einladen: %(orgs)s") % {"orgs": ", ".join(result["missing"])},
            )
    return redirect("network:meeting", pk=meeting.pk)


@login_required
def minutes_edit(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("body", "tenant"), pk=pk)
    _require(request, "network.record_minutes", meeting)
    items = list(meeting.agenda_items.all())
    numbered = agenda_tree(meeting, flat=True, items=items)
    day = timezone.localtime(meeting.starts_at).date()
    members = [m for m in body_memberships(meeting.body, include_former=True) if m.is_active_on(day)]
    form = MinutesForm(request.POST or None, meeting=meeting, numbered_items=numbered, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            services.minutes_record(
                meeting=meeting,
                item_minutes={item.pk: data[name] for item, name in form.item_fields},
                summary=data["minutes_summary"],
                minutes_taker=data["minutes_taker"],
            )
            services.attendance_record(meeting=meeting, **form.attendance())
        messages.success(request, _("Protokoll gespeichert."))
        return redirect(reverse("network:minutes", args=[meeting.pk]))
    meeting = meeting_detail(meeting.pk, queryset=Meeting.objects.all())
    return render(
        request,
        "network/minutes_form.html",
        {
            "meeting": meeting,
            "body": meeting.body,
            "form": form,
            "decision_form": DecisionForm(meeting=meeting, prefix="beschluss"),
            "action_form": ActionItemForm(meeting=meeting, prefix="aufgabe"),
            "numbers": {item.pk: n for n, item, _k in numbered},
            "decisions": list(meeting.decisions.all()),
            "actions": list(meeting.action_items.all()),
            "attendance_statuses": Attendance.Status.choices,
            "started": meeting.starts_at <= timezone.now(),
        },
    )


@login_required
@require_POST
def minutes_approve(request, pk):
    meeting = get_object_or_404(Meeting, pk=pk)
    _require(request, "network.record_minutes", meeting)
    try:
        services.minutes_approve(meeting=meeting)
        messages.success(request, _("Protokoll freigegeben."))
    except ValidationError as exc:
        messages.error(request, _validation_message(exc))
    return redirect("network:meeting", pk=meeting.pk)


@login_required
@require_POST
def decision_new(request, pk):
    meeting = get_object_or_404(Meeting, pk=pk)
    _require(request, "network.record_minutes", meeting)
    form = DecisionForm(request.POST, meeting=meeting, prefix="beschluss")
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.decision_record(meeting=meeting, text=data.pop("text"), **data)
            messages.success(request, _("Beschluss erfasst."))
        except ValidationError as exc:
            messages.error(request, _validation_message(exc))
    else:
        _form_errors(request, form)
    return redirect(reverse("network:minutes", args=[meeting.pk]) + "#beschluesse")


@login_required
@require_POST
def action_item_new(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    _require(request, "network.record_minutes", meeting)
    form = ActionItemForm(request.POST, meeting=meeting, prefix="aufgabe")
    if form.is_valid():
        data = dict(form.cleaned_data)
        data.pop(CONFIRM_PAST_FIELD)
        try:
            services.action_item_create(body=meeting.body, meeting=meeting, title=data.pop("title"), **data)
            messages.success(request, _("Aufgabe erfasst."))
        except ValidationError as exc:
            messages.error(request, _validation_message(exc))
    else:
        _form_errors(request, form)
    return redirect(reverse("network:minutes", args=[meeting.pk]) + "#aufgaben")


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def meeting_agenda_pdf(request, pk):
    meeting, denied = _meeting_or_deny(request, pk)
    if denied:
        return denied
    local = timezone.localtime(meeting.starts_at)
    data = agenda_pdf(meeting, public_only=not _internal(request.user, meeting.body))
    return _pdf_response(data, f"einladung-{local:%Y-%m-%d}.pdf")


def meeting_minutes_pdf(request, pk):
    meeting, denied = _meeting_or_deny(request, pk)
    if denied:
        return denied
    if not _internal(request.user, meeting.body):
        # Public visitors get the public record through the meeting page; the full minutes are internal.
        return _deny(request)
    local = timezone.localtime(meeting.starts_at)
    return _pdf_response(minutes_pdf(meeting), f"protokoll-{local:%Y-%m-%d}.pdf")


def meeting_ics(request, pk):
    meeting, denied = _meeting_or_deny(request, pk)
    if denied:
        return denied
    data = meeting_ical(
        meeting,
        url=request.build_absolute_uri(reverse("network:meeting", args=[meeting.pk])),
        host=calendar_host(request),
    )
    return HttpResponse(data, content_type="text/calendar; charset=utf-8")


def document_download(request, pk):
    document = get_object_or_404(
        Document.objects.select_related(
            "meeting__body", "agenda_item__meeting__body", "agreement", "commitment__agreement"
        ),
        pk=pk,
    )
    target = document.agenda_item or document.meeting or document.agreement or document.commitment
    perm = {
        "AgendaItem": "network.view_meeting",
        "Meeting": "network.view_meeting",
        "CooperationAgreement": "network.view_agreement",
        "Commitment": "network.view_agreement",
    }
    obj = target.meeting if type(target).__name__ == "AgendaItem" else target
    obj = obj.agreement if type(obj).__name__ == "Commitment" else obj
    if target is None or not request.user.has_perm(perm[type(target).__name__], obj):
        return _deny(request)
    if document.agenda_item_id and not document.agenda_item.is_public and not _internal(request.user, obj.body):
        return _deny(request)
    return FileResponse(document.file.open("rb"), filename=document.file.name.rsplit("/", 1)[-1])


# Action items ------------------------------------------------------------------------------------


@login_required
def action_items(request):
    if request.tenant is None:
        raise PermissionDenied
    status = request.GET.get("stand", "open")
    body_id = request.GET.get("gremium") or None
    org_id = request.GET.get("organisation") or None
    overdue = request.GET.get("ueberfaellig") == "1"
    query = (request.GET.get("q") or "").strip()
    qs = action_item_list(
        user=request.user,
        tenant=request.tenant,
        body_id=int(body_id) if body_id and body_id.isdigit() else None,
        organisation_id=int(org_id) if org_id and org_id.isdigit() else None,
        status=status,
        overdue_only=overdue,
        query=query,
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    bodies = bodies_visible_to(request.user, request.tenant).filter(tenant=request.tenant).order_by("name")
    return render(
        request,
        "network/action_items.html",
        {
            "page": page,
            "groups": action_items_grouped(page.object_list),
            "status": status,
            "overdue": overdue,
            "body_id": body_id,
            "organisation_id": org_id,
            "query": query,
            "bodies": bodies,
            "statuses": ActionItemStatus.choices,
            "counts": action_item_counts_by_organisation(user=request.user, tenant=request.tenant),
            "today": timezone.localdate(),
        },
    )


@login_required
def action_item_update(request, pk):
    item = get_object_or_404(
        ActionItem.objects.select_related("body", "owner_organisation", "meeting", "decision"), pk=pk
    )
    if not request.user.has_perm("network.view_actionitem", item):
        raise PermissionDenied
    can_update = request.user.has_perm("network.update_status_actionitem", item)
    form = ActionItemStatusForm(
        request.POST or None, initial={"status": item.status, "progress_note": item.progress_note}, version_of=item
    )
    if request.method == "POST":
        if not can_update:
            raise PermissionDenied
        if form.is_valid():
            services.action_item_update_status(
                item=item, status=form.cleaned_data["status"], progress_note=form.cleaned_data["progress_note"]
            )
            messages.success(request, _("Stand der Aufgabe gespeichert."))
            return redirect(request.POST.get("next") or reverse("network:action_items"))
    return render(
        request,
        "network/action_item.html",
        {"item": item, "form": form if can_update else None, "today": timezone.localdate()},
    )


# Agreements --------------------------------------------------------------------------------------


def agreements(request):
    qs = (
        agreements_visible_to(request.user, request.tenant)
        .select_related("body")
        .prefetch_related("parties", "commitments")
    )
    if request.tenant is not None:
        qs = qs.filter(tenant=request.tenant)
    page = Paginator(qs.order_by("-signed_on", "title"), 25).get_page(request.GET.get("page"))
    rows = []
    for agreement in page.object_list:
        commitments = list(agreement.commitments.all())
        done = sum(1 for c in commitments if c.status == "fulfilled")
        rows.append(
            {
                "agreement": agreement,
                "total": len(commitments),
                "done": done,
                "percent": round(100 * done / len(commitments)) if commitments else None,
                "deadlines": agreement_deadlines(agreement, timezone.localdate()),
            }
        )
    return render(
        request,
        "network/agreements.html",
        {
            "page": page,
            "rows": rows,
            "can_add": request.tenant is not None and request.user.has_perm("network.add_agreement", request.tenant),
        },
    )


def agreement_detail(request, pk):
    agreement = get_object_or_404(CooperationAgreement.objects.select_related("body", "tenant"), pk=pk)
    if not request.user.has_perm("network.view_agreement", agreement):
        return _deny(request)
    can_edit = request.user.has_perm("network.change_agreement", agreement)
    progress = agreement_progress(agreement)
    for entry in progress["parties"]:
        for commitment in entry["commitments"]:
            commitment.can_update = request.user.has_perm("network.update_status_commitment", commitment)
    return render(
        request,
        "network/agreement_detail.html",
        {
            "agreement": agreement,
            "progress": progress,
            "can_edit": can_edit,
            "deadlines": agreement_deadlines(agreement, timezone.localdate()),
            "commitment_form": CommitmentForm(agreement=agreement) if can_edit else None,
            "status_form": CommitmentStatusForm(),
            "documents": list(agreement.documents.all()),
            "document_form": DocumentForm() if can_edit else None,
        },
    )


@login_required
def agreement_form(request, pk=None):
    agreement = get_object_or_404(CooperationAgreement, pk=pk) if pk else None
    tenant = agreement.tenant if agreement else request.tenant
    if tenant is None:
        raise PermissionDenied
    _require(request, "network.change_agreement" if agreement else "network.add_agreement", agreement or tenant)
    form = AgreementForm(request.POST or None, instance=agreement, tenant=tenant)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        parties = data.pop("parties")
        try:
            if agreement is None:
                agreement = services.agreement_create(
                    tenant=tenant, title=data.pop("title"), subject=data.pop("subject"), parties=parties, **data
                )
            else:
                services.agreement_update(
                    agreement=CooperationAgreement.objects.get(pk=agreement.pk), parties=parties, **data
                )
        except ValidationError as exc:
            form.add_error(None, _validation_message(exc))
        else:
            messages.success(request, _("Vereinbarung gespeichert."))
            return redirect("network:agreement", pk=agreement.pk)
    title = agreement.title if agreement else _("Neue Kooperationsvereinbarung")
    return _form_page(request, form, title, agreement)


@login_required
@require_POST
def commitment_new(request, pk):
    agreement = get_object_or_404(CooperationAgreement, pk=pk)
    _require(request, "network.change_agreement", agreement)
    form = CommitmentForm(request.POST, agreement=agreement)
    if form.is_valid():
        data = dict(form.cleaned_data)
        data.pop(CONFIRM_PAST_FIELD)
        try:
            services.commitment_add(agreement=agreement, party=data.pop("party"), text=data.pop("text"), **data)
            messages.success(request, _("Zusage erfasst."))
        except ValidationError as exc:
            messages.error(request, _validation_message(exc))
    else:
        _form_errors(request, form)
    return redirect("network:agreement", pk=agreement.pk)


@login_required
@require_POST
def commitment_update(request, pk):
    commitment = get_object_or_404(Commitment.objects.select_related("agreement"), pk=pk)
    _require(request, "network.update_status_commitment", commitment)
    form = CommitmentStatusForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                if data.get("document"):
                    services.document_attach(
                        tenant=commitment.tenant,
                        title=data["document"].name,
                        uploaded=data["document"],
                        user=request.user,
                        commitment=commitment,
                    )
                services.commitment_update_status(
                    commitment=commitment,
                    status=data["status"],
                    evidence=data["evidence"] or None,
                    evidence_url=data["evidence_url"] or None,
                )
            messages.success(request, _("Stand der Zusage gespeichert."))
        except ValidationError as exc:
            messages.error(request, _validation_message(exc))
    else:
        _form_errors(request, form)
    return redirect(reverse("network:agreement", args=[commitment.agreement_id]) + f"#zusage-{commitment.pk}")


# Network graph -----------------------------------------------------------------------------------


def _graph(request):
    if request.tenant is None or not request.user.has_perm("network.view_network", request.tenant):
        raise PermissionDenied
    query = (request.GET.get("q") or "").strip()
    urls = {"body": "network:body", "agreement": "network:agreement", "organisation": "organisations:detail"}
    graph = network_graph(request.tenant, query=query, url_for=lambda kind, pk: reverse(urls[kind], args=[pk]))
    title = _("Netzwerk %(tenant)s, Stand %(date)s") % {
        "tenant": request.tenant.name,
        "date": f"{timezone.localdate():%d.%m.%Y}",
    }
    return graph, network_svg(graph, title=title), query


@login_required
def network_view(request):
    graph, svg, query = _graph(request)
    return render(request, "network/network.html", {"graph": graph, "svg": svg, "query": query, "limit": body_limit()})


@login_required
def network_download(request, fmt):
    _graph_obj, svg, _query = _graph(request)
    stamp = datetime.date.today().isoformat()
    if fmt == "png":
        response = HttpResponse(network_png(svg), content_type="image/png")
    else:
        response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="netzwerk-{stamp}.{fmt}"'
    return response
