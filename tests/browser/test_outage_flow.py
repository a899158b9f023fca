"""A database outage as a patient lives it: Ripple runs as deployed (gunicorn, production
settings) on a PostgreSQL cluster this test starts itself, then stops mid check-in.
A page gets the kind 503, an answer stays on screen and is sent again until the
database is back, and is then stored once."""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from tests.browser.helpers import log_in

pytestmark = pytest.mark.browser
ROOT = Path(settings.BASE_DIR)
CLUSTER = f"ripple_outage_{os.getpid()}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listens on {port}")


@pytest.fixture
def cluster():
    """A PostgreSQL cluster of the test's own (Debian's tools, as .ci/run installs)."""
    if not shutil.which("pg_createcluster"):
        pytest.fail("pg_createcluster is missing: .ci/run installs Debian's postgresql.")
    version = sorted(os.listdir("/usr/lib/postgresql"), key=float)[-1]
    create, control, drop = (
        shutil.which(f"pg_{verb}cluster") for verb in ("create", "ctl", "drop")
    )
    port = free_port()
    subprocess.run(  # noqa: S603 - Debian's own tools
        [create, version, CLUSTER, "-p", str(port), "--start", "--", "--auth=trust"],
        check=True, capture_output=True,
    )  # fmt: skip

    def ctl(action: str) -> None:
        command = [control, version, CLUSTER, action]
        if action == "stop":
            command += ["-m", "immediate"]  # as a crash would
        subprocess.run(command, check=True, capture_output=True)  # noqa: S603

    try:
        yield port, ctl
    finally:
        subprocess.run(  # noqa: S603
            [drop, version, CLUSTER, "--stop"], check=False, capture_output=True
        )


@pytest.fixture
def ripple(cluster, tmp_path):
    """Ripple on that cluster: migrated, one patient, served by gunicorn as deployed."""
    port, ctl = cluster
    web = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"RIPPLE_NEW_DATABASE"}},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{port}/postgres",
        "DEBUG": "0",
        "SECRET_KEY": "outage-test-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "RIPPLE_STATIC_ROOT": str(tmp_path / "static"),
        "RIPPLE_COMPRESS_STATIC": "0",  # hashed names as deployed, without minutes of gzip
        "GUNICORN_BIND": f"127.0.0.1:{web}",
        "WEB_CONCURRENCY": "2",
    }
    python = sys.executable
    for command in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([python, "manage.py", *command], cwd=ROOT, env=env, check=True)  # noqa: S603
    subprocess.run(  # noqa: S603
        [python, "-c", "import django; django.setup(); "
         "from tests.factories import make_patient; make_patient('alice')"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    server = subprocess.Popen(  # noqa: S603
        [str(Path(python).with_name("gunicorn")), "-c", "config/gunicorn.py", "config.wsgi"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    wait_for_port(web)
    try:
        yield f"http://127.0.0.1:{web}", port, ctl
    finally:
        server.terminate()
        server.wait(timeout=10)


def stored_severity(port: int) -> list[str]:
    out = subprocess.run(  # noqa: S603
        [shutil.which("psql"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-tA", "-c",
         "SELECT l.severity FROM tracker_symptomlog l JOIN tracker_symptom s "
         "ON s.id = l.symptom_id WHERE s.slug = 'fatigue'"],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return out.stdout.split()


def test_an_answer_given_during_an_outage_is_kept_on_screen_and_stored_once_it_ends(
    browser, ripple, artifacts
):
    url, port, ctl = ripple
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    log_in(page, url, "alice")
    page.wait_for_url("**/day/**")
    page.check("#id_fatigue-severity_1")
    page.locator("#status-fatigue .saved").wait_for()
    assert stored_severity(port) == ["1"]

    ctl("stop")
    # A page asked for now gets the kind 503, with a time to try again.
    other = page.context.new_page()
    response = other.goto(f"{url}/history/")
    assert response.status == 503
    assert response.headers["retry-after"] == "30"
    assert "Ripple will be back in a moment" in other.content()
    other.screenshot(path=str(artifacts / "outage-503-390.png"))
    other.close()

    # An answer given now stays on screen and says it will be sent again.
    page.check("#id_fatigue-severity_3")
    page.locator("#status-fatigue >> text=Ripple can't be reached just now").wait_for()
    page.screenshot(path=str(artifacts / "outage-kept-on-screen-390.png"))
    assert page.is_checked("#id_fatigue-severity_3")

    ctl("start")
    page.locator("#status-fatigue .saved").wait_for(timeout=40_000)
    assert stored_severity(port) == ["3"]
    assert page.is_checked("#id_fatigue-severity_3")
