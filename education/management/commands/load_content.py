from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils import timezone

from education.content import content_files, load


class Command(BaseCommand):
    help = (
        "Load topics from education/content/*.md that are not in the database yet, "
        "waiting in review for a clinical reviewer to publish, with their default rules. "
        "Topics already there are left as the admin has them. Safe to run again."
    )

    def handle(self, *args, **options):
        created = load(apps, today=timezone.localdate(), publish=False)
        self.stdout.write(
            f"Curated content: {created} new topic(s) waiting for review, "
            f"{len(content_files())} on file."
        )
