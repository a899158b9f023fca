"""Measure the daily check-in: server time per page and per saved answer, and issue
11's days tapped through at 390 px in Chromium: a quiet day, a bad day on the daily
symptoms plus the dose, and the first weekly check-in, counting taps and the time
from each tap to its "✓ Saved".

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

# Issue 11's days, each a list of taps in page order: (question name, option index)
# for an answer, or a button's text. No typing anywhere.
QUIET_DAY = ["Nothing to report today"]
# A bad day on the default daily symptoms (joint pain, hot flashes, vaginal dryness)
# plus the dose, every question answered: the scales, worst pain, two sites, morning
# stiffness (a usual value), a moderate hot flash.
BAD_DAY = [
    ("joint-pain-frequency", 3),
    ("joint-pain-severity", 2),
    ("joint-pain-interference", 2),
    ("joint-pain-worst_pain", 6),
    ("joint-pain-sites", 0),
    ("joint-pain-sites", 5),
    ("joint-pain-stiffness_minutes", "30"),
    ("hot-flashes-frequency", 3),
    ("hot-flashes-severity", 2),
    "One more: How many moderate ones? (warm and sweaty, but you carried on)",
    ("vaginal-dryness-severity", 2),
    ("day-dose", 0),
]
# The first weekly check-in on the default weekly symptoms (the past 7 days), with
# a few of them not there at all (a 0 skips the rest).
FIRST_WEEK = [
    ("muscle-aches-frequency", 2), ("muscle-aches-severity", 1), ("muscle-aches-interference", 1),
    ("night-sweats-frequency", 2), ("night-sweats-severity", 1),
    ("painful-sex-severity", 5), ("low-sexual-interest-severity", 6),
    ("trouble-sleeping-severity", 2), ("trouble-sleeping-interference", 1),
    ("fatigue-severity", 2), ("fatigue-interference", 1),
    ("anxiety-frequency", 0), ("low-mood-frequency", 1), ("low-mood-severity", 1), ("low-mood-interference", 0),
    ("numbness-tingling-severity", 0), ("limb-swelling-frequency", 0),
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


def tap_through(page, taps) -> list[float]:
    """Tap each answer or button, as a thumb would; the time from each answer's tap to
    its "✓ Saved" beside it (buttons reload the page: their time is the reload's)."""
    page.evaluate(
        "window.benchDone = 0;"
        "document.addEventListener('htmx:afterRequest', () => window.benchDone++)"
    )
    times, saves = [], 0
    for tap in taps:
        if isinstance(tap, str):
            target = page.get_by_role("button", name=tap)
        elif isinstance(tap[1], str):  # a count's usual value: its one-tap button
            name, value = tap
            question = page.locator(f'input[name="{name}"]').locator("xpath=ancestor::fieldset[1]")
            target = question.locator("button.preset", has_text=value)
        else:
            name, index = tap
            option = page.locator(f'input[name="{name}"]').nth(index)
            target = page.locator(f'label[for="{option.get_attribute("id")}"]')
        target.scroll_into_view_if_needed()
        start = time.perf_counter()
        if tap in QUIET_DAY:  # a whole-page post: its time is the page's
            with page.expect_navigation():
                target.tap()
        else:
            target.tap()
            saves += 1
            question = target.locator("xpath=ancestor::fieldset[1]")
            page.wait_for_function("n => window.benchDone >= n", arg=saves)
            question.locator(".saved-here").wait_for()
        times.append((time.perf_counter() - start) * 1000)
    return times


def phone_logged_in(browser, port, username, password):
    """A page at 390 × 844 px with touch, logged in and on today's check-in."""
    page = browser.new_page(viewport={"width": 390, "height": 844}, has_touch=True)
    page.goto(f"http://127.0.0.1:{port}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url("**/day/**")
    return page


def browser_figures(days):
    """Each (username, password, url path, taps): the taps' times, the page's height."""
    from playwright.sync_api import sync_playwright

    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - runs our own manage.py
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=os.environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    results = []
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
            offline = days.pop() if days[-1][0] == "offline" else None
            for username, password, path, taps in days:
                page = phone_logged_in(browser, port, username, password)
                start = time.perf_counter()
                page.goto(f"http://127.0.0.1:{port}{path}")
                load_ms = (time.perf_counter() - start) * 1000
                height = page.evaluate("document.documentElement.scrollHeight")
                results.append((load_ms, height, tap_through(page, taps)))
                page.close()
            if offline:
                results.append(offline_figures(browser, port, *offline))
            browser.close()
    finally:
        server.terminate()
        server.wait()
    return results


def offline_figures(browser, port, username, password, path, taps):
    """The bad day tapped through offline, on the page the service worker kept: the
    offline reload, each tap to its "✓ Kept", then the time from the connection's
    return to "Sent … answers" on screen."""
    page = phone_logged_in(browser, port, username, password)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.reload()  # kept by the worker from now on
    page.context.set_offline(True)
    start = time.perf_counter()
    page.reload()
    load_ms = (time.perf_counter() - start) * 1000
    times = tap_through(page, taps)
    page.context.set_offline(False)
    start = time.perf_counter()
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.locator("text=kept on this device while offline").wait_for()
    sent_ms = (time.perf_counter() - start) * 1000
    page.close()
    return load_ms, sent_ms, times


def main():
    prepare()
    from common import made_up_diary

    from tests.factories import PASSWORD, log, make_patient
    from tracker import demo
    from tracker.models import Patient, Symptom

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
    # Three demo patients, each on the day its scenario needs.
    days = []
    for username, scenario in [("quiet", QUIET_DAY), ("bad", BAD_DAY), ("weekly", FIRST_WEEK)]:
        patient = make_patient(username)
        patient.trackings.all().delete()  # the demo tracks as onboarding does (defaults)
        demo.build(patient, today=patient.today())
        today = patient.today()
        if scenario is FIRST_WEEK:  # today is the weekly day, not yet answered
            patient.weekly_on = today.weekday()
        else:  # the weekly questions were answered earlier this week
            patient.weekly_on = (today.weekday() + 1) % 7
            weekly = [s for s, c in patient.cadences().items() if c == "weekly"]
            for symptom in Symptom.objects.filter(pk__in=weekly):
                log(patient, patient.week_start(today), symptom.slug, **{symptom.attributes[0]: 0})
        patient.save(update_fields=["weekly_on"])
        patient.symptom_logs.filter(date=today).delete()
        patient.day_logs.filter(date=today).delete()
        days.append((username, PASSWORD, "/today/", scenario))
    offline = make_patient("offline")  # the bad day again, offline
    offline.trackings.all().delete()
    demo.build(offline, today=offline.today())
    offline.symptom_logs.filter(date=offline.today()).delete()
    offline.day_logs.filter(date=offline.today()).delete()
    offline.weekly_on = (offline.today().weekday() + 1) % 7
    offline.save(update_fields=["weekly_on"])
    days.append(("offline", PASSWORD, "/today/", BAD_DAY))
    results = browser_figures(days)
    offline_load, sent_ms, offline_times = results.pop()  # browser_figures took its day
    print("\nChromium, 390 px wide, touch taps, no typing:")
    for (username, _, _, taps), (load_ms, height, times) in zip(days, results, strict=True):
        answers = [t for tap, t in zip(taps, times, strict=True) if tap not in QUIET_DAY]
        print(
            f"  {username:7} {len(taps):3d} taps; page load {load_ms:.0f} ms, height {height} px"
            + (f"; tap to '✓ Saved' beside it: median {statistics.median(answers):.0f} ms, slowest {max(answers):.0f} ms" if answers else f"; the tap and its reload: {times[0]:.0f} ms")
        )  # fmt: skip
    print(
        f"  offline {len(BAD_DAY):3d} taps on the kept page (offline reload {offline_load:.0f} ms); "
        f"tap to '✓ Kept': median {statistics.median(offline_times):.0f} ms, slowest "
        f"{max(offline_times):.0f} ms; back online to every answer sent: {sent_ms:.0f} ms"
    )


if __name__ == "__main__":
    main()
