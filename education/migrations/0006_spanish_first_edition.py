"""The first edition in Spanish, in a migration of its own: on PostgreSQL, the columns
and their indexes must be in place before rows point at one another."""

from django.db import migrations
from django.utils import timezone


def load_spanish(apps, schema_editor):
    """The first edition in Spanish (education/content/es/), published as the English
    first edition was: marked as awaiting a clinician's review. The Spanish urgent
    signs (tracker 0017) are there first."""
    from education.content import load_translations

    load_translations(apps, language="es", today=timezone.localdate(), publish=True)


def unload_spanish(apps, schema_editor):
    """Going back: the translations go before their columns do."""
    TopicVersion = apps.get_model("education", "TopicVersion")
    TopicVersion.objects.exclude(language="en").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("education", "0005_translations"),
        ("tracker", "0017_languages"),
    ]

    operations = [migrations.RunPython(load_spanish, unload_spanish)]
