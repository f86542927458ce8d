"""OParl 1.1 (read-only) for public bodies: the standard API of German council information systems.

Mapping (OParl term ← ours):
- System ← this installation; Body ← a tenant (Kommune/Verbund) that has public bodies;
- Organization ← a public ``Body`` (Gremium, organizationType "Gremium") and each member
  institution (organizationType "Institution");
- Membership ← an organisation's membership (organization = the Gremium, onBehalfOf = the
  institution), plus one per delegated person who consented to be listed;
- Person ← delegated persons with consent to publication only;
- Meeting, AgendaItem ← meetings and public agenda items; File ← attached documents and the
  generated invitation PDF; Paper ← public decisions (paperType "Beschluss").
Internal bodies, non-public agenda items and decisions, minutes texts and action items never appear.
"""

from __future__ import annotations

import functools
import math
from urllib.parse import urlencode

from django.db.models import Max, Min, Q
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from bildungskette.core.models import Tenant
from bildungskette.organisations.models import Organisation, Person

from .models import AgendaItem, Body, Decision, Document, Meeting, MeetingStatus, Membership, OParlTombstone
from .selectors import agenda_numbers

VERSION = "https://schema.oparl.org/1.1/"
PAGE_SIZE = 100
MAX_LIMIT = 1000
MEETING_STATE = {
    MeetingStatus.PLANNED: "terminiert",
    MeetingStatus.INVITED: "eingeladen",
    MeetingStatus.HELD: "durchgeführt",
    MeetingStatus.MINUTES_APPROVED: "durchgeführt, Protokoll freigegeben",
    MeetingStatus.CANCELLED: "abgesagt",
}


class Urls:
    """Absolute URLs of OParl objects for one request.

    A list of 100 meetings needs thousands of URLs: each URL pattern is reversed once with
    placeholders and then filled in, instead of resolving every URL anew.
    """

    def __init__(self, request):
        self.request = request
        self.root = request.build_absolute_uri("/")[:-1]
        self._templates: dict[tuple[str, tuple[type, ...]], tuple[str, list[str]]] = {}

    def abs(self, path: str) -> str:
        return self.root + path

    def _url(self, name: str, args) -> str:
        key = (name, tuple(type(a) for a in args))
        if key not in self._templates:
            placeholders = [900000001 + i if isinstance(a, int) else f"zzarg{i}" for i, a in enumerate(args)]
            self._templates[key] = (reverse(name, args=placeholders), [str(p) for p in placeholders])
        template, placeholders = self._templates[key]
        for placeholder, value in zip(placeholders, args, strict=True):
            template = template.replace(placeholder, str(value), 1)
        return self.root + template

    def oparl(self, name: str, *args) -> str:
        return self._url(f"oparl:{name}", args)

    def web(self, name: str, *args) -> str:
        return self._url(name, args)


def _dt(value) -> str | None:
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


def _date(value) -> str | None:
    return value.isoformat() if value else None


def _clean(obj: dict) -> dict:
    return {k: v for k, v in obj.items() if v not in (None, "", [])}


def public_bodies():
    """Public bodies, also dissolved ones (OParl shows them with their endDate)."""
    return Body.objects.filter(is_public=True)


def oparl_tenants():
    return Tenant.objects.filter(pk__in=public_bodies().values("tenant_id")).order_by("name")


def public_memberships():
    return Membership.objects.filter(body__in=public_bodies())


def public_institutions():
    return Organisation.objects.filter(pk__in=public_memberships().values("organisation_id"))


def public_people():
    ids = public_memberships().values("delegates")
    deputy_ids = public_memberships().values("deputies")
    return Person.objects.filter(consent_to_list=True).filter(Q(pk__in=ids) | Q(pk__in=deputy_ids))


def public_meetings():
    return Meeting.objects.filter(body__in=public_bodies())


def public_agenda_items():
    return AgendaItem.objects.filter(meeting__in=public_meetings(), is_public=True)


def public_decisions():
    return Decision.objects.filter(meeting__in=public_meetings(), is_public=True).filter(
        Q(agenda_item__isnull=True) | Q(agenda_item__is_public=True)
    )


