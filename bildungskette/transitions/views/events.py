"""Events and bookings: the public listing with iCal, the tenant's event management, booking by
schools, and the company portal reached through an e-mailed link (no password)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from icalendar import Calendar
from icalendar import Event as IcalEvent

from bildungskette.organisations.selectors import organisations_visible_to

from .. import selectors as sel
from .. import services
from ..forms import COMPANY_TYPES, BookingForm, CompanyContactForm, CompanyLinkForm, EventForm
from ..models import AccessAction, Booking, CompanyContact, Event, StudentStatus
from .common import tenant_required

COMPANY_SESSION_KEY = "transitions_company"


def event_list(request):
    """Public events for everybody; the tenant's staff and schools also see non-public ones."""
    tenant = request.tenant
    can_manage = tenant is not None and request.user.has_perm("transitions.manage_events", tenant)
    qs = sel.events_for_tenant(tenant) if can_manage else sel.events_public(tenant)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(request, "transitions/events.html", {"page": page, "can_manage": can_manage})


def _event_visible(request, pk) -> Event:
    tenant = request.tenant
    qs = Event.objects.select_related("organisation", "occupational_field", "tenant")
    event = get_object_or_404(qs, pk=pk)
    if event.is_public:
        return event
    if tenant is not None and event.tenant_id == tenant.pk and request.user.has_perm("transitions.manage_events",
                                                                                      tenant):
        return event
    raise Http404


def event_detail(request, pk):
    event = _event_visible(request, pk)
    tenant = request.tenant
    schools = list(sel.schools_managed_by(request.user, tenant)) if tenant and tenant.pk == event.tenant_id else []
    own_bookings, candidates = [], []
    if schools:
        own_bookings = list(Booking.objects.filter(event=event, student__school__in=schools)
                            .select_related("student").order_by("status", "student__pseudonym"))
        booked = {b.student_id for b in own_bookings}
        candidates = [s for s in sel.students_visible_to(request.user, tenant).filter(
            status=StudentStatus.ACTIVE).order_by("class_name", "pseudonym") if s.pk not in booked]
        if own_bookings:
            services.access_log_record(tenant=tenant, actor=request.user, action=AccessAction.VIEW_LIST,
                                       what=_("Buchungen %(e)s") % {"e": event.title}, school=schools[0],
                                       student_ids=[b.student_id for b in own_bookings])
    taken = event.bookings.filter(status__in=["requested", "confirmed"]).count()
    classes = sorted({s.class_name for s in candidates})
    return render(request, "transitions/event.html", {
        "event": event, "own_bookings": own_bookings, "candidates": candidates, "classes": classes,
        "free": max(event.capacity - taken, 0), "booking_form": BookingForm(), "can_book": bool(schools),
    })


@login_required
def event_book(request, pk):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    tenant = tenant_required(request)
    event = get_object_or_404(Event, pk=pk, tenant=tenant)
    form = BookingForm(request.POST)
    if not form.is_valid():
        raise PermissionDenied
    students = sel.students_visible_to(request.user, tenant).filter(status=StudentStatus.ACTIVE)
    wanted_class = request.POST.get("class_name")
    if wanted_class:
        students = students.filter(class_name=wanted_class)
    else:
        ids = [int(v) for v in request.POST.getlist("students") if v.isdigit()]
        students = students.filter(pk__in=ids)
    booked = waiting = 0
    for student in students.select_related("school"):
        booking = services.booking_create(event=event, student=student, shared_name=form.cleaned_data["shared_name"])
        if booking.status == "waitlist":
            waiting += 1
        else:
            booked += 1
    messages.success(request, _("%(b)d Plätze angefragt, %(w)d auf der Warteliste.") % {"b": booked, "w": waiting})
    return redirect("transitions:event", pk=event.pk)


@login_required
def booking_cancel(request, pk):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    tenant = tenant_required(request)
    booking = get_object_or_404(Booking.objects.filter(student__in=sel.students_visible_to(request.user, tenant)),
                                pk=pk)
    services.booking_cancel(booking=booking)
    messages.success(request, _("Buchung storniert."))
    return redirect("transitions:event", pk=booking.event_id)


@login_required
def event_new(request):
    tenant = tenant_required(request)
    if not request.user.has_perm("transitions.manage_events", tenant):
        raise PermissionDenied
    form = EventForm(request.POST or None, organisations_qs=organisations_visible_to(tenant).filter(
        type__in=COMPANY_TYPES).order_by("name"), fields_qs=sel.occupational_fields())
    if request.method == "POST" and form.is_valid():
        event = services.event_create(tenant=tenant, **form.cleaned_data)
        messages.success(request, _("Veranstaltung angelegt."))
        return redirect("transitions:event", pk=event.pk)
    return render(request, "transitions/form.html", {"form": form, "title": _("Veranstaltung anlegen")})


@login_required
def company_contacts(request):
    tenant = tenant_required(request)
    if not request.user.has_perm("transitions.manage_events", tenant):
        raise PermissionDenied
    form = CompanyContactForm(request.POST or None, organisations_qs=organisations_visible_to(tenant).filter(
        type__in=COMPANY_TYPES).order_by("name"))
    if request.method == "POST" and form.is_valid():
        CompanyContact.objects.get_or_create(tenant=tenant, organisation=form.cleaned_data["organisation"],
                                             email=form.cleaned_data["email"],
                                             defaults={"name": form.cleaned_data["name"]})
        messages.success(request, _("Ansprechperson gespeichert. Sie kann sich jetzt per E-Mail-Link anmelden."))
        return redirect("transitions:company_contacts")
    contacts = Paginator(CompanyContact.objects.filter(tenant=tenant).select_related("organisation")
                         .order_by("organisation__name", "name"), 50).get_page(request.GET.get("page"))
    return render(request, "transitions/company_contacts.html", {"form": form, "page": contacts})


