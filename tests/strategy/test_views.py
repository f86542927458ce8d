"""Pages as a user meets them: goal tree, linking an indicator, assessments, measures, overlaps, reviews."""

import datetime

import pytest

from bildungskette.strategy.models import Goal, GoalAssessment, GoalIndicator, Measure, OverlapDecision
from bildungskette.strategy.progress import Status
from bildungskette.strategy.selectors import goal_node

pytestmark = pytest.mark.django_db


def test_goal_tree_page_shows_computed_status_in_text(world, client_as, django_assert_max_num_queries):
    client = client_as(world.users.coordination)
    with django_assert_max_num_queries(25):
        response = client.get("/strategie/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Regionale Strategie 2017–2020" in html
    assert "Mehr Praxisformate" in html
    assert "auf Kurs" in html  # 180 -> 262 of 300 by 2020
    assert "Daten reichen nicht aus" in html  # 2.1 without indicator


def test_partner_sees_only_goals_of_own_bodies(world, client_as):
    html = client_as(world.users.partner_member).get("/strategie/").content.decode()
    assert "Mehr Praxisformate" in html
    assert "Jugendhilfeplanung" not in html
    assert client_as(world.users.partner_member).get(f"/strategie/ziele/{world.hidden.pk}/").status_code == 403


def test_coordination_links_indicator_and_parent_status_follows(world, client_as):
    client = client_as(world.users.coordination)
    before = goal_node(world.parent).progress
    response = client.post(f"/strategie/ziele/{world.child.pk}/indikatoren/neu/", {
        "label": "Berufsausbildungsstellen je Bewerber*in", "unit": "Stellen je Bewerber*in",
        "direction": "increase", "baseline_year": "2019", "baseline_value": "1,08", "target_year": "2022",
        "target_value": "1,20", "weight": "1", "intermediate": "2020: 1,10",
    })
    assert response.status_code == 302
    gi = GoalIndicator.objects.get(goal=world.child)
    assert gi.intermediate_targets.get().year == 2020
    from bildungskette.core.models import AuditEntry

    entry = AuditEntry.objects.get(model_label="strategy.GoalIndicator", object_id=str(gi.pk))
    assert entry.actor == world.users.coordination and entry.tenant == world.tenant
    response = client.post(f"/strategie/indikatoren/{gi.pk}/werte/",
                           {"year": "2021", "value": "1,02", "source": "Demo", "is_synthetic": "on"})
    assert response.status_code == 302
    html = client.get(f"/strategie/ziele/{world.child.pk}/").content.decode()
    assert "nicht auf Kurs" in html
    assert "Ausgangswert 2019: 1,08; Zielwert 2022: 1,20" in html
    after = goal_node(world.parent).progress
    assert before.status == Status.ON_TRACK  # only 2.2 counted before
    assert after.status != before.status
    assert "Ziel 2.1: nicht auf Kurs" in " ".join(after.explanation)


def test_indicator_form_rejects_target_before_baseline(world, client_as):
    response = client_as(world.users.coordination).post(f"/strategie/ziele/{world.child.pk}/indikatoren/neu/", {
        "label": "X", "direction": "increase", "baseline_year": "2020", "baseline_value": "1",
        "target_year": "2019", "target_value": "2", "weight": "1"})
    assert response.status_code == 200
    assert "Das Zieljahr muss nach dem Ausgangsjahr liegen." in response.content.decode()
    assert not GoalIndicator.objects.filter(goal=world.child).exists()


def test_monitoring_cannot_link_indicators(world, client_as):
    response = client_as(world.users.monitoring).get(f"/strategie/ziele/{world.child.pk}/indikatoren/neu/")
    assert response.status_code == 403


def test_manual_assessment_needs_justification_and_stays_beside_computed(world, client_as):
    client = client_as(world.users.coordination)
    url = f"/strategie/ziele/{world.sibling.pk}/einschaetzung/"
    client.post(url, {"status": "off_track", "justification": "", "assessed_on": "2019-11-20"})
    assert not GoalAssessment.objects.exists()
    client.post(url, {"status": "off_track", "justification": "Betriebe sagen Termine ab.",
                      "assessed_on": "2019-11-20"})
    assessment = GoalAssessment.objects.get()
    assert assessment.computed_status == "on_track"
    html = client.get(f"/strategie/ziele/{world.sibling.pk}/").content.decode()
    assert "auf Kurs" in html and "Betriebe sagen Termine ab." in html and "20.11.2019" in html
    assert goal_node(world.sibling).progress.status == Status.ON_TRACK


def test_goal_detail_has_chart_with_text_alternative_and_table(world, client_as, django_assert_max_num_queries):
    client = client_as(world.users.coordination)
    with django_assert_max_num_queries(30):
        html = client.get(f"/strategie/ziele/{world.sibling.pk}/").content.decode()
    assert 'role="img"' in html and "<desc" in html
    assert "<td>2019</td>" in html and "262" in html
    assert "synthetisch" in html


def test_measure_pages(world, client_as, django_assert_max_num_queries):
    client = client_as(world.users.coordination)
    for i in range(30):
        Measure.objects.create(tenant=world.tenant, title=f"Maßnahme {i}")
    with django_assert_max_num_queries(25):
        response = client.get("/strategie/massnahmen/")
    assert response.status_code == 200 and "31 Maßnahmen" in response.content.decode()
    with django_assert_max_num_queries(35):
        assert client.get(f"/strategie/massnahmen/{world.measure.pk}/").status_code == 200
    from bildungskette.regions.selectors import region_by_code

    landkreis = region_by_code("06633")
    for m in Measure.objects.filter(title__startswith="Maßnahme "):
        m.regions.add(landkreis)
    html = client.get(f"/strategie/massnahmen/?gebiet={world.kassel.pk}").content.decode()
    assert "1 Maßnahme" in html and "Azubi-Speed-Dating" in html
    assert "30 Maßnahmen" in client.get(f"/strategie/massnahmen/?gebiet={landkreis.pk}").content.decode()
    partner_html = client_as(world.users.partner_ihk).get("/strategie/massnahmen/").content.decode()
    assert "Azubi-Speed-Dating" in partner_html and "Maßnahme 1" not in partner_html


def test_measure_create_by_coordination(world, client_as):
    client = client_as(world.users.coordination)
    response = client.post("/strategie/massnahmen/neu/", {
        "title": "Praktikumsbörse", "description": "Börse für Praktika", "status": "running",
        "target_groups": [world.group.pk], "regions": [world.kassel.pk], "goals": [world.child.pk],
        "education_stages": ["sek1"], "start_date": "2020-01-01", "end_date": "2019-01-01",
    })
    assert response.status_code == 200 and "Das Ende liegt vor dem Beginn." in response.content.decode()
    response = client.post("/strategie/massnahmen/neu/", {
        "title": "Praktikumsbörse", "description": "Börse für Praktika", "status": "running",
        "target_groups": [world.group.pk], "regions": [world.kassel.pk], "goals": [world.child.pk],
        "education_stages": ["sek1"], "start_date": "2020-01-01",
    })
    measure = Measure.objects.get(title="Praktikumsbörse")
    assert response.status_code == 302 and measure.education_stages == ["sek1"]
    assert client_as(world.users.monitoring).get(f"/strategie/massnahmen/{measure.pk}/bearbeiten/").status_code \
        == 403


def _twin(world, title):
    from bildungskette.strategy.services import measure_create

    return measure_create(tenant=world.tenant, title=title,
                          description="Speed-Dating: Jugendliche treffen Ausbildungsbetriebe in kurzen Gesprächen",
                          target_groups=[world.group], regions=[world.kassel], start_date=datetime.date(2019, 1, 1))


def test_overlap_workflow_dismiss_decide_reopen(world, client_as, django_assert_max_num_queries):
    a = _twin(world, "Azubi-Speed-Dating mit Betrieben")
    b = _twin(world, "Speed-Dating Ausbildung")
    client = client_as(world.users.coordination)
    with django_assert_max_num_queries(25):
        html = client.get("/strategie/ueberschneidungen/").content.decode()
    assert "Azubi-Speed-Dating mit Betrieben" in html and "Gleiche Zielgruppe" in html
    # A merge needs a note; nothing is stored without it.
    client.post("/strategie/ueberschneidungen/entscheiden/", {"measure_a": b.pk, "measure_b": a.pk,
                                                              "decision": "merge", "note": ""})
    assert not OverlapDecision.objects.exists()
    client.post("/strategie/ueberschneidungen/entscheiden/", {"measure_a": b.pk, "measure_b": a.pk,
                                                              "decision": "coordinate",
                                                              "note": "Termine gemeinsam planen"})
    decision = OverlapDecision.objects.get()
    assert (decision.measure_a_id, decision.measure_b_id) == (min(a.pk, b.pk), max(a.pk, b.pk))
    assert decision.score and decision.decided_by == world.users.coordination
    html = client.get("/strategie/ueberschneidungen/").content.decode()
    assert "Termine gemeinsam planen" not in html  # decided pairs leave the open list
    assert "Termine gemeinsam planen" in client.get("/strategie/ueberschneidungen/?zeige=alle").content.decode()
    client.post(f"/strategie/ueberschneidungen/{decision.pk}/wieder-oeffnen/")
    assert not OverlapDecision.objects.exists()
    assert client_as(world.users.monitoring).post("/strategie/ueberschneidungen/entscheiden/", {
        "measure_a": a.pk, "measure_b": b.pk, "decision": "dismissed"}).status_code == 403
    assert client_as(world.users.partner_member).get("/strategie/ueberschneidungen/").status_code == 403


def test_landscape_shows_gaps_and_counts(world, client_as, django_assert_max_num_queries):
    client = client_as(world.users.coordination)
    for columns in ("field", "region", "stage"):
        with django_assert_max_num_queries(25):
            response = client.get(f"/strategie/landschaft/?spalten={columns}")
        assert response.status_code == 200
        html = response.content.decode()
        assert ("Azubi-Speed-Dating" in html) is (columns != "stage")  # the fixture measure names no stage
    assert "ohne Handlungsfeld" in client.get("/strategie/landschaft/").content.decode()
    from bildungskette.regions.selectors import region_by_code

    landkreis = region_by_code("06633")
    Measure.objects.filter(pk=world.measure.pk).first().regions.add(world.kassel)
    assert "Azubi-Speed-Dating" in client.get(f"/strategie/landschaft/?gebiet={world.kassel.pk}").content.decode()
    assert "Azubi-Speed-Dating" not in client.get(f"/strategie/landschaft/?gebiet={landkreis.pk}").content.decode()
    stage_html = client.get("/strategie/landschaft/?spalten=stage").content.decode()
    assert "keine Maßnahme" in stage_html and "Frühkindliche Bildung" in stage_html


def test_review_walkthrough_decisions_and_pdf(world, client_as):
    from bildungskette.strategy.models import StrategyReview

    client = client_as(world.users.coordination)
    response = client.post("/strategie/klausuren/", {"title": "Zwischenbilanz 2019", "period": world.period.pk,
                                                     "held_on": "2019-11-20", "participants": "Steuerungsgruppe"})
    review = StrategyReview.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/klausuren/{review.pk}/ziel/1/")
    step = client.get(f"/strategie/klausuren/{review.pk}/ziel/1/").content.decode()
    assert "Ziel 1 von 4" in step
    response = client.post(f"/strategie/klausuren/{review.pk}/ziel/1/",
                           {"action": "assess", "status": "moderate", "justification": "Gemischtes Bild",
                            "next": "1"})
    assert response["Location"].endswith("/ziel/2/")
    client.post(f"/strategie/klausuren/{review.pk}/ziel/2/", {"action": "change",
                                                               "title": "Mehr betriebliche Ausbildungsstellen"})
    client.post(f"/strategie/klausuren/{review.pk}/ziel/2/", {"action": "add", "code": "2.1.1",
                                                               "title": "Akquise im Handwerk"})
    assert Goal.objects.get(pk=world.child.pk).title == "Mehr betriebliche Ausbildungsstellen"
    assert Goal.objects.filter(code="2.1.1", parent=world.child).exists()
    client.post(f"/strategie/klausuren/{review.pk}/abschliessen/", {"summary": "Die Runde hat beraten."})
    report = client.get(f"/strategie/klausuren/{review.pk}/bericht/").content.decode()
    assert "Gemischtes Bild" in report and "Mehr betriebliche Ausbildungsstellen" in report
    assert "bisher: 2.1: Mehr Ausbildungsstellen je Bewerber*in" in report
    pdf = client.get(f"/strategie/klausuren/{review.pk}/bericht.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    import io

    import pypdfium2

    doc = pypdfium2.PdfDocument(io.BytesIO(pdf.content))
    text = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    assert "Zwischenbilanz 2019" in text and "Akquise im Handwerk" in text
    # A closed review stays as it was.
    client.post(f"/strategie/klausuren/{review.pk}/ziel/3/", {"action": "assess", "status": "achieved",
                                                               "justification": "später"})
    assert review.assessments.count() == 1


def test_successor_keeps_the_old_strategy_readable(world, client_as):
    client = client_as(world.users.coordination)
    from bildungskette.strategy.services import intermediate_targets_set

    intermediate_targets_set(goal_indicator=world.sibling.indicators.get(), targets={2019: 250})
    response = client.post(f"/strategie/strategien/{world.period.pk}/nachfolger/",
                           {"name": "Regionale Strategie 2021–2024", "start_year": "2021", "end_year": "2024"})
    assert response.status_code == 302
    copy = Goal.objects.get(period__name="Regionale Strategie 2021–2024", code="2.2")
    assert copy.previous_version_id == world.sibling.pk
    assert copy.indicators.get().observations.count() == 2
    assert copy.indicators.get().intermediate_targets.get().year == 2019
    old = client.get(f"/strategie/ziele/{world.sibling.pk}/")
    assert old.status_code == 200 and "Regionale Strategie 2021–2024" in old.content.decode()
    assert client.get(f"/strategie/ziele/{world.sibling.pk}/bearbeiten/").status_code == 403


def test_api_goal_tree_for_staff_and_partner(world, client_as):
    data = client_as(world.users.coordination).get(f"/strategie/api/strategien/{world.period.pk}/ziele/").json()
    codes = [g["code"] for g in data["goals"]]
    assert codes == ["2", "5"]
    sibling = data["goals"][0]["children"][1]
    assert sibling["status"] == "on_track" and sibling["indicators"][0]["synthetic"] is True
    partner = client_as(world.users.partner_member).get(f"/strategie/api/strategien/{world.period.pk}/ziele/").json()
    assert [g["code"] for g in partner["goals"]] == ["2"]


def test_start_panel_for_coordination(world, client_as):
    html = client_as(world.users.coordination).get("/").content.decode()
    assert "Strategie und Ziele" in html and "Regionale Strategie 2017–2020" in html
    assert "Strategie und Ziele" not in client_as(world.users.monitoring).get("/").content.decode()
    partner = client_as(world.users.partner_member).get("/").content.decode()
    assert "Ziele Ihrer Gremien" in partner and "Direkte Begegnungen" in partner and "Jugendhilfeplanung" not in partner


def test_agreement_create_with_parties_and_progress_report(world, client_as, django_assert_max_num_queries):
    from bildungskette.strategy.models import GoalAgreement

    client = client_as(world.users.coordination)
    assert client.get("/strategie/zielvereinbarungen/neu/").status_code == 200
    data = {
        "title": "Regionale Zielvereinbarung 2017–2020", "period": world.period.pk, "body": world.steering.pk,
        "start_date": "2017-01-01", "end_date": "2020-12-31", "goals": [world.parent.pk, world.sibling.pk],
        "standards_text": "BO1, BO5", "partei-TOTAL_FORMS": "3", "partei-INITIAL_FORMS": "0",
        "partei-MIN_NUM_FORMS": "0", "partei-MAX_NUM_FORMS": "1000",
        "partei-0-organisation": world.agentur.pk, "partei-0-contribution": "Berufsberatung an allen Schulen",
        "partei-1-organisation": world.ihk.pk, "partei-1-contribution": "Praktikumsbörse",
    }
    response = client.post("/strategie/zielvereinbarungen/neu/", data)
    agreement = GoalAgreement.objects.get()
    assert response.status_code == 302 and agreement.standards == ["BO1", "BO5"]
    assert agreement.parties.count() == 2
    with django_assert_max_num_queries(40):
        html = client.get(f"/strategie/zielvereinbarungen/{agreement.pk}/").content.decode()
    assert "Berufsberatung an allen Schulen" in html and "Fortschrittsbericht aus den Daten" in html
    assert "auf Kurs" in html
    pdf = client.get(f"/strategie/zielvereinbarungen/{agreement.pk}/bericht.pdf")
    assert pdf.content.startswith(b"%PDF")
    import io

    import pypdfium2

    text = pypdfium2.PdfDocument(io.BytesIO(pdf.content))[0].get_textpage().get_text_range()
    assert "Regionale Zielvereinbarung 2017–2020" in text and "Praktikumsbörse" in text
    # The partner who is party reads it; the other partner does not; monitoring may not edit.
    assert client_as(world.users.partner_member).get(f"/strategie/zielvereinbarungen/{agreement.pk}/").status_code \
        == 200
    assert client_as(world.users.partner_other).get(f"/strategie/zielvereinbarungen/{agreement.pk}/").status_code \
        == 403
    assert client_as(world.users.monitoring).get(
        f"/strategie/zielvereinbarungen/{agreement.pk}/bearbeiten/").status_code == 403


def test_openapi_lists_the_goal_tree(client, db):
    spec = client.get("/api/openapi.json").json()
    assert "/strategie/api/strategien/{id}/ziele/" in spec["paths"]
    assert "StrategyGoal" in spec["components"]["schemas"]


def test_measure_milestones_and_outputs(world, client_as):
    client = client_as(world.users.coordination)
    url = f"/strategie/massnahmen/{world.measure.pk}/"
    client.post(url + "meilenstein/neu/", {"ms-title": "Termine mit Schulen abgestimmt", "ms-due_on": "2019-02-01"})
    client.post(url + "leistung/neu/", {"out-label": "Teilnehmende Jugendliche", "out-value": "240",
                                        "out-unit": "Personen", "out-year": "2019"})
    html = client.get(url).content.decode()
    assert "Termine mit Schulen abgestimmt" in html and "01.02.2019" in html
    assert "Teilnehmende Jugendliche" in html and "240" in html
    assert client_as(world.users.partner_ihk).post(url + "leistung/neu/", {
        "out-label": "x", "out-value": "1"}).status_code == 403
    assert world.measure.outputs.count() == 1


def test_remaining_pages_answer_within_query_limits(world, client_as, django_assert_max_num_queries):
    from bildungskette.strategy.services import agreement_create, review_assess, review_create

    review = review_create(period=world.period, title="Zwischenbilanz", held_on=datetime.date(2019, 11, 20))
    review_assess(review=review, goal=world.sibling, status="on_track", justification="passt")
    agreement = agreement_create(tenant=world.tenant, title="Zielvereinbarung", start_date=datetime.date(2017, 1, 1),
                                 goals=[world.parent], parties=[(world.agentur, "Beratung")])
    client = client_as(world.users.coordination)
    pages = ["/strategie/klausuren/", f"/strategie/klausuren/{review.pk}/", f"/strategie/klausuren/{review.pk}/ziel/3/",
             f"/strategie/klausuren/{review.pk}/bericht/", "/strategie/synergien/", "/strategie/zielvereinbarungen/",
             f"/strategie/zielvereinbarungen/{agreement.pk}/", f"/strategie/strategien/{world.period.pk}/"]
    for url in pages:
        with django_assert_max_num_queries(30):
            response = client.get(url)
        assert response.status_code == 200, url
    assert client_as(world.users.partner_member).get("/strategie/klausuren/").status_code == 403


def test_partner_reads_subgoals_of_a_goal_owned_by_their_body(world, client_as):
    from bildungskette.network.models import Body

    Goal.objects.filter(pk=world.sibling.pk).update(body=Body.objects.get(name="Arbeitskreis Jugendhilfe"))
    client = client_as(world.users.partner_member)
    assert "Mehr Praxisformate" in client.get("/strategie/").content.decode()
    assert client.get(f"/strategie/ziele/{world.sibling.pk}/").status_code == 200
    data = client.get(f"/strategie/api/strategien/{world.period.pk}/ziele/").json()
    sibling = next(c for c in data["goals"][0]["children"] if c["code"] == "2.2")
    assert sibling["indicators"][0]["label"] == "Teilnehmende an Praxisformaten"


def test_english_interface(world, client_as):
    client = client_as(world.users.coordination)
    client.post("/i18n/setlang/", {"language": "en", "next": "/strategie/"})
    html = client.get("/strategie/").content.decode()
    assert 'lang="en"' in html and ">Strategy<" in html
    assert "on track" in html and "insufficient data" in html and "Status of the goals" in html