def public_documents():
    return Document.objects.filter(
        Q(agenda_item__isnull=True, meeting__in=public_meetings()) | Q(agenda_item__in=public_agenda_items())
    )


# Serialisers -------------------------------------------------------------------------------------


def system_json(u: Urls) -> dict:
    return _clean(
        {
            "id": u.oparl("system"),
            "type": "https://schema.oparl.org/1.1/System",
            "oparlVersion": VERSION,
            "body": u.oparl("bodies"),
            "name": "Bildungskette – Netzwerk & Gremien",
            "website": u.abs("/"),
            "web": u.web("network:index"),
            "created": _dt(oparl_tenants().aggregate(first=Min("created_at"))["first"]),
            "modified": _dt(public_bodies().aggregate(last=Max("updated_at"))["last"]),
            "deleted": False,
        }
    )


def body_json(u: Urls, tenant: Tenant) -> dict:
    slug = tenant.slug
    return _clean(
        {
            "id": u.oparl("body", slug),
            "type": "https://schema.oparl.org/1.1/Body",
            "system": u.oparl("system"),
            "name": tenant.name,
            "shortName": tenant.slug,
            "classification": tenant.get_kind_display(),
            "organization": u.oparl("body_organizations", slug),
            "person": u.oparl("body_people", slug),
            "meeting": u.oparl("body_meetings", slug),
            "paper": u.oparl("body_papers", slug),
            "agendaItem": u.oparl("body_agendaitems", slug),
            "file": u.oparl("body_files", slug),
            "membership": u.oparl("body_memberships", slug),
            "legislativeTerm": [],
            "created": _dt(tenant.created_at),
            "modified": _dt(
                max([tenant.created_at, *public_bodies().filter(tenant=tenant).values_list("updated_at", flat=True)])
            ),
            "web": u.web("network:index"),
            "deleted": False,
        }
    ) | {"legislativeTerm": []}


def organization_json(u: Urls, body: Body, *, memberships=None) -> dict:
    memberships = memberships if memberships is not None else list(body.memberships.all())
    today = timezone.localdate()
    active = [m for m in memberships if m.is_active_on(today)]
    parent = body.parent if body.parent_id and body.parent.is_public else None
    return _clean(
        {
            "id": u.oparl("organization", body.pk),
            "type": "https://schema.oparl.org/1.1/Organization",
            "body": u.oparl("body", body.tenant.slug),
            "name": body.name,
            "shortName": body.short_name,
            "organizationType": "Gremium",
            "classification": body.get_type_display(),
            "membership": [u.oparl("membership", m.pk) for m in memberships],
            "meeting": u.oparl("organization_meetings", body.pk),
            "subOrganizationOf": u.oparl("organization", parent.pk) if parent else None,
            "startDate": _date(body.founded_on),
            "endDate": _date(body.dissolved_on),
            "memberCount": len(active),
            "votingMemberCount": sum(1 for m in active if m.voting_right),
            "keyword": [body.field_of_action] if body.field_of_action else [],
            "created": _dt(body.created_at),
            "modified": _dt(body.updated_at),
            "web": u.web("network:body", body.pk),
            "deleted": False,
        }
    )


def institution_json(u: Urls, org: Organisation, tenant_slug: str) -> dict:
    return _clean(
        {
            "id": u.oparl("institution", org.pk),
            "type": "https://schema.oparl.org/1.1/Organization",
            "body": u.oparl("body", tenant_slug),
            "name": org.name,
            "shortName": org.short_name,
            "organizationType": "Institution",
            "classification": org.get_type_display(),
            "website": org.website,
            "created": _dt(org.created_at),
            "modified": _dt(org.updated_at),
            "web": u.web("organisations:detail", org.pk),
            "deleted": False,
        }
    )


def membership_json(u: Urls, m: Membership, person: Person | None = None) -> dict:
    ident = u.oparl("membership", m.pk) if person is None else u.oparl("person_membership", m.pk, person.pk)
    return _clean(
        {
            "id": ident,
            "type": "https://schema.oparl.org/1.1/Membership",
            "person": u.oparl("person", person.pk) if person else None,
            "organization": u.oparl("organization", m.body_id),
            "onBehalfOf": u.oparl("institution", m.organisation_id),
            "role": m.get_role_display(),
            "votingRight": m.voting_right,
            "startDate": _date(m.start_date),
            "endDate": _date(m.end_date),
            "created": _dt(m.created_at),
            "modified": _dt(max(m.updated_at, person.updated_at) if person else m.updated_at),
            "deleted": False,
        }
    )


