"""Runs every benchmark in bench/ (files bench_*.py with a ``run() -> str``) and writes
docs/performance.md. Results are ratios against the raw engine measured in the same run.

Usage: make bench            (all, on SQLite or on the database DATABASE_URL names)
       make bench BENCH=places  (only bench_places.py; the other sections are kept from the last run)
       make bench BENCH=growth  (growth of the monitoring to 16 M values; only when named, PostgreSQL)
Sections are kept per benchmark and database engine.
"""

from __future__ import annotations

import datetime
import importlib.util
import os
import platform
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(os.environ.get("BENCH_OUT") or ROOT / "docs" / "performance.md")
sys.path.insert(0, str(ROOT))


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    db = os.environ.get("DATABASE_URL", "SQLite (default)").split("@")[-1]
    return f"{os.cpu_count()} × {cpu}{mem}; Python {platform.python_version()}; database: {db}"


def previous_sections() -> dict[str, str]:
    if not OUT.exists():
        return {}
    text = OUT.read_text(encoding="utf-8")
    parts = re.split(r"^<!-- bench:([\w-]+) -->$", text, flags=re.MULTILINE)
    return {parts[i]: parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bildungskette.config.settings")
    os.environ.setdefault("BILDUNGSKETTE_ENV", "test")
    only = os.environ.get("BENCH", "")
    engine = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    sections = previous_sections()
    for path in sorted((ROOT / "bench").glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        if only and name != only:
            continue
        spec = importlib.util.spec_from_file_location(f"bench_{name}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        if not only and getattr(module, "ONLY_WHEN_NAMED", False):
            continue  # long measurements (growth to 16 M values) run only as make bench BENCH=<name>
        print(f"== {name}", flush=True)
        started = time.monotonic()
        body = module.run()
        stamp = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
        sections.pop(name, None)  # sections written before they were kept per database
        took = time.monotonic() - started
        sections[f"{name}-{engine}"] = f"{body.strip()}\n\n_Measured {stamp} in {took:.0f} s on {machine()}._"
        print(body, flush=True)
    performance_write(sections)
    return 0


def performance_write(sections: dict[str, str]) -> None:
    """docs/performance.md from its sections (``make bench`` and ``make loadtest`` each write theirs)."""
    lines = [
        "# Performance",
        "",
        "Written by `make bench` (bench/run.py). Each figure is measured in the same run as the raw",
        "engine doing the same work, and reported as a ratio; absolute times are for orientation only.",
        "`make loadtest` (bench/loadtest.py) writes its own section, against the trivial view of the same run.",
        "These are not timed tests: nothing in the test suite depends on them.",
        "",
    ]
    for name in sorted(sections):
        lines += [f"<!-- bench:{name} -->", sections[name], ""]
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    raise SystemExit(main())