# ---------------------------------------------------------------------------------------------
# iCal
# ---------------------------------------------------------------------------------------------


def _ical(events) -> HttpResponse:
    calendar = Calendar()
    calendar.add("prodid", "-//Bildungskette//Veranstaltungen//DE")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Bildungskette – Veranstaltungen zur Berufsorientierung")
    for event in events:
        item = IcalEvent()
        item.add("uid", f"transitions-event-{event.pk}@bildungskette")
        item.add("summary", event.title)
        item.add("dtstart", event.starts_at)
        item.add("dtend", event.ends_at)
        item.add("dtstamp", timezone.now())
        item.add("location", event.location)
        item.add("description", f"{event.organisation}. {event.description}".strip())
        calendar.add_component(item)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="veranstaltungen.ics"'
    return response


def events_ical(request):
    return _ical(sel.events_public(request.GET.get("mandant") and _tenant_by_slug(request.GET["mandant"])))


def event_ical(request, pk):
    return _ical([_event_visible(request, pk)])


def _tenant_by_slug(slug):
    from bildungskette.core.models import Tenant

    return Tenant.objects.filter(slug=slug).first()


# ---------------------------------------------------------------------------------------------
# Company portal (magic link, no password, no user account)
# ---------------------------------------------------------------------------------------------


def company_login(request):
    form = CompanyLinkForm(request.POST or None)
    sent = False
    if request.method == "POST" and form.is_valid():
        services.company_link_send(email=form.cleaned_data["email"], link_for=lambda token: request.build_absolute_uri(
            reverse("transitions:company_link", args=[token])))
        sent = True  # the same answer whether or not the address is known
    return render(request, "transitions/company_login.html", {"form": form, "sent": sent})


@never_cache
def company_link(request, token):
    """GET shows a button, POST signs in: mail scanners that follow links do not use the link up."""
    contact = services.company_link_verify(token)
    if contact is None:
        return render(request, "transitions/company_link_invalid.html", status=403)
    if request.method == "POST":
        request.session.cycle_key()
        request.session[COMPANY_SESSION_KEY] = {"c": contact.pk, "g": contact.link_generation}
        CompanyContact.objects.filter(pk=contact.pk).update(last_login_at=timezone.now())
        return redirect("transitions:company_portal")
    return render(request, "transitions/company_link.html", {"contact": contact})


def _company(request) -> CompanyContact:
    contact = sel.company_contact_for_session(request)
    if contact is None:
        raise PermissionDenied
    return contact


def _company_actor(contact: CompanyContact):
    """Changes a company makes are logged under its name, as the coordination knows it."""
    from bildungskette.core.audit import audit_actor

    return audit_actor(None, _("%(org)s (Anmeldung per Link)") % {"org": contact.organisation})


@never_cache
def company_portal(request):
    contact = sel.company_contact_for_session(request)
    if contact is None:
        return redirect("transitions:company_login")
    events = Paginator(sel.events_for_company(contact), 25).get_page(request.GET.get("page"))
    return render(request, "transitions/company_portal.html", {"contact": contact, "page": events})


@never_cache
def company_event_new(request):
    """Companies publish their own events and Berufsfelderkundung places."""
    contact = _company(request)
    form = EventForm(request.POST or None, organisations_qs=None, fields_qs=sel.occupational_fields())
    form.fields.pop("organisation")
    if request.method == "POST" and form.is_valid():
        with _company_actor(contact):
            event = services.event_create(tenant=contact.tenant, organisation=contact.organisation,
                                          **form.cleaned_data)
        messages.success(request, _("Veröffentlicht. Schulen können jetzt Plätze buchen."))
        return redirect("transitions:company_event", pk=event.pk)
    return render(request, "transitions/form.html", {"form": form, "title": _("Veranstaltung oder "
                                                                               "Berufsfelderkundungsplatz anbieten")})


@never_cache
def company_event(request, pk):
    contact = _company(request)
    event = get_object_or_404(sel.events_for_company(contact), pk=pk)
    bookings = list(sel.bookings_for_company(contact, event))
    rows = [{"booking": b, "name": sel.booking_display_name(b)} for b in bookings]
    services.access_log_record(tenant=contact.tenant, actor=None, actor_label=f"Betrieb: {contact}",
                               action=AccessAction.COMPANY, what=f"Teilnehmende {event.title}",
                               student_ids=[b.student_id for b in bookings])
    return render(request, "transitions/company_event.html", {"contact": contact, "event": event, "rows": rows})


def _company_booking(request, pk) -> Booking:
    contact = _company(request)
    if request.method != "POST":
        raise PermissionDenied
    return get_object_or_404(Booking.objects.select_related("event", "student"), pk=pk,
                             event__organisation=contact.organisation, event__tenant=contact.tenant)


def company_booking_confirm(request, pk):
    booking = _company_booking(request, pk)
    try:
        with _company_actor(_company(request)):
            services.booking_confirm(booking=booking)
        messages.success(request, _("Buchung bestätigt."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("transitions:company_event", pk=booking.event_id)


def company_booking_attendance(request, pk):
    booking = _company_booking(request, pk)
    with _company_actor(_company(request)):
        services.attendance_record(booking=booking, attended=request.POST.get("attended") == "1")
    messages.success(request, _("Teilnahme gespeichert."))
    return redirect("transitions:company_event", pk=booking.event_id)


def company_logout(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    request.session.pop(COMPANY_SESSION_KEY, None)
    messages.info(request, _("Sie sind abgemeldet."))
    return redirect("transitions:company_login")
