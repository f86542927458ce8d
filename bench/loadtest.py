"""``make loadtest``: gunicorn with PostgreSQL as docs/deployment.md sets it up, the demo in its
own database, 50 locust users for 60 s against 127.0.0.1 – first the trivial view alone (the
framework's floor on this machine), then the mixed public and signed-in pages. Writes the table
into docs/performance.md (section ``loadtest``; ``make bench`` keeps it).

Environment: LOADTEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/bildungskette_loadtest;
created if missing, the demo is loaded idempotently), LOADTEST_PORT (8100), LOADTEST_USERS (50),
LOADTEST_SECONDS (60), LOADTEST_WORKERS (4, as in docs/deployment.md); LOADTEST_RELOAD=1 loads the
demo again into an existing database (otherwise a database that has it is used as it is).
"""

from __future__ import annotations

import csv
import datetime
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.run import machine, performance_write, previous_sections  # noqa: E402

BIN = Path(sys.executable).parent
URL = os.environ.get("LOADTEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bildungskette_loadtest")
PORT = int(os.environ.get("LOADTEST_PORT", "8100"))
USERS = int(os.environ.get("LOADTEST_USERS", "50"))
SECONDS = int(os.environ.get("LOADTEST_SECONDS", "60"))
WORKERS = int(os.environ.get("LOADTEST_WORKERS", "4"))
GOAL_P95_MS = 1000
GOAL_THROUGHPUT_RATIO = 0.3


def server_env(var_dir: Path) -> dict:
    """Production settings (docs/deployment.md); plain HTTP only because the client is on the loopback."""
    return {
        **os.environ,
        "BILDUNGSKETTE_ENV": "production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": URL,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_INSECURE_HTTP": "1",
        "BILDUNGSKETTE_VAR_DIR": str(var_dir),
        "BILDUNGSKETTE_CHARTS_PRERENDER": "0",  # rendered once below, as the worker would after the imports
    }


def database_ensure() -> None:
    name = URL.rsplit("/", 1)[1].split("?")[0]
    admin = URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def manage(env: dict, *args: str) -> str:
    done = subprocess.run([str(BIN / "bildungskette"), *args], env=env, cwd=ROOT, check=True,
                          capture_output=True, text=True)
    return done.stdout


def demo_codes(env: dict) -> dict:
    script = (
        "import json\n"
        "from bildungskette.monitoring.models import Indicator\n"
        "from bildungskette.regions.models import Region\n"
        "from bildungskette.core.demo import ACCOUNTS, DEMO_PASSWORD\n"
        "print(json.dumps({'indicators': sorted(Indicator.objects.filter(tenant__isnull=True, visibility='public')"
        ".values_list('code', flat=True)), 'kreise': sorted(Region.objects.filter(kind='kreis', tenant__isnull=True,"
        " boundary__isnull=False).values_list('code', flat=True)), 'accounts': [a[0] for a in ACCOUNTS"
        " if a[3] in ('coordination', 'monitoring')], 'password': DEMO_PASSWORD}))\n"
    )
    return json.loads(manage(env, "shell", "-c", script).strip().splitlines()[-1])


def wait_until_up(proc: subprocess.Popen) -> None:
    for _ in range(120):
        if proc.poll() is not None:
            raise SystemExit("gunicorn ist nicht gestartet.")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/health/", timeout=2) as r:  # noqa: S310
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn antwortet nicht.")


def locust(users: list[str], prefix: Path, codes: dict) -> list[dict]:
    subprocess.run(
        [str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), *users, "--headless",
         "-u", str(USERS), "-r", str(USERS), "-t", f"{SECONDS}s", "--host", f"http://127.0.0.1:{PORT}",
         "--csv", str(prefix), "--only-summary", "--stop-timeout", "10", "--loglevel", "WARNING"],
        env={**os.environ, "LOADTEST_CODES": json.dumps(codes)}, cwd=ROOT, check=False,
    )
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _ms(row: dict, key: str) -> str:
    value = row.get(key) or "0"
    return "–" if value == "N/A" else f"{float(value):,.0f}".replace(",", ".")


def table(rows: list[dict]) -> list[str]:
    out = ["| page | requests | req/s | p50 ms | p95 ms | p99 ms | errors |", "|---|---|---|---|---|---|---|"]
    for row in rows:
        name = "**all pages**" if row["Name"] == "Aggregated" else row["Name"]
        out.append(
            f"| {name} | {int(row['Request Count']):,} | {float(row['Requests/s']):.1f} | {_ms(row, '50%')} | "
            f"{_ms(row, '95%')} | {_ms(row, '99%')} | {int(row['Failure Count'])} |".replace(",", ".")
        )
    return out


