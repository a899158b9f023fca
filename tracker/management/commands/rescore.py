from django.core.management.base import BaseCommand, CommandError

from tracker.models import Symptom
from tracker.recording import rescore


class Command(BaseCommand):
    help = (
        "Derive every stored figure again from the answers: each symptom-day's grade, each "
        "day's figures and each baseline. Safe to run again; --symptom limits it to one."
    )

    def add_arguments(self, parser):
        parser.add_argument("--symptom", help="a symptom's slug (default: every symptom)")

    def handle(self, *args, symptom=None, **options):
        symptoms = Symptom.objects.all()
        if symptom is not None:
            symptoms = symptoms.filter(slug=symptom)
            if not symptoms.exists():
                raise CommandError(f"No symptom with the slug {symptom!r}.")
        changed = rescore(symptoms=symptoms)
        self.stdout.write(f"Rescored: {changed} stored grade{'s' if changed != 1 else ''} changed.")
