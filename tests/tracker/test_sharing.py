"""Share links: a read-only report anyone with the link may open, until it expires
or the patient closes it; every opening is written where the patient reads it."""

import datetime as dt
import re

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import log, log_day, make_patient
from tracker.models import (
    AccessLog,
    Baseline,
    DayLog,
    ReportSection,
    ShareLink,
    SymptomLog,
    digest,
    new_secret,
)

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) RippleTestBrowser/1.0"
IP = "203.0.113.9"


@pytest.fixture
def patient(db):
    return make_patient("alice", first_name="Alice", last_name="Liddell")


@pytest.fixture
def anonymous():
    return Client()


def day(d: dt.date) -> str:
    """A date as the pages write it ("j M Y")."""
    return f"{d.day} {d:%b %Y}"


def make_link(patient, *, sections=None, days_ago=(20, 10), **kwargs):
    today = patient.today()
    return ShareLink.make(
        patient=patient,
        sections=sections or list(ReportSection.values),
        starts_on=today - dt.timedelta(days=days_ago[0]),
        ends_on=today - dt.timedelta(days=days_ago[1]),
        **kwargs,
    )


def shared_url(token: str) -> str:
    return reverse("tracker:shared-report", args=[token])


def post_new_link(client, **data):
    today = dt.date.today()
    fields = {
        "days_valid": "14",
        "sections": list(ReportSection.values),
        "start": (today - dt.timedelta(days=89)).isoformat(),
        "end": today.isoformat(),
        **data,
    }
    return client.post(reverse("tracker:share-new"), fields)


def token_in(page: str) -> str:
    match = re.search(r'value="http://testserver/r/([^/"]+)/"', page)
    assert match, "the page shows no share link"
    return match.group(1)


def without_per_response_values(page: str) -> str:
    """The page less its CSRF token and CSP nonces, which change with every response."""
    return re.sub(
        r'"X-CSRFToken": "[^"]*"|nonce="[^"]*"|csrfmiddlewaretoken" value="[^"]*"', "", page
    )


# Making a link ------------------------------------------------------------------


def test_making_a_link_keeps_only_a_hash_of_a_long_random_token(patient_client, patient):
    response = post_new_link(patient_client, sections=["summary"])
    link = ShareLink.objects.get(patient=patient)
    assert response.status_code == 302
    assert response["Location"] == reverse("tracker:share-detail", args=[link.pk])

    token = token_in(patient_client.get(response["Location"]).text)
    # URL-safe base64: six bits a character, so 22 characters or more hold 128 bits.
    assert re.fullmatch(r"[A-Za-z0-9_-]{22,}", token)
    assert link.token_hash == digest(token) and len(link.token_hash) == 64

    post_new_link(patient_client)
    second = ShareLink.objects.exclude(pk=link.pk).get()
    assert second.token_hash != link.token_hash

    # Once the page has shown it, the token is nowhere in the database, sessions included.
    for model in apps.get_models():
        for row in model.objects.values():
            assert token not in repr(row), model
    for session in Session.objects.all():
        assert token not in repr(session.get_decoded())


def test_the_new_link_and_its_qr_code_are_shown_only_once(patient_client, patient):
    detail = post_new_link(patient_client)["Location"]

    first = patient_client.get(detail)
    token = token_in(first.text)
    assert "Your link is ready" in first.text
    assert re.search(r'<div class="qr"><svg[^>]*>.*</svg></div>', first.text, re.S)
    assert patient_client.get(shared_url(token)).status_code == 200

    again = patient_client.get(detail)
    assert again.status_code == 200
    assert token not in again.text
    assert "<svg" not in again.text and "Your link is ready" not in again.text


def test_the_link_is_made_for_the_chosen_period_sections_validity_and_name(patient_client, patient):
    today = patient.today()
    post_new_link(
        patient_client,
        start=(today - dt.timedelta(days=30)).isoformat(),
        end=(today - dt.timedelta(days=2)).isoformat(),
        sections=["flags", "adherence"],
        days_valid="7",
        label="Dr Lee, March",
    )
    link = ShareLink.objects.get(patient=patient)
    assert (link.starts_on, link.ends_on) == (
        today - dt.timedelta(days=30),
        today - dt.timedelta(days=2),
    )
    assert link.sections == ["flags", "adherence"]
    assert link.label == "Dr Lee, March"
    expected = timezone.now() + dt.timedelta(days=7)
    assert abs(link.expires_at - expected) < dt.timedelta(minutes=1)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"days_valid": "5"}, "Select a valid choice"),
        ({"days_valid": ""}, "This field is required"),
        ({"start": "2026-02-30"}, "Enter a valid date"),
        ({"label": "x" * 81}, "Ensure this value has at most 80 characters"),
    ],
)
def test_bad_input_on_the_form_is_refused_with_a_message(patient_client, data, message):
    response = post_new_link(patient_client, **data)
    assert response.status_code == 422
    assert message in response.text
    assert not ShareLink.objects.exists()


