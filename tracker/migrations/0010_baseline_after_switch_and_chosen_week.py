"""Baselines after a switch of medicine are that medicine's own (CLINICAL.md); a
clinician may choose the week instead. Patients who have switched get the new rule's
baselines here, with the same pure rules the writer uses (tracker.rules)."""

import datetime as dt


from django.db import migrations, models


def after_switch(apps, schema_editor):
    from tracker import rules
    from tracker.models.catalogue import ANSWER_COLUMNS

    Therapy = apps.get_model("tracker", "Therapy")
    Baseline = apps.get_model("tracker", "Baseline")
    SymptomLog = apps.get_model("tracker", "SymptomLog")
    today = dt.date.today()
    starts: dict[int, list] = {}
    for patient_id, started_on in Therapy.objects.filter(started_on__lte=today).values_list(
        "patient_id", "started_on"
    ):
        starts.setdefault(patient_id, []).append(started_on)
    for patient_id, dates in starts.items():
        if len(dates) < 2:
            continue
        current = max(dates)
        for baseline in Baseline.objects.filter(patient_id=patient_id):
            logs = SymptomLog.objects.filter(patient_id=patient_id, symptom_id=baseline.symptom_id)
            before = list(logs.filter(date__lt=current).order_by("-date")[: rules.BASELINE_DAYS])
            first = list(logs.filter(date__gte=current).order_by("date")[: rules.BASELINE_DAYS])
            days, before_therapy = rules.baseline_days(before_therapy=before, first=first)
            days = sorted(days, key=lambda log: log.date)
            means = rules.baseline_means(
                {**{c: getattr(log, c) for c in ANSWER_COLUMNS}, "grade": log.grade} for log in days
            )
            for name, value in {
                "starts_on": days[0].date if days else None,
                "ends_on": days[-1].date if days else None,
                "days": len(days),
                "before_therapy": before_therapy,
                "therapy_started_on": current,
                "after_switch": True,
                **means,
            }.items():
                setattr(baseline, name, value)
            baseline.save()


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0009_raised_flags"),
    ]

    operations = [
        migrations.AddField(
            model_name="baseline",
            name="after_switch",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="baseline",
            name="chosen_by",
            field=models.CharField(blank=True, max_length=150),
        ),
        migrations.AddField(
            model_name="patient",
            name="baseline_chosen_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="patient",
            name="baseline_chosen_by",
            field=models.CharField(blank=True, max_length=150),
        ),
        migrations.AddField(
            model_name="patient",
            name="baseline_week",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.RunPython(after_switch, migrations.RunPython.noop),
    ]