def person_json(u: Urls, person: Person) -> dict:
    memberships = [m for m in public_memberships().filter(Q(delegates=person) | Q(deputies=person)).distinct()]
    return _clean(
        {
            "id": u.oparl("person", person.pk),
            "type": "https://schema.oparl.org/1.1/Person",
            "body": u.oparl("body", person.tenant.slug),
            "name": person.name,
            "status": [person.function] if person.function else [],
            "email": [person.email] if person.email else [],
            "phone": [person.phone] if person.phone else [],
            "membership": [membership_json(u, m, person) for m in memberships],
            "created": _dt(person.created_at),
            "modified": _dt(person.updated_at),
            "deleted": False,
        }
    )


def invitation_file_json(u: Urls, meeting: Meeting) -> dict:
    local = timezone.localtime(meeting.starts_at)
    return _clean(
        {
            "id": u.oparl("meeting_invitation", meeting.pk),
            "type": "https://schema.oparl.org/1.1/File",
            "name": f"Einladung mit Tagesordnung – {meeting.title}",
            "fileName": f"einladung-{local:%Y-%m-%d}.pdf",
            "mimeType": "application/pdf",
            "accessUrl": u.web("network:agenda_pdf", meeting.pk),
            "downloadUrl": u.web("network:agenda_pdf", meeting.pk),
            "meeting": [u.oparl("meeting", meeting.pk)],
            "created": _dt(meeting.created_at),
            "modified": _dt(meeting.updated_at),
            "deleted": False,
        }
    )


def file_json(u: Urls, doc: Document) -> dict:
    meeting_id = doc.meeting_id or (doc.agenda_item.meeting_id if doc.agenda_item_id else None)
    return _clean(
        {
            "id": u.oparl("file", doc.pk),
            "type": "https://schema.oparl.org/1.1/File",
            "name": doc.title,
            "fileName": doc.file.name.rsplit("/", 1)[-1],
            "mimeType": doc.mime_type,
            "size": doc.size,
            "sha1Checksum": doc.sha1,
            "date": _date(timezone.localtime(doc.created_at).date()) if doc.created_at else None,
            "accessUrl": u.web("network:document", doc.pk),
            "downloadUrl": u.web("network:document", doc.pk),
            "meeting": [u.oparl("meeting", meeting_id)] if meeting_id else [],
            "agendaItem": [u.oparl("agendaitem", doc.agenda_item_id)] if doc.agenda_item_id else [],
            "created": _dt(doc.created_at),
            "modified": _dt(doc.updated_at),
            "deleted": False,
        }
    )


def agenda_item_json(
    u: Urls, item: AgendaItem, *, number: str, order: int, decisions: list[Decision], documents=None
) -> dict:
    documents = list(item.documents.all()) if documents is None else documents
    return _clean(
        {
            "id": u.oparl("agendaitem", item.pk),
            "type": "https://schema.oparl.org/1.1/AgendaItem",
            "meeting": u.oparl("meeting", item.meeting_id),
            "number": number,
            "order": order,
            "name": item.title,
            "public": item.is_public,
            "result": "Beschluss gefasst" if decisions else None,
            "resolutionText": "\n\n".join(d.text for d in decisions),
            "auxiliaryFile": [file_json(u, d) for d in documents],
            "created": _dt(item.created_at),
            "modified": _dt(max([item.updated_at, *(d.updated_at for d in [*decisions, *documents])])),
            "web": u.web("network:meeting", item.meeting_id) + f"#top-{item.pk}",
            "deleted": False,
        }
    )


