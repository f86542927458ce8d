"""A local fake of a GENESIS instance: answers POSTs from the fixture files, records what it was asked.

It is a transport for ``GenesisClient`` (``(url, form, headers, timeout) -> TransportResponse``);
no test reaches the network. Behaviour follows the documented status codes: unknown table → 90,
region outside Hessen → 104, ``stand`` not older than the table's stand → 50, a table marked
large → 98 unless ``job=true`` (→ 99, then ``catalogue/results`` answers 104 once and lists the job
the second time, then ``data/resultfile``). The 98, 99, 104 and ``catalogue/results`` bodies are the
RECORDED answers of GENESIS-Online (``fixtures/genesis_ws/recorded/``, job name included); 22, 50 and
90 come from ``status_responses.json`` (written to the documented format: no recording exists).
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime
from pathlib import Path

from bildungskette.monitoring.sources.genesis_client import TransportResponse

FIXTURES = Path(__file__).parent / "fixtures" / "genesis_ws"
ZIP = (FIXTURES / "21121-02-02-4_hessen_ffcsv.zip").read_bytes()
STATUS = json.loads((FIXTURES / "status_responses.json").read_text(encoding="utf-8"))
RECORDED = FIXTURES / "recorded"
TABLE = "21121-02-02-4"
JOB = "12531-0043_175879554"  # the job name of the recorded code-99 answer


def recorded(name: str) -> TransportResponse:
    return TransportResponse(200, "application/json", (RECORDED / name).read_bytes())


def _stand(text: str) -> datetime | None:
    for fmt in ("%d.%m.%Y %H:%M:%S", "%d.%m.%Y"):
        try:
            return datetime.strptime(text.strip(), fmt)
        except ValueError:
            continue
    return None


class FakeGenesis:
    def __init__(self):
        self.reset()

    def reset(self):
        self.requests: list[dict] = []
        self.table_stand = datetime(2025, 3, 12, 8, 15, 24)
        self.large = False
        self.polls = 0
        self.fail_times = 0  # answer HTTP 503 this many times first (backoff)
        self.adjust = False  # answer 22 (parameter adjusted) with the table in Object.Content

    def _json(self, key, status=200):
        return TransportResponse(status, "application/json", json.dumps(STATUS[key]).encode("utf-8"))

    def __call__(self, url, form, headers, timeout):
        self.requests.append({"url": url, "form": dict(form), "headers": dict(headers), "timeout": timeout})
        if self.fail_times:
            self.fail_times -= 1
            return TransportResponse(503, "text/html", b"<html>Wartung</html>")
        method = url.split("/rest/2020/", 1)[1]
        if method == "data/tablefile":
            if form.get("name") != TABLE:
                return self._json("90")
            if form.get("regionalkey") and not form["regionalkey"].startswith("06"):
                return recorded("tablefile_104_63121-0001.json")
            asked = _stand(form.get("stand", ""))
            if asked is not None and asked >= self.table_stand:
                return self._json("50")
            if self.large and form.get("job") != "true":
                return recorded("tablefile_98_12531-0043.json")
            if self.adjust:
                text = zipfile.ZipFile(io.BytesIO(ZIP)).read("21121-02-02-4_flat.csv").decode("utf-8-sig")
                answer = {**STATUS["22"], "Object": {"Content": text}}
                return TransportResponse(200, "application/json", json.dumps(answer).encode("utf-8"))
            if form.get("job") == "true":
                self.polls = 0
                return recorded("tablefile_99_12531-0043.json")
            return TransportResponse(200, "application/zip", ZIP)
        if method == "catalogue/results":
            self.polls += 1
            if form.get("selection") != JOB or self.polls < 2:
                return recorded("results_104_12531-0043_175879554.json")
            return recorded("results_0_12531-0043_175879554.json")
        if method == "data/resultfile":
            if form.get("name") != JOB:
                return self._json("90")
            return TransportResponse(200, "application/zip", ZIP)
        if method == "catalogue/modifieddata":
            return self._json("modifieddata")
        if method == "metadata/table":
            return self._json("metadata_table") if form.get("name") == TABLE else self._json("90")
        return TransportResponse(404, "text/plain", b"not found")


transport = FakeGenesis()
