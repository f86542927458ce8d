"""The GENESIS client against answers RECORDED from the real services (no network, no fake logic).

The answers in ``fixtures/genesis_ws/recorded/`` were recorded by the open-source clients pystatis
(VCR cassettes, POST interface, GENESIS-Online and Regionaldatenbank, 2024–2026) and restatis
(httptest2 mocks); ``recorded.json`` names the request, date and source of each (SOURCES.md).
A replay transport hands them back in the recorded order; the expected values are read from the
recorded bodies with nothing but ``zipfile``/``csv``/``json``.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from bildungskette.monitoring.importers import import_file
from bildungskette.monitoring.models import Value, ValueRevision
from bildungskette.monitoring.sources.genesis_client import (
    CODE_NO_MATCH,
    CODE_OK,
    GenesisClient,
    GenesisError,
    TransportResponse,
)

RECORDED = Path(__file__).parent / "fixtures" / "genesis_ws" / "recorded"
MANIFEST = json.loads((RECORDED.parent / "recorded.json").read_text(encoding="utf-8"))
JOB = "12531-0043_175879554"


def answer(name: str) -> TransportResponse:
    meta = MANIFEST[name]
    return TransportResponse(meta["http_status"], meta["content_type"], (RECORDED / name).read_bytes())


class Replay:
    """Hands back recorded answers in order; each answer is tied to the service it was recorded for."""

    def __init__(self, *names: str):
        self.answers = [answer(n) for n in names]
        self.services = [MANIFEST[n]["url"].split("/rest/2020/")[-1].lstrip("/") for n in names]
        self.requests: list[dict] = []

    def __call__(self, url, form, headers, timeout):
        service = url.split("/rest/2020/", 1)[1]
        assert self.answers, f"no recorded answer left for {service}"
        expected = self.services.pop(0)
        assert service == expected, f"asked {service}, recorded answer is for {expected}"
        self.requests.append({"service": service, "form": dict(form), "headers": dict(headers)})
        return self.answers.pop(0)


def client(replay, **kw):
    return GenesisClient(
        instance="regionalstatistik", username="kassel", password="geheim", transport=replay, sleep=lambda s: None, **kw
    )


def expected(raw: str) -> tuple[Decimal | None, str]:
    """A flat-file cell as value and flag: ``-`` is a true zero, the other signs stand for no number."""
    raw = raw.strip()
    if raw == "-":
        return Decimal(0), "-"
    if raw in (".", "...", "/", "x", "0"):
        return None, raw
    return Decimal(raw.replace(",", ".")), ""


def flat_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def zip_text(name: str) -> str:
    with zipfile.ZipFile(RECORDED / name) as zf:
        return zf.read(zf.namelist()[0]).decode("utf-8-sig")


def test_manifest_names_every_recorded_file_with_its_source():
    files = {p.name for p in RECORDED.iterdir()}
    assert files == set(MANIFEST)
    for meta in MANIFEST.values():
        assert meta["source"].startswith(("github.com/CorrelAid/pystatis ", "github.com/CorrelAid/restatis "))
        assert meta["licence"].startswith("MIT")


def test_recorded_tablefile_zip_is_data_with_the_2020_flat_header():
    replay = Replay("tablefile_0_12411-01-01-4.zip")
    result = client(replay).tablefile("12411-01-01-4")
    assert result.code == CODE_OK and result.has_data
    header = result.csv_text().splitlines()[0].split(";")
    assert header[:5] == ["statistics_code", "statistics_label", "time_code", "time_label", "time"]
    assert header[-4:] == ["value", "value_unit", "value_variable_code", "value_variable_label"]
    assert replay.requests[0]["headers"]["username"] == "kassel"
    assert "username" not in replay.requests[0]["form"]


CATEGORY = {"Insgesamt": "", "männlich": "geschlecht=maennlich", "weiblich": "geschlecht=weiblich"}


def _region(row: dict, prefix: str) -> str:
    return (
        row[f"{prefix}_variable_attribute_code"]
        if "1_variable_attribute_code" in row
        else row[f"{prefix}_Auspraegung_Code"]
    )


def _period(time: str) -> str:
    if "." in time:  # old form: 31.12.2023
        day, month, year = time.split(".")
        return f"{year}-{month}-{day}"
    return time


@pytest.mark.django_db
def test_real_flat_file_from_the_web_service_imports_cell_by_cell(tmp_path):
    """Issue #11: the first real flat file – every value row of the recorded answer is stored exactly."""
    replay = Replay("tablefile_0_12411-01-01-4.zip")
    result = client(replay).tablefile("12411-01-01-4")
    path = tmp_path / "12411-01-01-4_flat.csv"
    path.write_text(result.csv_text(), encoding="utf-8")
    import_file(path, fmt="ffcsv")

    rows = flat_rows(zip_text("tablefile_0_12411-01-01-4.zip"))
    assert len(rows) == 1650
    stored = {
        (v.region.code, v.period.code, v.categories): (v.value, v.flag)
        for v in Value.objects.filter(statistic__code__startswith="12411").select_related("region", "period")
    }
    for row in rows:
        key = (row["1_variable_attribute_code"], row["time"], CATEGORY[row["2_variable_attribute_label"]])
        assert stored[key] == expected(row["value"]), key
    assert len(stored) == len(rows)
    # the recorded answer carries real special values: former Regierungsbezirke are "-"
    assert sum(1 for r in rows if r["value"] == "-") == 240


