"""Consistent backups of the database, and restoring them: what `manage.py backup`
and `manage.py restore` do (docs/OPERATIONS.md, "Backups").

SQLite is copied with its online backup API, PostgreSQL with pg_dump's custom
format; both read one consistent snapshot while the app keeps writing. The
database is the one a connection is configured for (the test database under
the tests), never a path or a name typed separately.
"""

import contextlib
import os
import shutil
import sqlite3
import subprocess  # noqa: S404 - pg_dump and pg_restore, with argument lists, never a shell
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
NAMES = {SQLITE: "SQLite", POSTGRESQL: "PostgreSQL"}
# The first bytes of each kind of file: SQLite's header, pg_dump's custom format.
MAGIC = {SQLITE: b"SQLite format 3\x00", POSTGRESQL: b"PGDMP"}

# libpq reads these from the environment; DATABASE_URL puts them in OPTIONS
# (…?sslmode=require), and pg_dump must reach the database the way the app does.
LIBPQ_ENVIRONMENT = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}


class BackupError(Exception):
    """Something to tell the person at the terminal, in a sentence."""


def kind_of(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor == "sqlite":
        return SQLITE
    if connection.vendor == "postgresql":
        return POSTGRESQL
    raise BackupError(f"Backups are made for SQLite and PostgreSQL, not {connection.vendor}.")


def kind_of_file(path: Path) -> str | None:
    """Which kind of backup a file looks like, from its first bytes, or None."""
    with path.open("rb") as file:
        start = file.read(16)
    return next((kind for kind, magic in MAGIC.items() if start.startswith(magic)), None)


def back_up(*, connection: BaseDatabaseWrapper, path: Path, force: bool = False) -> int:
    """Write a consistent backup of the connection's database to `path`; its size.
    The file appears whole or not at all, readable by its owner only."""
    kind = kind_of(connection)
    path = Path(path)
    if not path.parent.is_dir():
        raise BackupError(f"There is no folder {path.parent} to write the backup in.")
    if path.is_dir():
        raise BackupError(f"{path} is a folder: give the backup a file name.")
    if path.exists() and not force:
        raise BackupError(
            f"{path} already exists. Choose another name, or add --force to replace it."
        )
    if kind == SQLITE and _is_the_database(connection, path):
        raise BackupError(f"{path} is the database itself: write the backup somewhere else.")
    try:
        with _written_whole(path) as partial:
            if kind == SQLITE:
                _sqlite_back_up(connection, partial)
            else:
                _run_postgresql_tool(
                    connection, "pg_dump", "--format=custom", f"--file={partial}", doing="back up"
                )
        return path.stat().st_size
    except OSError as error:
        raise BackupError(f"Could not write {path}: {error.strerror}.") from error


def check(*, connection: BaseDatabaseWrapper, path: Path) -> None:
    """Make sure a file is a readable backup of a Ripple database of the connection's
    kind, before anything in the database is touched."""
    kind = kind_of(connection)
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"There is no backup file at {path}.")
    try:
        found = kind_of_file(path)
    except OSError as error:
        raise BackupError(f"Could not read {path}: {error.strerror}.") from error
    if found is None:
        raise BackupError(
            f"{path} is not a Ripple backup: it is neither a SQLite database nor a "
            "pg_dump file in custom format. Nothing was restored."
        )
    if found != kind:
        raise BackupError(
            f"{path} is a {NAMES[found]} backup, and this Ripple uses {NAMES[kind]}. "
            "Nothing was restored."
        )
    if kind == SQLITE:
        _sqlite_check(path)
    else:
        listing = _run_postgresql_tool(
            connection, "pg_restore", "--list", str(path), doing="read the backup", database=False
        )
        if " django_migrations " not in listing:
            raise BackupError(f"{path} is a PostgreSQL backup, but not of a Ripple database.")


def restore(*, connection: BaseDatabaseWrapper, path: Path) -> None:
    """Replace everything in the connection's database with the backup at `path`:
    all of it or, if anything fails, nothing. check() the file first."""
    if kind_of(connection) == SQLITE:
        _sqlite_restore(connection, Path(path))
    else:
        # One transaction: a failure halfway leaves the database as it was.
        _run_postgresql_tool(
            connection,
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            str(path),
            doing="restore",
        )


