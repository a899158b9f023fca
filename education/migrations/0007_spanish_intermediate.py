"""Intermediate in Spanish for every topic. A new installation published them with
the rest of the first edition (0006); here they arrive as new versions waiting in
review, for a clinical reviewer to publish, as any later content does."""

from django.db import migrations
from django.utils import timezone


def load_deeper(apps, schema_editor):
    from education.content import load_deeper_translations

    load_deeper_translations(apps, language="es", today=timezone.localdate())


class Migration(migrations.Migration):
    dependencies = [("education", "0006_spanish_first_edition")]

    operations = [migrations.RunPython(load_deeper, migrations.RunPython.noop)]
