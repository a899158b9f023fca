from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from tracker import backups


class Command(BaseCommand):
    help = (
        "Write a consistent backup of the database to PATH while Ripple keeps running: "
        "SQLite through its online backup API, PostgreSQL with pg_dump (custom format). "
        "The file holds health data: keep it encrypted, where few can read it."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the file to write")
        parser.add_argument("--force", action="store_true", help="replace PATH if it exists")

    def handle(self, *args, path, force=False, **options):
        try:
            size = backups.back_up(connection=connection, path=path, force=force)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        kind = backups.NAMES[backups.kind_of(connection)]
        self.stdout.write(f"Backed up the {kind} database to {path} ({size:,} bytes).")
