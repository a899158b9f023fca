"""How often each symptom is asked: a patient's list of tracked symptoms becomes a
model of its own (the same table), with a cadence for each. What patients already
track stays daily, as they have been asked so far; new patients start from each
symptom's default (daily for joint pain, hot flashes and vaginal dryness, the rest
weekly). Answers already given are about their day (recall_days 1)."""

import django.db.models.deletion
from django.db import migrations, models

DAILY_BY_DEFAULT = ["joint-pain", "hot-flashes", "vaginal-dryness"]


def set_default_cadences(apps, schema_editor):
    Symptom = apps.get_model("tracker", "Symptom")
    Symptom.objects.filter(slug__in=DAILY_BY_DEFAULT).update(default_cadence="daily")


class Migration(migrations.Migration):
    dependencies = [("tracker", "0011_reminders")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Tracking",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("patient", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="trackings", to="tracker.patient")),
                        ("symptom", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="tracker.symptom")),
                    ],
                    options={
                        "db_table": "tracker_patient_tracked_symptoms",
                        "unique_together": {("patient", "symptom")},
                    },
                ),
                migrations.AlterField(
                    model_name="patient",
                    name="tracked_symptoms",
                    field=models.ManyToManyField(blank=True, related_name="+", through="tracker.Tracking", to="tracker.symptom"),
                ),
            ]
        ),
        migrations.AddField(
            model_name="tracking",
            name="cadence",
            field=models.CharField(choices=[("daily", "Every day"), ("weekly", "Once a week")], default="daily", max_length=6),
        ),
        migrations.AddField(
            model_name="symptom",
            name="default_cadence",
            field=models.CharField(
                choices=[("daily", "Every day"), ("weekly", "Once a week")],
                default="weekly",
                help_text="How often new patients are asked about it; each can change it.",
                max_length=6,
            ),
        ),
        migrations.RunPython(set_default_cadences, migrations.RunPython.noop),
        migrations.AddField(
            model_name="patient",
            name="weekly_on",
            field=models.PositiveSmallIntegerField(
                choices=[(0, "Monday"), (1, "Tuesday"), (2, "Wednesday"), (3, "Thursday"), (4, "Friday"), (5, "Saturday"), (6, "Sunday")],
                default=6,
                verbose_name="weekly check-in day",
            ),
        ),
        migrations.AddField(
            model_name="symptomlog",
            name="recall_days",
            field=models.PositiveSmallIntegerField(
                choices=[(1, "that day"), (7, "the 7 days up to that day")], default=1, editable=False
            ),
        ),
        migrations.AddConstraint(
            model_name="symptomlog",
            constraint=models.CheckConstraint(
                condition=models.Q(("recall_days__in", [1, 7])), name="symptom_log_recall_is_a_day_or_a_week"
            ),
        ),
    ]
