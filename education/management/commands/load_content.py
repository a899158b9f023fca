from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils import timezone

from education.content import content_files, load
from education.models import TopicVersion


class Command(BaseCommand):
    help = (
        "Load topics from education/content/*.md that are not in the database yet, "
        "waiting in review for a clinical reviewer to publish, with their default rules. "
        "Topics already there are left as the admin has them. Then store fresh HTML for "
        "any version whose text (or the renderer) changed since its HTML was made. "
        "Safe to run again."
    )

    def handle(self, *args, **options):
        created = load(apps, today=timezone.localdate(), publish=False)
        rendered = TopicVersion.objects.render_stale()
        self.stdout.write(
            f"Curated content: {created} new topic(s) waiting for review, "
            f"{len(content_files())} on file; HTML made again for {rendered} version(s)."
        )
