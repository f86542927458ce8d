"""Trends over the years, the women's share per occupation, the choropleth per occupation group (with
its table), tours built on events and bookings, the outcomes of matching events under the disclosure
rule, and the Azubi-Manager's start page."""

from __future__ import annotations

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from bildungskette.core.models import Role, Tenant
from bildungskette.organisations.models import Organisation, OrganisationType
from bildungskette.passung.models import Messe, MesseAssignment, OccupationGroup, PassungFigure, Tour, TourStop
from bildungskette.passung.selectors import event_outcomes
from bildungskette.passung.services import TourInvalid, tour_create
from bildungskette.transitions.models import (
    ActivityKind,
    BookingStatus,
    DestinationKind,
    DisclosureMethod,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def azubi(demo_data, client):
    client.force_login(get_user_model().objects.get(username="fulda.azubi"),
                       backend="django.contrib.auth.backends.ModelBackend")
    return client


def _pct(num: int, den: int) -> str:
    return str((Decimal(num) * 100 / Decimal(den)).quantize(Decimal("0.1"), ROUND_HALF_UP)).replace(".", ",")


def _group():
    return OccupationGroup.objects.get(name="klimarelevante Berufe im Handwerk")


def test_trend_shows_every_year_with_hand_computed_auba_and_a_chart(azubi):
    group = _group()
    html = azubi.get(f"/passung/entwicklung/?gruppe={group.pk}").content.decode()
    years = sorted(set(PassungFigure.objects.filter(region__code="aa-bad-hersfeld-fulda")
                       .values_list("year", flat=True)))
    assert len(years) >= 5
    table = html[html.index('id="passung-trend"'):]
    table = table[:table.index("</table>")]
    assert [int(y) for y in re.findall(r'<th scope="row">(\d{4})</th>', table)] == years
    for year in (years[0], years[-1]):
        figs = PassungFigure.objects.filter(region__code="aa-bad-hersfeld-fulda", kldb__in=group.kldb_codes,
                                            year=year)
        unbesetzt = sum(f.unbesetzt for f in figs)
        betrieblich = sum(f.naa - f.naa_ausserbetrieblich + f.unbesetzt for f in figs)
        suchend = sum(f.unversorgt + f.alternative for f in figs)
        nachfrage = sum(f.naa + f.unversorgt + f.alternative for f in figs)
        row = re.search(rf'<th scope="row">{year}</th>(.*?)</tr>', table, re.S).group(1)
        assert _pct(unbesetzt, betrieblich) in row and _pct(suchend, nachfrage) in row
    assert 'role="img"' in html and "AubA und Versorgungsprobleme" in html  # the chart, with its text alternative


def test_women_share_per_occupation_is_computed_from_the_counts(azubi):
    group = _group()
    html = azubi.get(f"/passung/entwicklung/?gruppe={group.pk}").content.decode()
    table = html[html.index('id="passung-women"'):]
    table = table[:table.index("</table>")]
    for code in group.kldb_codes:
        f = PassungFigure.objects.get(region__code="aa-bad-hersfeld-fulda", kldb=code, year=2019)
        row = re.search(rf'<th scope="row">{code} .*?</tr>', table, re.S).group(0)
        assert _pct(f.bewerber_weiblich, f.bewerber) in row


def test_trend_chart_uses_one_spec_for_page_and_pdf(azubi, monkeypatch):
    from bildungskette.passung import documents, figures

    calls = []
    original = figures.trend_chart_spec

    def spy(points, *, region_name):
        calls.append((tuple(p.year for p in points), region_name))
        return original(points, region_name=region_name)

    monkeypatch.setattr(figures, "trend_chart_spec", spy)
    monkeypatch.setattr(documents, "trend_chart_spec", spy)
    group = _group()
    azubi.get(f"/passung/entwicklung/?gruppe={group.pk}")
    response = azubi.get(f"/passung/entwicklung.pdf?gruppe={group.pk}")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert len(calls) == 2 and calls[0] == calls[1]


def test_choropleth_colours_agencies_by_the_chosen_measure_with_a_table(azubi):
    group = _group()
    html = azubi.get(f"/passung/entwicklung/?gruppe={group.pk}&kennzahl=unversorgt").content.decode()
    table = html[html.index('id="group-map-table"'):]
    table = table[:table.index("</table>")]
    agencies = set(PassungFigure.objects.filter(year=2019, region__kind="agenturbezirk",
                                                kldb__in=group.kldb_codes).values_list("region__name", flat=True))
    assert len(re.findall(r'<th scope="row">', table)) == len(agencies) > 5
    for name in ("Agentur für Arbeit Frankfurt", "Agentur für Arbeit Bad Hersfeld-Fulda"):
        figs = PassungFigure.objects.filter(region__name=name, year=2019, kldb__in=group.kldb_codes)
        if not figs:
            continue
        expected = sum(f.unversorgt for f in figs)
        row = re.search(rf'<th scope="row">{re.escape(name)}.*?</tr>', table, re.S).group(0)
        assert f">{expected}<" in row
    # Sorted by value, highest first; the SVG paths carry the class colours.
    values = [int(v) for v in re.findall(r'<td class="num">(\d+)</td>', table)]
    assert values == sorted(values, reverse=True)
    assert "<svg class=\"choropleth\"" in html and 'fill="#08519c"' in html
    other = azubi.get(f"/passung/entwicklung/?gruppe={group.pk}&kennzahl=frauen").content.decode()
    assert "Frauenanteil unter den Bewerber*innen (%)" in other


def test_passung_pages_refuse_schools_partners_and_other_tenants(demo_data, client, make_user):
    fulda = Tenant.objects.get(slug="fulda")
    school = Organisation.objects.filter(external_id__startswith="HE-").first()
    for role in (Role.TRANSITION_MANAGER, Role.PARTNER, Role.DATA_PROTECTION):
        user = make_user(role=role, tenant=fulda, organisation=school if role != Role.DATA_PROTECTION else None)
        c = client.__class__()
        c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        for url in ("/passung/entwicklung/", "/passung/live/", "/passung/begegnungen/", "/passung/entwicklung.pdf"):
            assert c.get(url).status_code == 403, (role, url)
    tour_page = {}
    for role in Role.values:
        user = make_user(role=role, tenant=fulda,
                         organisation=school if role in {Role.TRANSITION_MANAGER, Role.PARTNER} else None)
        c = client.__class__()
        c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        tour_page[role] = c.get("/passung/touren/").status_code
    assert tour_page == {r: 200 if r in {Role.TENANT_ADMIN, Role.COORDINATION, Role.MONITORING,
                                         Role.TRANSITION_MANAGER} else 403 for r in Role.values}
    # Kassel's coordination sees its own (empty) tours, never Fulda's.
    kassel = make_user(role=Role.COORDINATION, tenant=Tenant.objects.get(slug="olov-kassel"))
    c = client.__class__()
    c.force_login(kassel, backend="django.contrib.auth.backends.ModelBackend")
    assert "Nacht der Ausbildung (Demo)" not in c.get("/passung/touren/").content.decode()


def test_tours_have_departure_points_company_stops_and_capacity(azubi):
    tours = list(Tour.objects.filter(tenant__slug="fulda"))
    assert len(tours) == 2 and all(t.is_synthetic for t in tours)
    html = azubi.get("/passung/touren/").content.decode()
    for t in tours:
        assert t.event.title in html
        assert f"{t.event.capacity} von {t.event.capacity} Plätzen frei" in html
        for s in t.stops.all():
            assert (s.place_name if s.kind == TourStop.Kind.DEPARTURE else s.organisation.name) in html
        assert f"/uebergaenge/veranstaltungen/{t.event_id}/" in html


def _fulda_school(make_user):
    from bildungskette.transitions.services import school_ensure

    fulda = Tenant.objects.get(slug="fulda")
    org = Organisation.objects.filter(external_id__startswith="HE-", city__icontains="Fulda").first() \
        or Organisation.objects.filter(external_id__startswith="HE-").first()
    return fulda, school_ensure(tenant=fulda, organisation=org)


def test_tour_registration_uses_booking_capacity_and_waiting_list(demo_data, make_user):
    from bildungskette.transitions.services import booking_create, student_create

    fulda, school = _fulda_school(make_user)
    companies = list(Organisation.objects.filter(tenant=fulda, name__contains="(synthetisch)")[:2])
    start = timezone.now() + datetime.timedelta(days=30)
    with pytest.raises(TourInvalid, match="mindestens einen Abfahrtsort und einen Betrieb"):
        tour_create(tenant=fulda, organiser=companies[0], series="T", title="ohne Abfahrt", starts_at=start,
                    ends_at=start + datetime.timedelta(hours=3), capacity=2,
                    stops=[{"kind": "company", "organisation": companies[0]}])
    kassel_company = Organisation.objects.filter(tenant__slug="olov-kassel", type=OrganisationType.BETRIEB).first()
    with pytest.raises(TourInvalid, match="Betrieb des Mandanten"):
        tour_create(tenant=fulda, organiser=companies[0], series="T", title="fremd", starts_at=start,
                    ends_at=start + datetime.timedelta(hours=3), capacity=2,
                    stops=[{"kind": "departure", "place_name": "ZOB"},
                           {"kind": "company", "organisation": kassel_company}])
    tour = tour_create(tenant=fulda, organiser=companies[0], series="T", title="Kleine Tour", starts_at=start,
                       ends_at=start + datetime.timedelta(hours=3), capacity=2,
                       stops=[{"kind": "departure", "place_name": "ZOB"},
                              {"kind": "company", "organisation": companies[0]},
                              {"kind": "company", "organisation": companies[1]}])
    assert [s.kind for s in tour.stops.all()] == ["departure", "company", "company"]
    pupils = [student_create(school=school, grade=9, class_name="9a") for _ in range(3)]
    statuses = [booking_create(event=tour.event, student=p).status for p in pupils]
    assert statuses == [BookingStatus.REQUESTED, BookingStatus.REQUESTED, BookingStatus.WAITLISTED]


def test_tour_capacity_never_goes_below_the_places_given_and_a_raise_moves_the_waiting_list_up(
        demo_data, make_user):
    from bildungskette.passung.services import tour_update
    from bildungskette.transitions.services import booking_create, student_create

    fulda, school = _fulda_school(make_user)
    companies = list(Organisation.objects.filter(tenant=fulda, name__contains="(synthetisch)")[:1])
    start = timezone.now() + datetime.timedelta(days=30)
    stops = [{"kind": "departure", "place_name": "ZOB"}, {"kind": "company", "organisation": companies[0]}]
    common = {"organiser": companies[0], "series": "T", "title": "Tour", "starts_at": start,
              "ends_at": start + datetime.timedelta(hours=3), "stops": stops}
    tour = tour_create(tenant=fulda, capacity=3, **common)
    pupils = [student_create(school=school, grade=9, class_name="9a") for _ in range(6)]
    bookings = [booking_create(event=tour.event, student=p) for p in pupils]
    assert [b.status for b in bookings] == [BookingStatus.REQUESTED] * 3 + [BookingStatus.WAITLISTED] * 3

    with pytest.raises(TourInvalid, match=r"^Plätze: 3 Plätze sind schon vergeben\."):
        tour_update(tour=tour, capacity=2, **common)
    tour.event.refresh_from_db()
    assert tour.event.capacity == 3

    tour_update(tour=tour, capacity=3, **common)  # exactly the places given: allowed, nobody moves
    assert [b.status for b in _reloaded(bookings)] == [BookingStatus.REQUESTED] * 3 + [BookingStatus.WAITLISTED] * 3

    tour_update(tour=tour, capacity=5, **common)  # two more places: the two oldest on the list move up
    assert [b.status for b in _reloaded(bookings)] == [BookingStatus.REQUESTED] * 5 + [BookingStatus.WAITLISTED]
    tour.event.refresh_from_db()
    assert tour.event.capacity == 5


def _reloaded(objs):
    for obj in objs:
        obj.refresh_from_db()
    return objs


def _outcome_scenario(make_user, *, pupils: int, interns: int, contracts: int):
    """A past Messe in Fulda: ``pupils`` pupils met company A; some did a Praktikum / signed with A
    afterwards; decoys: a Praktikum with A before the Messe and a contract with another company."""
    from bildungskette.transitions.models import DestinationOption, Event
    from bildungskette.transitions.services import activity_record, destination_set, student_create

    fulda, school = _fulda_school(make_user)
    a = Organisation.objects.create(tenant=fulda, name="Betrieb A (Test)", type=OrganisationType.BETRIEB)
    b = Organisation.objects.create(tenant=fulda, name="Betrieb B (Test)", type=OrganisationType.BETRIEB)
    day = timezone.localdate() - datetime.timedelta(days=100)
    starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    event = Event.objects.create(tenant=fulda, organisation=a, title="Testmesse", starts_at=starts,
                                 ends_at=starts + datetime.timedelta(hours=2), location="Fulda", capacity=50)
    messe = Messe.objects.create(tenant=fulda, title="Testmesse", event=event)
    ca = messe.companies.create(name="A", organisation=a)
    messe.companies.create(name="B", organisation=b)
    dual = DestinationOption.objects.filter(iabe_sector="I").first()
    students = []
    for i in range(pupils):
        s = student_create(school=school, grade=10, class_name="10a")
        p = messe.pupils.create(pseudonym=f"T-{i}", student=s, wishes=[ca.pk])
        MesseAssignment.objects.create(messe=messe, pupil=p, company=ca, wish_rank=1)
        students.append(s)
    after = day + datetime.timedelta(days=10)
    for s in students[:interns]:
        activity_record(student=s, kind=ActivityKind.INTERNSHIP, on_date=after, occupation="Elektro", provider=a)
    for s in students[:contracts]:
        destination_set(student=s, kind=DestinationKind.ACTUAL, option=dual, on_date=after, provider=a)
    # Decoys that must not count.
    activity_record(student=students[-1], kind=ActivityKind.INTERNSHIP, on_date=day - datetime.timedelta(days=5),
                    occupation="Elektro", provider=a)
    destination_set(student=students[-1], kind=DestinationKind.ACTUAL, option=dual, on_date=after, provider=b)
    return fulda


def _row(fulda):
    return next(r for r in event_outcomes(fulda).rows if r.title == "Testmesse")


def test_outcomes_count_praktikum_and_contract_with_met_companies_after_the_event(demo_data, make_user):
    fulda = _outcome_scenario(make_user, pupils=12, interns=5, contracts=4)
    row = _row(fulda)
    assert (row.companies, row.pupils, row.internship, row.contract) == (2, 12, 5, 4)


@pytest.mark.parametrize(("n", "shown"), [(2, False), (3, True)])
def test_outcomes_are_suppressed_below_the_minimum_cell(demo_data, make_user, n, shown):
    fulda = _outcome_scenario(make_user, pupils=9, interns=n, contracts=4)
    row = _row(fulda)
    assert (row.internship == n) is shown
    if not shown:
        assert row.internship is None


def test_outcomes_follow_a_rounding_rule_when_the_tenant_chose_one(demo_data, make_user):
    from bildungskette.transitions.services import policy_for

    fulda = _outcome_scenario(make_user, pupils=12, interns=7, contracts=2)
    policy = policy_for(fulda)
    policy.disclosure_method = DisclosureMethod.ROUND_5
    policy.save()
    row = _row(fulda)
    assert (row.pupils, row.internship, row.contract) == (10, 5, 0)
    assert "Vielfache von 5" in event_outcomes(fulda).note


def test_start_page_shows_unfilled_targets_upcoming_events_outcomes_and_trend(azubi):
    html = azubi.get("/").content.decode()
    assert 'id="panel-unfilled"' in html and "Zielregionen fürs Recruiting" in html
    upcoming = re.search(r'id="panel-upcoming">(.*?)</ul>', html, re.S).group(1)
    assert "Nacht der Ausbildung" in upcoming and "Mobile Ausbildungsmesse" in upcoming
    assert 'id="panel-outcomes"' in html and "Geheimhaltung" in html
    trend = re.search(r'id="panel-trend">(.*?)</ul>', html, re.S).group(1)
    years = sorted(set(PassungFigure.objects.filter(region__code="aa-bad-hersfeld-fulda")
                       .values_list("year", flat=True)))
    assert [int(y) for y in re.findall(r"<li>(\d{4}):", trend)] == years
    assert "keine amtliche Statistik" in html
