"""Installs the initial Lernort taxonomy (categories, Schulform mapping, target groups, topics)."""

from django.db import migrations


def install(apps, schema_editor):
    from bildungskette.places.taxonomy import taxonomy_install

    taxonomy_install(apps)


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
