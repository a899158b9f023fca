import pytest
from django.conf import settings
from django.db import connections
from django.test import Client, override_settings

from tests.factories import login_verified, make_patient, make_user

# The project's hashers (argon2 first), kept for the tests of how passwords are stored.
PROJECT_HASHERS = list(settings.PASSWORD_HASHERS)


def pytest_collection_modifyitems(config, items):
    """SQLite's test database lives in memory unless a test collected for this run
    opens connections from threads of its own (marked `threads`, or a browser test,
    whose live server answers requests side by side): those need the file that
    config/settings.py names, which every connection can open."""
    database = connections["default"].settings_dict
    needs_file = any(
        item.get_closest_marker("threads") or item.get_closest_marker("browser") for item in items
    )
    if database["ENGINE"].endswith("sqlite3") and not needs_file:
        database["TEST"]["NAME"] = None  # Django's default: a shared in-memory database


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing():
    """Argon2 is slow on purpose, and nearly every test makes a user: they get a fast
    hasher. Tests of password storage ask for the `argon2` fixture instead."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with nothing cached: no counts (password resets) or kept PDFs
    carried over from another test."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def english_by_default():
    """Each test starts in English, whatever language an earlier test's request left
    active in this thread (LocaleMiddleware activates one per request)."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def argon2():
    with override_settings(PASSWORD_HASHERS=PROJECT_HASHERS):
        yield


@pytest.fixture
def patient(db):
    return make_patient("alice")


@pytest.fixture
def other_patient(db):
    return make_patient("charlie")


@pytest.fixture
def patient_client(client, patient):
    client.force_login(patient.user)
    return client


@pytest.fixture
def clinician(db):
    from tracker import roles

    return make_user("drlee", role=roles.CLINICIAN, first_name="Grace", last_name="Lee")


@pytest.fixture
def clinician_client(clinician):
    client = Client()
    login_verified(client, clinician)
    return client


@pytest.fixture
def run_tasks(db, monkeypatch):
    """Run the queued background tasks, as `make run`'s worker would, then return."""
    from django.core.management import call_command
    from django_tasks_db.management.commands import db_worker

    # The worker closes idle connections between tasks, as a long-lived process
    # should; inside a test's transaction that would close the test's own.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run():
        call_command("db_worker", batch=True, interval=0, verbosity=0)

    return run
