"""The staff form for tours (Nacht der Ausbildung): who may create and change a tour, the route in
the order entered, German validation messages that name the field, and a refused stale save."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from bildungskette.core.models import Role, Tenant
from bildungskette.organisations.models import Organisation, OrganisationType
from bildungskette.passung.models import Tour, TourStop
from bildungskette.passung.services import TourInvalid, tour_update
from bildungskette.transitions.models import Event

pytestmark = pytest.mark.django_db

START = datetime.datetime(timezone.localdate().year + 1, 5, 21, 17, 0)


def _login(client, user):
    c = client.__class__()
    c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return c


def _fulda():
    return Tenant.objects.get(slug="fulda")


def _companies(tenant):
    found = list(Organisation.objects.filter(tenant=tenant, type=OrganisationType.BETRIEB,
                                             name__contains="(synthetisch)").order_by("name"))
    assert len(found) >= 3
    return found


def _post(companies, organiser, **changes):
    data = {"series": "Nacht der Ausbildung 2027", "title": "Tour West", "organiser": organiser.pk,
            "starts_at": START.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (START + datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"), "capacity": "25",
            "departures": "17:00 Fulda, Bahnhofsvorplatz\nHünfeld, Marktplatz"}
    for i, company in enumerate(companies, start=1):
        data[f"company_{i}"] = company.pk
    data["company_1_at"] = "18:00"
    data.update(changes)
    return data


@pytest.fixture
def coordination(demo_data, client, make_user):
    return _login(client, make_user(role=Role.COORDINATION, tenant=_fulda()))


@pytest.mark.parametrize("role", [Role.COORDINATION, Role.TENANT_ADMIN])
def test_steering_role_creates_a_tour_listed_with_its_stops_in_order(demo_data, client, make_user, role):
    fulda = _fulda()
    c = _login(client, make_user(role=role, tenant=fulda))
    a, b, third = _companies(fulda)[:3]
    # Deliberately not alphabetical: the route follows the order entered, not the names.
    route = [third, a, b]
    assert "/passung/touren/neu/" in c.get("/passung/touren/").content.decode()
    response = c.post("/passung/touren/neu/", _post(route, organiser=a))
    tour = Tour.objects.get(tenant=fulda, event__title="Tour West")
    assert response.status_code == 302 and response["Location"].endswith(f"#tour-{tour.pk}")
    stops = list(tour.stops.order_by("position"))
    assert [(s.kind, s.place_name or s.organisation.name) for s in stops] == [
        (TourStop.Kind.DEPARTURE, "Fulda, Bahnhofsvorplatz"), (TourStop.Kind.DEPARTURE, "Hünfeld, Marktplatz"),
        (TourStop.Kind.COMPANY, third.name), (TourStop.Kind.COMPANY, a.name), (TourStop.Kind.COMPANY, b.name)]
    assert [s.at for s in stops] == [datetime.time(17, 0), None, datetime.time(18, 0), None, None]
    event = tour.event
    assert (event.capacity, event.organisation, event.tenant) == (25, a, fulda)
    assert timezone.localtime(event.starts_at).replace(tzinfo=None) == START
    html = c.get("/passung/touren/").content.decode()
    item = html[html.index(f'id="tour-{tour.pk}"'):]
    item = item[:item.index("</li>\n") if "</li>\n" in item else len(item)]
    item = item[item.index('class="tour-route"'):item.index("</ol>")]
    positions = [item.index(name) for name in
                 ("Fulda, Bahnhofsvorplatz", "Hünfeld, Marktplatz", third.name, a.name, b.name)]
    assert positions == sorted(positions)
    assert "25 von 25 Plätzen frei" in html


def test_only_coordination_and_admin_may_open_the_form_and_foreign_tenants_get_404(demo_data, client, make_user):
    fulda = _fulda()
    school = Organisation.objects.filter(external_id__startswith="HE-").first()
    tour = Tour.objects.filter(tenant=fulda).first()
    allowed = {Role.COORDINATION, Role.TENANT_ADMIN}
    seen = {}
    for role in Role.values:
        user = make_user(role=role, tenant=fulda,
                         organisation=school if role in {Role.TRANSITION_MANAGER, Role.PARTNER} else None)
        c = _login(client, user)
        seen[role] = (c.get("/passung/touren/neu/").status_code, c.get(f"/passung/touren/{tour.pk}/").status_code)
        if role not in allowed:
            a = _companies(fulda)[0]
            assert c.post("/passung/touren/neu/", _post([a], organiser=a)).status_code == 403
            assert c.post(f"/passung/touren/{tour.pk}/", _post([a], organiser=a, title="X")).status_code == 403
    assert seen == {r: (200, 200) if r in allowed else (403, 403) for r in Role.values}
    assert not Tour.objects.filter(event__title__in=["Tour West", "X"]).exists()
    # Kassel's coordination: Fulda's tour does not exist for it, and Fulda's companies are no choice.
    kassel = _login(client, make_user(role=Role.COORDINATION, tenant=Tenant.objects.get(slug="olov-kassel")))
    title = tour.event.title
    assert kassel.get(f"/passung/touren/{tour.pk}/").status_code == 404
    a = _companies(fulda)[0]
    assert kassel.post(f"/passung/touren/{tour.pk}/", _post([a], organiser=a, title="gekapert")).status_code == 404
    tour.event.refresh_from_db()
    assert tour.event.title == title
    page = kassel.post("/passung/touren/neu/", _post([a], organiser=a))
    assert page.status_code == 200 and "Tour West" not in Event.objects.values_list("title", flat=True)
    assert "Bitte eine gültige Auswahl treffen" in page.content.decode()


@pytest.mark.parametrize(("changes", "label", "message"), [
    ({"capacity": "0"}, "Plätze", "Eine Tour braucht mindestens einen Platz."),
    ({"company_1": "", "company_2": "", "company_3": "", "company_1_at": ""}, "1. Betrieb",
     "Bitte mindestens einen Betrieb als Station wählen."),
    ({"departures": "  \n "}, "Abfahrtsorte", "Bitte mindestens einen Abfahrtsort angeben."),
    ({"departures": "25:00 Fulda"}, "Abfahrtsorte", "Zeile 1: „25:00“ ist keine gültige Uhrzeit."),
    ({"ends_at": START.strftime("%Y-%m-%dT%H:%M")}, "Ende (Datum und Uhrzeit)",
     "Die Tour muss nach ihrem Beginn enden."),
    ({"company_2": "", "company_2_at": "19:00"}, "2. Betrieb", "Zur Uhrzeit fehlt der Betrieb."),
])
def test_invalid_input_names_the_field_in_german_and_saves_nothing(coordination, changes, label, message):
    fulda = _fulda()
    companies = _companies(fulda)[:3]
    before = (Tour.objects.count(), Event.objects.count(), TourStop.objects.count())
    response = coordination.post("/passung/touren/neu/", _post(companies, organiser=companies[0], **changes))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nichts wurde gespeichert" in html
    assert re.search(rf'<a href="#id_[a-z_0-9]+">{re.escape(label)}: {re.escape(message)}</a>', html), html
    assert (Tour.objects.count(), Event.objects.count(), TourStop.objects.count()) == before


def test_service_refuses_capacity_zero_and_foreign_companies_on_change(demo_data):
    fulda = _fulda()
    tour = Tour.objects.filter(tenant=fulda).first()
    a = _companies(fulda)[0]
    kassel_company = Organisation.objects.filter(tenant__slug="olov-kassel", type=OrganisationType.BETRIEB).first()
    stops = [{"kind": "departure", "place_name": "ZOB"}, {"kind": "company", "organisation": a}]
    common = {"organiser": a, "series": "S", "title": "T", "starts_at": tour.event.starts_at,
              "ends_at": tour.event.ends_at}
    with pytest.raises(TourInvalid, match="mindestens einen Platz"):
        tour_update(tour=tour, capacity=0, stops=stops, **common)
    with pytest.raises(TourInvalid, match="Betrieb des Mandanten"):
        tour_update(tour=tour, capacity=5, stops=[stops[0], {"kind": "company", "organisation": kassel_company}],
                    **common)
    tour.refresh_from_db()
    assert tour.event.title != "T" and tour.stops.filter(organisation=kassel_company).count() == 0


def test_edit_changes_the_route_and_a_stale_save_is_refused(coordination):
    fulda = _fulda()
    tour = Tour.objects.filter(tenant=fulda).order_by("pk").first()
    a, b, third = _companies(fulda)[:3]
    url = f"/passung/touren/{tour.pk}/"
    page = coordination.get(url).content.decode()
    stand = re.search(r'name="stand" value="([^"]+)"', page).group(1)
    old_capacity = tour.event.capacity
    # Somebody else changes the capacity after the form was opened.
    other = tour_update(tour=tour, organiser=tour.event.organisation, series=tour.series, title=tour.event.title,
                        starts_at=tour.event.starts_at, ends_at=tour.event.ends_at, capacity=old_capacity + 7,
                        stops=[{"kind": s.kind, "place_name": s.place_name, "organisation": s.organisation,
                                "at": s.at} for s in tour.stops.all()])
    stale = coordination.post(url, _post([b, a], organiser=a, title="Neuer Titel", stand=stand))
    assert stale.status_code == 200
    assert "Jemand anderes hat diesen Datensatz gespeichert" in stale.content.decode()
    assert f"Plätze: „{old_capacity + 7}“" in stale.content.decode()
    tour.refresh_from_db()
    tour.event.refresh_from_db()
    assert tour.event.title == other.event.title != "Neuer Titel" and tour.event.capacity == old_capacity + 7
    # A POST without the version is refused too.
    assert "keinen Bearbeitungsstand" in coordination.post(url, _post([b], organiser=a, title="Y")).content.decode()
    # With a fresh form the change goes through and replaces the route in the new order.
    fresh = re.search(r'name="stand" value="([^"]+)"', coordination.get(url).content.decode()).group(1)
    saved = coordination.post(url, _post([b, third, a], organiser=a, title="Neuer Titel", stand=fresh))
    assert saved.status_code == 302
    tour.refresh_from_db()
    assert tour.event.title == "Neuer Titel"
    assert [s.organisation for s in tour.stops.filter(kind=TourStop.Kind.COMPANY).order_by("position")] == [b, third, a]
    assert Tour.objects.filter(pk=tour.pk).count() == 1 and not Tour.objects.filter(event__title="Y").exists()
