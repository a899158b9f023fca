import datetime as dt
import gc
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from tracker.models import Patient
from tracker.reports.exports import EXPORTS
from tracker.reports.report import Report, build_report, default_period


class Command(BaseCommand):
    help = (
        "Write a patient's appointment report as PDF, their daily values as CSV, or both as "
        "a FHIR R4 Bundle, for the last N days (default: since the last appointment, else 90)."
    )
    # A report is wanted in seconds (issue 13: a fresh PDF in 4 s); Django's system
    # checks took 0.3 s of that and are run by `check`, the server and CI anyway.
    requires_system_checks = []

    def run_from_argv(self, argv):
        super().run_from_argv(argv)
        # The process ends next. Python's last garbage collections over the objects of
        # Django, WeasyPrint and the report took 0.3-0.4 s of a fresh PDF's 4 s; frozen,
        # they are left to the operating system. (Only from the command line: a test's
        # call_command goes on living.)
        gc.freeze()

    def add_arguments(self, parser):
        parser.add_argument("--patient", required=True, help="the patient's username")
        parser.add_argument("--format", required=True, choices=list(EXPORTS))
        parser.add_argument("--days", type=int, help="the last N days, today included")
        parser.add_argument("--output", required=True, type=Path, help="the file to write")
        parser.add_argument("--paper", choices=["A4", "Letter"], default="A4", help="PDF only")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="the language of the report's words (default: %(default)s)",
        )

    def handle(self, *args, patient, format, days, output, paper="A4", language=None, **options):
        found = Patient.objects.filter(user__username=patient).select_related("user").first()
        if found is None:
            raise CommandError(f"No patient with the username {patient!r}.")
        if days is not None and not 1 <= days <= 365 * 30:
            raise CommandError("--days must be between 1 and 10950.")
        today = found.today()
        if days is None:
            start, end = default_period(found, today)
        else:
            start, end = today - dt.timedelta(days=days - 1), today
        export = EXPORTS[format]
        export.prepare()
        try:
            # The CSV's headers, the FHIR file's texts and the PDF's words and dates.
            with translation.override(language or settings.LANGUAGE_CODE):
                if export.needs_charts:
                    report = build_report(found, start=start, end=end)
                else:
                    report = Report.period_only(found, start=start, end=end)
                data = export.make(report, paper=paper)
        except Exception as error:  # say what failed in a line, not a traceback
            raise CommandError(f"The {format.upper()} export failed: {error}") from error
        try:
            Path(output).write_bytes(data)
        except OSError as error:
            raise CommandError(f"Could not write {output}: {error.strerror}.") from error
        self.stdout.write(
            f"Wrote {output} ({len(data):,} bytes): {format.upper()} for {found.user.username}, "
            f"{start} to {end}."
        )
