"""JSON API: public data for everyone, every answer names its sources; OpenAPI lists the paths."""

import pytest

from bildungskette.monitoring.services import indicator_create

SOURCE_LINE = "© Statistische Ämter des Bundes und der Länder, Deutschland, 2025"


@pytest.mark.django_db
def test_indicator_results_api(client, leavers, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        data = client.get("/api/monitoring/indicators/quote-ohne-hsa/results?region=06611,03101").json()
    by_region = {r["region"]: r for r in data["results"]}
    assert by_region["06611"]["value"] == 8.8 and by_region["06611"]["period"] == "2022/23"
    assert any(SOURCE_LINE in line for line in data["sources"])


@pytest.mark.django_db
def test_values_api_keeps_flags_and_never_invents_zero(client, leavers, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        data = client.get("/api/monitoring/values?table=21111-02-06-4&region=03101").json()
    fhr = [r for r in data["results"] if r["categories"] == "abschlussart=mit-fachhochschulreife"][0]
    assert fhr["value"] is None and fhr["flag"] == "." and "geheim" in fhr["flag_meaning"]
    assert any(SOURCE_LINE in line for line in data["sources"])
    assert client.get("/api/monitoring/values").status_code == 400


@pytest.mark.django_db
def test_lists_and_openapi(client, leavers, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        sources = client.get("/api/monitoring/sources").json()["results"]
    assert any(s["table_code"] == "21111-02-06-4" and "Namensnennung" in s["attribution"] for s in sources)
    with django_assert_max_num_queries(6):
        stats = client.get("/api/monitoring/statistics").json()["results"]
    assert any(s["code"] == "ba.bewerber" and s["breakdowns"] for s in stats)
    with django_assert_max_num_queries(5):
        indicators = client.get("/api/monitoring/indicators").json()["results"]
    assert {"anr", "eanr", "auba", "quote-ohne-hsa"} <= {i["code"] for i in indicators}
    spec = client.get("/api/openapi.json").json()
    assert "/api/monitoring/indicators/{code}/results" in spec["paths"]
    assert "MonitoringIndicatorResult" in spec["components"]["schemas"]


@pytest.mark.django_db
def test_internal_indicator_not_in_public_api(client, client_as, make_user, tenant, leavers):
    indicator_create(
        code="intern", name="Intern", numerator='wert("ba.bewerber")', tenant=tenant, visibility="internal"
    )
    assert "intern" not in {i["code"] for i in client.get("/api/monitoring/indicators").json()["results"]}
    member = client_as(make_user(role="monitoring", tenant=tenant))
    assert "intern" in {i["code"] for i in member.get("/api/monitoring/indicators").json()["results"]}
