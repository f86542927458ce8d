"""Uploads of 50 MB: every file input of the product, each in its own process, against the limits of
issue #12 – no request runs longer than 30 s, no process grows beyond 300 MB.

For each upload kind (``UPLOAD_LIMITS``: stadtteile, lernorte, klassenliste, dokument ×3 forms,
monitoring) a 50 MiB file of plausible content is generated, wrapped in a multipart body on disk and
sent through Django's request handler from that file (as a web server would stream it: the body is
never one bytes object). Where the request queues a background task, the task runs afterwards in
``bildungskette db_worker --batch`` as its own process. Each process's peak memory is its
``ru_maxrss`` as reported to the parent by ``os.wait4``; wall times are measured around the request
inside the child and around the worker process in the parent. A Lernort file at its limit (20 MiB)
is sent as well, because that one is accepted and imported by a background task.

The demo (``load-demo``) in a throw-away database provides the accounts and objects; on PostgreSQL
(DATABASE_URL) a database ``<name>_bench_uploads`` is created and dropped. Child mode:
``python bench/bench_uploads.py child <case>`` (used by ``run()``).
"""

from __future__ import annotations

import html
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MIB = 1024 * 1024
SIZE = 50 * MIB
REQUEST_LIMIT_S = 30
MEMORY_LIMIT_MB = 300
FFCSV_SEED = ROOT / "tests" / "monitoring" / "fixtures" / "genesis" / "12411-01-01-4_ffcsv_2020.csv"


# --------------------------------------------------------------------------- generated files


def _fill(path: Path, size: int, head: str, row, tail: str = "") -> None:
    """Write ``head``, then ``row(i)`` for i = 0, 1, … until ``size`` bytes (minus the tail) are reached."""
    with path.open("wb") as out:
        out.write(head.encode())
        written, i = len(head.encode()), 0
        budget = size - len(tail.encode())
        while True:
            line = row(i).encode()
            if written + len(line) > budget:
                break
            out.write(line)
            written += len(line)
            i += 1
        out.write(tail.encode())


def gen_geojson(path: Path, size: int) -> None:
    ring = ", ".join(f"[{9.40 + k * 0.001:.6f}, {51.30 + (k % 7) * 0.001:.6f}]" for k in range(40))
    _fill(path, size, '{"type": "FeatureCollection", "features": [\n',
          lambda i: ('' if i == 0 else ',\n') + f'{{"type": "Feature", "properties": {{"name": "Stadtteil {i}"}}, '
          f'"geometry": {{"type": "Polygon", "coordinates": [[{ring}]]}}}}', "\n]}\n")


def gen_lernorte(path: Path, size: int) -> None:
    _fill(path, size, "Einrichtung;Art;Nr;Straße;PLZ;Ort;Breite;Länge;Website\n",
          lambda i: f"Stadtbibliothek Zweigstelle {i};bibliothek;B{i};Beispielstraße {i % 300};34117;Kassel;"
                    f"{51.28 + (i % 500) * 0.0001:.4f};{9.45 + (i % 700) * 0.0001:.4f};https://example.org/{i}\n")


def gen_klassenliste(path: Path, size: int) -> None:
    _fill(path, size, "Nachname;Vorname;Geburtsdatum;Jahrgang;Klasse\n",
          lambda i: f"Muster{i};Alex;2010-0{1 + i % 9}-1{i % 9};9;9{'abcd'[i % 4]}\n")


def gen_document(path: Path, size: int) -> None:
    _fill(path, size, "%PDF-1.4\n", lambda i: f"% synthetischer Inhalt, Zeile {i:09d} ......................\n",
          "%%EOF\n")


def gen_ffcsv(path: Path, size: int) -> None:
    """The (real) flat file of table 12411-01-01-4 repeated for earlier Stichtage: one value per row."""
    lines = FFCSV_SEED.read_text(encoding="utf-8").splitlines()
    rows = lines[1:]
    _fill(path, size, lines[0] + "\n",
          lambda i: rows[i % len(rows)].replace("2018-12-31", f"{2018 - i // len(rows)}-12-31") + "\n")


