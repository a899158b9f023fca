import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.django_db


def _settings_value(expression, **env):
    """Evaluate a settings expression in a fresh process with the given environment."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DEBUG", "SECRET_KEY", "EMAIL_HOST"}
    }
    result = subprocess.run(  # noqa: S603 - our own settings module
        [sys.executable, "-c", f"import config.settings as s; print({expression})"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=True,
    )
    return result.stdout.strip()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite settings")
def test_sqlite_runs_in_wal_mode_with_immediate_transactions_and_a_busy_timeout():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 20_000
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_database_url_chooses_the_engine():
    assert _settings_value('s.DATABASES["default"]["ENGINE"]') == "django.db.backends.sqlite3"
    engine = _settings_value(
        's.DATABASES["default"]["ENGINE"]', DATABASE_URL="postgres://ripple@db.internal:5432/ripple"
    )
    assert engine == "django.db.backends.postgresql"


def test_production_trusts_no_host_and_sends_mail_by_smtp_unless_told():
    production = {"DEBUG": "0", "SECRET_KEY": "x" * 60}
    assert _settings_value("s.ALLOWED_HOSTS", **production) == "[]"
    assert "smtp" in _settings_value('s.MAILERS["default"]["BACKEND"]', **production)
    assert "console" in _settings_value('s.MAILERS["default"]["BACKEND"]')
    assert (
        _settings_value("s.SESSION_COOKIE_SECURE and s.CSRF_COOKIE_SECURE", **production) == "True"
    )
