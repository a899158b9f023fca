import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from tracker import backups


class Command(BaseCommand):
    help = (
        "Replace everything in the database with a backup written by `manage.py backup`. "
        "Asks first, unless --yes. Stop the web app and the worker while it runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the backup to restore")
        parser.add_argument(
            "--yes", action="store_true", help="replace the data without asking first"
        )

    def handle(self, *args, path, yes=False, **options):
        name = backups.database_name(connection)
        try:
            backups.check(connection=connection, path=path)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        warning = f"Restoring replaces every row in the database {name} with the backup {path}."
        if not yes:
            if not sys.stdin.isatty():
                raise CommandError(f"{warning} Add --yes to go ahead. Nothing was restored.")
            answer = input(f"{warning}\nType yes to go ahead: ")
            if answer.strip().lower() != "yes":
                self.stdout.write("Nothing was restored.")
                return
        try:
            backups.restore(connection=connection, path=path)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored the database {name} from {path}.")
        if backups.migrations_missing(connection):
            self.stdout.write(
                "The backup is from an older Ripple: run `manage.py migrate` before starting it."
            )
