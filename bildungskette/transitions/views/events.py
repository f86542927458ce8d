"""Events and bookings: the public listing with iCal, the tenant's event management, booking by
schools, and the company portal reached through an e-mailed link (no password)."""

from __future__ import annotations

import datetime

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
from icalendar import Event as IcalEvent

from bildungskette.core.auth.throttle import client_ip, rate_limited
from bildungskette.core.ical import calendar_host, ical_calendar, ical_uid
from bildungskette.organisations.selectors import organisations_visible_to

from .. import selectors as sel
from .. import services
from ..forms import COMPANY_TYPES, BookingForm, CompanyColleagueForm, CompanyContactForm, CompanyLinkForm, EventForm
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
        # Every pseudonym on the page is a read: the school's bookings and the pupils offered for booking.
        listed = [b.student_id for b in own_bookings] + [c.pk for c in candidates]
        if listed:
            services.access_log_record(tenant=tenant, actor=request.user, action=AccessAction.VIEW_LIST,
                                       what=_("Veranstaltung %(e)s: Buchungen und Auswahlliste") % {"e": event.title},
                                       school=schools[0], student_ids=listed)
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
    if not request.user.has_perm("transitions.manage_company_contacts", tenant):
        raise PermissionDenied
    form = CompanyContactForm(request.POST or None, organisations_qs=organisations_visible_to(tenant).filter(
        type__in=COMPANY_TYPES).order_by("name"))
    if request.method == "POST" and form.is_valid():
        services.company_contact_add(tenant=tenant, **form.cleaned_data)
        messages.success(request, _("Ansprechperson gespeichert. Sie kann sich jetzt per E-Mail-Link anmelden."))
        return redirect("transitions:company_contacts")
    contacts = Paginator(CompanyContact.objects.filter(tenant=tenant).select_related("organisation")
                         .order_by("organisation__name", "name"), 50).get_page(request.GET.get("page"))
    return render(request, "transitions/company_contacts.html", {"form": form, "page": contacts})


# ---------------------------------------------------------------------------------------------
# iCal
# ---------------------------------------------------------------------------------------------


def _ical(request, events) -> HttpResponse:
    calendar = ical_calendar(name="Bildungskette – Veranstaltungen zur Berufsorientierung",
                             prodid="-//Bildungskette//Veranstaltungen//DE")
    host = calendar_host(request)
    for event in events:
        item = IcalEvent()
        item.add("uid", ical_uid("transitions-event", event.pk, host))
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
    return _ical(request, sel.events_public(request.GET.get("mandant") and _tenant_by_slug(request.GET["mandant"])))


def event_ical(request, pk):
    return _ical(request, [_event_visible(request, pk)])


def _tenant_by_slug(slug):
    from bildungskette.core.models import Tenant

    return Tenant.objects.filter(slug=slug).first()


# ---------------------------------------------------------------------------------------------
# Company portal (magic link, no password, no user account)
# ---------------------------------------------------------------------------------------------


LINK_REQUESTS_PER_ADDRESS = 3  # per hour: a mailbox is not flooded
LINK_REQUESTS_PER_IP = 20  # per hour: one machine cannot probe or flood many addresses
LINK_REQUEST_WINDOW = datetime.timedelta(hours=1)


def company_login(request):
    form = CompanyLinkForm(request.POST or None)
    sent = False
    if request.method == "POST" and form.is_valid():
        if rate_limited(kind="company_link_ip", value=client_ip(request), limit=LINK_REQUESTS_PER_IP,
                        window=LINK_REQUEST_WINDOW):
            return render(request, "transitions/company_login.html", {"form": form, "too_many": True}, status=429)
        email = form.cleaned_data["email"]
        if not rate_limited(kind="company_link_email", value=email, limit=LINK_REQUESTS_PER_ADDRESS,
                            window=LINK_REQUEST_WINDOW):
            services.company_link_send(email=email, link_for=lambda token: request.build_absolute_uri(
                reverse("transitions:company_link", args=[token])))
        sent = True  # the same answer whether or not the address is known (or was asked for too often)
    return render(request, "transitions/company_login.html", {
        "form": form, "sent": sent, "minutes": services.COMPANY_LINK_MAX_AGE // 60})


@never_cache
def company_link(request, token):
    """The landing page of the e-mailed link. GET only shows a button: mail scanners that follow
    links do not use the link up. The button posts the token in the form body to
    ``company_link_signin``, so the address that creates the session carries no token."""
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    contact = services.company_link_verify(token)
    if contact is None:
        response = render(request, "transitions/company_link_invalid.html",
                          {"minutes": services.COMPANY_LINK_MAX_AGE // 60}, status=403)
    else:
        response = render(request, "transitions/company_link.html", {"contact": contact, "token": token})
    # The Referer of the button's POST carries no path, so no token ("no-referrer" would make the
    # browser send "Origin: null", which the CSRF check refuses).
    response["Referrer-Policy"] = "origin"
    return response


@never_cache
def company_link_signin(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    contact = services.company_link_consume(request.POST.get("token", ""))
    if contact is None:
        return render(request, "transitions/company_link_invalid.html",
                      {"minutes": services.COMPANY_LINK_MAX_AGE // 60}, status=403)
    request.session.cycle_key()
    request.session[COMPANY_SESSION_KEY] = {"c": contact.pk, "g": contact.link_generation}
    CompanyContact.objects.filter(pk=contact.pk).update(last_login_at=timezone.now())
    return redirect("transitions:company_portal")


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
    from ..portal import company_portal_links

    events = Paginator(sel.events_for_company(contact), 25).get_page(request.GET.get("page"))
    return render(request, "transitions/company_portal.html", {"contact": contact, "page": events,
                                                               "portal_links": company_portal_links()})


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
    return render(request, "transitions/company_event.html", {"contact": contact, "event": event, "rows": rows,
                                                              "started": event.starts_at <= timezone.now()})


def _company_booking(request, pk) -> Booking:
    contact = _company(request)
    if request.method != "POST":
        raise PermissionDenied
    return get_object_or_404(sel.company_bookings(contact).select_related("event", "student"), pk=pk)


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
    try:
        with _company_actor(_company(request)):
            services.attendance_record(booking=booking, attended=request.POST.get("attended") == "1")
        messages.success(request, _("Teilnahme gespeichert."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("transitions:company_event", pk=booking.event_id)


@never_cache
def company_colleagues(request):
    """The company manages its own contacts: add a colleague, switch one off."""
    contact = _company(request)
    form = CompanyColleagueForm(request.POST or None)
    if request.method == "POST" and "deactivate" in request.POST:
        other = get_object_or_404(sel.company_colleagues(contact), pk=request.POST.get("deactivate"))
        services.company_contact_deactivate(contact=other)
        messages.success(request, _("Zugang von %(name)s ausgeschaltet.") % {"name": other.name})
        if other.pk == contact.pk:
            request.session.pop(COMPANY_SESSION_KEY, None)
            return redirect("transitions:company_login")
        return redirect("transitions:company_colleagues")
    if request.method == "POST" and form.is_valid():
        services.company_contact_add(tenant=contact.tenant, organisation=contact.organisation, **form.cleaned_data)
        messages.success(request, _("Ansprechperson gespeichert. Sie kann sich jetzt per E-Mail-Link anmelden."))
        return redirect("transitions:company_colleagues")
    return render(request, "transitions/company_colleagues.html", {
        "contact": contact, "form": form, "colleagues": sel.company_colleagues(contact)})


def company_logout(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    request.session.pop(COMPANY_SESSION_KEY, None)
    messages.info(request, _("Sie sind abgemeldet."))
    return redirect("transitions:company_login")
