"""Load the first edition of the curated content, the default contextual rules,
and give the content roles their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.utils import timezone

EDIT = ["view", "add", "change"]
ROLE_PERMISSIONS = {
    "Content editor": [f"{a}_{m}" for m in ("topic", "topicversion", "reference") for a in EDIT]
    + ["delete_topicversion", "delete_reference", "view_contextrule"],
    "Clinical reviewer": [f"{a}_{m}" for m in ("topic", "topicversion", "reference", "contextrule") for a in EDIT]
    + ["delete_topicversion", "delete_reference", "publish_topicversion"],
    "Admin": ["view_topic", "view_topicversion", "view_reference", "view_contextrule"],
}


def forwards(apps, schema_editor):
    from education.content import load

    load(apps, today=timezone.localdate(), publish=True)

    config = apps.get_app_config("education")
    config.models_module = True
    create_permissions(config, verbosity=0, apps=apps)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="education", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("education", "0001_initial"),
        ("tracker", "0002_default_catalogue_and_roles"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
