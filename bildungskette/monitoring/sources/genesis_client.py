"""Client of the GENESIS-Webservices 2020 REST interface (the same on every GENESIS instance).

Every request is a POST with form data; ``username`` and ``password`` travel in HTTP headers,
never in the URL. ``data/tablefile`` answers with a ZIP (ffcsv: UTF-8 with BOM, ``;``, decimal
comma) or with a JSON status block:

====  =====================================================================
code  meaning (GENESIS-Webservices documentation; pystatis test suite)
====  =====================================================================
0     OK
22    OK, a parameter was adjusted (type "Warnung")
50    no newer data since ``stand`` (nothing to import)
90    unknown table
98    table too large: resend with ``job=true``; the answer (code 99) names the
      job; poll ``catalogue/results`` (``area=user``) until the job is listed –
      while it runs the service answers 104 –, then fetch ``data/resultfile``
104   no matching object (e.g. an unknown regional key)
====  =====================================================================

The answers for 0 (ZIP), 98, 99, the job polls (104, then 0), ``data/resultfile``, 104, an
undocumented -1, HTTP 500 with an HTML page, ``metadata/table`` and ``catalogue/modifieddata`` are
tested against answers recorded from GENESIS-Online and the Regionaldatenbank
(``tests/monitoring/fixtures/genesis_ws/recorded/``); 50 and 90 against answers written to the
documented format, because no recording of them was found.

The network is reached only through a *transport*: a callable ``(url, form, headers, timeout)
-> TransportResponse``. The default one uses the standard library; tests pass a local fake that
answers from recorded responses, so no test needs the network.

Politeness: one request at a time per host (a lock per host and a minimum pause between two
requests), exponential backoff on HTTP 5xx/429 and network errors, 300 s timeout per request.
"""

from __future__ import annotations

import json
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from io import BytesIO

# The instances a Kommune uses. All speak the same interface under ``…/rest/2020/``.
INSTANCES: dict[str, tuple[str, str]] = {
    "destatis": ("GENESIS-Online (Statistisches Bundesamt)", "https://www-genesis.destatis.de/genesisWS/rest/2020/"),
    "regionalstatistik": (
        "Regionaldatenbank Deutschland",
        "https://www.regionalstatistik.de/genesisws/rest/2020/",
    ),
    "bildungsmonitoring": (
        "Kommunale Bildungsdatenbank",
        "https://www.bildungsmonitoring.de/bildungws/rest/2020/",
    ),
    "nrw": ("Landesdatenbank NRW", "https://www.landesdatenbank.nrw.de/ldbnrwws/rest/2020/"),
    "bayern": ("GENESIS-Online Bayern", "https://www.statistikdaten.bayern.de/genesisWS/rest/2020/"),
}

CODE_OK = 0
CODE_ADJUSTED = 22
CODE_NO_NEWER_DATA = 50
CODE_UNKNOWN_TABLE = 90
CODE_TOO_LARGE = 98
CODE_JOB_CREATED = 99
CODE_NO_MATCH = 104

TIMEOUT = 300  # seconds per request
MIN_PAUSE = 1.0  # seconds between two requests to the same host
RETRIES = 4
JOB_NAME = re.compile(r"Namen abgerufen werden:\s*([\w-]+_\d+)")


class GenesisError(Exception):
    """A refusal of the web service, with its status code and a German message for the run history."""

    def __init__(self, message: str, *, code: int | None = None):
        super().__init__(message)
        self.code = code


@dataclass
class TransportResponse:
    status: int
    content_type: str
    body: bytes


Transport = Callable[[str, dict, dict, float], TransportResponse]


