"""Database: SQLite by default, PostgreSQL (psycopg 3) through DATABASE_URL."""

import dj_database_url

from .base import VAR_DIR
from .environment import ENVIRONMENT, env_int, env_str

_url = env_str("DATABASE_URL")
if _url:
    DATABASES = {"default": dj_database_url.parse(_url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60))}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Lets several test runs share one PostgreSQL server without clashing.
    if env_str("DATABASE_TEST_NAME"):
        DATABASES["default"]["TEST"] = {"NAME": env_str("DATABASE_TEST_NAME")}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "bildungskette.sqlite3",
            # WAL lets the background worker write while the web process reads.
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
    # A file instead of the in-memory test database, so `pytest --reuse-db` can keep it (make mutation).
    if env_str("DATABASE_TEST_NAME"):
        DATABASES["default"]["TEST"] = {"NAME": env_str("DATABASE_TEST_NAME")}

# Optional read replica for reports and APIs (docs/deployment.md, bildungskette/core/dbrouting.py).
# Tests always have the connection, a mirror of the test database; tests that check the routing
# switch it on with DATABASE_REPLICA_ENABLED (tests/core/test_scale_out.py).
_replica = env_str("DATABASE_REPLICA_URL")
DATABASE_REPLICA_ENABLED = bool(_replica)
if _replica:
    DATABASES["replica"] = dj_database_url.parse(_replica, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
elif ENVIRONMENT == "test":
    DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["bildungskette.core.dbrouting.ReplicaRouter"]
# GET/HEAD requests under these paths read published figures from the replica.
DATABASE_REPLICA_URL_PREFIXES = ["/api/", "/oparl/", "/berichte/", "/monitoring/datenblatt/", "/katalog/"]
# Only these apps' tables are read from the replica; accounts, sessions, roles (core), the task
# queue, the chart cache and person-level data (transitions) are always read from the primary.
DATABASE_REPLICA_APP_LABELS = {
    "regions", "organisations", "monitoring", "places", "network", "strategy", "reports", "opendata", "passung",
}