@pytest.mark.django_db
def test_real_revision_between_two_recorded_answers_of_the_same_table_and_stichtag(tmp_path):
    """31.12.2023 was first published on the Zensus-2011 basis (recorded December 2024, old flat form)
    and revised to the Zensus-2022 basis (recorded June 2025, 2020 form): the re-import keeps the
    earlier state as a revision."""
    old = RECORDED / "tablefile_get_0_12411-01-01-4_flat_alt.csv"
    old_rows = flat_rows(old.read_text(encoding="utf-8"))
    new_rows = flat_rows(zip_text("tablefile_0_12411-01-01-4.zip"))

    def kassel_total(rows, time_col, label_col, value_col):
        return next(
            Decimal(r[value_col])
            for r in rows
            if _region(r, "1") == "06611" and r[label_col] == "Insgesamt" and _period(r[time_col]) == "2023-12-31"
        )

    before = kassel_total(old_rows, "Zeit", "2_Auspraegung_Label", "BEVSTD__Bevoelkerungsstand__Anzahl")
    after = kassel_total(new_rows, "time", "2_variable_attribute_label", "value")
    assert before != after

    path_old = tmp_path / "12411-01-01-4_alt.csv"
    path_old.write_bytes(old.read_bytes())
    import_file(path_old, fmt="ffcsv")
    value = Value.objects.get(
        statistic__code__startswith="12411", region__code="06611", period__code="2023-12-31", categories=""
    )
    assert value.value == before

    path_new = tmp_path / "12411-01-01-4_flat.csv"
    path_new.write_text(zip_text("tablefile_0_12411-01-01-4.zip"), encoding="utf-8")
    import_file(path_new, fmt="ffcsv")
    value.refresh_from_db()
    assert value.value == after
    assert [r.value for r in ValueRevision.objects.filter(value_row=value)] == [before]


def test_recorded_job_path_98_99_polls_104_until_listed_then_resultfile():
    replay = Replay(
        "tablefile_98_12531-0043.json",
        "tablefile_99_12531-0043.json",
        "results_104_12531-0043_175879554.json",
        "results_104_12531-0043_175879554.json",
        "results_0_12531-0043_175879554.json",
        "resultfile_0_12531-0043_175879554.zip",
    )
    slept = []
    c = GenesisClient(instance="destatis", transport=replay, sleep=slept.append, job_poll_interval=9, min_pause=0)
    result = c.tablefile("12531-0043")
    services = [r["service"] for r in replay.requests]
    assert services == [
        "data/tablefile",
        "data/tablefile",
        "catalogue/results",
        "catalogue/results",
        "catalogue/results",
        "data/resultfile",
    ]
    assert replay.requests[1]["form"]["job"] == "true"
    # the recorded poll asked for the user's own results by the job name
    recorded_poll = dict(p.split("=", 1) for p in MANIFEST["results_0_12531-0043_175879554.json"]["form"].split("&"))
    assert replay.requests[2]["form"]["selection"] == recorded_poll["selection"] == JOB
    assert replay.requests[2]["form"]["area"] == recorded_poll["area"] == "user"
    assert replay.requests[5]["form"]["name"] == JOB
    assert slept.count(9) == 2  # waited after each 104
    assert result.code == CODE_OK and result.job == JOB
    assert result.content == (RECORDED / "resultfile_0_12531-0043_175879554.zip").read_bytes()
    first = flat_rows(result.csv_text())[0]
    assert first["statistics_code"] == "12531" and first["time"] == "2024-12-31"


