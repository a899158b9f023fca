"""Load the default symptom catalogue (CLINICAL.md) and create the roles.

The wording here is Ripple's own; the PRO-CTCAE item numbers are recorded only
so that values can be compared and graded, not to reproduce NCI's questions.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# slug, name, hint, PRO-CTCAE item, (F, S, I), extras
SYMPTOMS = [
    ("joint-pain", "Joint pain or stiffness", "Sore, aching or stiff joints.", 51, "FSI", {"asks_pain_details"}),
    ("muscle-aches", "Muscle aches", "Aching or sore muscles.", 50, "FSI", set()),
    ("hot-flashes", "Hot flashes", "Sudden waves of heat, often in the face, neck or chest.", 77, "FS", {"asks_hot_flash_episodes"}),
    ("night-sweats", "Sweating or night sweats", "Sweating more than usual, by day or at night.", 75, "FS", {"asks_night_awakenings"}),
    ("vaginal-dryness", "Vaginal dryness", "Dryness, itching or soreness in or around the vagina.", 60, "S", set()),
    ("painful-sex", "Pain during vaginal sex", "", 71, "S", {"offers_opt_outs"}),
    ("low-sexual-interest", "Less interest in sex", "", 68, "S", {"offers_opt_outs"}),
    ("trouble-sleeping", "Trouble sleeping", "Trouble falling asleep, staying asleep or waking too early.", 52, "SI", set()),
    ("fatigue", "Tiredness or low energy", "Feeling worn out or drained.", 53, "SI", set()),
    ("anxiety", "Feeling anxious or worried", "", 54, "FSI", set()),
    ("low-mood", "Feeling sad or low", "", 56, "FSI", set()),
    ("numbness-tingling", "Numbness or tingling in hands or feet", "Pins and needles, or less feeling than usual.", 39, "SI", set()),
    ("limb-swelling", "Swelling in an arm or leg", "", 22, "FSI", set()),
]

ROLE_PERMISSIONS = {
    "Patient": [],
    "Clinician": [],
    "Content editor": ["tracker.view_symptom"],
    "Clinical reviewer": ["tracker.view_symptom"],
    "Admin": [
        "tracker.view_symptom",
        "tracker.add_symptom",
        "tracker.change_symptom",
        # Not change_user: that would let an admin make themselves a superuser.
        "tracker.view_user",
        "auth.view_group",
    ],
}


def load(apps, schema_editor):
    Symptom = apps.get_model("tracker", "Symptom")
    for position, (slug, name, hint, item, attrs, extras) in enumerate(SYMPTOMS, start=1):
        Symptom.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "hint": hint,
                "pro_ctcae_item": item,
                "asks_frequency": "F" in attrs,
                "asks_severity": "S" in attrs,
                "asks_interference": "I" in attrs,
                "asks_pain_details": "asks_pain_details" in extras,
                "asks_hot_flash_episodes": "asks_hot_flash_episodes" in extras,
                "asks_night_awakenings": "asks_night_awakenings" in extras,
                "offers_opt_outs": "offers_opt_outs" in extras,
                "tracked_by_default": True,
                "position": position * 10,
            },
        )

    # Permissions are normally created after all migrations; make them now.
    for label in ("auth", "tracker"):
        config = apps.get_app_config(label)
        config.models_module = True
        create_permissions(config, verbosity=0, apps=apps)
        config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        for perm in perms:
            app_label, codename = perm.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