def test_an_unknown_section_is_refused_with_a_message(patient_client):
    response = post_new_link(patient_client, sections=["summary", "secrets"])
    assert response.status_code == 422
    assert not ShareLink.objects.exists()
    assert "Select a valid choice" in response.text


def test_an_unknown_section_makes_no_link_and_no_error_page(patient_client):
    response = post_new_link(patient_client, sections=["summary", "secrets"])
    assert response.status_code == 422
    assert "Share your report with a link" in response.text
    assert not ShareLink.objects.exists()


def test_an_end_before_the_start_is_refused_so_no_more_is_shared_than_chosen(patient_client):
    today = dt.date.today()
    response = post_new_link(
        patient_client,
        start=(today - dt.timedelta(days=3)).isoformat(),
        end=(today - dt.timedelta(days=10)).isoformat(),
    )
    assert response.status_code == 422
    assert "The end comes before the start" in response.text
    assert not ShareLink.objects.exists()


def test_a_link_cannot_reach_past_today(patient_client, patient):
    today = patient.today()
    post_new_link(
        patient_client,
        start=(today - dt.timedelta(days=5)).isoformat(),
        end=(today + dt.timedelta(days=30)).isoformat(),
    )
    link = ShareLink.objects.get(patient=patient)
    assert (link.starts_on, link.ends_on) == (today - dt.timedelta(days=5), today)


def test_the_form_is_shown_with_the_reports_period(patient_client):
    response = patient_client.get(reverse("tracker:share-new"))
    assert response.status_code == 200
    assert 'name="days_valid"' in response.text


def test_nonsense_in_the_forms_address_still_shows_the_form(patient_client):
    response = patient_client.get(
        reverse("tracker:share-new"),
        {"start": "yesterday", "end": "2026-99-99", "sections": "secrets", "days_valid": "x"},
    )
    assert response.status_code == 200
    assert "Those dates weren" in response.text


# Opening a link -----------------------------------------------------------------


def test_anyone_with_the_link_reads_the_report_for_its_period_and_sections_only(patient, anonymous):
    today = patient.today()
    patient.visit_notes = "Ask about the knee that clicks"
    patient.save()
    for offset, dose in [(25, "missed"), (15, "taken"), (12, "taken"), (5, "missed")]:
        DayLog.objects.create(patient=patient, date=today - dt.timedelta(days=offset), dose=dose)
    link, token = make_link(patient, sections=["adherence", "summary"])

    response = anonymous.get(shared_url(token))

    assert response.status_code == 200
    text = response.text
    assert f"<bdi>Alice Liddell</bdi>: {day(link.starts_on)} to {day(link.ends_on)}" in text
    assert "2 of 11 days logged" in text
    # Only the two days inside the period count: the missed doses fall outside it.
    assert "taken 2, missed 0, not sure 0" in text
    assert 'id="r-adherence"' in text and 'id="r-summary"' in text
    for left_out in ("r-notes", "r-flags", "r-therapy", "r-charts"):
        assert f'id="{left_out}"' not in text
    assert "knee that clicks" not in text and "Anastrozole" not in text
    # Read-only: nothing on the page can change anything; its one form turns the
    # reader's own language.
    assert re.findall(r'<form method="post" action="([^"]*)"', text) == [reverse("choose-language")]


def test_the_shared_report_is_kept_out_of_caches_and_search_engines(patient, anonymous):
    _, token = make_link(patient)
    response = anonymous.get(shared_url(token))
    assert "no-store" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]


def test_each_opening_is_logged_with_time_ip_and_browser_for_the_patient(
    patient_client, patient, anonymous
):
    link, token = make_link(patient, label="Dr Lee")
    before = timezone.now()

    anonymous.get(shared_url(token), REMOTE_ADDR=IP, HTTP_USER_AGENT=BROWSER)

    opening = AccessLog.objects.get()
    assert before <= opening.at <= timezone.now()
    assert (opening.patient, opening.share_link, opening.clinician) == (patient, link, None)
    assert (opening.what, opening.ip, opening.browser) == ("report", IP, BROWSER)
    assert "Dr Lee" in opening.who

    detail = patient_client.get(reverse("tracker:share-detail", args=[link.pk])).text
    assert IP in detail and BROWSER in detail and "the report" in detail
    assert "Nobody has opened it yet" not in detail


