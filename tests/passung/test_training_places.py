"""Companies publish training places through their e-mail link; the places appear on the public
Lernortkarte and to schools, disappear when withdrawn or begun, feed the live view (never the BIBB
figures) and only the company's own places are editable."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from bildungskette.core.models import Role, Tenant
from bildungskette.organisations.models import Organisation
from bildungskette.passung.models import PassungFigure, TrainingPlace
from bildungskette.passung.services import TrainingPlaceInvalid, training_place_save, training_place_withdraw
from bildungskette.places.models import Category, LearningPlace, Offer, PublicationStatus
from bildungskette.places.selectors import offers_public, places_public
from bildungskette.transitions.models import CompanyContact

pytestmark = pytest.mark.django_db

ELEKTRO = "ausbildung@elektro-rhoen.example"
SHK = "ausbildung@shk-osthessen.example"


def _sign_in(client, email: str) -> CompanyContact:
    mail.outbox.clear()
    client.post("/uebergaenge/betriebe/anmelden/", {"email": email})
    link = re.search(r"http://testserver(/\S+)", mail.outbox[0].body).group(1)
    page = client.get(link).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    client.post("/uebergaenge/betriebe/link/", {"token": token})
    return CompanyContact.objects.get(email=email)


def _form(**over) -> dict:
    start = timezone.localdate() + datetime.timedelta(days=200)
    data = {"occupation": "26212 Berufe in der Bauelektrik – fachlich ausgerichtete Tätigkeiten",
            "title": "Elektroniker*in Testplatz", "starts_on": start.isoformat(), "places": "5",
            "housing_help": "on", "street": "Testgasse 9", "postcode": "36037", "city": "Fulda",
            "latitude": "", "longitude": ""}
    data.update(over)
    return data


def test_company_publishes_through_its_link_and_the_place_is_on_the_public_map(demo_data, client):
    contact = _sign_in(client, ELEKTRO)
    portal = client.get("/uebergaenge/betriebe/").content.decode()
    assert "/passung/betriebe/ausbildungsplaetze/" in portal  # the portal links to the new page
    response = client.post("/passung/betriebe/ausbildungsplaetze/neu/", _form())
    assert response.status_code == 302
    place = TrainingPlace.objects.get(title="Elektroniker*in Testplatz")
    assert place.organisation_id == contact.organisation_id and place.kldb == "26212" and place.places == 5
    assert place.housing_help and place.site_created
    # No coordinates typed: the centre of the Gemeinde Fulda is the first position, then the picker.
    assert "#ort-auf-karte" in response["Location"]
    site = place.site
    assert site.category.code == "ausbildungsbetrieb" and site.kreis_code == "06631"
    assert site.latitude is not None and site in places_public()
    offer = Offer.objects.get(pk=place.offer_id)
    assert offer in offers_public() and "5 Plätze" in offer.title and "Wohnungssuche" in offer.description
    detail = client.get(f"/lernorte/{site.pk}/").content.decode()
    assert "Elektroniker*in Testplatz" in detail
    geojson = client.get("/api/lernorte/export.geojson").json()
    assert site.pk in {f["properties"].get("id") for f in geojson["features"]}


def test_unknown_occupation_and_past_start_are_refused_in_german(demo_data, client):
    _sign_in(client, ELEKTRO)
    html = client.post("/passung/betriebe/ausbildungsplaetze/neu/", _form(occupation="99999 Quatsch")).content
    assert "Bitte einen Beruf aus der Liste wählen" in html.decode()
    contact = CompanyContact.objects.get(email=ELEKTRO)
    with pytest.raises(TrainingPlaceInvalid, match="Ausbildungsbeginn liegt in der Vergangenheit"):
        training_place_save(contact=contact, kldb="262", starts_on=timezone.localdate() - datetime.timedelta(days=1),
                            places=1, housing_help=False, street="A 1", postcode="36037", city="Fulda")
    with pytest.raises(TrainingPlaceInvalid, match="Anzahl Plätze: 1 bis 200"):
        training_place_save(contact=contact, kldb="262", starts_on=timezone.localdate(), places=201,
                            housing_help=False, street="A 1", postcode="36037", city="Fulda")
    assert not TrainingPlace.objects.filter(starts_on__lt=timezone.localdate()).exists()


def _own(contact, **over):
    fields = {"kldb": "262", "starts_on": timezone.localdate() + datetime.timedelta(days=30), "places": 2,
              "housing_help": False, "street": "Prüfweg 1", "postcode": "36037", "city": "Fulda",
              "latitude": 50.55, "longitude": 9.68}
    fields.update(over)
    place, _ = training_place_save(contact=contact, **fields)
    return place


def test_withdrawn_places_leave_the_map_and_the_site_goes_with_the_last(demo_data):
    contact = CompanyContact.objects.get(email=ELEKTRO)
    a = _own(contact)
    b = _own(contact, kldb="342", places=1)
    assert a.site_id == b.site_id  # same address: one site, two offers
    training_place_withdraw(contact=contact, place=a)
    assert Offer.objects.get(pk=a.offer_id) not in offers_public()
    assert LearningPlace.objects.get(pk=a.site_id) in places_public()  # b still current
    training_place_withdraw(contact=contact, place=b)
    assert LearningPlace.objects.get(pk=a.site_id).status == PublicationStatus.WITHDRAWN
    assert not places_public().filter(pk=a.site_id).exists()


def test_a_place_is_public_through_its_start_day_and_gone_the_day_after(demo_data):
    contact = CompanyContact.objects.get(email=ELEKTRO)
    today = timezone.localdate()
    place = _own(contact, starts_on=today)
    assert places_public().filter(pk=place.site_id).exists() and offers_public().filter(pk=place.offer_id).exists()
    # The day after the start: nobody has to withdraw it, the date alone takes it off the map.
    LearningPlace.objects.filter(pk=place.site_id).update(visible_until=today - datetime.timedelta(days=1))
    Offer.objects.filter(pk=place.offer_id).update(visible_until=today - datetime.timedelta(days=1))
    assert not places_public().filter(pk=place.site_id).exists()
    assert not offers_public().filter(pk=place.offer_id).exists()
    assert place.pk in {p.pk for p in TrainingPlace.objects.filter(pk=place.pk)}
    TrainingPlace.objects.filter(pk=place.pk).update(starts_on=today - datetime.timedelta(days=1))
    from bildungskette.passung.selectors import training_places_current

    assert place.pk not in {p.pk for p in training_places_current(contact.tenant)}


def test_only_the_own_company_may_change_or_withdraw(demo_data, client, make_user):
    owner = CompanyContact.objects.get(email=ELEKTRO)
    place = _own(owner)
    edit, withdraw = f"/passung/betriebe/ausbildungsplaetze/{place.pk}/", \
        f"/passung/betriebe/ausbildungsplaetze/{place.pk}/zurueckziehen/"
    # A foreign company of the same tenant.
    _sign_in(client, SHK)
    assert client.get(edit).status_code == 403
    assert client.post(withdraw).status_code == 403
    with pytest.raises(TrainingPlaceInvalid, match="Nur eigene"):
        training_place_withdraw(contact=CompanyContact.objects.get(email=SHK), place=place)
    # A company of another tenant (Kassel's demo company).
    client.logout()
    kassel = CompanyContact.objects.filter(tenant__slug="olov-kassel").first()
    kassel_client = client.__class__()
    from bildungskette.transitions.services import company_link_token

    kassel_client.post("/uebergaenge/betriebe/link/", {"token": company_link_token(kassel)})
    assert kassel_client.get(edit).status_code == 403
    assert kassel_client.post(withdraw).status_code == 403
    # Signed-in staff of every role (no company session) cannot edit company places either.
    fulda = Tenant.objects.get(slug="fulda")
    school = Organisation.objects.filter(external_id__startswith="HE-").first()
    for role in Role.values:
        user = make_user(role=role, tenant=fulda, organisation=school if role in {
            Role.TRANSITION_MANAGER, Role.PARTNER} else None)
        staff = client.__class__()
        staff.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        assert staff.get(edit).status_code == 403, role
        assert staff.post(withdraw).status_code == 403, role
    assert client.__class__().get(edit).status_code == 403  # anonymous
    # The owner may.
    _sign_in(client, ELEKTRO)
    assert client.get(edit).status_code == 200
    assert client.post(withdraw).status_code == 302
    assert TrainingPlace.objects.get(pk=place.pk).withdrawn_at is not None
    # A withdrawn place is no longer editable, not even by its company.
    assert client.get(edit).status_code == 403


def test_edit_refuses_a_stale_save(demo_data, client):
    owner = CompanyContact.objects.get(email=ELEKTRO)
    place = _own(owner, title="Alt")
    _sign_in(client, ELEKTRO)
    page = client.get(f"/passung/betriebe/ausbildungsplaetze/{place.pk}/").content.decode()
    stand = re.search(r'name="stand" value="([^"]+)"', page).group(1)
    # Somebody else (a colleague) changes the number of places meanwhile.
    training_place_save(contact=owner, kldb="262", title="Alt", starts_on=place.starts_on, places=9,
                        housing_help=False, street="Prüfweg 1", postcode="36037", city="Fulda",
                        latitude=50.55, longitude=9.68, place=TrainingPlace.objects.get(pk=place.pk))
    data = _form(title="Neu", places="2", housing_help="", street="Prüfweg 1", latitude="50.55",
                 longitude="9.68", occupation="262 Energietechnik", starts_on=place.starts_on.isoformat())
    data["stand"] = stand
    html = client.post(f"/passung/betriebe/ausbildungsplaetze/{place.pk}/", data).content.decode()
    assert "Jemand anderes hat diesen Datensatz gespeichert" in html and "Anzahl Plätze" in html
    assert TrainingPlace.objects.get(pk=place.pk).title == "Alt"


def test_schools_and_staff_see_the_places_other_roles_and_tenants_do_not(demo_data, client, make_user,
                                                                         django_assert_max_num_queries):
    fulda = Tenant.objects.get(slug="fulda")
    school = Organisation.objects.filter(external_id__startswith="HE-").first()
    allowed = {Role.TENANT_ADMIN, Role.COORDINATION, Role.MONITORING, Role.TRANSITION_MANAGER}
    for role in Role.values:
        user = make_user(role=role, tenant=fulda,
                         organisation=school if role in {Role.TRANSITION_MANAGER, Role.PARTNER} else None)
        c = client.__class__()
        c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        response = c.get("/passung/ausbildungsplaetze/")
        assert response.status_code == (200 if role in allowed else 403), role
        if role in allowed:
            assert "Anlagenmechaniker*in" in response.content.decode()
    kassel_user = make_user(role=Role.COORDINATION, tenant=Tenant.objects.get(slug="olov-kassel"))
    c = client.__class__()
    c.force_login(kassel_user, backend="django.contrib.auth.backends.ModelBackend")
    assert "Anlagenmechaniker*in" not in c.get("/passung/ausbildungsplaetze/").content.decode()
    coord = make_user(role=Role.COORDINATION, tenant=fulda)
    client.force_login(coord, backend="django.contrib.auth.backends.ModelBackend")
    owner = CompanyContact.objects.get(email=ELEKTRO)
    for i in range(30):
        _own(owner, street=f"Listenweg {i}", places=1)
    with django_assert_max_num_queries(15):
        assert client.get("/passung/ausbildungsplaetze/?page=2").status_code == 200


def _matrix(html: str) -> str:
    return html[html.index('<table class="matrix"'):html.index("</table>", html.index('<table class="matrix"'))]


def test_live_view_counts_company_reports_and_never_touches_the_bibb_figures(demo_data, client):
    from django.contrib.auth import get_user_model

    from bildungskette.passung.models import OccupationGroup

    client.force_login(get_user_model().objects.get(username="fulda.azubi"),
                       backend="django.contrib.auth.backends.ModelBackend")
    group = OccupationGroup.objects.get(name="klimarelevante Berufe im Handwerk")
    before = list(PassungFigure.objects.order_by("pk").values())
    matrix_before = _matrix(client.get(f"/passung/?gruppe={group.pk}").content.decode())
    owner = CompanyContact.objects.get(email=ELEKTRO)
    _own(owner, kldb="26212", places=40)
    current = TrainingPlace.objects.filter(tenant=owner.tenant, withdrawn_at__isnull=True,
                                           starts_on__gte=timezone.localdate())
    expected = sum(p.places for p in current if p.kldb.startswith("262"))
    html = client.get(f"/passung/live/?gruppe={group.pk}").content.decode()
    assert "nicht amtlich" in html and "keine amtliche Statistik" in html
    row = re.search(r"<th scope=\"row\">262 [^<]*</th><td class=\"num\">(\d+)</td>", html)
    assert row and int(row.group(1)) == expected
    assert list(PassungFigure.objects.order_by("pk").values()) == before
    assert _matrix(client.get(f"/passung/?gruppe={group.pk}").content.decode()) == matrix_before


def test_azubikampus_is_a_lernort_category_with_a_synthetic_fulda_entry(demo_data, client):
    category = Category.objects.get(code="azubiwohnen")
    assert "Azubikampus" in category.name
    place = LearningPlace.objects.get(external_id="demo:fulda-azubikampus")
    assert place.is_synthetic and place.category == category and place.kreis_code == "06631"
    assert place in places_public()
    html = client.get(f"/lernorte/{place.pk}/").content.decode()
    assert "synthetisch" in html.lower() and "Azubi-Wohnen" in html
    listing = client.get("/api/lernorte/export.geojson?kategorie=azubiwohnen").json()
    assert [f["properties"]["id"] for f in listing["features"]] == [place.pk]  # the category filter finds it