def migrations_missing(connection: BaseDatabaseWrapper) -> bool:
    """True when the database lacks migrations this code has: an older backup."""
    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def database_name(connection: BaseDatabaseWrapper) -> str:
    return str(connection.settings_dict["NAME"])


@contextlib.contextmanager
def _written_whole(path: Path):
    """A private file beside `path` to write into, moved onto `path` once complete:
    a backup cut short never looks like a good one."""
    descriptor, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    os.close(descriptor)
    try:
        yield Path(partial)
        os.replace(partial, path)
    finally:
        Path(partial).unlink(missing_ok=True)


def _is_the_database(connection, path: Path) -> bool:
    name = database_name(connection)
    if name.startswith("file:"):  # config/settings.py opens the file as a URI
        if "mode=memory" in name:
            return False
        name = unquote(urlsplit(name).path)
    if name == ":memory:":
        return False
    database = Path(name).resolve()
    return path.resolve() in {
        database,
        *(database.with_name(database.name + s) for s in ("-wal", "-shm")),
    }


def _sqlite_back_up(connection, partial: Path) -> None:
    connection.ensure_connection()
    target = sqlite3.connect(partial)
    try:
        # One step (pages=-1) copies every page under one read of the database: a
        # snapshot, whatever other connections commit meanwhile (WAL lets them).
        connection.connection.backup(target)
        # The copy inherits WAL mode in its header; a backup is better one file.
        target.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error as error:
        raise BackupError(f"The backup could not be written: {error}.") from error
    finally:
        target.close()


def _sqlite_check(path: Path) -> None:
    try:
        source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            (result,) = source.execute("PRAGMA quick_check").fetchone()
            has_migrations = source.execute(
                "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'django_migrations'"
            ).fetchone()
        finally:
            source.close()
    except sqlite3.Error as error:
        raise BackupError(f"{path} cannot be read as a SQLite backup: {error}.") from error
    if result != "ok":
        raise BackupError(f"{path} is damaged (SQLite says: {result}). Nothing was restored.")
    if not has_migrations:
        raise BackupError(f"{path} is a SQLite database, but not of a Ripple database.")


def _sqlite_restore(connection, path: Path) -> None:
    """Copy the backup into the live database through the backup API, rather than
    replacing the file: the app's processes keep the old file open, with its -wal
    and -shm beside it, and a file swapped under them is corruption waiting to
    happen. The API writes in one transaction on the live database, taking its
    write lock like any save, so other connections see the old data or the new."""
    if connection.in_atomic_block:
        raise BackupError("A restore cannot run inside a transaction.")
    connection.ensure_connection()
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        source.backup(connection.connection)
    except sqlite3.Error as error:
        raise BackupError(f"The restore failed and nothing was changed: {error}.") from error
    finally:
        source.close()


def _run_postgresql_tool(connection, tool: str, *args: str, doing: str, database=True) -> str:
    """Run pg_dump or pg_restore against the connection's database; its output.
    The password goes in the environment, never on a command line others can read."""
    program = shutil.which(tool)
    if program is None:
        raise BackupError(
            f"{tool} is not installed on this machine. It comes with PostgreSQL's client "
            "programs (on Debian, the postgresql-client package); install them and try again."
        )
    settings = connection.settings_dict
    environment = {**os.environ}
    if settings.get("PASSWORD"):
        environment["PGPASSWORD"] = str(settings["PASSWORD"])
    for option, variable in LIBPQ_ENVIRONMENT.items():
        if settings.get("OPTIONS", {}).get(option):
            environment[variable] = str(settings["OPTIONS"][option])
    command = [program, "--no-password"]
    if database:
        for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
            if settings.get(key):
                command.append(f"{flag}={settings[key]}")
        command.append(f"--dbname={settings['NAME']}")
    completed = subprocess.run(  # noqa: S603 - a fixed program and our own arguments
        [*command, *args], env=environment, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        lines = [line.strip() for line in completed.stderr.splitlines() if line.strip()]
        # The first error says why; later lines repeat the SQL it was running.
        errors = [line for line in lines if "error:" in line] or lines[-1:]
        detail = errors[0] if errors else f"it stopped with code {completed.returncode}"
        detail = detail.removeprefix(f"{tool}: ").removeprefix("error: ")
        raise BackupError(f"{tool} could not {doing}: {detail}")
    return completed.stdout