def test_a_very_long_browser_name_is_cut_short_not_refused(patient, anonymous):
    _, token = make_link(patient)
    response = anonymous.get(shared_url(token), HTTP_USER_AGENT="Agent/" + "x" * 1000)
    assert response.status_code == 200
    assert AccessLog.objects.get().browser == ("Agent/" + "x" * 1000)[:300]


def test_a_forged_forwarded_for_header_does_not_hide_the_real_address(patient, anonymous):
    _, token = make_link(patient)
    anonymous.get(shared_url(token), REMOTE_ADDR=IP, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert AccessLog.objects.get().ip == IP


def test_opening_the_pdf_is_logged_too(patient_client, patient, anonymous, made_pdfs, ask_for_pdf):
    link, token = make_link(patient)
    ask_for_pdf(anonymous, reverse("tracker:shared-report-pdf", args=[token]))

    response = anonymous.get(
        reverse("tracker:shared-report-pdf", args=[token]), REMOTE_ADDR=IP, HTTP_USER_AGENT=BROWSER
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content == b"%PDF-1.7 stand-in"
    assert "no-store" in response["Cache-Control"]
    opening = AccessLog.objects.get()
    assert (opening.share_link, opening.what, opening.ip, opening.browser) == (
        link,
        "pdf",
        IP,
        BROWSER,
    )
    detail = patient_client.get(reverse("tracker:share-detail", args=[link.pk])).text
    assert "the report as PDF" in detail


def closed_link_url(patient, case: str) -> str:
    """The address of a link that can't be opened, one way or another."""
    link, token = make_link(patient)
    if case == "revoked":
        link.revoke()
    elif case == "revoked pdf":
        link.revoke()
        return reverse("tracker:shared-report-pdf", args=[token])
    elif case == "expired":
        ShareLink.objects.filter(pk=link.pk).update(
            expires_at=timezone.now() - dt.timedelta(minutes=1)
        )
    elif case == "expired pdf":
        ShareLink.objects.filter(pk=link.pk).update(
            expires_at=timezone.now() - dt.timedelta(minutes=1)
        )
        return reverse("tracker:shared-report-pdf", args=[token])
    elif case == "unknown":
        return shared_url(new_secret())
    elif case == "its hash":  # a leaked table opens nothing
        return shared_url(link.token_hash)
    elif case == "truncated":
        return shared_url(token[:-1])
    elif case == "another format":
        return shared_url(token) + "csv/"
    else:
        return case
    return shared_url(token)


@pytest.mark.parametrize(
    "case",
    [
        "revoked",
        "revoked pdf",
        "expired",
        "expired pdf",
        "unknown",
        "its hash",
        "truncated",
        "another format",
        "/r/x/",
        "/r/%00/",
        "/r/a/b/c/",
        "/r/",
        "/r/" + "a" * 500 + "/",
        "/r/%F0%9F%94%91" * 10 + "/",
    ],
)
def test_a_link_that_cannot_be_opened_gets_the_same_kind_page_and_reveals_nothing(
    patient, anonymous, case
):
    reference = anonymous.get("/r/x/")
    url = closed_link_url(patient, case)
    link = ShareLink.objects.first()

    response = anonymous.get(url)

    assert response.status_code == 404
    assert "This link is no longer valid" in response.text
    assert without_per_response_values(response.text) == without_per_response_values(reference.text)
    assert "no-store" in response["Cache-Control"]
    for secret in ("Alice", "Liddell", "alice", day(link.starts_on), day(link.ends_on)):
        assert secret not in response.text
    assert not AccessLog.objects.exists()


def test_a_link_copied_without_its_last_slash_still_opens(patient, anonymous):
    _, token = make_link(patient)
    response = anonymous.get(f"/r/{token}", follow=True)
    assert response.status_code == 200
    assert "Alice Liddell" in response.text


# Closing a link -----------------------------------------------------------------


def test_closing_a_link_takes_effect_at_once(patient_client, patient, anonymous):
    link, token = make_link(patient)
    assert anonymous.get(shared_url(token)).status_code == 200

    response = patient_client.post(reverse("tracker:share-revoke", args=[link.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("tracker:share-list")
    link.refresh_from_db()
    assert link.status == "revoked"
    assert anonymous.get(shared_url(token)).status_code == 404
    assert "Closed on" in patient_client.get(reverse("tracker:share-detail", args=[link.pk])).text


def test_closing_a_closed_link_again_keeps_the_first_closing_time(patient_client, patient):
    link, _ = make_link(patient)
    link.revoke()
    first = ShareLink.objects.get().revoked_at
    patient_client.post(reverse("tracker:share-revoke", args=[link.pk]))
    assert ShareLink.objects.get().revoked_at == first


def test_a_get_cannot_close_a_link(patient_client, patient, anonymous):
    link, token = make_link(patient)
    response = patient_client.get(reverse("tracker:share-revoke", args=[link.pk]))
    assert response.status_code == 405
    assert ShareLink.objects.get().status == "open"
    assert anonymous.get(shared_url(token)).status_code == 200


def test_a_post_without_a_csrf_token_is_refused(patient):
    link, _ = make_link(patient)
    client = Client(enforce_csrf_checks=True)
    client.force_login(patient.user)

    assert post_new_link(client).status_code == 403
    assert client.post(reverse("tracker:share-revoke", args=[link.pk])).status_code == 403
    assert ShareLink.objects.get().status == "open"


def test_another_patient_gets_404_on_a_links_detail_and_close(client, patient, anonymous):
    link, token = make_link(patient, label="For Dr Lee")
    client.force_login(make_patient("charlie").user)

    assert client.get(reverse("tracker:share-detail", args=[link.pk])).status_code == 404
    assert client.post(reverse("tracker:share-revoke", args=[link.pk])).status_code == 404
    assert "For Dr Lee" not in client.get(reverse("tracker:share-list")).text
    assert ShareLink.objects.get().status == "open"
    assert anonymous.get(shared_url(token)).status_code == 200


@pytest.mark.parametrize("name", ["share-list", "share-new"])
def test_anonymous_visitors_are_sent_to_log_in_from_the_share_pages(anonymous, name):
    response = anonymous.get(reverse(f"tracker:{name}"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_new_links_token_is_shown_on_that_links_page_only(patient_client, patient):
    older, _ = make_link(patient)
    post_new_link(patient_client)  # the redirect to the new link's page is not followed

    page = patient_client.get(reverse("tracker:share-detail", args=[older.pk])).text
    assert "Your link is ready" not in page and "<svg" not in page


# The list of links --------------------------------------------------------------


def test_the_list_shows_each_link_with_its_status_and_openings(patient_client, patient, anonymous):
    _, open_token = make_link(patient, label="Dr Lee, March")
    closed, _ = make_link(patient, label="Physio")
    closed.revoke()
    expired, _ = make_link(patient, label="GP")
    ShareLink.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    anonymous.get(shared_url(open_token))
    anonymous.get(shared_url(open_token))

    text = patient_client.get(reverse("tracker:share-list")).text
    # From the page's main part: the CSRF token in the head is random, and may hold "GP".
    text = text[text.index("<main") :]

    rows = {label: text[text.index(label) :][:600] for label in ("Dr Lee, March", "Physio", "GP")}
    assert "open until" in rows["Dr Lee, March"] and "opened 2 times" in rows["Dr Lee, March"]
    assert "closed" in rows["Physio"] and "opened 0 times" in rows["Physio"]
    assert "expired" in rows["GP"] and "opened 0 times" in rows["GP"]
    # Only the open link can still be closed.
    assert text.count('action="/sharing/') == 1


def test_the_list_runs_the_same_number_of_queries_however_many_links(
    patient_client, patient, anonymous
):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert patient_client.get(reverse("tracker:share-list")).status_code == 200
        return len(queries)

    _, token = make_link(patient)
    anonymous.get(shared_url(token))
    one = count()
    for _ in range(4):
        _, token = make_link(patient)
        anonymous.get(shared_url(token))
        anonymous.get(shared_url(token))
    assert count() == one


def test_the_shared_report_runs_the_same_number_of_queries_as_days_grow(patient, anonymous):
    today = patient.today()

    def count(days: int) -> int:
        SymptomLog.objects.all().delete()
        Baseline.objects.all().delete()
        DayLog.objects.all().delete()
        for n in range(days):
            log_day(patient, today - dt.timedelta(days=n), dose="taken")
            log(patient, today - dt.timedelta(days=n), "fatigue", severity=n % 4, interference=1)
            log(patient, today - dt.timedelta(days=n), "joint-pain",
                frequency=2, severity=2, interference=1, worst_pain=n % 11)  # fmt: skip
        _, token = make_link(patient, days_ago=(days, 0))
        anonymous.get(shared_url(token))  # each first look keeps the flags it finds: a write
        with CaptureQueriesContext(connection) as queries:
            assert anonymous.get(shared_url(token)).status_code == 200
        return len(queries)

    assert count(3) == count(120)


# What a link leaves out, and what the review found ----------------------------------


def test_a_link_without_medicine_taken_shows_no_adherence_anywhere(patient, anonymous):
    day = patient.today() - dt.timedelta(days=15)
    log_day(patient, day, dose="missed", missed_reason="forgot")
    log(patient, day, "fatigue", severity=2, interference=2)  # graded 2
    _, token = make_link(patient, sections=[ReportSection.CHARTS])
    page = anonymous.get(shared_url(token)).text
    assert "Medicine taken" not in page and 'id="r-adherence"' not in page
    assert "Tiredness or low energy" in page  # the chart that was chosen


def test_a_link_opens_when_a_symptom_was_logged_without_a_grade(patient, anonymous):
    # Worst pain alone: joint pain is logged that day, but has no grade.
    log(patient, patient.today() - dt.timedelta(days=15), "joint-pain", worst_pain=5)
    _, token = make_link(patient, sections=[ReportSection.CHARTS])
    response = anonymous.get(shared_url(token))
    assert response.status_code == 200
    assert "Joint pain or stiffness: worst pain (0–10)" in response.text


def test_a_link_made_with_nothing_ticked_is_refused(patient_client):
    response = post_new_link(patient_client, sections=[])
    assert response.status_code == 422
    assert "Choose at least one part of the report to share" in response.text
    assert not ShareLink.objects.exists()


def test_a_link_with_a_start_in_the_future_is_refused(patient_client):
    start = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    response = post_new_link(patient_client, start=start)
    assert response.status_code == 422
    assert "The start is in the future" in response.text


def test_a_link_to_an_old_period_tells_no_later_news(patient, anonymous):
    patient.therapies.create(drug="exemestane", started_on=patient.today() - dt.timedelta(days=2))
    _, token = make_link(patient, sections=[ReportSection.THERAPY])
    page = anonymous.get(shared_url(token)).text
    assert "Exemestane" not in page
    assert "Anastrozole" in page and "Started Anastrozole (Arimidex) on " in page
    assert not re.search(r"Started Anastrozole[^<]*until", page)


def test_the_page_with_a_new_link_is_kept_by_no_cache(patient_client):
    response = post_new_link(patient_client)
    detail = patient_client.get(response["Location"])
    assert "no-store" in detail["Cache-Control"]
    assert (
        'title="QR code of your link"' in detail.text
        or "<title>QR code of your link</title>" in detail.text
    )


def test_a_links_pdf_is_made_once_for_a_burst_of_openings(
    patient, anonymous, made_pdfs, ask_for_pdf
):
    _, token = make_link(patient)
    url = reverse("tracker:shared-report-pdf", args=[token])
    for _ in range(3):
        ask_for_pdf(anonymous, url)
        assert anonymous.get(url)["Content-Type"] == "application/pdf"
    assert len(made_pdfs) == 1
    assert AccessLog.objects.filter(what="pdf").count() == 3  # each opening still logged
    ask_for_pdf(anonymous, url, {"paper": "letter"})
    assert made_pdfs[-1][1] == "Letter"


@pytest.mark.parametrize(
    ("dates", "message"),
    [
        ({"start": ""}, "Choose the first day to share."),
        ({"end": ""}, "Choose the last day to share."),
        ({"start": "1990-01-01", "end": "1995-01-01"}, "Ripple&#x27;s diary starts in 2000"),
    ],
)
def test_a_link_shares_exactly_the_days_chosen_or_none(patient_client, dates, message):
    response = post_new_link(patient_client, **dates)
    assert response.status_code == 422
    assert message in response.text
    assert not ShareLink.objects.exists()


def test_a_links_stored_pdf_cannot_be_dodged_and_follows_new_notes(
    patient, anonymous, made_pdfs, ask_for_pdf
):
    _, token = make_link(patient)
    url = reverse("tracker:shared-report-pdf", args=[token])
    for paper in ["1", "2", "a4", ""]:
        ask_for_pdf(anonymous, url, {"paper": paper})
    assert len(made_pdfs) == 1  # every unknown paper is A4, one stored PDF
    patient.visit_notes = "A new question"
    patient.save()
    ask_for_pdf(anonymous, url)
    assert made_pdfs[-1][0].notes == "A new question"


def test_a_dead_link_leaves_no_token_in_the_logs(anonymous, caplog):
    with caplog.at_level("WARNING", logger="django.request"):
        anonymous.get(shared_url("x" * 40 + "TYPO"))
    assert "TYPO" not in caplog.text