def meetings_related(meetings: list[Meeting]) -> dict[int, dict]:
    """Agenda items, public decisions and documents of many meetings in three queries (Django's
    prefetch builds one queryset per meeting, which dominates the time of long OParl lists)."""
    ids = [m.pk for m in meetings]
    related = {pk: {"items": [], "decisions": [], "documents": [], "item_documents": {}} for pk in ids}
    for item in AgendaItem.objects.filter(meeting_id__in=ids):
        related[item.meeting_id]["items"].append(item)
    for decision in Decision.objects.filter(meeting_id__in=ids, is_public=True):
        related[decision.meeting_id]["decisions"].append(decision)
    for doc in Document.objects.filter(Q(meeting_id__in=ids) | Q(agenda_item__meeting_id__in=ids)).select_related(
        "agenda_item"
    ):
        meeting_id = doc.meeting_id or doc.agenda_item.meeting_id
        if doc.agenda_item_id:
            related[meeting_id]["item_documents"].setdefault(doc.agenda_item_id, []).append(doc)
        else:
            related[meeting_id]["documents"].append(doc)
    return related


def _meeting_items(meeting: Meeting, all_items: list[AgendaItem] | None = None) -> list[dict]:
    all_items = list(meeting.agenda_items.all()) if all_items is None else all_items
    numbers = agenda_numbers(meeting, items=all_items)
    items = [i for i in all_items if i.is_public]
    ordered = sorted(items, key=lambda i: [int(x) for x in numbers[i.pk].split(".")])
    return [{"item": i, "number": numbers[i.pk], "order": n} for n, i in enumerate(ordered, start=1)]


def meeting_json(u: Urls, meeting: Meeting, related: dict | None = None) -> dict:
    related = related or meetings_related([meeting])[meeting.pk]
    decisions: dict = {}
    for d in related["decisions"]:
        decisions.setdefault(d.agenda_item_id, []).append(d)
    items = [
        agenda_item_json(
            u,
            r["item"],
            number=r["number"],
            order=r["order"],
            decisions=decisions.get(r["item"].pk, []),
            documents=related["item_documents"].get(r["item"].pk, []),
        )
        for r in _meeting_items(meeting, related["items"])
    ]
    location = None
    if meeting.location:
        location = {
            "id": u.oparl("location", meeting.pk),
            "type": "https://schema.oparl.org/1.1/Location",
            "description": meeting.location,
            "created": _dt(meeting.created_at),
            "modified": _dt(meeting.updated_at),
        }
    return _clean(
        {
            "id": u.oparl("meeting", meeting.pk),
            "type": "https://schema.oparl.org/1.1/Meeting",
            "name": meeting.title,
            "meetingState": MEETING_STATE.get(meeting.status, meeting.status),
            "cancelled": meeting.status == MeetingStatus.CANCELLED,
            "start": _dt(meeting.starts_at),
            "end": _dt(meeting.ends_at),
            "location": location,
            "organization": [u.oparl("organization", meeting.body_id)],
            "invitation": invitation_file_json(u, meeting),
            "auxiliaryFile": [file_json(u, d) for d in related["documents"]],
            "agendaItem": items,
            "keyword": ["synthetisch"] if meeting.is_synthetic else [],
            "created": _dt(meeting.created_at),
            "modified": _dt(meeting_modified(meeting, related)),
            "web": u.web("network:meeting", meeting.pk),
            "deleted": False,
        }
    )


def meeting_modified(meeting: Meeting, related: dict):
    """A meeting embeds its agenda items, decisions and files: it counts as modified when they are."""
    children = [*related["items"], *related["decisions"], *related["documents"]]
    children += [d for docs in related["item_documents"].values() for d in docs]
    return max([meeting.updated_at, *(c.updated_at for c in children)])


# Modification times of a meeting and everything embedded in it, for the modified_since filters.
MEETING_MODIFIED = ("updated_at", "agenda_items__updated_at", "decisions__updated_at", "documents__updated_at",
                    "agenda_items__documents__updated_at")


def location_json(u: Urls, meeting: Meeting) -> dict:
    return _clean(
        {
            "id": u.oparl("location", meeting.pk),
            "type": "https://schema.oparl.org/1.1/Location",
            "description": meeting.location,
            "meetings": [u.oparl("meeting", meeting.pk)],
            "created": _dt(meeting.created_at),
            "modified": _dt(meeting.updated_at),
            "deleted": False,
        }
    )