# case -> (generator, file name, size)
CASES = {
    "stadtteile": (gen_geojson, "stadtteile.geojson", SIZE),
    "lernorte": (gen_lernorte, "lernorte.csv", SIZE),
    "lernorte-20mib": (gen_lernorte, "lernorte.csv", 20 * MIB),
    "klassenliste": (gen_klassenliste, "klassenliste.csv", SIZE),
    "dokument-vereinbarung": (gen_document, "vertrag.pdf", SIZE),
    "dokument-tagesordnung": (gen_document, "unterlage.pdf", SIZE),
    "dokument-zusage": (gen_document, "nachweis.pdf", SIZE),
    "monitoring": (gen_ffcsv, "12411-01-01-4_flat.csv", SIZE),
}
LABELS = {
    "stadtteile": "Stadtteile (GeoJSON, Grenze 10 MiB)",
    "lernorte": "Lernorte (CSV, Grenze 20 MiB)",
    "lernorte-20mib": "Lernorte an der Grenze: 20 MiB CSV",
    "klassenliste": "Klassenliste (CSV, Grenze 2 MiB)",
    "dokument-vereinbarung": "Dokument zu einer Vereinbarung (Grenze 20 MiB)",
    "dokument-tagesordnung": "Unterlage zu einem Tagesordnungspunkt (Grenze 20 MiB)",
    "dokument-zusage": "Nachweis zu einer Zusage (Grenze 20 MiB)",
    "monitoring": "Monitoring-Import (GENESIS-Flatfile, Grenze 100 MiB)",
}


# --------------------------------------------------------------------------- child process


def _setup():
    import django

    django.setup()


def _streamed_post(client, url: str, fields: dict, file_field: str, file_name: str, file_path: Path, folder: Path):
    """POST a multipart body that lies on disk, through the same handler the test client uses."""
    from django.test.client import ClientHandler

    boundary = "BenchBoundary7e3b"
    body = folder / "body.bin"
    with body.open("wb") as out:
        for key, value in fields.items():
            out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{file_name}"\r\n'
                  "Content-Type: application/octet-stream\r\n\r\n".encode())
        with file_path.open("rb") as src:
            shutil.copyfileobj(src, out, MIB)
        out.write(f"\r\n--{boundary}--\r\n".encode())
    with body.open("rb") as stream:
        environ = client._base_environ(PATH_INFO=url, REQUEST_METHOD="POST", SERVER_NAME="127.0.0.1",
                                       CONTENT_TYPE=f"multipart/form-data; boundary={boundary}",
                                       CONTENT_LENGTH=str(body.stat().st_size), **{"wsgi.input": stream})
        started = time.monotonic()
        response = ClientHandler(enforce_csrf_checks=False)(environ)
        elapsed = time.monotonic() - started
    body.unlink()
    client.cookies.update(response.cookies)
    return response, elapsed


def _text(response) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))


def _message(client, response) -> str:
    """The German message the user reads (on the page, or after the redirect)."""
    text = _text(response) if response.status_code == 200 else _text(client.get(response["Location"]))
    for pattern in (r"Die Datei ist zu groß[^.]*\.[^.]*\.", r"Die Datei ist groß[^.]*\.", r"im Hintergrund[^.]*\."):
        if m := re.search(pattern, text):
            return " ".join(m.group(0).split())
    return ""


def _queued() -> int:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status="READY").count()


