"""Reads for "what is current": the Datenstand of every source, stale inputs, notices, Agenturbezirke."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max, Q
from django.utils import timezone

from bildungskette.regions.models import Region, RegionKind

from ..models import ImportRun, ImportStatus, Period, Source, Value
from .models import AgencyDistrictMember, DataNotice, IndicatorFollow, RefreshOutcome, RefreshRun, Subscription

DEFAULT_MAX_AGE_MONTHS = 24


def max_age_months() -> int:
    """The age after which inputs count as old (setting ``MONITORING_STALE_AFTER_MONTHS``)."""
    return int(getattr(settings, "MONITORING_STALE_AFTER_MONTHS", DEFAULT_MAX_AGE_MONTHS))


def today() -> datetime.date:
    return timezone.localdate()


def _months_before(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 - months
    year = day.year + month // 12
    month = month % 12 + 1
    return datetime.date(year, month, min(day.day, 28))


def _months_after(day: datetime.date, months: int) -> datetime.date:
    return _months_before(day, -months)


def is_stale(period: Period | None, *, months: int | None = None, on: datetime.date | None = None) -> bool:
    """True when the period ended longer ago than the chosen age."""
    if period is None:
        return False
    months = max_age_months() if months is None else months
    return period.end < _months_before(on or today(), months)


# Publication rhythm by publisher: (months between releases, months from the end of a period to its release).
# An estimate for planning, shown as such: BA monthly figures appear about a month after the
# reporting month; the BIBB survey in December for the year to 30 September; GENESIS school and
# population tables about 8–20 months after the end of the period.
RHYTHMS = [
    ("Bundesagentur", 1, 1, "monatlich"),
    ("BIBB", 12, 3, "jährlich (Dezember)"),
    ("Bundesinstitut für Berufsbildung", 12, 3, "jährlich (Dezember)"),
    ("Statistische Ämter", 12, 14, "jährlich"),
    ("Statistisches", 12, 14, "jährlich"),
]


def publication_rhythm(source: Source) -> tuple[int, int, str] | None:
    for needle, every, lag, label in RHYTHMS:
        if needle.lower() in (source.publisher or "").lower() or needle.lower() in (source.attribution or "").lower():
            return every, lag, label
    return None


@dataclass
class SourceState:
    source: Source
    newest: Period | None
    last_refresh: datetime.datetime | datetime.date | None
    last_refresh_how: str
    next_expected: datetime.date | None
    overdue: bool
    rhythm: str
    failure: str
    stale: bool
    subscriptions: list


def datenstand(*, tenant, months: int | None = None) -> list[SourceState]:
    """Every source the tenant sees (shared and own) with its newest period and what is known about updates."""
    months = max_age_months() if months is None else months
    sources = (
        Source.objects.filter(Q(tenant__isnull=True) | Q(tenant=tenant))
        if tenant
        else Source.objects.filter(tenant__isnull=True)
    )
    sources = list(sources.order_by("publisher", "table_code", "title"))
    values = Value.objects.filter(source__in=sources)
    values = values.filter(Q(tenant__isnull=True) | Q(tenant=tenant)) if tenant else values.filter(tenant__isnull=True)
    newest_end = dict(values.values("source_id").annotate(m=Max("period__end")).values_list("source_id", "m"))
    periods: dict[tuple[int, datetime.date], Period] = {}
    if newest_end:
        for source_id, end in newest_end.items():
            p = (
                Period.objects.filter(end=end, pk__in=values.filter(source_id=source_id).values("period_id"))
                .order_by("kind")
                .first()
            )
            periods[(source_id, end)] = p
    subs_by_source: dict[int | None, list[Subscription]] = {}
    if tenant is not None:
        for sub in Subscription.objects.filter(tenant=tenant):
            subs_by_source.setdefault(sub.source_id, []).append(sub)
    states = []
    for source in sources:
        end = newest_end.get(source.pk)
        if end is None and source.pk not in subs_by_source:
            continue
        newest = periods.get((source.pk, end)) if end else None
        subs = subs_by_source.get(source.pk, [])
        runs = RefreshRun.objects.filter(subscription__in=subs).order_by("-started_at") if subs else []
        last_run = runs[0] if subs and runs.exists() else None
        last_import = ImportRun.objects.filter(source=source, status=ImportStatus.DONE).order_by("-finished_at").first()
        if last_run is not None:
            last, how = last_run.finished_at or last_run.started_at, str(last_run.get_outcome_display())
        elif last_import is not None:
            last, how = last_import.finished_at, f"Import {last_import.original_name}"
        else:
            last, how = source.retrieved_on or source.updated_at, "Stand der Quelle"
        failure = ""
        if last_run is not None and last_run.outcome == RefreshOutcome.FAILED:
            failure = last_run.message
        rhythm = publication_rhythm(source)
        next_expected = None
        if rhythm and newest is not None:
            every, lag, _ = rhythm
            next_expected = _months_after(newest.end, every + lag)
        states.append(
            SourceState(
                source=source,
                newest=newest,
                last_refresh=last,
                last_refresh_how=how,
                next_expected=next_expected,
                overdue=next_expected is not None and next_expected < today(),
                rhythm=rhythm[2] if rhythm else "",
                failure=failure,
                stale=is_stale(newest, months=months),
                subscriptions=subs,
            )
        )
    return states


def subscriptions_of(tenant) -> list[Subscription]:
    subs = list(Subscription.objects.filter(tenant=tenant).select_related("source"))
    for sub in subs:
        sub.recent_runs = list(sub.runs.all()[:5])
    return subs


def notices_for(user, tenant, *, limit: int = 5) -> list[DataNotice]:
    """ "Neue Daten" notices about indicators the person follows (newest first)."""
    if tenant is None or not user.is_authenticated:
        return []
    followed = IndicatorFollow.objects.filter(user=user, tenant=tenant).values("indicator_id")
    return list(
        DataNotice.objects.filter(tenant=tenant, indicators__in=followed)
        .distinct()
        .select_related("source")
        .order_by("-created_at")[:limit]
    )


def is_following(user, tenant, indicator) -> bool:
    if tenant is None or not user.is_authenticated:
        return False
    return IndicatorFollow.objects.filter(user=user, tenant=tenant, indicator=indicator).exists()


# ----------------------------------------------------------------------------- Agenturbezirke


def agency_of(kreis: Region, *, on: datetime.date | None = None) -> Region | None:
    """The Agenturbezirk a Kreis belongs to on a day (default: today)."""
    on = on or today()
    member = (
        AgencyDistrictMember.objects.filter(kreis=kreis, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .select_related("agency")
        .first()
    )
    return member.agency if member else None


def agency_kreise(agency: Region, *, on: datetime.date | None = None) -> list[Region]:
    on = on or today()
    members = (
        AgencyDistrictMember.objects.filter(agency=agency, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .select_related("kreis")
        .order_by("kreis__code")
    )
    return [m.kreis for m in members]


def agencies_for(region: Region, *, on: datetime.date | None = None) -> list[Region]:
    """Agenturbezirke of a Kreis, of the members of a group, or the region itself if it is one."""
    if region.kind == RegionKind.AGENTURBEZIRK:
        return [region]
    if region.kind == RegionKind.KREIS:
        found = agency_of(region, on=on)
        return [found] if found else []
    if region.kind == RegionKind.GROUP:
        agencies = {}
        for member in region.members.filter(kind=RegionKind.KREIS):
            found = agency_of(member, on=on)
            if found:
                agencies[found.pk] = found
        return list(agencies.values())
    return []