def report(floor: list[dict], mixed: list[dict], took: float, load: float) -> str:
    floor_all = next(r for r in floor if r["Name"] == "Aggregated")
    mixed_all = next(r for r in mixed if r["Name"] == "Aggregated")
    errors = int(mixed_all["Failure Count"]) + int(floor_all["Failure Count"])
    p95 = float(mixed_all["95%"])
    ratio = float(mixed_all["Requests/s"]) / max(float(floor_all["Requests/s"]), 1e-9)
    missed = []
    if errors:
        missed.append(f"{errors} errors (goal 0)")
    if p95 >= GOAL_P95_MS:
        missed.append(f"p95 {p95:,.0f} ms over all pages (goal < 1 s)".replace(",", "."))
    if ratio < GOAL_THROUGHPUT_RATIO:
        missed.append(f"throughput {ratio:.2f}× the trivial view's (goal ≥ 0.3×)")
    first = ("**Goals not reached: " + "; ".join(missed) + ".**") if missed else "All goals reached."
    stamp = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    lines = [
        "## Load test (make loadtest)",
        "",
        first,
        "",
        f"gunicorn {WORKERS} sync workers, production settings, PostgreSQL with the demo; locust with {USERS} "
        f"users and no think time for {SECONDS} s per phase, on the same machine (the client takes CPU from "
        f"the server). **The machine is shared with other work; figures vary from run to run** – the load "
        f"average at the end of this run was {load:.1f} on {os.cpu_count()} cores. Charts were "
        "pre-rendered into the shared chart cache before the run (what the background worker does after "
        "each import).",
        "",
        "| goal | measured | |",
        "|---|---|---|",
        f"| 0 errors | {errors} | {'reached' if not errors else 'NOT reached'} |",
        f"| p95 < 1 s over the mixed pages | {p95:,.0f} ms | {'reached' if p95 < GOAL_P95_MS else 'NOT reached'} |"
        .replace(",", "."),
        f"| throughput ≥ 0.3× the trivial view's | {float(mixed_all['Requests/s']):.1f} req/s ÷ "
        f"{float(floor_all['Requests/s']):.1f} req/s = {ratio:.2f}× | "
        f"{'reached' if ratio >= GOAL_THROUGHPUT_RATIO else 'NOT reached'} |",
        "",
        "Phase 1 – the framework's floor: only `/health/` (Django's middleware and routing, no database).",
        "",
        *table([r for r in floor if r["Type"] or r["Name"] == "Aggregated"]),
        "",
        "Phase 2 – mixed pages: 3 public visitors for every 2 signed-in staff (coordination and monitoring "
        "accounts of the three demo tenants); indicator pages over every public indicator and every Kreis.",
        "",
        *table([r for r in mixed if r["Type"] or r["Name"] == "Aggregated"]),
        "",
        f"_Measured {stamp} in {took:.0f} s on {machine()}._",
    ]
    return "\n".join(lines)


def main() -> int:
    started = time.monotonic()
    os.environ["DATABASE_URL"] = URL  # named in the report's last line (bench.run.machine)
    var_dir = ROOT / "var" / "loadtest"
    var_dir.mkdir(parents=True, exist_ok=True)
    env = server_env(var_dir)
    database_ensure()
    print("migrate, load-demo, collectstatic, charts prerender …", flush=True)
    manage(env, "migrate", "--verbosity", "0")
    present = "from bildungskette.core.models import Tenant; print(Tenant.objects.filter(slug='olov-kassel').exists())"
    if os.environ.get("LOADTEST_RELOAD") or manage(env, "shell", "-c", present).strip().splitlines()[-1] != "True":
        manage(env, "load-demo")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    manage(env, "charts", "prerender")
    codes = demo_codes(env)
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "bildungskette.config.wsgi", "--workers", str(WORKERS), "--bind",
         f"127.0.0.1:{PORT}", "--log-level", "warning"],
        env=env, cwd=ROOT, start_new_session=True,
    )
    try:
        wait_until_up(server)
        with tempfile.TemporaryDirectory(prefix="loadtest-") as tmp:
            print(f"phase 1: {USERS} users, /health/ only, {SECONDS} s", flush=True)
            floor = locust(["Floor"], Path(tmp) / "floor", codes)
            print(f"phase 2: {USERS} users, mixed pages, {SECONDS} s", flush=True)
            mixed = locust(["Visitor", "Staff"], Path(tmp) / "mixed", codes)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    body = report(floor, mixed, time.monotonic() - started, os.getloadavg()[0])
    print(body)
    sections = previous_sections()
    sections["loadtest"] = body
    performance_write(sections)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
