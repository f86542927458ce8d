"""Caches. ``charts`` keeps rendered charts (SVG) for every process of an installation.

It is a database table (``bildungskette migrate`` creates it), so several gunicorn workers, app
machines and background workers share one copy on SQLite and on PostgreSQL alike, with no extra
server. ``default`` stays per process: it holds only small values that are cheap to recompute.
``BILDUNGSKETTE_CHART_CACHE_DIR`` switches the chart cache to files in that directory instead
(for an installation whose database should not hold the pictures; shared only by the processes of
one machine unless the directory is shared storage).
"""

from .environment import env_int, env_str

CHART_CACHE_TABLE = "bildungskette_chart_cache"

_chart_dir = env_str("BILDUNGSKETTE_CHART_CACHE_DIR")
_chart_options = {
    # A chart is 10–60 KB; 5,000 of them are the start pages and Datenblätter of a whole Land.
    "MAX_ENTRIES": env_int("BILDUNGSKETTE_CHART_CACHE_MAX_ENTRIES", 5000),
    "CULL_FREQUENCY": 4,
}
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "charts": (
        {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": _chart_dir}
        if _chart_dir
        else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": CHART_CACHE_TABLE}
    )
    | {
        # Keys carry the data they draw, so entries never go stale; the timeout only frees space.
        "TIMEOUT": env_int("BILDUNGSKETTE_CHART_CACHE_SECONDS", 90 * 24 * 3600),
        "OPTIONS": _chart_options,
    },
}
