"""The report as a PDF, from the report page to the download: the page follows the
worker's progress by itself (htmx polling) and offers the file when it is ready."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from tests.browser.helpers import log_in
from tests.factories import make_patient
from tracker import demo

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_patient_asks_for_the_pdf_and_the_page_offers_it_when_the_worker_is_done(
    browser, live_server, artifacts, monkeypatch
):
    # WeasyPrint and Chromium are tested in test_pdf.py; here the page is.
    monkeypatch.setattr(
        "tracker.reports.pdf.render_pdf", lambda report, **kwargs: b"%PDF-1.7 stand-in"
    )
    monkeypatch.setattr("tracker.reports.pdf_charts.BROWSER.warm", lambda: None)
    patient = make_patient("pdfer")
    demo.build(patient, today=patient.today())
    page = browser.new_page(viewport={"width": 390, "height": 844})
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    log_in(page, live_server.url, "pdfer")
    page.wait_for_url("**/day/**")

    page.goto(f"{live_server.url}/report/")
    page.get_by_role("link", name="PDF (Letter)").click()
    page.get_by_text("on Letter paper").wait_for()
    page.get_by_role("button", name="Make the PDF").click()
    page.get_by_text("Your PDF is being made.").wait_for()
    assert Axe().run(page).violations_count == 0
    page.screenshot(path=str(artifacts / "pdf-waiting-390.png"), full_page=True)

    # The worker runs; the page, left alone, notices within its 2-second poll.
    call_command("db_worker", batch=True, interval=0, verbosity=0)
    page.get_by_role("link", name="Download the PDF").wait_for(timeout=10_000)
    assert Axe().run(page).violations_count == 0
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    assert download.value.suggested_filename.startswith("ripple-report-")
    assert errors == []
    page.close()
