"""Benchmark of the Lernortkarte: 50,000 places (configurable).

- Initial map payload: everything a first visit to /lernorte/ downloads (page, Leaflet, our CSS/JS,
  the first cluster response, the boundaries and the side list), against the same places as one
  static GeoJSON file (what a map without server-side clustering would have to load).
- p95 of the first map response (clusters for all of Germany) and of a filter response (category
  and free text), each against serving the static GeoJSON file (django.views.static.serve) in the
  same run.

Sizes: BENCH_PLACES_COUNT (default 50000), BENCH_PLACES_REQUESTS (default 40). The places are
spread around the real Gemeinde centres (so clusters look like a real country), in a throw-away
test database.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import statistics as stats
import tempfile
import time
from pathlib import Path

from bench.figures import ratio


def _env(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def _p95(timings: list[float]) -> float:
    return stats.quantiles(timings, n=20)[18] if len(timings) >= 20 else max(timings)


def run() -> str:
    import django
    from django.conf import settings

    if not settings.configured or not django.apps.apps.ready:
        os.environ.setdefault("BILDUNGSKETTE_VAR_DIR", tempfile.mkdtemp(prefix="bench-places-"))
        django.setup()
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    if connection.vendor == "sqlite":
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = os.path.join(
            tempfile.mkdtemp(prefix="bench-places-db-"), "bench.sqlite3")
    old = setup_databases(verbosity=0, interactive=False, keepdb=False)
    try:
        return _run(_env("BENCH_PLACES_COUNT", 50_000), _env("BENCH_PLACES_REQUESTS", 40))
    finally:
        teardown_databases(old, verbosity=0)


def _generate(count: int) -> None:
    from bildungskette.places.models import Category, LearningPlace
    from bildungskette.regions.models import Region, RegionKind

    rng = random.Random(4)
    gemeinden = list(Region.objects.filter(kind=RegionKind.GEMEINDE, centre_lat__isnull=False)
                     .values_list("id", "code", "centre_lat", "centre_lon", "population"))
    weights = [max(p or 1, 1) for *_, p in gemeinden]
    categories = list(Category.objects.filter(parent__isnull=True).values_list("id", flat=True))
    picks = rng.choices(gemeinden, weights=weights, k=count)
    places = []
    for i, (gid, code, lat, lon, _) in enumerate(picks):
        places.append(LearningPlace(
            name=f"Lernort {i}", category_id=categories[i % len(categories)], region_id=gid, kreis_code=code[:5],
            latitude=lat + rng.gauss(0, 0.02), longitude=lon + rng.gauss(0, 0.03), street=f"Straße {i % 97}",
            city=f"Ort {code}", source="Benchmark (synthetisch)", licence="CC0", external_id=f"bench-{i}",
            is_synthetic=True,
        ))
    LearningPlace.objects.bulk_create(places, batch_size=2000)
    through = LearningPlace.categories.through
    through.objects.bulk_create([through(learningplace_id=pid, category_id=cid) for pid, cid in
                                 LearningPlace.objects.values_list("id", "category_id")], batch_size=5000)


def _run(count: int, requests: int) -> str:
    from django.conf import settings
    from django.contrib.staticfiles import finders
    from django.test import Client, RequestFactory
    from django.views.static import serve

    from bildungskette.places.models import LearningPlace
    from bildungskette.regions.importers import regions_import

    regions_import(settings.DATA_DIR)
    started = time.perf_counter()
    _generate(count)
    load_seconds = time.perf_counter() - started

    # The same places as the smallest GeoJSON a client-side map could work with: coordinates to
    # 5 decimals (about 1 m), id, name and category only, no whitespace, gzip-compressed.
    folder = Path(tempfile.mkdtemp(prefix="bench-places-static-"))
    features = [{"type": "Feature", "geometry": {"type": "Point",
                                                 "coordinates": [round(lon, 5), round(lat, 5)]},
                 "properties": {"id": pk, "name": name, "kategorie": cat}}
                for pk, name, cat, lon, lat in LearningPlace.objects.filter(latitude__isnull=False).values_list(
                    "pk", "name", "category__code", "longitude", "latitude").iterator(chunk_size=5000)]
    raw = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False,
                     separators=(",", ":")).encode()
    (folder / "lernorte.geojson").write_bytes(raw)
    static_size = len(gzip.compress(raw, compresslevel=9))
    factory = RequestFactory()

    def static_get() -> int:
        response = serve(factory.get("/lernorte.geojson"), "lernorte.geojson", document_root=str(folder))
        return len(b"".join(response.streaming_content))

    client = Client()
    germany = "5.8,47.2,15.1,55.1"
    first_url = f"/api/lernorte/karte/?bbox={germany}&zoom=6"
    filter_url = f"/api/lernorte/karte/?bbox={germany}&zoom=6&kategorie=grundschule&q=Ort%200"

    # Initial payload of a first visit.
    page = client.get("/lernorte/")
    assert page.status_code == 200
    assets = 0
    for asset in ("leaflet/leaflet.js", "leaflet/leaflet.css", "places/map.js", "places/places.css", "css/app.css"):
        assets += len(gzip.compress(Path(finders.find(asset)).read_bytes(), compresslevel=9))
    first = client.get(first_url)
    boundaries = client.get(f"/api/lernorte/grenzen/?bbox={germany}&zoom=6")
    side_list = client.get(f"/api/lernorte/?bbox={germany}&anzahl=20")
    # Gzipped like the baseline, as a web server with compression would send it.
    payload = assets + sum(len(gzip.compress(r.content, compresslevel=9))
                           for r in (page, first, boundaries, side_list))
    clusters = len(first.json()["features"])

    def timed(func) -> list[float]:
        func()  # warm
        timings = []
        for _ in range(requests):
            t = time.perf_counter()
            func()
            timings.append(time.perf_counter() - t)
        return timings

    static_t = timed(static_get)
    first_t = timed(lambda: client.get(first_url))
    filter_t = timed(lambda: client.get(filter_url))
    static_p95, first_p95, filter_p95 = _p95(static_t), _p95(first_t), _p95(filter_t)

    def ms(v: float) -> str:
        return f"{v * 1000:.0f} ms"

    def verdict(value: float, goal: float) -> str:
        return "✔" if value < goal else "✘"

    goals = [("initial map payload < 1 MB", payload < 1e6, f"{payload / 1e6:.2f} MB"),
             ("p95 first map response < 300 ms", first_p95 < 0.3, ms(first_p95)),
             ("p95 filter response < 200 ms", filter_p95 < 0.2, ms(filter_p95))]
    missed = [f"{name} (measured {figure})" for name, ok, figure in goals if not ok]
    first = ("Goals NOT reached: " + "; ".join(missed) + "." if missed else "All goals reached.") + (
        "" if count >= 50_000 else f" NOT at goal size: {count:,} places instead of 50,000.")
    return "\n".join([
        "## Lernortkarte (places)",
        "",
        first,
        "",
        f"{count:,} synthetic places around the real Gemeinde centres (generated in {load_seconds:.1f} s); "
        f"{requests} requests each through Django's test client (no network).".replace(",", "."),
        "",
        "Baseline: the same places as the smallest gzipped GeoJSON a client-side map could use (id, name, "
        "category, coordinates to 5 decimals), served as a static file.",
        "",
        "| measure | ours | minimal gzipped GeoJSON | ratio | goal |",
        "|---|---|---|---|---|",
        f"| initial map payload (page, Leaflet, CSS/JS, {clusters} clusters, boundaries, side list) | "
        f"{payload / 1e6:.2f} MB (gzip) | {static_size / 1e6:.2f} MB (gzip) | {ratio(payload, static_size)} | "
        f"< 1 MB {verdict(payload, 1e6)} |",
        f"| p95 first map response (all of Germany, zoom 6) | {ms(first_p95)} | {ms(static_p95)} | "
        f"{ratio(first_p95, static_p95)} | < 300 ms {verdict(first_p95, 0.3)} |",
        f"| p95 filter response (category + free text) | {ms(filter_p95)} | {ms(static_p95)} | "
        f"{ratio(filter_p95, static_p95)} | < 200 ms {verdict(filter_p95, 0.2)} |",
        f"| p50 first map / filter response | {ms(stats.median(first_t))} / {ms(stats.median(filter_t))} | "
        f"{ms(stats.median(static_t))} | | |",
        "",
        "The static file is what a client-side-clustering map would have to download before showing anything; "
        "our first response carries only the clusters of the visible area.",
    ])
