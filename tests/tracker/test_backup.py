"""`manage.py backup` and `manage.py restore`, round trip, on the database the suite
runs on: SQLite's online backup API under `make test`, pg_dump and pg_restore when
DATABASE_URL names PostgreSQL (CI runs both).

These run in real transactions: SQLite's backup API and pg_restore work on committed
data, the way they meet a running app. `threads` brings SQLite's database file (in
WAL mode, as in production) instead of the in-memory one, and one test writes from
a thread of its own while the backup runs.
"""

import datetime as dt
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from tests.factories import give_access, log, log_day, make_patient, make_user
from tracker import roles
from tracker.models import (
    AccessLog,
    Patient,
    RaisedFlag,
    ReportSection,
    ShareLink,
    SymptomLog,
    TimelineEvent,
    User,
    Viewed,
)
from tracker.models.reminders import Reminder

pytestmark = [
    pytest.mark.threads,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def every_row() -> dict[str, list[tuple]]:
    """Every row of every table of every installed model (many-to-many tables
    included), in primary key order."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_models(include_auto_created=True)
    }


def make_records():
    """Two patients' diaries and everything around them, as a few weeks of use make."""
    today = dt.date(2026, 11, 30)
    clinician = make_user("drlee", role=roles.CLINICIAN, first_name="Grace", last_name="Lee")
    for name, zone in [("alice", "Europe/London"), ("charlie", "America/New_York")]:
        patient = make_patient(name, time_zone=zone, started_on=today - dt.timedelta(days=120))
        for offset in range(8):
            day = today - dt.timedelta(days=offset)
            log(patient, day, "joint-pain", severity=offset % 4, interference=offset % 3)
            log(patient, day, "hot-flashes", frequency=2, severity=1)
            log(patient, day, "vaginal-dryness", severity=None if offset % 2 else 2)
            log_day(patient, day, dose="missed" if offset == 3 else "taken")
        log_day(patient, today, note="Knees ached on the stairs — walked 2 km anyway ☀")
        TimelineEvent.objects.create(
            patient=patient, kind="appointment", title="Oncology clinic", starts_on=today
        )
        TimelineEvent.objects.create(
            patient=patient,
            kind="bone_scan",
            title="DEXA",
            starts_on=today - dt.timedelta(days=30),
            t_score_spine=Decimal("-1.8"),
            t_score_hip=Decimal("-2.5"),
        )
        link, _ = ShareLink.make(
            patient=patient,
            sections=list(ReportSection.values),
            starts_on=today - dt.timedelta(days=30),
            ends_on=today,
            label="For Dr Lee",
        )
        AccessLog.objects.create(
            patient=patient,
            share_link=link,
            who="Someone with a share link",
            what=Viewed.REPORT,
            ip="2001:db8::7",
            browser="Firefox 140",
        )
        give_access(patient, clinician)
        Reminder.objects.create(patient=patient, by_email=True, quiet_days=0b1000001)
        RaisedFlag.objects.create(
            patient=patient, rule="joint_pain_high", why="Joint pain 7 of 10", value=7,
            raised_on=today, seen_at=timezone.now(), seen_by=clinician,
        )  # fmt: skip


def test_a_restore_brings_back_every_row_of_every_table(tmp_path):
    make_records()
    before = every_row()
    assert before["tracker.SymptomLog"] and before["tracker.DayLog"]
    assert before["tracker.ShareLink"] and before["tracker.TimelineEvent"]
    path = tmp_path / "ripple.backup"

    call_command("backup", str(path))

    Patient.objects.get(user__username="charlie").user.delete()  # and, with it, a diary
    SymptomLog.objects.update(severity=4)
    TimelineEvent.objects.create(
        patient=Patient.objects.get(),
        kind="fracture",
        title="Wrist",
        starts_on=dt.date(2026, 12, 1),
    )
    make_patient("dora")
    assert every_row() != before

    call_command("restore", str(path), yes=True)

    assert every_row() == before
    # Counters came back too: new rows take numbers after the restored ones.
    make_patient("erin")
    assert Patient.objects.count() == 3


def test_a_backup_is_consistent_while_the_app_keeps_writing(tmp_path):
    """Each save below writes two rows in one transaction; a backup taken meanwhile
    holds both of every pair or neither, never one alone."""
    patient = make_patient("alice")
    stop = threading.Event()

    def keep_saving():
        try:
            n = 0
            while not stop.is_set():
                n += 1
                with transaction.atomic():
                    for title in (f"Walk {n}", f"Walk {n}"):
                        TimelineEvent.objects.create(
                            patient=patient,
                            kind="treatment",
                            title=title,
                            starts_on=dt.date.today(),
                        )
        finally:
            connection.close()

    writer = threading.Thread(target=keep_saving)
    writer.start()
    try:
        while writer.is_alive() and TimelineEvent.objects.count() < 20:
            pass
        call_command("backup", str(tmp_path / "busy.backup"))
    finally:
        stop.set()
        writer.join()
    saved = TimelineEvent.objects.count()
    TimelineEvent.objects.all().delete()

    call_command("restore", str(tmp_path / "busy.backup"), yes=True)

    titles = list(TimelineEvent.objects.values_list("title", flat=True))
    assert 20 <= len(titles) <= saved
    assert all(titles.count(title) == 2 for title in titles)


def test_a_restore_of_a_backup_from_an_older_ripple_says_to_migrate(tmp_path, capsys):
    recorder = MigrationRecorder(connection)
    latest = recorder.migration_qs.filter(app="tracker").latest("id")
    path = tmp_path / "older.backup"
    latest.delete()
    try:
        call_command("backup", str(path))
        call_command("restore", str(path), yes=True)
    finally:
        recorder.record_applied(latest.app, latest.name)

    assert "run `manage.py migrate`" in capsys.readouterr().out


def test_it_refuses_to_overwrite_a_file_unless_forced(tmp_path):
    path = tmp_path / "ripple.backup"
    path.write_bytes(b"last week's backup")

    with pytest.raises(CommandError, match="already exists.*--force"):
        call_command("backup", str(path))
    assert path.read_bytes() == b"last week's backup"

    call_command("backup", str(path), force=True)
    assert path.read_bytes() != b"last week's backup"


def test_a_backup_is_readable_by_its_owner_only_and_leaves_nothing_else(tmp_path, capsys):
    make_patient("alice", first_name="Alice")
    path = tmp_path / "ripple.backup"

    call_command("backup", str(path))

    assert path.stat().st_mode & 0o777 == 0o600
    assert list(tmp_path.iterdir()) == [path]
    said = capsys.readouterr().out
    assert str(path) in said and f"{path.stat().st_size:,} bytes" in said
    assert "Alice" not in said


def test_it_will_not_write_a_backup_over_the_sqlite_database_itself():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite keeps its database in a file the backup could name")
    with pytest.raises(CommandError, match="is the database itself"):
        call_command("backup", connection.settings_dict["NAME"], force=True)


def test_the_database_is_recognised_when_settings_open_it_as_a_uri(tmp_path):
    """config/settings.py names the live SQLite file as file:…?mode=rw."""
    from types import SimpleNamespace

    from tracker.backups import _is_the_database

    live = tmp_path / "db name.sqlite3"
    uri = SimpleNamespace(settings_dict={"NAME": f"file:{str(live).replace(' ', '%20')}?mode=rw"})
    assert _is_the_database(uri, live)
    assert _is_the_database(uri, live.with_name("db name.sqlite3-wal"))
    assert not _is_the_database(uri, tmp_path / "backup.sqlite3")


def test_a_restore_asks_first_and_changes_nothing_without_a_yes(tmp_path):
    path = tmp_path / "ripple.backup"
    call_command("backup", str(path))
    make_patient("alice")

    with pytest.raises(CommandError, match="Add --yes"):
        call_command("restore", str(path))

    assert User.objects.filter(username="alice").exists()


def test_at_a_terminal_a_restore_asks_and_anything_but_yes_keeps_the_data(
    tmp_path, monkeypatch, capsys
):
    path = tmp_path / "ripple.backup"
    call_command("backup", str(path))
    make_patient("alice")
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "no")

    call_command("restore", str(path))

    assert "Nothing was restored." in capsys.readouterr().out
    assert User.objects.filter(username="alice").exists()


