"""Ripple in Spanish from a Spanish browser: sign up, check in, read the explanation
beside a symptom, open trends and download the PDF, and find no English on the way
(names and references apart)."""

import datetime as dt
import re

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from tests.factories import PASSWORD, log
from tracker.models import Patient

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Words of English that Spanish never uses: one of them on a page is English left over.
ENGLISH = {
    "the",
    "and",
    "your",
    "you",
    "of",
    "with",
    "is",
    "are",
    "was",
    "were",
    "it",
    "its",
    "this",
    "that",
    "these",
    "what",
    "how",
    "when",
    "why",
    "which",
    "who",
    "or",
    "on",
    "in",
    "to",
    "at",
    "by",
    "from",
    "than",
    "for",
    "not",
    "don't",
    "doesn't",
    "isn't",
    "can't",
    "won't",
    "have",
    "has",
    "had",
    "will",
    "would",
    "could",
    "should",
    "been",
    "being",
    "do",
    "does",
    "did",
    "here",
    "there",
    "all",
    "some",
    "more",
    "less",
    "most",
    "about",
    "after",
    "before",
    "since",
    "until",
    "while",
    "day",
    "days",
    "week",
    "weeks",
    "weekly",
    "daily",
    "today",
    "yesterday",
    "month",
    "months",
    "save",
    "saved",
    "log",
    "logged",
    "logging",
    "trends",
    "report",
    "settings",
    "history",
    "help",
    "read",
    "show",
    "hide",
    "make",
    "made",
    "download",
    "change",
    "back",
    "next",
    "previous",
    "none",
    "mild",
    "moderate",
    "severe",
    "pain",
    "average",
    "worse",
    "better",
    "worst",
    "each",
    "every",
    "never",
    "sometimes",
    "often",
    "always",
    "yes",
    "sure",
    "learn",
    "library",
    "out",
    "sign",
    "up",
    "password",
    "name",
    "medicine",
    "symptoms",
    "symptom",
    "notes",
    "note",
    "answer",
    "answers",
    "question",
    "questions",
}

VISIBLE_TEXT = """() => {
  const page = document.body.cloneNode(true);
  // English on purpose, and marked as such (references, an English original), and
  // names: the time zones' places.
  page.querySelectorAll('[lang^="en"], script, style, template, select[name="time_zone"]')
    .forEach(e => e.remove());
  const words = [page.innerText];
  page.querySelectorAll('[aria-label], [title], [placeholder], [alt]').forEach(e => {
    for (const name of ['aria-label', 'title', 'placeholder', 'alt'])
      if (e.hasAttribute(name)) words.push(e.getAttribute(name));
  });
  words.push(document.title);
  return words.join('\\n');
}"""


def english_in(text: str, *, allowed=()) -> list[str]:
    """The lines of `text` with an English word, each with the words found."""
    found = []
    for line in text.splitlines():
        words = set(re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", line.lower())) & ENGLISH
        if words - set(allowed):
            found.append(f"{sorted(words)}: {line.strip()[:120]}")
    return found


# Spanish writes month abbreviations in lower case: "3 dic 2026", never "3 Dic 2026".
CAPITAL_MONTH = re.compile(r"\b\d{1,2} (?:Ene|Feb|Mar|Abr|May|Jun|Jul|Ago|Sep|Oct|Nov|Dic)\b")


def assert_spanish(page, where: str):
    assert page.evaluate("document.documentElement.lang") == "es", where
    text = page.evaluate(VISIBLE_TEXT)
    left = english_in(text)
    assert left == [], f"English on {where}:\n" + "\n".join(left)
    assert CAPITAL_MONTH.findall(text) == [], where


def test_a_spanish_browser_gets_ripple_in_spanish_from_sign_up_to_the_pdf(
    browser, live_server, artifacts
):
    context = browser.new_context(
        locale="es-ES", timezone_id="Europe/Madrid", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(f"{live_server.url}/accounts/signup/")
    assert_spanish(page, "sign-up")
    page.fill("#id_username", "lucia")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.check("#id_privacy")
    page.click("main button[type=submit]")

    page.wait_for_url("**/welcome/")
    assert_spanish(page, "onboarding")
    page.check("#id_therapy-drug_1")  # letrozol
    page.fill("#id_therapy-started_on", "2026-06-01")
    page.check("#id_prior_tamoxifen_1")
    page.click("main button[type=submit]")
    page.wait_for_url("**/day/**")
    patient = Patient.objects.get(user__username="lucia")
    assert patient.user.language == "es"  # kept from the browser at sign-up

    # Some weeks already logged, so trends and the report have something to show.
    today = patient.today()
    for back in range(1, 43):
        day = today - dt.timedelta(days=back)
        log(patient, day, "hot-flashes", frequency=2 + back % 2, severity=2)
        log(patient, day, "joint-pain", frequency=2, severity=1 + back % 3, worst_pain=4)
    page.reload()
    assert_spanish(page, "check-in")

    # Today's hot flashes: the explanation beside them, then the whole topic.
    page.check("#id_hot-flashes-frequency_3")
    page.check("#id_hot-flashes-severity_2")
    explanation = page.locator("#explain-hot-flashes .explanation")
    explanation.wait_for()
    assert "Sofocos" in explanation.inner_text()
    page.wait_for_load_state("networkidle")
    assert_spanish(page, "check-in with an answer")
    page.screenshot(path=str(artifacts / "spanish-checkin-390.png"), full_page=True)
    explanation.get_by_role("link", name="Leer más").click()
    page.wait_for_url("**/learn/hot-flashes/**")
    assert_spanish(page, "the hot flashes topic")
    assert page.locator("h1").inner_text() == "Sofocos"

    page.goto(f"{live_server.url}/trends/")
    page.locator(".overview").first.wait_for()
    assert_spanish(page, "trends")
    page.screenshot(path=str(artifacts / "spanish-trends-390.png"), full_page=True)

    page.goto(f"{live_server.url}/report/")
    assert_spanish(page, "the report")
    page.get_by_role("link", name=re.compile("PDF")).first.click()
    page.get_by_role("button", name="Generar el PDF").click()
    assert_spanish(page, "the PDF page")
    call_command("db_worker", batch=True, interval=0, verbosity=0)
    download_link = page.get_by_role("link", name=re.compile("Descargar"))
    download_link.wait_for(timeout=20_000)
    with page.expect_download() as download:
        download_link.click()
    pdf = PdfReader(download.value.path())
    text = "\n".join(p.extract_text() for p in pdf.pages)
    assert "Sofocos" in text
    left = english_in(text, allowed={"lucia"})
    assert left == [], "English in the PDF:\n" + "\n".join(left)
    assert CAPITAL_MONTH.findall(text) == []
    assert errors == []
    context.close()
