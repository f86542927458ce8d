"""Edits are never lost: every edit form refuses a save based on a stale copy.

For each edit form: a user opens the form; meanwhile somebody else saves a change to field A;
the user changes field B and saves. The save is refused with a German message naming A and its
new value; nothing is written; the user's input for B is still in the form and A shows the other
person's value; saving again then keeps both changes.
"""

from __future__ import annotations

import datetime
import html
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from bildungskette.core.models import User

from .forms_html import form_with_field

STALE = "Jemand anderes hat diesen Datensatz gespeichert"


@dataclass
class Case:
    name: str
    model: str  # app_label.Model
    url: str  # URL name, pk or lookup from the object
    user: str
    a_field: str  # changed by the other person (form field name == model field name)
    a_value: Any
    b_field: str  # changed by the user in the stale form
    b_value: str
    url_kwarg: str = "pk"
    a_form_value: str | None = None  # how A appears in the form afterwards
    b_check: Any = None  # how B reads on the model after the successful save
    queryset_filter: dict | None = None
    user_lookup: str = "username"


def _m(label):
    from django.apps import apps

    return apps.get_model(label)


CASES = [
    Case("gremium", "network.Body", "network:body_edit", "kassel.koordination",
         "short_name", "ZZA-kurz", "name", "ZZB Neuer Name"),
    Case("sitzung", "network.Meeting", "network:meeting_edit", "kassel.koordination",
         "location", "ZZA Rathaus", "title", "ZZB Neue Sitzung"),
    Case("protokoll", "network.Meeting", "network:minutes", "kassel.koordination",
         "minutes_summary", "ZZA Notiz der anderen Person", "minutes_taker", "ZZB Protokollant"),
    Case("tagesordnungspunkt", "network.AgendaItem", "network:agenda_item_edit", "kassel.koordination",
         "description", "ZZA Beschreibung", "title", "ZZB TOP"),
    Case("aufgabe", "network.ActionItem", "network:action_item", "kassel.koordination",
         "progress_note", "ZZA Sachstand", "status", "done"),
    Case("kooperationsvereinbarung", "network.CooperationAgreement", "network:agreement_edit",
         "kassel.koordination", "subject", "ZZA Gegenstand", "title", "ZZB Vereinbarung"),
    Case("organisation", "organisations.Organisation", "organisations:edit", "kassel.koordination",
         "phone", "0561 999", "city", "ZZB Stadt"),
    Case("lernort", "places.LearningPlace", "places:edit", "kassel.koordination",
         "phone", "0561 12345", "name", "ZZB Lernort"),
    Case("angebot", "places.Offer", "places:offer_edit", "kassel.koordination",
         "description", "ZZA Angebotstext", "title", "ZZB Angebot"),
    Case("ziel", "strategy.Goal", "strategy:goal_edit", "kassel.koordination",
         "description", "ZZA Zielbeschreibung", "title", "ZZB Ziel"),
    Case("massnahme", "strategy.Measure", "strategy:measure_edit", "kassel.koordination",
         "budget_note", "ZZA Haushalt", "title", "ZZB Maßnahme"),
    Case("zielvereinbarung", "strategy.GoalAgreement", "strategy:agreement_edit", "kassel.koordination",
         "description", "ZZA Text", "title", "ZZB Zielvereinbarung"),
    Case("zielindikator", "strategy.GoalIndicator", "strategy:goal_indicator_edit", "kassel.koordination",
         "source_note", "ZZA Quelle", "label", "ZZB Indikator"),
    Case("indikator", "monitoring.Indicator", "monitoring:indicator_edit", "kassel.monitoring",
         "explanation", "ZZA Erklärung", "name", "ZZB Indikator", url_kwarg="code"),
    Case("nachverfolgung", "transitions.FollowUp", "transitions:follow_up", "transition-manager",
         "notes", "ZZA Gespräch geführt", "due_on", "2027-01-15", b_check=datetime.date(2027, 1, 15)),
    Case("schuleinstellungen", "transitions.School", "transitions:school_settings", "transition-manager",
         "names_enabled", True, "final_grade", "12", a_form_value="on", b_check=12),
    Case("loeschregeln", "transitions.TransitionPolicy", "transitions:access_log", "kassel.datenschutz",
         "min_cell", 7, "self_consent_age", "15", a_form_value="7", b_check=15, url_kwarg=""),
]


def _object(case: Case):
    qs = _m(case.model)._base_manager.all()
    tenant_field = "tenant__slug" if any(f.name == "tenant" for f in _m(case.model)._meta.fields) else None
    if tenant_field:
        qs = qs.filter(**{tenant_field: "olov-kassel"})
    if case.model == "network.Meeting":
        qs = qs.exclude(status="cancelled")
    if case.model == "transitions.FollowUp":
        qs = qs.filter(status="open")
    if case.model == "transitions.TransitionPolicy":
        from bildungskette.core.models import Tenant
        from bildungskette.transitions.services import policy_for

        return policy_for(Tenant.objects.get(slug="olov-kassel"))
    if case.model.startswith("transitions."):
        school_org = _transition_manager_assignment().organisation
        qs = qs.filter(**({"organisation": school_org} if case.model == "transitions.School"
                          else {"student__school__organisation": school_org}))
    obj = qs.order_by("pk").first()
    if obj is None and case.model == "monitoring.Indicator":  # the demo has only built-in indicators
        from bildungskette.core.models import Tenant
        from bildungskette.monitoring.services import indicator_create

        obj = indicator_create(code="eigener-test", name="Eigener Indikator", numerator='wert("ba.bewerber")',
                               tenant=Tenant.objects.get(slug="olov-kassel"))
    assert obj is not None, f"the demo has a {case.model}"
    return obj