def test_a_job_listed_with_another_state_is_still_running():
    listed = json.loads((RECORDED / "results_0_12531-0043_175879554.json").read_text(encoding="utf-8"))
    assert GenesisClient._job_listed(JOB, 0, "", listed) is True
    running = {"List": [{**listed["List"][0], "State": "In Bearbeitung"}]}
    assert GenesisClient._job_listed(JOB, 0, "", running) is False
    other = {"List": [{**listed["List"][0], "Code": "12531-0043_1"}]}
    assert GenesisClient._job_listed(JOB, 0, "", other) is False
    with pytest.raises(GenesisError, match="catalogue/results: Status 90"):
        GenesisClient._job_listed(JOB, 90, "unbekannt", {})


def test_recorded_104_is_an_answer_without_data():
    recorded = json.loads((RECORDED / "tablefile_104_63121-0001.json").read_text(encoding="utf-8"))
    result = client(Replay("tablefile_104_63121-0001.json")).tablefile("63121-0001")
    assert result.code == CODE_NO_MATCH and not result.has_data
    assert result.message == recorded["Status"]["Content"]


def test_recorded_undocumented_code_minus_one_is_an_error_with_the_service_text():
    with pytest.raises(GenesisError, match="Unerwarteter Status -1: Für die Teiltabelle") as info:
        client(Replay("tablefile_-1_61111-0021.json")).tablefile("61111-0021")
    assert info.value.code == -1


def test_recorded_http_500_error_page_is_retried_then_refused():
    name = "tablefile_http500_52411-02-01-4.html"
    replay = Replay(name, name, name, name)
    with pytest.raises(GenesisError, match="HTTP 500.*4 Versuche"):
        client(replay, min_pause=0).tablefile("52411-02-01-4")
    assert len(replay.requests) == 4


def test_an_error_page_with_http_200_is_not_taken_for_data():
    page = (RECORDED / "tablefile_http500_52411-02-01-4.html").read_bytes()

    def transport(url, form, headers, timeout):
        return TransportResponse(200, "text/html", page)

    with pytest.raises(GenesisError, match="HTML-Seite statt mit Daten"):
        GenesisClient(transport=transport, sleep=lambda s: None).tablefile("52411-02-01-4")


def test_recorded_code_22_envelope_is_read_and_without_a_table_refused():
    recorded = json.loads((RECORDED / "values2variable_22.json").read_text(encoding="utf-8"))
    code, message, _ = GenesisClient._status(answer("values2variable_22.json"))
    assert (code, message) == (22, recorded["Status"]["Content"])

    def transport(url, form, headers, timeout):
        return answer("values2variable_22.json")

    with pytest.raises(GenesisError, match="Status 22, aber keine Tabelle"):
        GenesisClient(transport=transport, sleep=lambda s: None).tablefile("61111-0001")


def test_recorded_modifieddata_and_metadata():
    recorded = json.loads((RECORDED / "modifieddata_0_61111.json").read_text(encoding="utf-8"))
    c = client(
        Replay("modifieddata_0_61111.json", "modifieddata_104_61234.json", "metadata_table_0_12411-01-01-4.json")
    )
    assert c.modifieddata("61111", date="01.01.2022") == recorded["List"]
    assert c.modifieddata("61234", date="01.01.2022") == []
    meta = c.metadata_table("12411-01-01-4")
    assert meta["Updated"] == "31.03.2025 11:18:07h"
    assert meta["Time"] == {"From": "31.12.1995", "To": "31.12.2023"}
