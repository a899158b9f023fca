from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils import timezone

from education.content import (
    content_files,
    load,
    load_deeper_translations,
    load_translations,
    translation_files,
)
from education.models import TopicVersion


class Command(BaseCommand):
    help = (
        "Load topics from education/content/*.md that are not in the database yet, "
        "waiting in review for a clinical reviewer to publish, with their default rules. "
        "Topics already there are left as the admin has them. Likewise Spanish translations "
        "(education/content/es/*.md) of topics without one, and a translation's deeper "
        "sections (Intermediate, Academic) written on file since, as a new version in "
        "review. Then store fresh HTML for any version whose text (or the renderer) "
        "changed since its HTML was made. "
        "Safe to run again."
    )

    def handle(self, *args, **options):
        created = load(apps, today=timezone.localdate(), publish=False)
        translated = load_translations(
            apps, language="es", today=timezone.localdate(), publish=False
        )
        deeper = load_deeper_translations(apps, language="es", today=timezone.localdate())
        rendered = TopicVersion.objects.render_stale()
        self.stdout.write(
            f"Curated content: {created} new topic(s) waiting for review, "
            f"{len(content_files())} on file; {translated} new Spanish translation(s) waiting "
            f"for review, {len(translation_files('es'))} on file; {deeper} with deeper sections "
            "waiting for review; "
            f"HTML made again for {rendered} version(s)."
        )
