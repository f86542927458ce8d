"""Background tasks: Django's tasks framework (django-tasks backport) with the database backend.

No extra server: workers run `bildungskette db_worker` against the same database.
Tests run tasks immediately.
"""

from .environment import ENVIRONMENT, env_bool, env_str

_backend = env_str("BILDUNGSKETTE_TASK_BACKEND") or (
    "django_tasks.backends.immediate.ImmediateBackend"
    if ENVIRONMENT == "test"
    else "django_tasks_db.DatabaseBackend"
)
TASKS = {"default": {"BACKEND": _backend}}

# After every import, render the changed charts in the background (monitoring.tasks.charts_prerender).
# Off in tests, where tasks run immediately and most imports are not about charts.
CHARTS_PRERENDER = env_bool("BILDUNGSKETTE_CHARTS_PRERENDER", ENVIRONMENT != "test")
