"""Screens of a school's transition managers: overview against the catalogue, class with gap view
and class-wide recording, student record, September guarantee, follow-up, class-list import."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bildungskette.core.importing import ImportRejected
from bildungskette.core.models import Role
from bildungskette.core.selectors import user_roles
from bildungskette.organisations.selectors import organisations_visible_to

from .. import selectors as sel
from .. import services
from ..forms import (
    COMPANY_TYPES,
    ActivityForm,
    ClassDestinationForm,
    ClassListUploadForm,
    ConsentForm,
    DestinationForm,
    FollowUpForm,
    HandoverForm,
    SchoolSettingsForm,
    StudentForm,
)
from ..models import AccessAction, ActivityKind, DestinationKind, FollowUp, StudentStatus
from .common import log_read, tenant_required


@login_required
def index(request):
    tenant = tenant_required(request)
    roles = user_roles(request.user, tenant)
    if not roles:
        raise PermissionDenied
    schools = list(sel.schools_managed_by(request.user, tenant))
    if len(schools) == 1 and roles == {Role.TRANSITION_MANAGER}:
        return redirect("transitions:school", pk=schools[0].pk)
    return render(request, "transitions/index.html", {
        "schools": schools, "roles": roles,
        "can_stats": request.user.has_perm("transitions.view_statistics", tenant),
        "can_access_log": request.user.has_perm("transitions.view_accesslog", tenant),
        "can_events": request.user.has_perm("transitions.manage_events", tenant),
        "can_contacts": request.user.has_perm("transitions.manage_company_contacts", tenant),
    })


def _providers(tenant):
    return organisations_visible_to(tenant).filter(type__in=COMPANY_TYPES).order_by("name")


@login_required
def school_detail(request, pk):
    tenant = tenant_required(request)
    school = sel.school_get(request.user, tenant, pk)
    return render(request, "transitions/school.html", {
        "school": school, "classes": sel.school_classes(school), "benchmarks": sel.school_benchmarks(school),
        "catalogue": sel.catalogue_for_tenant(tenant),
        "open_follow_ups": FollowUp.objects.filter(student__school=school, status="open").count(),
        "left_count": school.students.filter(status=StudentStatus.LEFT).count(),
        "synthetic": school.students.filter(synthetic=True).exists(),
    })


@login_required
def class_detail(request, pk, class_name):
    tenant = tenant_required(request)
    school = sel.school_get(request.user, tenant, pk)
    students = list(sel.class_students(school, class_name))
    if not students:
        raise Http404
    form = ActivityForm(request.POST or None, fields_qs=sel.occupational_fields(), providers_qs=_providers(tenant),
                        prefix="a")
    if request.method == "POST":
        chosen = {int(v) for v in request.POST.getlist("students") if v.isdigit()}
        chosen_students = [s for s in students if s.pk in chosen]
        if not chosen_students:
            messages.error(request, _("Bitte mindestens eine Schülerin oder einen Schüler auswählen."))
        elif form.is_valid():
            data = form.cleaned_data
            count, duplicates = services.activity_record_for_students(
                students=chosen_students, kind=data["kind"], on_date=data["on_date"],
                element=sel.element_for_kind(tenant, data["kind"]), occupational_field=data["occupational_field"],
                occupation=data["occupation"], provider=data["provider"], note=data["note"])
            messages.success(request, _("%(kind)s für %(n)d Schüler*innen erfasst.") % {
                "kind": ActivityKind(data["kind"]).label, "n": count})
            if duplicates:
                messages.warning(request, _("%(n)d davon waren an diesem Tag schon erfasst und wurden nicht "
                                            "doppelt gespeichert.") % {"n": duplicates})
            return redirect("transitions:class", pk=school.pk, class_name=class_name)
    page = Paginator(students, 100).get_page(request.GET.get("page"))
    log_read(request, action=AccessAction.VIEW_LIST, what=_("Klasse %(c)s") % {"c": class_name}, school=school,
             students=page.object_list)
    return render(request, "transitions/class.html", {
        "school": school, "class_name": class_name, "page": page, "form": form,
        # After recording, nothing stays ticked, so a second click cannot record everything again.
        "gaps": sel.gap_summary(students), "chosen": request.POST.getlist("students") if request.method == "POST"
        else [str(s.pk) for s in students] if request.GET.get("alle") == "1" else [],
        "all_chosen": request.method == "GET" and request.GET.get("alle") == "1",
    })


@login_required
def class_destinations(request, pk, class_name):
    """Anschlussvereinbarungen for a whole class on one screen."""
    tenant = tenant_required(request)
    school = sel.school_get(request.user, tenant, pk)
    students = list(sel.class_students(school, class_name))
    form = ClassDestinationForm(request.POST or None, students=students, options_qs=sel.destination_options(tenant))
    if request.method == "POST" and form.is_valid():
        changed = 0
        for student in students:
            option = form.cleaned_data.get(f"s{student.pk}")
            if option and option.pk != student.planned_option_id:
                services.destination_set(student=student, kind=DestinationKind.PLANNED, option=option,
                                         on_date=form.cleaned_data["on_date"], owner=request.user)
                changed += 1
        messages.success(request, _("%(n)d Anschlussvereinbarungen gespeichert.") % {"n": changed})
        return redirect("transitions:class", pk=school.pk, class_name=class_name)
    log_read(request, action=AccessAction.VIEW_LIST, what=_("Anschlüsse Klasse %(c)s") % {"c": class_name},
             school=school, students=students)
    return render(request, "transitions/class_destinations.html", {
        "school": school, "class_name": class_name, "form": form,
        "rows": [(s, form[f"s{s.pk}"]) for s in students]})


@login_required
def student_new(request, pk):
    tenant = tenant_required(request)
    school = sel.school_get(request.user, tenant, pk)
    form = StudentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        student = services.student_create(school=school, **form.cleaned_data)
        messages.success(request, _("Angelegt mit dem Pseudonym %(p)s.") % {"p": student.pseudonym})
        return redirect("transitions:student", pk=student.pk)
    return render(request, "transitions/form.html", {"form": form, "title": _("Schüler*in anlegen"),
                                                     "school": school})


@login_required
def school_settings(request, pk):
    tenant = tenant_required(request)
    school = sel.school_get(request.user, tenant, pk)
    form = SchoolSettingsForm(request.POST or None, initial={"names_enabled": school.names_enabled,
                                                             "final_grade": school.final_grade}, version_of=school)
    if request.method == "POST" and form.is_valid():
        services.school_ensure(tenant=tenant, organisation=school.organisation, **form.cleaned_data)
        messages.success(request, _("Einstellungen gespeichert."))
        return redirect("transitions:school", pk=school.pk)
    return render(request, "transitions/form.html", {"form": form, "title": _("Einstellungen der Schule"),
                                                     "school": school})


@login_required
def school_import(request, pk):
    tenant = tenant_required(request)
    school = sel.school_get(request.user, tenant, pk)
    form = ClassListUploadForm(request.POST or None, request.FILES or None)
    result, problems = None, []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]  # size checked by the form (UPLOAD_LIMITS["klassenliste"])
        try:
            result = services.class_list_import(school=school, raw=upload.read(), actor=request.user)
        except ImportRejected as exc:
            problems = [str(p) for p in exc.problems[:50]]
    return render(request, "transitions/import.html", {"form": form, "school": school, "result": result,
                                                       "problems": problems})


@login_required
def school_advance(request, pk):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    tenant = tenant_required(request)
    school = sel.school_get(request.user, tenant, pk)
    counts = services.school_year_advance(school=school)
    messages.success(request, _("%(m)d Schüler*innen versetzt, %(l)d als Abgänger*innen übernommen.") % {
        "m": counts["moved"], "l": counts["left"]})
    return redirect("transitions:school", pk=school.pk)


@login_required
def september(request, pk):
    tenant = tenant_required(request)
    school = sel.school_get(request.user, tenant, pk)
    page = Paginator(sel.september_guarantee(school), 50).get_page(request.GET.get("page"))
    log_read(request, action=AccessAction.VIEW_LIST, what=_("September-Garantie"), school=school,
             students=page.object_list)
    return render(request, "transitions/september.html", {"school": school, "page": page})


@login_required
def student_detail(request, pk):
    tenant = tenant_required(request)
    student = sel.student_get(request.user, tenant, pk)
    first, last = sel.student_names(student)
    log_read(request, action=AccessAction.VIEW_STUDENT, what=_("Schülerakte"), school=student.school,
             students=[student])
    options, fields_qs = sel.destination_options(tenant), sel.occupational_fields()
    return render(request, "transitions/student.html", {
        "student": student, "first_name": first, "last_name": last,
        "activities": sel.student_activities(student),
        "destinations": student.destinations.select_related("option", "occupational_field"),
        "follow_ups": student.follow_ups.select_related("owner"),
        "consents": student.consents.all(), "handovers": student.handovers.select_related("consent"),
        "bookings": student.bookings.select_related("event__organisation"),
        "activity_form": ActivityForm(fields_qs=fields_qs, providers_qs=_providers(tenant), prefix="a"),
        "destination_form": DestinationForm(options_qs=options, fields_qs=fields_qs,
                                            providers_qs=_providers(tenant), prefix="d"),
        "consent_form": ConsentForm(prefix="c"), "handover_form": HandoverForm(prefix="h"),
        "handover_basis": services.handover_basis(student),
        "policy": services.policy_for(tenant),
    })


def _student_post(request, pk):
    if request.method != "POST":
        raise PermissionDenied
    tenant = tenant_required(request)
    return tenant, sel.student_get(request.user, tenant, pk)


@login_required
def student_activity(request, pk):
    tenant, student = _student_post(request, pk)
    form = ActivityForm(request.POST, fields_qs=sel.occupational_fields(), providers_qs=_providers(tenant), prefix="a")
    if form.is_valid():
        data = form.cleaned_data
        services.activity_record(student=student, element=sel.element_for_kind(tenant, data["kind"]), **data)
        messages.success(request, _("Aktivität erfasst."))
    else:
        messages.error(request, "; ".join(e for errs in form.errors.values() for e in errs))
    return redirect("transitions:student", pk=student.pk)


@login_required
def student_destination(request, pk):
    tenant, student = _student_post(request, pk)
    form = DestinationForm(request.POST, options_qs=sel.destination_options(tenant),
                           fields_qs=sel.occupational_fields(), providers_qs=_providers(tenant), prefix="d")
    if form.is_valid():
        services.destination_set(student=student, owner=request.user, **form.cleaned_data)
        messages.success(request, _("Anschluss gespeichert."))
    else:
        messages.error(request, "; ".join(e for errs in form.errors.values() for e in errs))
    return redirect("transitions:student", pk=student.pk)


@login_required
def student_consent(request, pk):
    tenant, student = _student_post(request, pk)
    form = ConsentForm(request.POST, prefix="c")
    if form.is_valid():
        try:
            services.consent_record(student=student, recorded_by=request.user, **form.cleaned_data)
            messages.success(request, _("Rechtsgrundlage bzw. Einwilligung erfasst."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, "; ".join(e for errs in form.errors.values() for e in errs))
    return redirect("transitions:student", pk=student.pk)


@login_required
def student_consent_withdraw(request, pk, consent_pk):
    tenant, student = _student_post(request, pk)
    consent = get_object_or_404(student.consents, pk=consent_pk, withdrawn_on__isnull=True)
    services.consent_withdraw(consent=consent)
    messages.success(request, _("Widerruf bzw. Widerspruch erfasst."))
    return redirect("transitions:student", pk=student.pk)


@login_required
def student_handover(request, pk):
    tenant, student = _student_post(request, pk)
    form = HandoverForm(request.POST, prefix="h")
    if form.is_valid():
        try:
            services.handover_create(student=student, recipient=form.cleaned_data["recipient"], actor=request.user)
            messages.success(request, _("Übergabe dokumentiert."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect("transitions:student", pk=student.pk)


@login_required
def student_export(request, pk):
    tenant = tenant_required(request)
    student = sel.student_get(request.user, tenant, pk)
    log_read(request, action=AccessAction.EXPORT, what=_("Auskunft nach Art. 15 DSGVO"), school=student.school,
             students=[student])
    data = sel.student_export(student)
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="auskunft-{student.pseudonym}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def student_erase(request, pk):
    tenant = tenant_required(request)
    student = sel.student_get(request.user, tenant, pk)
    if request.method == "POST":
        if request.POST.get("confirm") != student.pseudonym:
            messages.error(request, _("Zur Bestätigung bitte das Pseudonym eingeben."))
        else:
            school = student.school
            services.student_erase(student=student, actor=request.user)
            messages.success(request, _("Alle Daten der Person wurden gelöscht (Art. 17 DSGVO)."))
            return redirect("transitions:school", pk=school.pk)
    log_read(request, action=AccessAction.VIEW_STUDENT, what=_("Löschseite"), school=student.school,
             students=[student])
    return render(request, "transitions/erase.html", {"student": student})


@login_required
def follow_up_list(request):
    tenant = tenant_required(request)
    qs = sel.follow_ups_for(request.user, tenant)
    if request.GET.get("meine") == "1":
        qs = qs.filter(Q(owner=request.user))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    log_read(request, action=AccessAction.VIEW_LIST, what=_("Nachverfolgung"),
             students=[f.student_id for f in page.object_list])
    return render(request, "transitions/follow_ups.html", {"page": page, "today": timezone.localdate()})


@login_required
def follow_up_edit(request, pk):
    tenant = tenant_required(request)
    follow_up = get_object_or_404(FollowUp.objects.filter(student__in=sel.students_visible_to(request.user, tenant))
                                  .select_related("student"), pk=pk)
    form = FollowUpForm(request.POST or None, initial={"due_on": follow_up.due_on, "notes": follow_up.notes},
                        version_of=follow_up)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["close"]:
            services.follow_up_close(follow_up=follow_up, notes=form.cleaned_data["notes"])
        else:
            services.follow_up_update(follow_up=follow_up, owner=request.user, due_on=form.cleaned_data["due_on"],
                                      notes=form.cleaned_data["notes"])
        messages.success(request, _("Nachverfolgung gespeichert."))
        return redirect(reverse("transitions:student", args=[follow_up.student_id]))
    log_read(request, action=AccessAction.VIEW_STUDENT, what=_("Nachverfolgung bearbeiten"),
             school=follow_up.student.school, students=[follow_up.student_id])
    return render(request, "transitions/form.html", {"form": form, "title": _("Nachverfolgung")})
