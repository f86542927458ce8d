"""The GENESIS web service client against a local fake serving the fixture answers (no network)."""

from __future__ import annotations

import json

import pytest

from bildungskette.monitoring.sources.genesis_client import (
    CODE_ADJUSTED,
    CODE_NO_MATCH,
    CODE_NO_NEWER_DATA,
    CODE_OK,
    GenesisClient,
    GenesisError,
    TransportResponse,
)

from .genesis_fake import JOB, STATUS, TABLE, ZIP, FakeGenesis, recorded


@pytest.fixture
def fake():
    return FakeGenesis()


def client(fake, **kw):
    return GenesisClient(
        instance="regionalstatistik", username="kassel", password="geheim", transport=fake, sleep=lambda s: None, **kw
    )


def test_post_with_credentials_in_headers_and_documented_form(fake):
    result = client(fake).tablefile(
        TABLE, startyear="2023", endyear="2023", regionalvariable="KREISE", regionalkey="06611", quality=True
    )
    assert result.code == CODE_OK and result.content == ZIP
    sent = fake.requests[0]
    assert sent["url"] == "https://www.regionalstatistik.de/genesisws/rest/2020/data/tablefile"
    assert sent["headers"]["username"] == "kassel" and sent["headers"]["password"] == "geheim"
    assert "username" not in sent["form"] and "password" not in sent["form"]
    for key, value in {
        "name": TABLE,
        "area": "all",
        "format": "ffcsv",
        "startyear": "2023",
        "endyear": "2023",
        "regionalvariable": "KREISE",
        "regionalkey": "06611",
        "quality": "on",
        "language": "de",
    }.items():
        assert sent["form"][key] == value
    assert sent["timeout"] == 300
    text = result.csv_text()
    assert text.startswith("statistics_code;statistics_label;time_code;time_label;time;")
    assert "value;value_unit;value_variable_code;value_variable_label" in text.splitlines()[0]


def test_code_22_is_data_with_adjusted_parameters(fake):
    fake.adjust = True
    result = client(fake).tablefile(TABLE, startyear="1990")
    assert result.code == CODE_ADJUSTED and result.has_data
    assert "Parameteranpassung" in result.message
    assert result.csv_text().splitlines()[1].startswith("21121;Statistik der beruflichen Schulen;SCHJAHR")


def test_status_without_a_table_is_an_error():
    def transport(url, form, headers, timeout):
        return TransportResponse(200, "application/json", json.dumps(STATUS["22"]).encode())

    with pytest.raises(GenesisError, match="Status 22, aber keine Tabelle"):
        GenesisClient(transport=transport, sleep=lambda s: None).tablefile(TABLE)


def test_code_50_no_newer_data_since_stand(fake):
    result = client(fake).tablefile(TABLE, stand="12.03.2025 08:15:24")
    assert result.code == CODE_NO_NEWER_DATA and not result.has_data
    assert fake.requests[0]["form"]["stand"] == "12.03.2025 08:15:24"
    older = client(fake).tablefile(TABLE, stand="01.01.2025")
    assert older.code == CODE_OK and older.has_data


def test_code_90_unknown_table_is_an_error(fake):
    with pytest.raises(GenesisError, match="Tabelle 99999-01 ist unbekannt") as info:
        client(fake).tablefile("99999-01")
    assert info.value.code == 90


def test_code_104_no_match_is_no_data(fake):
    result = client(fake).tablefile(TABLE, regionalvariable="KREISE", regionalkey="05911")
    assert result.code == CODE_NO_MATCH and not result.has_data


def test_code_98_goes_through_a_job(fake):
    fake.large = True
    slept = []
    c = GenesisClient(transport=fake, sleep=slept.append, job_poll_interval=7)
    result = c.tablefile(TABLE)
    methods = [r["url"].rsplit("/rest/2020/", 1)[1] for r in fake.requests]
    assert methods == ["data/tablefile", "data/tablefile", "catalogue/results", "catalogue/results", "data/resultfile"]
    assert fake.requests[1]["form"]["job"] == "true"
    assert fake.requests[2]["form"]["selection"] == JOB
    assert fake.requests[4]["form"]["name"] == JOB
    assert result.job == JOB and result.content == ZIP
    assert 7 in slept  # waited between the two polls


def test_job_that_never_finishes_fails_with_a_message(fake):
    fake.large = True

    def transport(url, form, headers, timeout):
        if url.endswith("catalogue/results"):
            return recorded("results_104_12531-0043_175879554.json")
        return fake(url, form, headers, timeout)

    with pytest.raises(GenesisError, match="nach 3 Abfragen nicht fertig"):
        GenesisClient(transport=transport, sleep=lambda s: None, job_max_polls=3).tablefile(TABLE)


def test_backoff_on_server_errors_then_success(fake):
    fake.fail_times = 2
    slept = []
    result = GenesisClient(transport=fake, sleep=slept.append, min_pause=0).tablefile(TABLE)
    assert result.has_data
    assert len(fake.requests) == 3
    assert [s for s in slept if s >= 2] == [2.0, 4.0]


def test_backoff_gives_up_after_four_attempts(fake):
    fake.fail_times = 10
    with pytest.raises(GenesisError, match="4 Versuche"):
        GenesisClient(transport=fake, sleep=lambda s: None, min_pause=0).tablefile(TABLE)
    assert len(fake.requests) == 4


def test_one_request_at_a_time_per_host_with_a_pause(fake):
    slept = []
    c = GenesisClient(transport=fake, sleep=slept.append, min_pause=5)
    c.tablefile(TABLE)
    c.tablefile(TABLE)
    assert slept and 0 < slept[-1] <= 5


def test_modifieddata_and_metadata(fake):
    c = client(fake)
    changed = c.modifieddata(TABLE, date="01.01.2025")
    assert changed[0]["Code"] == TABLE and changed[0]["Date"] == "12.03.2025"
    meta = c.metadata_table(TABLE)
    assert meta["Updated"].startswith("12.03.2025")
    with pytest.raises(GenesisError, match="unbekannt"):
        c.metadata_table("00000-0000")


def test_unknown_instance_is_refused():
    with pytest.raises(GenesisError, match="Unbekannte GENESIS-Instanz"):
        GenesisClient(instance="mond")