def _transition_manager_assignment():
    from bildungskette.core.models import Role, RoleAssignment

    return RoleAssignment.objects.select_related("user", "organisation").get(
        role=Role.TRANSITION_MANAGER, user__username="kassel.uebergang")


def _user(case: Case, obj):
    if case.user == "transition-manager":
        return _transition_manager_assignment().user
    return User.objects.get(username=case.user)


def _url(case: Case, obj) -> str:
    if not case.url_kwarg:
        return reverse(case.url)
    return reverse(case.url, kwargs={case.url_kwarg: getattr(obj, case.url_kwarg)})


def _post(client, url, data):
    return client.post(url, data)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_stale_save_is_refused_and_nothing_is_lost(case, demo_data, client):
    obj = _object(case)
    model = type(obj)
    client.force_login(_user(case, obj))
    url = _url(case, obj)
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    data = form_with_field(page.content.decode(), "stand")
    assert case.b_field in data and case.a_field in data or case.a_field == "names_enabled", sorted(data)
    original_b = getattr(model._base_manager.get(pk=obj.pk), case.b_field)

    # Somebody else saves A in the meantime.
    model._base_manager.filter(pk=obj.pk).update(**{case.a_field: case.a_value})

    data[case.b_field] = [case.b_value]
    response = _post(client, url, data)
    assert response.status_code == 200, "a stale save is not accepted"
    text = html.unescape(response.content.decode())
    assert STALE in text
    label = str(response.context["form"].fields[case.a_field].label)
    assert label in text, "the message names what changed"
    fresh = model._base_manager.get(pk=obj.pk)
    assert getattr(fresh, case.a_field) == case.a_value, "the other person's save stays"
    assert getattr(fresh, case.b_field) == original_b, "nothing from the stale form was written"

    # Nothing lost: the user's B is still in the form, A shows the other person's value.
    again = form_with_field(response.content.decode(), "stand")
    assert again[case.b_field] == [case.b_value]
    expected_a = case.a_form_value if case.a_form_value is not None else str(case.a_value)
    assert again.get(case.a_field) == [expected_a]
    assert again["stand"] != data["stand"], "the version token was renewed"

    # Saving again, knowingly, keeps both changes.
    final = _post(client, url, again)
    assert final.status_code == 302, html.unescape(final.content.decode())[:3000]
    fresh = model._base_manager.get(pk=obj.pk)
    assert getattr(fresh, case.a_field) == case.a_value
    expected_b = case.b_check if case.b_check is not None else case.b_value
    assert getattr(fresh, case.b_field) == expected_b


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_fresh_save_goes_through(case, demo_data, client):
    obj = _object(case)
    model = type(obj)
    client.force_login(_user(case, obj))
    url = _url(case, obj)
    data = form_with_field(client.get(url).content.decode(), "stand")
    data[case.b_field] = [case.b_value]
    response = _post(client, url, data)
    assert response.status_code == 302, html.unescape(response.content.decode())[:3000]
    expected_b = case.b_check if case.b_check is not None else case.b_value
    assert getattr(model._base_manager.get(pk=obj.pk), case.b_field) == expected_b


def test_a_forged_version_is_refused(demo_data, client):
    case = CASES[0]
    obj = _object(case)
    client.force_login(_user(case, obj))
    url = _url(case, obj)
    data = form_with_field(client.get(url).content.decode(), "stand")
    data["stand"] = ["gefälscht"]
    data["name"] = ["ZZB"]
    response = client.post(url, data)
    assert response.status_code == 200 and "keinen gültigen Bearbeitungsstand" in response.content.decode()
    assert type(obj).objects.get(pk=obj.pk).name == obj.name


NO_TOKEN = ("Das Formular enthält keinen Bearbeitungsstand, deshalb wurde nichts gespeichert. Bitte laden Sie "
            "die Seite neu und geben Sie Ihre Änderungen erneut ein.")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_post_without_the_version_token_is_refused_and_nothing_is_saved(case, demo_data, client):
    """Every edit form renders its token; a POST without one (a hand-made or old client) is refused."""
    obj = _object(case)
    model = type(obj)
    client.force_login(_user(case, obj))
    url = _url(case, obj)
    data = form_with_field(client.get(url).content.decode(), "stand")
    del data["stand"]
    data[case.b_field] = [case.b_value]
    before = model._base_manager.filter(pk=obj.pk).values().get()
    response = client.post(url, data)
    assert response.status_code == 200, "a save without version is not accepted"
    assert NO_TOKEN in html.unescape(response.content.decode())
    assert model._base_manager.filter(pk=obj.pk).values().get() == before, "nothing was written"


def test_a_record_created_in_the_same_request_has_the_version_it_has_when_read_back(db):
    """A choices default is an enum member until the record is read back; the version must not
    differ because of that, or the first save of a just-created record would be refused as stale."""
    from bildungskette.core.forms import LegalPagesForm
    from bildungskette.core.models import LegalPages, Tenant

    tenant = Tenant.objects.create(name="Kreis Lippe", slug="lippe")
    created = LegalPages.objects.create(tenant=tenant)
    assert isinstance(created.accessibility_status, LegalPages.Status)  # the default, not yet read back
    shown = LegalPagesForm(instance=created)
    read_back = LegalPagesForm(instance=LegalPages.objects.get(pk=created.pk))
    assert shown.fields["stand"].initial() == read_back.fields["stand"].initial()
