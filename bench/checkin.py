"""Measure the daily check-in: server time per page and per saved answer, and a
scripted day logged at 390 px in Chromium, one tap per answer.

Run with `python3 -m uv run python bench/checkin.py` from the project root.
It builds its own SQLite database in a temporary folder, so it never touches
db.sqlite3: the server figures on five years of diary with every question answered
every day, the browser's on the six-month demo. Figures go to standard output; the
latest ones are copied by hand into docs/PERFORMANCE.md. --server skips Chromium.
"""

import os
import socket
import statistics
import subprocess
import sys
import time

from common import ROOT, measure, prepare, print_table
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

# A typical bad day, in page order: (question name, option index). One tap each.
DAY = [
    ("joint-pain-frequency", 3), ("joint-pain-severity", 2), ("joint-pain-interference", 2),
    ("joint-pain-worst_pain", 6), ("joint-pain-sites", 0), ("joint-pain-sites", 5),
    ("muscle-aches-frequency", 2), ("muscle-aches-severity", 1), ("muscle-aches-interference", 1),
    ("hot-flashes-frequency", 3), ("hot-flashes-severity", 2),
    ("night-sweats-frequency", 2), ("night-sweats-severity", 1),
    ("vaginal-dryness-severity", 2), ("painful-sex-severity", 5), ("low-sexual-interest-severity", 6),
    ("trouble-sleeping-severity", 2), ("trouble-sleeping-interference", 1),
    ("fatigue-severity", 2), ("fatigue-interference", 1),
    ("anxiety-frequency", 0), ("low-mood-frequency", 1), ("low-mood-severity", 1), ("low-mood-interference", 0),
    ("numbness-tingling-severity", 0), ("limb-swelling-frequency", 0),
    ("day-dose", 0), ("day-considering_stopping", 1),
]  # fmt: skip
FORM = "application/x-www-form-urlencoded"  # as htmx posts (the test client: multipart)


def server_figures(patient):
    client = Client()
    client.force_login(patient.user)
    day = patient.today()
    checkin = reverse("tracker:checkin", args=[day])
    save = reverse("tracker:checkin-symptom", args=[day, "joint-pain"])
    history = reverse("tracker:history")
    # Severity 1 to 4 on a day whose other answers are given: each save changes the
    # grade and the day's figures, the writer's full work (a 0 would skip the rest).
    values = iter(range(10**6))
    return [
        measure("check-in page (GET)", lambda: client.get(checkin)),
        measure("save one answer (htmx POST)", lambda: client.post(save, f"joint-pain-severity={1 + next(values) % 4}", content_type=FORM, HTTP_HX_REQUEST="true")),
        measure("history month (GET)", lambda: client.get(history)),
    ]  # fmt: skip


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def browser_figures(username, password):
    from playwright.sync_api import sync_playwright

    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - runs our own manage.py
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=os.environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=args)
            page = browser.new_page(viewport={"width": 390, "height": 844}, has_touch=True)
            page.goto(f"http://127.0.0.1:{port}/accounts/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", password)
            page.click("main button[type=submit]")
            page.wait_for_url("**/day/**")
            start = time.perf_counter()
            page.goto(f"http://127.0.0.1:{port}/today/")
            load_ms = (time.perf_counter() - start) * 1000
            page.evaluate(
                "window.benchDone = 0;"
                "document.addEventListener('htmx:afterRequest', () => window.benchDone++)"
            )
            round_trips = []
            for done, (name, index) in enumerate(DAY, start=1):
                option = page.locator(f'input[name="{name}"]').nth(index)
                label = page.locator(f'label[for="{option.get_attribute("id")}"]')
                label.scroll_into_view_if_needed()
                start = time.perf_counter()
                label.tap()
                page.wait_for_function("n => window.benchDone >= n", arg=done)
                round_trips.append((time.perf_counter() - start) * 1000)
            height = page.evaluate("document.documentElement.scrollHeight")
            browser.close()
    finally:
        server.terminate()
        server.wait()
    return load_ms, round_trips, height


def main():
    prepare()
    from common import made_up_diary

    from tests.factories import PASSWORD, make_patient
    from tracker import demo
    from tracker.models import Patient

    patient = make_patient("years")
    made_up_diary(patient, days=365 * 5, seed=3)
    patient = Patient.objects.get(pk=patient.pk)
    print(
        f"Database: SQLite, {patient.symptom_logs.count()} symptom-days (every question "
        f"answered) over {patient.day_logs.count()} days"
    )
    print_table(server_figures(patient))
    if "--server" in sys.argv:
        return
    patient = make_patient("bench")
    demo.build(patient, today=patient.today())
    patient.symptom_logs.filter(date=patient.today()).delete()
    load_ms, trips, height = browser_figures("bench", PASSWORD)
    print(f"\nChromium, 390 px wide: page load {load_ms:.0f} ms, page height {height} px")
    print(
        f"{len(trips)} taps for a full day (one per answer); tap-to-'Saved' round trip "
        f"median {statistics.median(trips):.0f} ms, slowest {max(trips):.0f} ms, "
        f"all saves together {sum(trips) / 1000:.1f} s"
    )


if __name__ == "__main__":
    main()
