"""Adds the category for housing and support offers for trainees (Azubikampus) to installed taxonomies."""

from django.db import migrations


def install(apps, schema_editor):
    from bildungskette.places.taxonomy import taxonomy_install

    taxonomy_install(apps)  # creates only what is missing


class Migration(migrations.Migration):
    dependencies = [("places", "0004_visible_until")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