def child(case: str, folder: Path, file_path: Path) -> dict:
    _setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from bildungskette.network.models import Commitment, CooperationAgreement, Meeting
    from bildungskette.transitions.models import School

    users = get_user_model().objects
    client = Client(SERVER_NAME="127.0.0.1")
    _, name, _ = CASES[case]
    koordination = users.get(username="kassel.koordination")
    from bildungskette.core.models import Tenant

    kassel = Tenant.objects.get(slug="olov-kassel")
    if case == "stadtteile":
        client.force_login(koordination)
        args = ("/gebiete/06611000/stadtteile/", {"name_property": "name"}, "file")
    elif case.startswith("lernorte"):
        client.force_login(koordination)
        args = ("/lernorte/import/", {"format": "places-csv", "mapping": "name=Einrichtung,kategorie=Art,id=Nr,"
                                                                          "strasse=Straße,plz=PLZ,ort=Ort,breite=Breite,"
                                                                          "laenge=Länge,website=Website"}, "file")
    elif case == "klassenliste":
        client.force_login(users.get(username="kassel.uebergang"))
        school = School.objects.filter(organisation__name__icontains="Waldau").first() or School.objects.first()
        args = (f"/uebergaenge/schulen/{school.pk}/klassenliste/", {}, "file")
    elif case == "dokument-vereinbarung":
        client.force_login(koordination)
        agreement = CooperationAgreement.objects.filter(tenant=kassel).first()
        args = (f"/netzwerk/vereinbarungen/{agreement.pk}/dokumente/", {"title": "Vertrag"}, "file")
    elif case == "dokument-tagesordnung":
        client.force_login(koordination)
        meeting = Meeting.objects.filter(tenant=kassel).first()
        args = (f"/netzwerk/sitzungen/{meeting.pk}/tagesordnung/", {"title": "Bericht", "duration_minutes": "10"},
                "document")
    elif case == "dokument-zusage":
        client.force_login(koordination)
        commitment = Commitment.objects.filter(tenant=kassel).first()
        args = (f"/netzwerk/zusagen/{commitment.pk}/", {"status": commitment.status}, "document")
    elif case == "monitoring":
        client.force_login(users.get(username="kassel.monitoring"))
        args = ("/monitoring/importe/", {"format": "auto"}, "file")
    else:
        raise SystemExit(f"unknown case {case}")
    url, fields, file_field = args
    before = _queued()
    response, elapsed = _streamed_post(client, url, fields, file_field, name, file_path, folder)
    return {"status": response.status_code, "seconds": elapsed, "message": _message(client, response),
            "queued": _queued() - before, "location": response.get("Location", ""),
            "self_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def child_confirm(folder: Path) -> dict:
    """Confirm the monitoring import whose preview the worker made (a small POST)."""
    _setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from bildungskette.monitoring.models import ImportRun

    run = ImportRun.objects.latest("pk")
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(get_user_model().objects.get(username="kassel.monitoring"))
    before = _queued()
    started = time.monotonic()
    response = client.post(f"/monitoring/importe/{run.pk}/starten/")
    return {"status": response.status_code, "seconds": time.monotonic() - started, "queued": _queued() - before,
            "preview": {k: run.preview.get(k) for k in ("format", "values", "regions")}, "run_status": run.status}


def child_report(case: str) -> dict:
    _setup()
    from bildungskette.monitoring.models import ImportRun
    from bildungskette.places.models import BackgroundImport

    if case == "monitoring":
        run = ImportRun.objects.latest("pk")
        return {"status": run.status, "report": {k: run.report.get(k) for k in ("created", "updated", "rejected")}}
    job = BackgroundImport.objects.latest("pk")
    return {"status": job.status, "report": {k: (job.result or {}).get(k) for k in ("created", "rejected")}}


# --------------------------------------------------------------------------- parent


def _spawn(args: list[str], env: dict) -> tuple[dict | None, float, float, str]:
    """Run a child; (its JSON result, wall seconds, peak RSS in MB from wait4, stderr tail)."""
    started = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(args, env=env, stdout=out, stderr=err, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        lines = out.read().decode(errors="replace").strip().splitlines()
        tail = err.read().decode(errors="replace")[-1500:]
    result = None
    if proc.returncode == 0 and lines:
        try:
            result = json.loads(lines[-1])
        except ValueError:
            result = None
    return result, wall, usage.ru_maxrss / 1024, tail if proc.returncode else ""


def _database(env: dict, folder: Path):
    """A throw-away database for the children; returns a function that drops it."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        env["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
        return lambda: None
    import psycopg

    base, _, name = url.rpartition("/")
    bench_name = f"{name.split('?')[0]}_bench_uploads"
    admin = f"{base}/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{bench_name}"')
        conn.execute(f'CREATE DATABASE "{bench_name}"')
    env["DATABASE_URL"] = f"{base}/{bench_name}"

    def drop():
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{bench_name}"')

    return drop


def run() -> str:
    folder = Path(tempfile.mkdtemp(prefix="bench-uploads-"))
    env = {**os.environ, "BILDUNGSKETTE_ENV": "test", "BILDUNGSKETTE_VAR_DIR": str(folder / "var"),
           "DJANGO_SETTINGS_MODULE": "bildungskette.config.settings",
           # Request and worker are separate processes: they must share the uploaded files.
           "BILDUNGSKETTE_TEST_MEDIA_ROOT": str(folder / "media"),
           # The request only queues; the worker process runs the task (as in production).
           "BILDUNGSKETTE_TASK_BACKEND": "django_tasks_db.DatabaseBackend", "PYTHONPATH": str(ROOT)}
    drop = _database(env, folder)
    cli = [sys.executable, "-m", "bildungskette"]
    worker = cli + ["db_worker", "--batch", "--no-startup-delay", "--verbosity", "0"]
    me = [sys.executable, str(Path(__file__).resolve())]
    rows, misses = [], []
    try:
        for step in (["migrate", "--verbosity", "0"], ["load-demo"]):
            _, wall, _, err = _spawn(cli + step, env)
            if err:
                raise RuntimeError(f"{' '.join(step)} failed: {err}")
        only = [c for c in os.environ.get("BENCH_UPLOADS_CASES", "").split(",") if c]
        for case, (generate, name, size) in CASES.items():
            if only and case not in only:
                continue
            file_path = folder / name
            generate(file_path, size)
            actual = file_path.stat().st_size
            result, wall, rss, err = _spawn(me + ["child", case, str(folder), str(file_path)], env)
            file_path.unlink()
            if result is None:
                rows.append((LABELS[case], f"{actual / MIB:.1f}", "Anfrage", "–", f"{rss:.0f}",
                             f"Fehler: {err[-300:]}"))
                misses.append(f"{case}: Fehler")
                continue
            outcome = result["message"] or f"HTTP {result['status']}"
            rows.append((LABELS[case], f"{actual / MIB:.1f}", "Anfrage", f"{result['seconds']:.1f}", f"{rss:.0f}",
                         outcome))
            _check(misses, case, "Anfrage", result["seconds"], rss)
            if not result["queued"]:
                if not result["message"]:
                    misses.append(f"{case}: weder Meldung noch Hintergrundaufgabe")
                continue
            steps = [("Hintergrund: Vorschau" if case == "monitoring" else "Hintergrund: Import", None)]
            if case == "monitoring":
                steps.append(("Bestätigen", "confirm"))
                steps.append(("Hintergrund: Import", None))
            for label, special in steps:
                if special == "confirm":
                    confirmed, _wall, crss, err = _spawn(me + ["confirm", str(folder)], env)
                    ok = confirmed and confirmed["queued"]
                    rows.append((LABELS[case], "", label, f"{confirmed['seconds']:.1f}" if confirmed else "–",
                                 f"{crss:.0f}", f"Vorschau: {confirmed['preview']}" if ok else f"Fehler: {err[-300:]}"))
                    if not ok:
                        misses.append(f"{case}: Bestätigen")
                        break
                    _check(misses, case, label, confirmed["seconds"], crss)
                    continue
                _, wall, wrss, err = _spawn(worker, env)
                report, _w, _r, _e = _spawn(me + ["report", case], env)
                rows.append((LABELS[case], "", label, f"{wall:.1f}", f"{wrss:.0f}",
                             json.dumps(report, ensure_ascii=False) if report else f"Fehler: {err[-300:]}"))
                _check(misses, case, label, None, wrss)
    finally:
        drop()
        shutil.rmtree(folder, ignore_errors=True)
    first = (f"**Grenzen: keine Anfrage länger als {REQUEST_LIMIT_S} s, kein Prozess über {MEMORY_LIMIT_MB} MB "
             "(Spitze des residenten Speichers).** "
             + ("Alle eingehalten." if not misses else "Verfehlt: " + "; ".join(misses) + "."))
    lines = [
        "## Uploads of 50 MiB (issue #12)",
        "",
        first,
        "",
        "Each row is one process: the request (a multipart body streamed from disk through Django's handler),",
        "or `db_worker --batch` for the background task the request queued. Time: the request inside its",
        "process, the worker process as a whole (including Django start-up); memory: `ru_maxrss` of the",
        "process from `os.wait4`. A fresh Django process with the demo's settings starts at about 90 MB.",
        "",
        "| Upload | MiB | Schritt | Sekunden | Spitze MB | Ergebnis |",
        "| --- | ---: | --- | ---: | ---: | --- |",
    ]
    lines += ["| " + " | ".join(str(c).replace("|", "/") for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _check(misses: list[str], case: str, step: str, seconds: float | None, rss: float) -> None:
    if seconds is not None and seconds > REQUEST_LIMIT_S:
        misses.append(f"{case} ({step}): {seconds:.1f} s")
    if rss > MEMORY_LIMIT_MB:
        misses.append(f"{case} ({step}): {rss:.0f} MB")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    mode = sys.argv[1]
    if mode == "child":
        print(json.dumps(child(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))))
    elif mode == "confirm":
        print(json.dumps(child_confirm(Path(sys.argv[2]))))
    elif mode == "report":
        print(json.dumps(child_report(sys.argv[2]), ensure_ascii=False))
    else:
        print(run())
