"""Measure issue 12's finding 3: another patient's history page, alone and while four
loops ask for report PDFs. (Before the queue: 64 ms alone, 6.7 s under four loops.)

Run with `python3 -m uv run python bench/pdf_load.py` from the project root. It needs
Debian's Chromium (`make chromium`). It builds its own SQLite database in a temporary
folder, with the six-month demo diary for each patient, and serves it as the README
deploys Ripple: gunicorn with 3 workers (DEBUG off, static files collected), and
`manage.py db_worker` beside it, which makes the PDFs. Everything goes over HTTP.

Two kinds of load, each in turns with the page alone (the machine may be shared):
- one patient in four browser tabs, each asking for a PDF of another period,
  following its page as htmx does (a poll every second), downloading it and asking
  again at once: the finding's "one patient can slow everyone", with the limits
  as they are (one at a time, 6 an hour);
- four patients doing the same with the hourly limit lifted: the worker never
  rests, the most it can do to the pages.
"""

import datetime as dt
import http.client
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from http.cookies import SimpleCookie

# Sessions made here are read by the server: the same key signs them.
os.environ["SECRET_KEY"] = "bench-only-" + "k" * 50
os.environ["LOG_LEVEL"] = "WARNING"

from common import ROOT, WORK  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

ROUNDS = 3  # turns of (alone, under load) for each kind of load
SAMPLES = 15  # history pages timed in each turn
GAP = 0.5  # seconds between them: the page is read now and then, as a person does
POLL = 1.0  # as the PDF page's hx-trigger
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    """One signed-in browser tab over plain HTTP: its cookies, nothing else."""

    def __init__(self, port, session):
        self.port = port
        self.cookies = {"sessionid": session}

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        sent = {"Cookie": cookie, **(headers or {})}
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        connection.close()
        return response, content


def pdf_loop(browser, today, stop, counts, lock, offset):
    """Ask for PDFs of ever other periods, one after another, as fast as the page lets."""
    n = offset
    while not stop.is_set():
        n += 4
        start = today - dt.timedelta(days=30 + n % 300)
        path = f"/report/pdf/?start={start}&end={today}"
        response, content = browser.request("GET", path)
        if response.getheader("Content-Type") == "application/pdf":
            continue  # a ready one of that period: sent at once
        token = CSRF.search(content.decode())
        if token is None:  # the one in progress (another tab's): follow it
            status = re.search(r'hx-get="([^"?]+)', content.decode())
            location = status and status.group(1)
            if location is None:  # the page says why none can be made now
                with lock:
                    counts["refused"] += 1
                stop.wait(POLL)
                continue
        else:
            response, content = browser.request(
                "POST", path, body=f"csrfmiddlewaretoken={token.group(1)}"
            )
            location = response.getheader("Location")
            if response.status == 429:  # the hourly limit or the diary busy: wait a bit
                with lock:
                    counts["refused"] += 1
                stop.wait(POLL)
                continue
        while location and not stop.wait(POLL):
            response, content = browser.request("GET", location, headers={"HX-Request": "true"})
            download = re.search(r'href="([^"]+/download/)"', content.decode())
            if download:
                response, content = browser.request("GET", download.group(1))
                assert content.startswith(b"%PDF"), "not a PDF"  # noqa: S101
                with lock:
                    counts["downloaded"] += 1
                break
            if "couldn't make" in content.decode():
                with lock:
                    counts["failed"] += 1
                break


def history_times(browser, samples=SAMPLES):
    times = []
    for _ in range(samples):
        start = time.perf_counter()
        response, _ = browser.request("GET", "/history/")
        times.append((time.perf_counter() - start) * 1000)
        assert response.status == 200, response.status  # noqa: S101
        time.sleep(GAP)
    return times


def under_load(reader, tabs, today, stop_after_samples=SAMPLES):
    """The history page's times while the tabs ask for PDFs; what they got."""
    stop, lock = threading.Event(), threading.Lock()
    counts = {"downloaded": 0, "refused": 0, "failed": 0}
    loops = [
        threading.Thread(target=pdf_loop, args=(tab, today, stop, counts, lock, i), daemon=True)
        for i, tab in enumerate(tabs)
    ]
    for loop in loops:
        loop.start()
    time.sleep(3)  # the first PDF is being made
    times = history_times(reader, stop_after_samples)
    stop.set()
    for loop in loops:
        loop.join()
    return times, counts


