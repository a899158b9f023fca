"""One row per patient, day and symptom instead of one per answer.

The answers move without loss (each answer to its column, the sites to one set, an
opt-out to its own column), and what derives from them is computed with the same
pure rules the writer uses: each row's grade, each day's figures, each symptom's
baseline. The old per-day scores go. Reversible: going back rebuilds the answers
and the scores from the rows.
"""

import django.db.models.deletion
from django.db import migrations, models

from tracker import rules
from tracker.grading import grade
from tracker.models.catalogue import ANSWER_COLUMNS, SITE_ATTRIBUTES
from tracker.models.diary import figures_entry

ANSWERED = "answered"
BATCH = 2000


def _asked(symptom) -> list[str]:
    flags = [
        (symptom.asks_frequency, "frequency"),
        (symptom.asks_severity, "severity"),
        (symptom.asks_interference, "interference"),
    ]
    return [attribute for asked, attribute in flags if asked]


def forwards(apps, schema_editor):
    Answer = apps.get_model("tracker", "Answer")
    SymptomLog = apps.get_model("tracker", "SymptomLog")
    DayLog = apps.get_model("tracker", "DayLog")
    Baseline = apps.get_model("tracker", "Baseline")
    Symptom = apps.get_model("tracker", "Symptom")
    Therapy = apps.get_model("tracker", "Therapy")
    asked = {symptom.pk: _asked(symptom) for symptom in Symptom.objects.all()}
    site_bit = {site.value: 1 << index for index, site in enumerate(SITE_ATTRIBUTES)}

    for patient_id in Answer.objects.values_list("patient_id", flat=True).distinct().order_by():
        rows: dict[tuple, dict] = {}
        answers = Answer.objects.filter(patient_id=patient_id).values_list(
            "date", "symptom_id", "attribute", "value", "status"
        )
        for date, symptom_id, attribute, value, status in answers.iterator(chunk_size=BATCH):
            row = rows.setdefault((date, symptom_id), {"opt_out": ""})
            if status != ANSWERED:
                row["opt_out"] = status  # the check-in offers opt-outs on severity only
            elif attribute in site_bit:
                row["sites"] = (row.get("sites") or 0) | (site_bit[attribute] if value else 0)
            else:
                row[attribute] = value
        logs = []
        for (date, symptom_id), row in rows.items():
            row["grade"] = grade(asked[symptom_id], row, opted_out=bool(row["opt_out"]))
            logs.append(SymptomLog(patient_id=patient_id, date=date, symptom_id=symptom_id, **row))
        SymptomLog.objects.bulk_create(logs, batch_size=BATCH)

        figures: dict = {}
        for (date, symptom_id), row in rows.items():
            entry = figures_entry(row, row["grade"])
            figures.setdefault(date, {})[str(symptom_id)] = entry
        days = list(DayLog.objects.filter(patient_id=patient_id))
        known = {day.date for day in days}
        days += DayLog.objects.bulk_create(
            DayLog(patient_id=patient_id, date=date) for date in figures if date not in known
        )
        for day in days:
            day.figures = figures.get(day.date, {})
        DayLog.objects.bulk_update(days, ["figures"], batch_size=BATCH)

        start = (
            Therapy.objects.filter(patient_id=patient_id)
            .order_by("started_on")
            .values_list("started_on", flat=True)
            .first()
        )
        baselines = []
        for symptom_id in {key[1] for key in rows}:
            dated = sorted((date, row) for (date, sid), row in rows.items() if sid == symptom_id)
            before = [day for day in dated if start and day[0] < start][-rules.BASELINE_DAYS :]
            chosen, before_therapy = rules.baseline_days(
                before_therapy=before, first=dated[: rules.BASELINE_DAYS]
            )
            answered = ({key: row.get(key) for key in ANSWER_COLUMNS} for _, row in dated)
            noticed = next(
                (
                    date
                    for (date, _), values in zip(dated, answered, strict=True)
                    if rules.bothered(values)
                ),
                None,
            )
            baselines.append(
                Baseline(
                    patient_id=patient_id,
                    symptom_id=symptom_id,
                    starts_on=chosen[0][0] if chosen else None,
                    ends_on=chosen[-1][0] if chosen else None,
                    days=len(chosen),
                    before_therapy=before_therapy,
                    therapy_started_on=start,
                    first_noticed_on=noticed,
                    **rules.baseline_means(row for _, row in chosen),
                )
            )
        Baseline.objects.bulk_create(baselines, batch_size=BATCH)