def paper_json(u: Urls, decision: Decision) -> dict:
    meeting = decision.meeting
    return _clean(
        {
            "id": u.oparl("paper", decision.pk),
            "type": "https://schema.oparl.org/1.1/Paper",
            "body": u.oparl("body", meeting.body.tenant.slug),
            "name": decision.text if len(decision.text) <= 200 else decision.text[:199] + "…",
            "reference": decision.reference,
            "date": _date(timezone.localtime(meeting.starts_at).date()),
            "paperType": "Beschluss",
            "originatorOrganization": [u.oparl("organization", meeting.body_id)],
            "keyword": ["synthetisch"] if decision.is_synthetic else [],
            "created": _dt(decision.created_at),
            "modified": _dt(decision.updated_at),
            "web": u.web("network:meeting", meeting.pk)
            + (f"#top-{decision.agenda_item_id}" if decision.agenda_item_id else ""),
            "deleted": False,
        }
    )


# Views -------------------------------------------------------------------------------------------


def _json(data: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


class OParlError(Exception):
    """A request the API cannot answer; becomes a JSON error body (never an HTML page)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def _error(status: int, message: str) -> JsonResponse:
    return _json({"type": "Error", "status": status, "message": message}, status=status)


def oparl_view(view):
    """Every OParl view answers errors as JSON: 400 for invalid parameters, 404 for unknown objects."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except OParlError as exc:
            return _error(exc.status, exc.message)
        except Http404 as exc:
            return _error(404, str(exc) or "Objekt nicht gefunden oder nicht öffentlich")

    return wrapper


def _datetime_param(request, param: str):
    raw = request.GET.get(param)
    if raw is None:
        return None
    value = parse_datetime(raw.strip().replace(" ", "+"))
    if value is None:
        raise OParlError(400, f"{param}: kein gültiger Zeitpunkt nach ISO 8601 (z. B. 2026-11-30T12:00:00+01:00)")
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _int_param(request, param: str, default: int, *, minimum: int = 1) -> int:
    raw = request.GET.get(param)
    if raw is None:
        return default
    if not raw.strip().isdigit() or int(raw) < minimum:
        raise OParlError(400, f"{param}: ganze Zahl ab {minimum} erwartet")
    return int(raw)


def _date_filter(request, *, created: str | None, modified: str | tuple[str, ...] | None) -> Q | None:
    """OParl list filters created_since/until and modified_since/until (ISO 8601). ``modified`` may
    name several fields (an object with embedded objects counts as modified when any of them is)."""
    condition = Q()
    used = False
    for param, fields, op in [
        ("created_since", created, "gte"),
        ("created_until", created, "lte"),
        ("modified_since", modified, "gte"),
        ("modified_until", modified, "lte"),
    ]:
        value = _datetime_param(request, param)
        if value is None or not fields:
            continue
        used = True
        names = (fields,) if isinstance(fields, str) else fields
        if op == "gte":
            any_of = Q()
            for name in names:
                any_of |= Q(**{f"{name}__gte": value})
            condition &= any_of
        else:  # until: the object's latest change is not after the bound
            condition &= Q(**{f"{names[0]}__lte": value})
            for name in names[1:]:
                condition &= ~Q(**{f"{name}__gt": value})
    return condition if used else None


def _tombstones(request, tenant, kind: str | None):
    """Deleted objects of one kind, for clients that sync (they send ``modified_since``)."""
    if kind is None or tenant is None or request.GET.get("modified_since") is None:
        return OParlTombstone.objects.none()
    qs = OParlTombstone.objects.filter(tenant=tenant, kind=kind).order_by("deleted_at", "pk")
    condition = _date_filter(request, created="created_at", modified="deleted_at")
    return qs.filter(condition) if condition is not None else qs


def tombstone_json(u: Urls, tomb: OParlTombstone) -> dict:
    kind, type_name = TOMBSTONE_KINDS[tomb.kind]
    data = {
        "id": u.oparl(kind, tomb.object_pk),
        "type": f"https://schema.oparl.org/1.1/{type_name}",
        "created": _dt(tomb.created_at),
        "modified": _dt(tomb.deleted_at),
        "deleted": True,
    }
    if tomb.kind == "agendaitem":
        data["order"] = tomb.order
    if tomb.kind == "file":
        data["accessUrl"] = u.oparl("file", tomb.object_pk)
    return data


TOMBSTONE_KINDS = {
    "meeting": ("meeting", "Meeting"),
    "agendaitem": ("agendaitem", "AgendaItem"),
    "membership": ("membership", "Membership"),
    "paper": ("paper", "Paper"),
    "file": ("file", "File"),
    "organization": ("organization", "Organization"),
}


def _list(
    request,
    qs,
    serialise,
    *,
    created: str | None = None,
    modified: str | tuple[str, ...] | None = None,
    batch: bool = False,
    tenant=None,
    deleted_kind: str | None = None,
) -> JsonResponse:
    """One page of an OParl list; ``batch``: ``serialise`` takes the whole page and returns a list.

    ``limit`` sets the page size up to ``MAX_LIMIT``; pages past the last answer 404. Clients
    that sync (``modified_since``) also get the deleted objects, after the live ones.
    """
    condition = _date_filter(request, created=created, modified=modified)
    if condition is not None:
        qs = qs.filter(condition)
        if isinstance(modified, tuple):
            qs = qs.distinct()
    size = min(_int_param(request, "limit", PAGE_SIZE), MAX_LIMIT)
    page = _int_param(request, "page", 1)
    tombs = _tombstones(request, tenant, deleted_kind)
    live_total = qs.count()
    total = live_total + tombs.count()
    pages = max(1, math.ceil(total / size))
    if page > pages:
        raise OParlError(404, f"Seite {page} gibt es nicht; die Liste hat {pages} Seite(n).")
    start, end = (page - 1) * size, page * size
    rows = list(qs[start:min(end, live_total)]) if start < live_total else []
    data = serialise(rows) if batch else [serialise(r) for r in rows]
    if end > live_total:
        u = Urls(request)
        data += [tombstone_json(u, t) for t in tombs[max(0, start - live_total) : end - live_total]]
    base = request.build_absolute_uri(request.path)
    extra = {k: v for k, v in request.GET.items() if k != "page"}

    def link(n: int) -> str:
        return f"{base}?{urlencode({**extra, 'page': n})}"

    links = {"first": link(1), "last": link(pages), "self": link(page)}
    if page > 1:
        links["prev"] = link(page - 1)
    if page < pages:
        links["next"] = link(page + 1)
    return _json(
        {
            "data": data,
            "pagination": {
                "totalElements": total,
                "elementsPerPage": size,
                "currentPage": page,
                "totalPages": pages,
            },
            "links": links,
        }
    )


def _object_or_tombstone(request, kind: str, pk: int) -> JsonResponse:
    tomb = OParlTombstone.objects.filter(kind=kind, object_pk=pk).first()
    if tomb is None:
        raise Http404
    return _json(tombstone_json(Urls(request), tomb))


def _tenant(slug: str) -> Tenant:
    tenant = oparl_tenants().filter(slug=slug).first()
    if tenant is None:
        raise Http404
    return tenant


@oparl_view
def system(request):
    return _json(system_json(Urls(request)))


@oparl_view
def bodies(request):
    u = Urls(request)
    return _list(request, oparl_tenants(), lambda t: body_json(u, t), created="created_at", modified="created_at")


@oparl_view
def body(request, slug):
    return _json(body_json(Urls(request), _tenant(slug)))


@oparl_view
def body_organizations(request, slug):
    """Gremien first, then member institutions: two querysets paged as one list."""
    tenant = _tenant(slug)
    u = Urls(request)
    gremien = (
        public_bodies()
        .filter(tenant=tenant)
        .select_related("parent", "tenant")
        .prefetch_related("memberships")
        .order_by("pk")
    )
    institutions = public_institutions().filter(body_memberships__tenant=tenant).distinct().order_by("pk")
    return _list(
        request,
        _Chain(gremien, institutions),
        lambda o: organization_json(u, o) if isinstance(o, Body) else institution_json(u, o, slug),
        created="created_at",
        modified="updated_at",
        tenant=tenant,
        deleted_kind="organization",
    )


class _Chain:
    """Two querysets as one sliceable, filterable sequence (for one paged OParl list)."""

    def __init__(self, first, second):
        self.first, self.second = first, second

    def filter(self, *args, **kwargs):
        return _Chain(self.first.filter(*args, **kwargs), self.second.filter(*args, **kwargs))

    def distinct(self):
        return self

    def count(self) -> int:
        return self.first.count() + self.second.count()

    def __getitem__(self, window: slice) -> list:
        n = self.first.count()
        start, stop = window.start or 0, window.stop
        rows = list(self.first[start:min(stop, n)]) if start < n else []
        if stop > n:
            rows += list(self.second[max(0, start - n) : stop - n])
        return rows


@oparl_view
def body_people(request, slug):
    tenant = _tenant(slug)
    u = Urls(request)
    return _list(
        request,
        public_people().filter(tenant=tenant).select_related("tenant").order_by("pk"),
        lambda p: person_json(u, p),
        created="created_at",
        modified="updated_at",
    )


def _meeting_qs():
    return public_meetings().select_related("body", "body__tenant").order_by("starts_at", "pk")


def _meetings_json(u: Urls, meetings: list[Meeting]) -> list[dict]:
    related = meetings_related(meetings)
    return [meeting_json(u, m, related[m.pk]) for m in meetings]


@oparl_view
def body_meetings(request, slug):
    tenant = _tenant(slug)
    u = Urls(request)
    return _list(
        request,
        _meeting_qs().filter(tenant=tenant),
        lambda rows: _meetings_json(u, rows),
        created="created_at",
        modified=MEETING_MODIFIED,
        batch=True,
        tenant=tenant,
        deleted_kind="meeting",
    )


@oparl_view
def body_papers(request, slug):
    tenant = _tenant(slug)
    u = Urls(request)
    qs = public_decisions().filter(tenant=tenant).select_related("meeting__body__tenant").order_by("pk")
    return _list(request, qs, lambda d: paper_json(u, d), created="created_at", modified="updated_at",
                 tenant=tenant, deleted_kind="paper")


@oparl_view
def body_agendaitems(request, slug):
    tenant = _tenant(slug)
    u = Urls(request)
    qs = (
        public_agenda_items()
        .filter(tenant=tenant)
        .select_related("meeting")
        .prefetch_related("documents", "meeting__agenda_items", "meeting__decisions")
        .order_by("meeting_id", "pk")
    )

    def serialise(item):
        numbers = agenda_numbers(item.meeting, items=list(item.meeting.agenda_items.all()))
        order = _order_of(item)
        decisions = [d for d in item.meeting.decisions.all() if d.agenda_item_id == item.pk and d.is_public]
        return agenda_item_json(u, item, number=numbers[item.pk], order=order, decisions=decisions)

    return _list(request, qs, serialise, created="created_at",
                 modified=("updated_at", "decisions__updated_at", "documents__updated_at"),
                 tenant=tenant, deleted_kind="agendaitem")


@oparl_view
def body_files(request, slug):
    tenant = _tenant(slug)
    u = Urls(request)
    qs = public_documents().filter(tenant=tenant).select_related("agenda_item").order_by("pk")
    return _list(request, qs, lambda d: file_json(u, d), created="created_at", modified="updated_at",
                 tenant=tenant, deleted_kind="file")


@oparl_view
def body_memberships(request, slug):
    tenant = _tenant(slug)
    u = Urls(request)
    return _list(request, public_memberships().filter(tenant=tenant).order_by("pk"), lambda m: membership_json(u, m),
                 created="created_at", modified="updated_at", tenant=tenant, deleted_kind="membership")


@oparl_view
def organization(request, pk):
    body = public_bodies().select_related("tenant", "parent").filter(pk=pk).first()
    if body is None:
        return _object_or_tombstone(request, "organization", pk)
    return _json(organization_json(Urls(request), body))


@oparl_view
def organization_meetings(request, pk):
    body = public_bodies().filter(pk=pk).first()
    if body is None:
        raise Http404
    u = Urls(request)
    return _list(
        request,
        _meeting_qs().filter(body=body),
        lambda rows: _meetings_json(u, rows),
        created="created_at",
        modified=MEETING_MODIFIED,
        batch=True,
    )


@oparl_view
def institution(request, pk):
    org = public_institutions().filter(pk=pk).first()
    if org is None:
        raise Http404
    tenant = public_memberships().filter(organisation=org).select_related("tenant").first().tenant
    return _json(institution_json(Urls(request), org, tenant.slug))


@oparl_view
def membership(request, pk):
    m = public_memberships().filter(pk=pk).first()
    if m is None:
        return _object_or_tombstone(request, "membership", pk)
    return _json(membership_json(Urls(request), m))


@oparl_view
def person_membership(request, pk, person_pk):
    m = public_memberships().filter(pk=pk).first()
    person = public_people().filter(pk=person_pk).first()
    if (
        m is None
        or person is None
        or not (m.delegates.filter(pk=person.pk).exists() or m.deputies.filter(pk=person.pk).exists())
    ):
        raise Http404
    return _json(membership_json(Urls(request), m, person))


@oparl_view
def person(request, pk):
    p = public_people().select_related("tenant").filter(pk=pk).first()
    if p is None:
        raise Http404
    return _json(person_json(Urls(request), p))


@oparl_view
def meeting(request, pk):
    m = _meeting_qs().filter(pk=pk).first()
    if m is None:
        return _object_or_tombstone(request, "meeting", pk)
    return _json(meeting_json(Urls(request), m))


@oparl_view
def meeting_invitation(request, pk):
    m = public_meetings().filter(pk=pk).first()
    if m is None:
        raise Http404
    return _json(invitation_file_json(Urls(request), m))


@oparl_view
def location(request, pk):
    m = public_meetings().filter(pk=pk).exclude(location="").first()
    if m is None:
        raise Http404
    return _json(location_json(Urls(request), m))


def _order_of(item: AgendaItem) -> int:
    rows = _meeting_items(item.meeting)
    return next(r["order"] for r in rows if r["item"].pk == item.pk)


@oparl_view
def agenda_item(request, pk):
    item = public_agenda_items().select_related("meeting").filter(pk=pk).first()
    if item is None:
        return _object_or_tombstone(request, "agendaitem", pk)
    numbers = agenda_numbers(item.meeting)
    decisions = [d for d in item.decisions.all() if d.is_public]
    return _json(
        agenda_item_json(Urls(request), item, number=numbers[item.pk], order=_order_of(item), decisions=decisions)
    )


@oparl_view
def file(request, pk):
    doc = public_documents().select_related("agenda_item").filter(pk=pk).first()
    if doc is None:
        return _object_or_tombstone(request, "file", pk)
    return _json(file_json(Urls(request), doc))


@oparl_view
def paper(request, pk):
    decision = public_decisions().select_related("meeting__body__tenant").filter(pk=pk).first()
    if decision is None:
        return _object_or_tombstone(request, "paper", pk)
    return _json(paper_json(Urls(request), decision))


# Deleted objects ---------------------------------------------------------------------------------


def _tombstone_for(instance) -> tuple[str, int] | None:
    """(kind, order) of a public object about to be deleted, or None if it was never public."""
    if isinstance(instance, Body):
        return ("organization", 0) if instance.is_public else None
    if isinstance(instance, Meeting):
        return ("meeting", 0) if public_bodies().filter(pk=instance.body_id).exists() else None
    if isinstance(instance, AgendaItem):
        return ("agendaitem", instance.position) if public_agenda_items().filter(pk=instance.pk).exists() else None
    if isinstance(instance, Membership):
        return ("membership", 0) if public_bodies().filter(pk=instance.body_id).exists() else None
    if isinstance(instance, Decision):
        return ("paper", 0) if public_decisions().filter(pk=instance.pk).exists() else None
    if isinstance(instance, Document):
        return ("file", 0) if public_documents().filter(pk=instance.pk).exists() else None
    return None


def tombstone_record(sender, instance, **kwargs) -> None:
    found = _tombstone_for(instance)
    if found is None:
        return
    kind, order = found
    OParlTombstone.objects.update_or_create(
        kind=kind,
        object_pk=instance.pk,
        defaults={
            "tenant_id": instance.tenant_id,
            "created_at": getattr(instance, "created_at", None) or timezone.now(),
            "deleted_at": timezone.now(),
            "order": order,
        },
    )


def tombstones_connect() -> None:
    from django.db.models.signals import pre_delete

    for model in (Body, Meeting, AgendaItem, Membership, Decision, Document):
        pre_delete.connect(tombstone_record, sender=model, dispatch_uid=f"oparl-tombstone-{model.__name__}")
