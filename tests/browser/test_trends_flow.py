"""The dashboard shows its overview at once and draws real plotly charts as they are
scrolled to, on a phone and a desktop."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.helpers import log_in
from tests.factories import PASSWORD, make_patient
from tracker import demo

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("width", [390, 1280])
def test_the_overview_comes_first_and_charts_draw_when_scrolled_to_without_console_errors(
    browser, live_server, artifacts, width
):
    patient = make_patient("trendy")
    demo.build(patient, today=patient.today())
    context = browser.new_context(viewport={"width": width, "height": 900}, reduced_motion="reduce")
    page = context.new_page()
    errors = []
    page.on(
        "console",
        lambda message: (
            errors.append(message.text) if message.type in ("error", "warning") else None
        ),
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "trendy")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/day/**")

    page.goto(f"{live_server.url}/trends/")
    # The overview is in the first screen, with the switch and what changed after it.
    overview = page.locator("section.overview")
    assert overview.bounding_box()["y"] < 500
    assert "Exemestane" in overview.locator(".ov-marks").first.inner_text()
    assert "Since the switch to Exemestane" in overview.inner_text()
    assert "joint pain or stiffness (severe to mild)" in overview.inner_text()

    page.goto(f"{live_server.url}/trends/?range=all")
    # Charts far down the page are not drawn until they are scrolled to.
    last = page.locator(".chart").last
    page.wait_for_timeout(300)
    assert last.locator("svg.main-svg").count() == 0
    charts = page.locator(".chart")
    for i in range(charts.count()):
        charts.nth(i).scroll_into_view_if_needed()
        charts.nth(i).locator("svg.main-svg").first.wait_for()
    assert page.locator(".chart svg.main-svg").count() >= charts.count()  # every chart drew
    assert "Exemestane" in page.text_content("#chart-worst-pain-joint-pain")  # the switch is marked
    # Drawn, each chart's table folds away.
    assert page.locator("details.chart-table[open]").count() == 0
    page.screenshot(path=str(artifacts / f"trends-all-{width}.png"), full_page=True)

    # A new range through htmx: the URL keeps it, the charts redraw.
    page.get_by_role("link", name="30 days").click()
    page.wait_for_url("**range=30**")
    page.locator('.range-link[aria-current="page"]', has_text="30 days").wait_for()
    page.locator("#chart-worst-pain-joint-pain").scroll_into_view_if_needed()
    page.locator("#chart-worst-pain-joint-pain svg.main-svg").first.wait_for()
    page.go_back()
    page.wait_for_url("**range=all**")

    assert errors == []
    # (axe-core itself sets inline styles while it audits, so it runs last.)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    context.close()

    # Without JavaScript: no empty chart boxes, every table open instead.
    plain = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=False)
    page = plain.new_page()
    log_in(page, live_server.url, "trendy")
    page.wait_for_url("**/day/**")
    page.goto(f"{live_server.url}/trends/?range=all")
    assert page.locator(".chart").first.is_hidden()
    tables = page.locator("details.chart-table")
    assert (
        tables.count() > 0 and page.locator("details.chart-table[open]").count() == tables.count()
    )
    assert page.locator("details.chart-table table").first.is_visible()
    plain.close()
