"""Every symptom's first report points at its own topic, not the general "how AIs
work" card, and symptoms added since (tracker 0008) get the default rules of their
own topic. Rules a reviewer has made otherwise are left alone."""

from django.db import migrations


# Symptoms made by tracker 0008: a new database loads their topics' files (education
# 0002) before the symptoms exist, so the link is made here.
NEW_SYMPTOMS = ["concentration-memory", "hair-thinning", "falls"]


def forwards(apps, schema_editor):
    from education.content import DEFAULT_RULES, content_files, parse

    ContextRule = apps.get_model("education", "ContextRule")
    Symptom = apps.get_model("tracker", "Symptom")
    Topic = apps.get_model("education", "Topic")
    for path in content_files():
        meta = parse(path)
        slugs = [slug for slug in meta.get("symptoms", []) if slug in NEW_SYMPTOMS]
        topic = Topic.objects.filter(slug=meta["slug"]).first()
        if topic is not None and slugs:
            topic.symptoms.add(*Symptom.objects.filter(slug__in=slugs))
    for symptom in Symptom.objects.all():
        own = Topic.objects.filter(symptoms=symptom).order_by("slug").first()
        if own is None:
            continue
        ContextRule.objects.filter(
            symptom=symptom, condition="first_report", topic__slug="how-ais-work"
        ).update(topic=own)
        if ContextRule.objects.filter(symptom=symptom).exists():
            continue
        for condition, threshold, slug, section, priority in DEFAULT_RULES:
            topic = Topic.objects.filter(slug=slug).first() if slug else own
            if topic is not None:
                ContextRule.objects.create(
                    symptom=symptom, condition=condition, threshold=threshold,
                    topic=topic, section=section, priority=priority,
                )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [
        ("education", "0002_first_edition_rules_and_roles"),
        ("tracker", "0008_urgent_signs"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