def test_a_restore_from_a_missing_file_says_so(tmp_path):
    with pytest.raises(CommandError, match="There is no backup file at"):
        call_command("restore", str(tmp_path / "nowhere.backup"), yes=True)


def test_a_restore_refuses_a_file_that_is_not_a_backup_and_changes_nothing(tmp_path):
    make_patient("alice")
    path = tmp_path / "notes.txt"
    path.write_text("Questions for the clinic: is the knee pain from the letrozole?")

    with pytest.raises(CommandError, match="is not a Ripple backup"):
        call_command("restore", str(path), yes=True)

    assert User.objects.filter(username="alice").exists()


def test_a_restore_refuses_a_backup_of_the_other_kind_of_database(tmp_path):
    path = tmp_path / "other.backup"
    other = b"PGDMP" if connection.vendor == "sqlite" else b"SQLite format 3\x00"
    path.write_bytes(other + bytes(100))

    with pytest.raises(CommandError, match="backup, and this Ripple uses"):
        call_command("restore", str(path), yes=True)


def test_a_restore_refuses_a_damaged_backup(tmp_path):
    path = tmp_path / "ripple.backup"
    call_command("backup", str(path))
    whole = path.read_bytes()
    Path(path).write_bytes(whole[: len(whole) // 3])
    make_patient("alice")

    with pytest.raises(CommandError, match="could not read|cannot be read"):
        call_command("restore", str(path), yes=True)

    assert User.objects.filter(username="alice").exists()
