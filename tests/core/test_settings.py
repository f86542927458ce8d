"""Production settings are safe by default."""

import os
import subprocess
import sys

SCRIPT = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG, " \
         "settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, settings.SECURE_SSL_REDIRECT)"


def _run(env_extra):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DJANGO_", "BILDUNGSKETTE_")) or k == "BILDUNGSKETTE_MODULES"}
    env.update({"DJANGO_SETTINGS_MODULE": "bildungskette.config.settings", "BILDUNGSKETTE_VAR_DIR": "/tmp/bk-var",
                **env_extra})
    return subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, cwd="/tmp",
                          check=False)


def test_production_refuses_to_start_without_secret_key():
    result = _run({"BILDUNGSKETTE_ENV": "production"})
    assert result.returncode != 0 and "DJANGO_SECRET_KEY fehlt" in result.stderr


def test_production_defaults_are_secure():
    result = _run({"BILDUNGSKETTE_ENV": "production", "DJANGO_SECRET_KEY": "x" * 50})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True", "True"]


def test_debug_cannot_be_switched_on_in_production():
    result = _run({"BILDUNGSKETTE_ENV": "production", "DJANGO_SECRET_KEY": "x" * 50, "DJANGO_DEBUG": "1"})
    assert result.returncode != 0 and "DEBUG" in result.stderr


def test_csp_forbids_foreign_sources(client, db):
    header = client.get("/").headers["Content-Security-Policy"]
    assert "default-src 'self'" in header and "script-src 'self'" in header and "http" not in header
