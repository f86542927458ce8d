"""Creates the table of the database cache that keeps rendered charts (settings ``CACHES["charts"]``).

Django creates cache tables only with ``createcachetable``; running it here means ``migrate`` is
enough on a fresh installation. It does nothing when the table exists or the cache is not a
database cache.
"""

from django.core.management import call_command
from django.db import migrations


def chart_cache_table_create(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_merge_auth_and_onboarding")]

    operations = [migrations.RunPython(chart_cache_table_create, migrations.RunPython.noop)]
