"""Log a severe joint-pain day, see the explanation appear, read more, go academic."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.factories import PASSWORD, make_patient

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_severe_day_brings_the_explanation_and_read_more_opens_the_topic(
    browser, live_server, artifacts
):
    make_patient("jo")
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    page = context.new_page()
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "jo")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/day/**")

    for question, index in [("frequency", 4), ("severity", 3), ("interference", 3)]:
        page.tap(f"label[for=id_joint-pain-{question}_{index}]")
        page.locator("#status-joint-pain .saved").wait_for()
    # A grade-3 day: the rule for "when to talk to your care team" wins.
    explanation = page.locator("#explain-joint-pain .explanation", has_text="when to talk")
    explanation.wait_for()
    page.screenshot(path=str(artifacts / "explanation-390.png"), full_page=False)

    explanation.get_by_role("link", name="Read more").click()
    page.wait_for_url("**/learn/joint-pain/**")
    assert page.locator("h1").inner_text() == "Joint pain and stiffness"
    page.get_by_role("link", name="Academic").click()
    page.wait_for_url("**depth=academic**")
    assert page.locator("#depth-title").inner_text() == "Academic"
    assert page.locator(".references li").count() >= 3
    assert Axe().run(page).violations_count == 0
    page.screenshot(path=str(artifacts / "topic-academic-390.png"), full_page=True)

    # The choice is remembered on the next topic.
    page.goto(f"{live_server.url}/learn/hot-flashes/")
    assert page.locator("#depth-title").inner_text() == "Academic"

    # Hide an explanation (the when-to-talk one never hides): it stays hidden.
    page.goto(f"{live_server.url}/today/")
    page.tap("label[for=id_fatigue-severity_1]")
    hideable = page.locator("#explain-fatigue .explanation")
    hideable.wait_for()
    hideable.get_by_role("button", name="I've read this, hide it").tap()
    hideable.wait_for(state="detached")
    assert errors == []
    context.close()


@pytest.mark.parametrize("width", [360, 1280])
def test_the_library_is_readable_and_accessible(browser, live_server, artifacts, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/learn/")
    assert Axe().run(page).violations_count == 0
    page.screenshot(path=str(artifacts / f"library-{width}.png"), full_page=True)
    page.goto(f"{live_server.url}/learn/ai-vs-tamoxifen/?depth=intermediate")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    overflow = page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    assert not overflow  # no sideways scrolling, tables included
    page.screenshot(path=str(artifacts / f"topic-{width}.png"), full_page=True)
    context.close()