def wait_until_idle():
    from tracker.models import ReportPdf

    while ReportPdf.objects.in_progress().exists():
        time.sleep(0.5)


def serve(env, port):
    """gunicorn and the worker; what they log (each 429 refused, Chromium's chatter) goes
    to a file beside the database."""
    log = open(WORK / "servers.log", "a")  # noqa: SIM115 - open while they run
    server = subprocess.Popen(  # noqa: S603 - our own app, as the README deploys it
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "3", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=log, stderr=log,
    )  # fmt: skip
    worker = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "db_worker", "--verbosity", "0", "--interval", "0.5"],
        cwd=ROOT, env=env, stdout=log, stderr=log,
    )  # fmt: skip
    for _ in range(200):
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).connect()
            return server, worker
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start")


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def session_of(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def summary(label, times):
    times = sorted(times)
    p90 = times[int(len(times) * 0.9) - 1]
    return f"{label:44} median {statistics.median(times):7.0f} ms   p90 {p90:7.0f} ms"


def made_pdfs():
    """How the worker did: PDFs made, median seconds each, and whether charts were drawn."""
    import io

    from pypdf import PdfReader

    from tracker.models import ReportPdf

    ready = list(ReportPdf.objects.ready().order_by("finished_at"))
    seconds = [(p.finished_at - p.started_at).total_seconds() for p in ready]
    first = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(ready[0].content)).pages)
    drawn = "could not be drawn" not in first
    return len(ready), statistics.median(seconds), drawn


def main():
    from tests.factories import make_patient
    from tracker import demo

    call_command("migrate", verbosity=0)
    patients = {}
    for name in ["reader", "busy", "ann", "bob", "cy"]:
        patient = make_patient(name)
        patient.trackings.all().delete()  # the demo tracks as onboarding does
        demo.build(patient, today=patient.today())
        patients[name] = patient
    today = patients["reader"].today()

    env = {
        **os.environ,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
    }
    # The hashed names production serves (DEBUG off), as the README deploys.
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    loads = [
        ("one patient, 4 tabs (6 an hour)", ["busy"] * 4, {}),
        ("four patients, 1 tab each (no hourly limit)", ["busy", "ann", "bob", "cy"],
         {"RIPPLE_REPORT_PDFS_PER_HOUR": "100000"}),
    ]  # fmt: skip
    print(f"SQLite in {WORK}; gunicorn, 3 workers; one db_worker; {os.cpu_count()} CPUs")
    for label, names, extra in loads:
        port = free_port()
        server, worker = serve({**env, **extra}, port)
        try:
            reader = Browser(port, session_of(patients["reader"].user))
            tabs = [Browser(port, session_of(patients[name].user)) for name in names]
            history_times(reader, 5)  # warm up
            alone, loaded, totals = [], [], {"downloaded": 0, "refused": 0, "failed": 0}
            for _ in range(ROUNDS):
                alone += history_times(reader)
                times, counts = under_load(reader, tabs, today)
                loaded += times
                totals = {k: totals[k] + counts[k] for k in totals}
                wait_until_idle()
            print(f"\n{label}:")
            print(summary("  history page alone", alone))
            print(summary("  history page while the tabs ask for PDFs", loaded))
            ratio = statistics.median(loaded) / statistics.median(alone)
            made, seconds, drawn = made_pdfs()
            print(
                f"  {ratio:.2f}x; PDFs downloaded {totals['downloaded']}, refused "
                f"{totals['refused']} times, failed {totals['failed']}; made so far {made}, "
                f"median {seconds:.1f} s each in the worker"
                + ("" if drawn else " (Chromium missing: charts as tables)")
            )
        finally:
            for process in (server, worker):
                process.terminate()
                process.wait()
        from tracker.models import ReportPdf

        ReportPdf.objects.all().delete()


if __name__ == "__main__":
    main()