def backwards(apps, schema_editor):
    Answer = apps.get_model("tracker", "Answer")
    SymptomLog = apps.get_model("tracker", "SymptomLog")
    DayLog = apps.get_model("tracker", "DayLog")
    Symptom = apps.get_model("tracker", "Symptom")
    slugs = dict(Symptom.objects.values_list("pk", "slug"))
    scores: dict = {}
    answers = []
    for log in SymptomLog.objects.order_by("patient_id", "date").iterator(chunk_size=BATCH):
        for column in ANSWER_COLUMNS[:-1]:
            value = getattr(log, column)
            if value is not None:
                answers.append((log, column, value, ANSWERED))
        if log.opt_out:
            answers.append((log, "severity", None, log.opt_out))
        if log.sites is not None:
            for index, site in enumerate(SITE_ATTRIBUTES):
                answers.append((log, site.value, log.sites >> index & 1, ANSWERED))
        day = scores.setdefault((log.patient_id, log.date), {"grades": {}, "very_severe": []})
        if log.grade is not None:
            day["grades"][slugs[log.symptom_id]] = log.grade
        if log.severity == rules.VERY_SEVERE:
            day["very_severe"].append(slugs[log.symptom_id])
        for measure in ("worst_pain", "stiffness_minutes", "night_awakenings"):
            if getattr(log, measure) is not None:
                day[measure] = getattr(log, measure)
        episodes = [log.episodes_mild, log.episodes_moderate, log.episodes_severe]
        if any(count is not None for count in episodes):
            day["episodes"] = [count or 0 for count in episodes]
    Answer.objects.bulk_create(
        (
            Answer(
                patient_id=log.patient_id, date=log.date, symptom_id=log.symptom_id,
                attribute=attribute, value=value, status=status,
            )
            for log, attribute, value, status in answers
        ),
        batch_size=BATCH,
    )  # fmt: skip
    days = list(DayLog.objects.all())
    for day in days:
        day.scores = scores.get((day.patient_id, day.date), {})
    DayLog.objects.bulk_update(days, ["scores"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0006_display_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="SymptomLog",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("date", models.DateField()),
                ("frequency", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("severity", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("interference", models.PositiveSmallIntegerField(blank=True, null=True)),
                (
                    "opt_out",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("not_active", "Not sexually active"),
                            ("declined", "Prefer not to answer"),
                        ],
                        max_length=12,
                    ),
                ),
                ("worst_pain", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("stiffness_minutes", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("episodes_mild", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("episodes_moderate", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("episodes_severe", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("night_awakenings", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("sites", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("grade", models.PositiveSmallIntegerField(blank=True, editable=False, null=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "ordering": ["date", "symptom__position"],
            },
        ),
        migrations.AddField(
            model_name="symptomlog",
            name="patient",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="symptom_logs",
                to="tracker.patient",
            ),
        ),
        migrations.AddField(
            model_name="symptomlog",
            name="symptom",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="logs",
                to="tracker.symptom",
            ),
        ),
        migrations.CreateModel(
            name="Baseline",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("starts_on", models.DateField(blank=True, null=True)),
                ("ends_on", models.DateField(blank=True, null=True)),
                ("days", models.PositiveSmallIntegerField(default=0)),
                ("before_therapy", models.BooleanField(default=False)),
                ("therapy_started_on", models.DateField(blank=True, null=True)),
                ("grade", models.FloatField(blank=True, null=True)),
                ("worst_pain", models.FloatField(blank=True, null=True)),
                ("stiffness_minutes", models.FloatField(blank=True, null=True)),
                ("flash_count", models.FloatField(blank=True, null=True)),
                ("flash_score", models.FloatField(blank=True, null=True)),
                (
                    "first_noticed_on",
                    models.DateField(
                        blank=True, help_text="The first day it bothered the patient.", null=True
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="baseline",
            name="patient",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="baselines",
                to="tracker.patient",
            ),
        ),
        migrations.AddField(
            model_name="baseline",
            name="symptom",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="baselines",
                to="tracker.symptom",
            ),
        ),
        migrations.AddConstraint(
            model_name="baseline",
            constraint=models.UniqueConstraint(
                fields=("patient", "symptom"), name="one_baseline_per_symptom"
            ),
        ),
        migrations.AddConstraint(
            model_name="symptomlog",
            constraint=models.UniqueConstraint(
                fields=("patient", "date", "symptom"), name="one_log_per_patient_day_symptom"
            ),
        ),
        migrations.AddConstraint(
            model_name="symptomlog",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("sites__isnull", True), ("sites__lt", 256), _connector="OR"),
                    models.Q(("frequency__isnull", True), ("frequency__lte", 4), _connector="OR"),
                    models.Q(("severity__isnull", True), ("severity__lte", 4), _connector="OR"),
                    models.Q(
                        ("interference__isnull", True), ("interference__lte", 4), _connector="OR"
                    ),
                    models.Q(
                        ("worst_pain__isnull", True), ("worst_pain__lte", 10), _connector="OR"
                    ),
                    models.Q(
                        ("stiffness_minutes__isnull", True),
                        ("stiffness_minutes__lte", 1440),
                        _connector="OR",
                    ),
                    models.Q(
                        ("episodes_mild__isnull", True), ("episodes_mild__lte", 99), _connector="OR"
                    ),
                    models.Q(
                        ("episodes_moderate__isnull", True),
                        ("episodes_moderate__lte", 99),
                        _connector="OR",
                    ),
                    models.Q(
                        ("episodes_severe__isnull", True),
                        ("episodes_severe__lte", 99),
                        _connector="OR",
                    ),
                    models.Q(
                        ("night_awakenings__isnull", True),
                        ("night_awakenings__lte", 30),
                        _connector="OR",
                    ),
                ),
                name="symptom_log_answers_in_range",
            ),
        ),
        migrations.AddConstraint(
            model_name="symptomlog",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("opt_out", ""),
                    models.Q(
                        ("opt_out__in", ["not_active", "declined"]), ("severity__isnull", True)
                    ),
                    _connector="OR",
                ),
                name="symptom_log_opt_out_has_no_severity",
            ),
        ),
        migrations.AddConstraint(
            model_name="symptomlog",
            constraint=models.CheckConstraint(
                condition=models.Q(("grade__isnull", True), ("grade__lte", 3), _connector="OR"),
                name="symptom_log_grade_0_to_3",
            ),
        ),
        migrations.AddField(
            model_name="daylog",
            name="figures",
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
        migrations.RunPython(forwards, backwards),
        # Its unique key (patient, date) already starts with the patient.
        migrations.AlterField(
            model_name="daylog",
            name="patient",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="day_logs",
                to="tracker.patient",
            ),
        ),
        migrations.RemoveField(
            model_name="daylog",
            name="scores",
        ),
        migrations.DeleteModel(
            name="Answer",
        ),
    ]