def urllib_transport(url: str, form: dict, headers: dict, timeout: float) -> TransportResponse:
    """POST with form data through the standard library (no extra dependency)."""
    data = urllib.parse.urlencode(form).encode("utf-8")
    request = urllib.request.Request(url, data=data, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 – https URLs from INSTANCES
            return TransportResponse(response.status, response.headers.get("Content-Type", ""), response.read())
    except urllib.error.HTTPError as exc:
        return TransportResponse(exc.code, exc.headers.get("Content-Type", "") if exc.headers else "", exc.read())


@dataclass
class TableResult:
    """The outcome of one table request: new data (``content``, a ZIP or CSV) or none, and why."""

    code: int
    message: str
    content: bytes | None = None
    job: str = ""
    requests: list[str] = field(default_factory=list)  # what was asked, for the run history

    @property
    def has_data(self) -> bool:
        return self.content is not None

    def csv_text(self) -> str:
        """The ffcsv inside the answer (ZIP or plain), decoded from UTF-8 with BOM."""
        if self.content is None:
            return ""
        raw = self.content
        if raw[:4] == b"PK\x03\x04":
            with zipfile.ZipFile(BytesIO(raw)) as zf:
                name = next(n for n in zf.namelist() if n.lower().endswith(".csv"))
                raw = zf.read(name)
        return raw.decode("utf-8-sig")


class _HostGate:
    """One request at a time per host, with a pause in between."""

    _locks: dict[str, threading.Lock] = {}
    _last: dict[str, float] = {}
    _guard = threading.Lock()

    @classmethod
    def lock(cls, host: str) -> threading.Lock:
        with cls._guard:
            return cls._locks.setdefault(host, threading.Lock())


class GenesisClient:
    def __init__(
        self,
        *,
        instance: str = "regionalstatistik",
        username: str = "",
        password: str = "",
        base_url: str | None = None,
        transport: Transport | None = None,
        timeout: float = TIMEOUT,
        sleep: Callable[[float], None] = time.sleep,
        min_pause: float = MIN_PAUSE,
        job_poll_interval: float = 10.0,
        job_max_polls: int = 60,
        progress: Callable[[str], None] | None = None,
    ):
        if base_url is None:
            if instance not in INSTANCES:
                raise GenesisError(f"Unbekannte GENESIS-Instanz „{instance}“.")
            base_url = INSTANCES[instance][1]
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.host = urllib.parse.urlsplit(self.base_url).netloc
        self.username, self.password = username, password
        self.transport = transport or urllib_transport
        self.timeout = timeout
        self.sleep = sleep
        self.min_pause = min_pause
        self.job_poll_interval = job_poll_interval
        self.job_max_polls = job_max_polls
        self.progress = progress or (lambda text: None)
        self.log: list[str] = []

    # ------------------------------------------------------------------ transport with politeness

    def _post(self, path: str, form: dict) -> TransportResponse:
        headers = {
            "username": self.username,
            "password": self.password,
            "Content-Type": "application/x-www-form-urlencoded",
            "User-Agent": "Bildungskette (kommunales Bildungsmonitoring)",
        }
        shown = {k: v for k, v in form.items() if v not in ("", None)}
        self.log.append(f"POST {path} " + " ".join(f"{k}={v}" for k, v in shown.items()))
        delay = 2.0
        lock = _HostGate.lock(self.host)
        for attempt in range(1, RETRIES + 1):
            with lock:
                last = _HostGate._last.get(self.host)
                if last is not None:
                    wait = self.min_pause - (time.monotonic() - last)
                    if wait > 0:
                        self.sleep(wait)
                try:
                    response = self.transport(self.base_url + path, form, headers, self.timeout)
                except (OSError, TimeoutError) as exc:
                    response = None
                    problem = f"Netzwerkfehler: {exc}"
                finally:
                    _HostGate._last[self.host] = time.monotonic()
            if response is not None and response.status < 500 and response.status != 429:
                return response
            if response is not None:
                problem = f"HTTP {response.status}"
            if attempt == RETRIES:
                raise GenesisError(f"{self.host} antwortet nicht ({problem}); {RETRIES} Versuche.")
            self.progress(f"{problem} – neuer Versuch in {delay:.0f} s")
            self.log.append(f"{problem}; neuer Versuch in {delay:.0f} s")
            self.sleep(delay)
            delay *= 2
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def _status(response: TransportResponse) -> tuple[int, str, dict]:
        """The status block of a JSON answer; a ZIP/CSV body is code 0."""
        body = response.body
        if body[:4] == b"PK\x03\x04":
            return CODE_OK, "", {}
        text = body.decode("utf-8-sig", errors="replace").lstrip()
        if not text.startswith("{"):
            if response.status >= 400:
                raise GenesisError(f"HTTP {response.status}: keine auswertbare Antwort.")
            if text[:15].lower().startswith(("<!doctype", "<html")):
                # Maintenance and error pages of the instances come as HTML, sometimes with HTTP 200.
                raise GenesisError("Der Dienst antwortet mit einer HTML-Seite statt mit Daten (Wartung oder Störung).")
            return CODE_OK, "", {}
        try:
            payload = json.loads(text)
        except ValueError as exc:
            raise GenesisError("Die Antwort ist weder ZIP noch lesbares JSON.") from exc
        status = payload.get("Status") if isinstance(payload.get("Status"), dict) else payload
        code = status.get("Code")
        if not isinstance(code, int):
            raise GenesisError("Die Antwort enthält keinen Statuscode.")
        return code, str(status.get("Content") or ""), payload

    # ------------------------------------------------------------------ services

    def tablefile(
        self,
        name: str,
        *,
        startyear: str = "",
        endyear: str = "",
        regionalvariable: str = "",
        regionalkey: str = "",
        stand: str = "",
        quality: bool = False,
        language: str = "de",
    ) -> TableResult:
        """Fetch one table as ffcsv. Code 50 and 104 are answers without data, not errors."""
        form = {
            "name": name,
            "area": "all",
            "format": "ffcsv",
            "compress": "false",
            "startyear": startyear,
            "endyear": endyear,
            "regionalvariable": regionalvariable,
            "regionalkey": regionalkey,
            "stand": stand,
            "quality": "on" if quality else "off",
            "language": language,
        }
        self.progress(f"Tabelle {name} wird abgerufen")
        response = self._post("data/tablefile", form)
        code, message, payload = self._status(response)
        if code in (CODE_OK, CODE_ADJUSTED):
            body = response.body
            if body.lstrip()[:1] == b"{":
                # A JSON answer carries the table text in Object.Content (e.g. with warning 22).
                content = (payload.get("Object") or {}).get("Content")
                if not isinstance(content, str) or not content.strip():
                    raise GenesisError(f"Status {code}, aber keine Tabelle in der Antwort: {message}", code=code)
                body = content.encode("utf-8")
            return TableResult(code, message or "OK", body, requests=list(self.log))
        if code == CODE_NO_NEWER_DATA:
            return TableResult(code, message or "Keine neueren Daten.", requests=list(self.log))
        if code == CODE_NO_MATCH:
            return TableResult(code, message or "Kein passendes Objekt.", requests=list(self.log))
        if code == CODE_UNKNOWN_TABLE:
            raise GenesisError(f"Die Tabelle {name} ist unbekannt: {message}", code=code)
        if code == CODE_TOO_LARGE:
            return self._as_job(name, form)
        raise GenesisError(f"Unerwarteter Status {code}: {message}", code=code)

    def _as_job(self, name: str, form: dict) -> TableResult:
        """Too large for a direct answer: order a job, wait for it, fetch its result file."""
        self.progress(f"Tabelle {name} ist zu groß – Abruf als Auftrag (job=true)")
        response = self._post("data/tablefile", {**form, "job": "true"})
        code, message, _ = self._status(response)
        match = JOB_NAME.search(message)
        if code not in (CODE_JOB_CREATED, CODE_OK, CODE_ADJUSTED) or not match:
            raise GenesisError(f"Der Auftrag für {name} wurde nicht angelegt (Status {code}): {message}", code=code)
        job = match.group(1)
        for poll in range(1, self.job_max_polls + 1):
            response = self._post(
                "catalogue/results",
                {"selection": job, "area": "user", "pagelength": "1", "language": form.get("language", "de")},
            )
            code, message, payload = self._status(response)
            if self._job_listed(job, code, message, payload):
                break
            self.progress(f"Auftrag {job} läuft noch (Abfrage {poll})")
            self.sleep(self.job_poll_interval)
        else:
            raise GenesisError(f"Der Auftrag {job} ist nach {self.job_max_polls} Abfragen nicht fertig.")
        response = self._post(
            "data/resultfile",
            {
                "name": job,
                "area": "all",
                "format": "ffcsv",
                "compress": "false",
                "language": form.get("language", "de"),
            },
        )
        code, message, _ = self._status(response)
        if code not in (CODE_OK, CODE_ADJUSTED) or response.body.lstrip()[:1] == b"{":
            raise GenesisError(
                f"Das Ergebnis des Auftrags {job} ist nicht abrufbar (Status {code}): {message}", code=code
            )
        return TableResult(CODE_OK, f"über Auftrag {job}", response.body, job=job, requests=list(self.log))

    @staticmethod
    def _job_listed(job: str, code: int, message: str, payload: dict) -> bool:
        """Whether ``catalogue/results`` lists the finished job.

        Recorded behaviour (GENESIS-Online, March 2026): while the job runs the answer is 104
        "Es gibt keine Objekte zum angegebenen Selektionskriterium"; once it is done the answer is 0
        with the job in ``List`` (``Code``, ``Content``, ``Values``; no state field). A ``State``
        other than "Fertig", where an instance sends one, still means "running".
        """
        if code == CODE_NO_MATCH:
            return False
        if code not in (CODE_OK, CODE_ADJUSTED):
            raise GenesisError(f"catalogue/results: Status {code}: {message}", code=code)
        for entry in payload.get("List") or []:
            if entry.get("Code") != job:
                continue
            state = str(entry.get("State") or entry.get("Status") or "").strip().lower()
            return state in ("", "fertig", "ready", "finished")
        return False

    def modifieddata(self, selection: str, *, date: str = "", type: str = "Neue Daten") -> list[dict]:
        """``catalogue/modifieddata``: objects changed since ``date`` (dd.mm.yyyy)."""
        response = self._post(
            "catalogue/modifieddata",
            {"selection": selection, "type": type, "date": date, "pagelength": "100", "language": "de"},
        )
        code, message, payload = self._status(response)
        if code == CODE_NO_MATCH:
            return []
        if code not in (CODE_OK, CODE_ADJUSTED):
            raise GenesisError(f"catalogue/modifieddata: Status {code}: {message}", code=code)
        return list(payload.get("List") or [])

    def metadata_table(self, name: str) -> dict:
        """``metadata/table``: title, time span, last update of a table."""
        response = self._post("metadata/table", {"name": name, "area": "all", "language": "de"})
        code, message, payload = self._status(response)
        if code == CODE_UNKNOWN_TABLE:
            raise GenesisError(f"Die Tabelle {name} ist unbekannt: {message}", code=code)
        if code not in (CODE_OK, CODE_ADJUSTED):
            raise GenesisError(f"metadata/table: Status {code}: {message}", code=code)
        return dict(payload.get("Object") or {})
