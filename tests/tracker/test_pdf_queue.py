"""The report as a PDF, made by the background queue: asked for with a button, made by
the worker one at a time per patient and a few an hour, followed on its page, then
downloaded; a share link's PDF is made once for the diary as it is."""

import datetime as dt
import io
import logging

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from tests.factories import give_access, log_day
from tracker.models import AccessLog, PdfStatus, ReportPdf, ShareLink
from tracker.reports import pdf_queue

from .conftest import STAND_IN

pytestmark = pytest.mark.django_db

PDF_URL = reverse("tracker:report-pdf")


def status_url(pdf) -> str:
    return reverse("tracker:report-pdf-status", args=[pdf.pk])


def download_url(pdf) -> str:
    return reverse("tracker:report-pdf-download", args=[pdf.pk])


def period(patient, days=30) -> dict:
    today = patient.today()
    return {"start": (today - dt.timedelta(days=days - 1)).isoformat(), "end": today.isoformat()}


# The patient's own PDF ----------------------------------------------------------------


def test_asking_for_the_pdf_offers_a_button_and_starts_nothing(patient_client, patient):
    response = patient_client.get(PDF_URL, period(patient))

    assert response.status_code == 200
    assert "Make the PDF" in response.text
    assert 'method="post"' in response.text and "csrfmiddlewaretoken" in response.text
    assert "no-store" in response["Cache-Control"]
    assert not ReportPdf.objects.exists() and not DBTaskResult.objects.exists()


def test_the_worker_makes_the_pdf_and_the_page_offers_it(
    patient_client, patient, made_pdfs, ask_for_pdf, run_tasks
):
    log_day(patient, patient.today(), dose="taken")
    response = ask_for_pdf(
        patient_client, PDF_URL, {**period(patient), "paper": "letter"}, run=False
    )

    pdf = ReportPdf.objects.get()
    assert response.status_code == 302 and response["Location"] == status_url(pdf)
    waiting = patient_client.get(status_url(pdf)).text
    assert "Your PDF is being made." in waiting
    assert f'hx-get="{status_url(pdf)}?shown=queued-0"' in waiting
    assert 'hx-trigger="every 1s"' in waiting
    assert f'<a href="{status_url(pdf)}">Check again</a>' in waiting  # without JavaScript
    assert made_pdfs == []  # nothing is made in the request

    run_tasks()

    pdf.refresh_from_db()
    assert pdf.status == PdfStatus.READY and pdf.finished_at is not None
    [(report, paper)] = made_pdfs
    assert (report.patient, report.start, report.end, paper) == (
        patient,
        patient.today() - dt.timedelta(days=29),
        patient.today(),
        "Letter",
    )
    ready = patient_client.get(status_url(pdf)).text
    assert "Your PDF is ready." in ready and "hx-trigger" not in ready
    assert f'href="{download_url(pdf)}"' in ready

    download = patient_client.get(download_url(pdf))
    assert download["Content-Type"] == "application/pdf"
    assert download.content == STAND_IN
    start, end = report.start, report.end
    assert download["Content-Disposition"] == (
        f'attachment; filename="ripple-report-{start}-to-{end}.pdf"'
    )
    assert "alice" not in download["Content-Disposition"]
    assert "no-store" in download["Cache-Control"]


def test_the_same_address_sends_a_ready_pdf_at_once_until_the_diary_changes(
    patient_client, patient, made_pdfs, ask_for_pdf
):
    query = {**period(patient), "sections": ["summary", "notes"]}
    ask_for_pdf(patient_client, PDF_URL, query)

    again = patient_client.get(PDF_URL, query)  # a bookmark, or the button's link
    assert again["Content-Type"] == "application/pdf" and len(made_pdfs) == 1
    # The same report on other paper, or with other sections, is another PDF.
    assert "Make the PDF" in patient_client.get(PDF_URL, {**query, "paper": "letter"}).text
    assert "Make the PDF" in patient_client.get(PDF_URL, period(patient)).text

    log_day(patient, patient.today(), dose="missed")
    assert "Make the PDF" in patient_client.get(PDF_URL, query).text
    patient.refresh_from_db()
    ask_for_pdf(patient_client, PDF_URL, query)
    assert len(made_pdfs) == 2
    patient.visit_notes = "Is the stiffness the medicine?"
    patient.save()
    assert "Make the PDF" in patient_client.get(PDF_URL, query).text


def test_a_second_request_while_one_waits_queues_nothing_more(
    patient_client, patient, made_pdfs, ask_for_pdf
):
    first = ask_for_pdf(patient_client, PDF_URL, period(patient), run=False)
    second = ask_for_pdf(patient_client, PDF_URL, period(patient), run=False)
    other = ask_for_pdf(patient_client, PDF_URL, period(patient, days=90), run=False)

    pdf = ReportPdf.objects.get()
    assert first["Location"] == second["Location"] == other["Location"] == status_url(pdf)
    assert DBTaskResult.objects.count() == 1
    # Asking for another period meanwhile shows the one in progress, and says so.
    page = patient_client.get(PDF_URL, period(patient, days=90)).text
    assert "Your PDF is being made." in page
    assert "This is the PDF asked for a moment ago." in page


def test_polling_answers_204_until_the_progress_changes(
    patient_client, patient, made_pdfs, ask_for_pdf, run_tasks, django_assert_num_queries
):
    ask_for_pdf(patient_client, PDF_URL, period(patient), run=False)
    pdf = ReportPdf.objects.get()
    poll = {"HTTP_HX_REQUEST": "true"}

    # The session, the user with their patient record, the PDF, the queue ahead of it.
    with django_assert_num_queries(4):
        unchanged = patient_client.get(status_url(pdf), {"shown": "queued-0"}, **poll)
    assert unchanged.status_code == 204

    run_tasks()
    fragment = patient_client.get(status_url(pdf), {"shown": "queued-0"}, **poll)
    assert fragment.status_code == 200
    assert fragment.text.lstrip().startswith('<div id="pdf-status">')
    assert "<html" not in fragment.text and "Download the PDF" in fragment.text


def test_a_patient_makes_a_few_pdfs_an_hour_and_is_told_when_the_next_can_be(
    patient_client, patient, made_pdfs, ask_for_pdf, settings
):
    settings.REPORT_PDFS_PER_HOUR = 2
    ask_for_pdf(patient_client, PDF_URL, period(patient, days=10))
    ask_for_pdf(patient_client, PDF_URL, period(patient, days=20))
    # The first was made 40 minutes ago: the next can be made in 20.
    first = ReportPdf.objects.order_by("created_at").first()
    ReportPdf.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=40)
    )

    refused = ask_for_pdf(patient_client, PDF_URL, period(patient, days=30))

    assert refused.status_code == 429
    assert "made 2 times an hour" in refused.text
    assert "You can make another in about 20 minutes." in refused.text
    assert "Make the PDF" not in refused.text
    assert ReportPdf.objects.count() == 2 and len(made_pdfs) == 2
    page = patient_client.get(PDF_URL, period(patient, days=30))
    assert page.status_code == 200 and "about 20 minutes" in page.text
    assert "Make the PDF" not in page.text
    # The ready ones are still sent: the limit is on making.
    assert patient_client.get(PDF_URL, period(patient, days=10))["Content-Type"] == (
        "application/pdf"
    )

    ReportPdf.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=61)
    )
    assert ask_for_pdf(patient_client, PDF_URL, period(patient, days=30)).status_code == 302


def test_a_pdf_that_fails_says_so_kindly_and_logs_no_health_data(
    patient_client, patient, monkeypatch, ask_for_pdf, caplog
):
    def crash(report, **kwargs):
        raise RuntimeError(f"cannot lay out the note {report.notes!r}")

    monkeypatch.setattr("tracker.reports.pdf.render_pdf", crash)
    patient.visit_notes = "My private question"
    patient.save()

    with caplog.at_level(logging.ERROR, logger="tracker.reports.pdf_queue"):
        ask_for_pdf(patient_client, PDF_URL, period(patient))

    pdf = ReportPdf.objects.get()
    assert pdf.status == PdfStatus.FAILED and pdf.content is None
    page = patient_client.get(status_url(pdf)).text
    assert "Ripple couldn't make this PDF." in page and "Try again" in page
    assert "RuntimeError" not in page and "Traceback" not in page
    assert f"Could not make report PDF {pdf.pk}: RuntimeError" in caplog.text
    assert "My private question" not in caplog.text
    assert patient_client.get(download_url(pdf)).status_code == 404
    # Trying again is allowed: a failed PDF blocks nothing.
    assert ask_for_pdf(patient_client, PDF_URL, period(patient), run=False).status_code == 302
    assert ReportPdf.objects.count() == 2


def test_a_pdf_lost_by_a_stopped_worker_is_given_up_and_blocks_nothing(
    patient_client, patient, ask_for_pdf
):
    ask_for_pdf(patient_client, PDF_URL, period(patient), run=False)
    lost = ReportPdf.objects.get()
    ReportPdf.objects.filter(pk=lost.pk).update(
        status=PdfStatus.RUNNING, started_at=timezone.now() - dt.timedelta(minutes=11)
    )

    assert "Make the PDF" in patient_client.get(PDF_URL, period(patient)).text
    assert ask_for_pdf(patient_client, PDF_URL, period(patient), run=False).status_code == 302
    lost.refresh_from_db()
    assert lost.status == PdfStatus.FAILED
    assert ReportPdf.objects.in_progress().count() == 1


def test_a_queue_that_cannot_be_reached_fails_the_pdf_at_once(
    patient_client, patient, monkeypatch, ask_for_pdf
):
    def unreachable(self, task, args, kwargs):
        raise ConnectionError("queue down")

    monkeypatch.setattr("django_tasks_db.backend.DatabaseBackend.enqueue", unreachable)
    response = ask_for_pdf(patient_client, PDF_URL, period(patient), run=False)
    assert ReportPdf.objects.get().status == PdfStatus.FAILED
    assert "couldn't make this PDF" in patient_client.get(response["Location"]).text


def test_the_worker_prunes_pdfs_older_than_a_day(patient_client, patient, made_pdfs, ask_for_pdf):
    ask_for_pdf(patient_client, PDF_URL, period(patient, days=10))
    old = ReportPdf.objects.get()
    ReportPdf.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(days=1, minutes=1)
    )
    ask_for_pdf(patient_client, PDF_URL, period(patient, days=20))
    assert list(ReportPdf.objects.values_list("starts_on", flat=True)) == [
        patient.today() - dt.timedelta(days=19)
    ]


def test_another_patient_gets_404_for_my_pdfs(
    patient_client, patient, other_patient, made_pdfs, ask_for_pdf
):
    ask_for_pdf(patient_client, PDF_URL, period(patient))
    pdf = ReportPdf.objects.get()
    charlie = Client()
    charlie.force_login(other_patient.user)

    assert charlie.get(status_url(pdf)).status_code == 404
    assert charlie.get(status_url(pdf), HTTP_HX_REQUEST="true").status_code == 404
    assert charlie.get(download_url(pdf)).status_code == 404
    # The same address gives charlie his own page, never alice's file.
    assert "Make the PDF" in charlie.get(PDF_URL, period(patient)).text


def test_making_a_pdf_is_a_post_with_a_csrf_token(patient):
    client = Client(enforce_csrf_checks=True)
    client.force_login(patient.user)
    assert client.post(PDF_URL).status_code == 403
    assert not ReportPdf.objects.exists()


# A clinician's PDF ----------------------------------------------------------------------


@pytest.fixture
def linked(clinician, patient):
    return give_access(patient, clinician)


def test_a_clinician_makes_a_pdf_and_its_download_is_logged_for_the_patient(
    clinician_client, clinician, patient, linked, made_pdfs, ask_for_pdf
):
    url = reverse("tracker:clinician-report-pdf", args=[patient.pk])
    assert "Make the PDF" in clinician_client.get(url, period(patient)).text
    response = ask_for_pdf(clinician_client, url, period(patient))

    pdf = ReportPdf.objects.get()
    assert (pdf.asked_by, pdf.clinician, pdf.patient) == ("clinician", clinician, patient)
    status = reverse("tracker:clinician-pdf-status", args=[pdf.pk])
    assert response["Location"] == status
    assert not AccessLog.objects.exists()  # the pages show nothing of the diary
    download = reverse("tracker:clinician-pdf-download", args=[pdf.pk])
    assert f'href="{download}"' in clinician_client.get(status).text
    assert clinician_client.get(download).content == STAND_IN
    assert clinician_client.get(url, period(patient))["Content-Type"] == "application/pdf"
    entries = AccessLog.objects.all()
    assert [(e.clinician, e.what) for e in entries] == [(clinician, "pdf")] * 2


def test_only_the_clinician_who_asked_sees_their_pdf_and_only_while_invited(
    client, clinician_client, clinician, patient, patient_client, linked, made_pdfs, ask_for_pdf
):
    from tests.factories import login_verified, make_user
    from tracker import roles

    ask_for_pdf(clinician_client, reverse("tracker:clinician-report-pdf", args=[patient.pk]))
    pdf = ReportPdf.objects.get()
    pages = [
        reverse("tracker:clinician-pdf-status", args=[pdf.pk]),
        reverse("tracker:clinician-pdf-download", args=[pdf.pk]),
    ]
    colleague = make_user("drwho", role=roles.CLINICIAN)
    give_access(patient, colleague)
    login_verified(client, colleague)
    assert [client.get(page).status_code for page in pages] == [404, 404]
    # Nor does the patient's own address reach it.
    assert patient_client.get(status_url(pdf)).status_code == 404

    linked.end()
    assert [clinician_client.get(page).status_code for page in pages] == [404, 404]


def test_one_patients_pdfs_are_made_one_at_a_time_whoever_asks(
    clinician_client, patient_client, patient, linked, made_pdfs, ask_for_pdf
):
    url = reverse("tracker:clinician-report-pdf", args=[patient.pk])
    ask_for_pdf(clinician_client, url, period(patient), run=False)

    refused = ask_for_pdf(patient_client, PDF_URL, period(patient), run=False)

    assert refused.status_code == 429
    assert "Another PDF of this diary is being made just now." in refused.text
    assert ReportPdf.objects.count() == 1


# A share link's PDF ---------------------------------------------------------------------


def make_link(patient, **kwargs):
    today = patient.today()
    return ShareLink.make(
        patient=patient,
        sections=["summary", "notes"],
        starts_on=today - dt.timedelta(days=20),
        ends_on=today,
        **kwargs,
    )


def test_a_links_pdf_is_made_once_and_then_sent_to_whoever_opens_it(
    patient, made_pdfs, ask_for_pdf
):
    link, token = make_link(patient)
    url = reverse("tracker:shared-report-pdf", args=[token])
    scanner, clinic = Client(), Client()

    assert "Make the PDF" in scanner.get(url).text  # a link scanner's GET makes nothing
    assert not ReportPdf.objects.exists()
    response = ask_for_pdf(clinic, url)
    pdf = ReportPdf.objects.get()
    assert pdf.share_link == link and pdf.sections == ["summary", "notes"]
    status = reverse("tracker:shared-pdf-status", args=[token, pdf.pk])
    assert response["Location"] == status
    download = reverse("tracker:shared-pdf-download", args=[token, pdf.pk])
    assert f'href="{download}"' in clinic.get(status).text

    for client in [clinic, scanner, Client()]:
        sent = client.get(url)
        assert sent["Content-Type"] == "application/pdf" and sent.content == STAND_IN
    assert len(made_pdfs) == 1
    assert AccessLog.objects.filter(share_link=link, what="pdf").count() == 3
    # A POST now sends to the same one.
    assert ask_for_pdf(Client(), url)["Location"] == status and len(made_pdfs) == 1

    log_day(patient, patient.today(), dose="taken")  # the diary changed: a new one
    assert "Make the PDF" in clinic.get(url).text


def test_a_links_pdf_is_not_the_patients_own(patient_client, patient, made_pdfs, ask_for_pdf):
    _, token = make_link(patient)
    ask_for_pdf(Client(), reverse("tracker:shared-report-pdf", args=[token]))
    pdf = ReportPdf.objects.get()
    assert patient_client.get(status_url(pdf)).status_code == 404
    _, other_token = make_link(patient)
    assert (
        Client().get(reverse("tracker:shared-pdf-status", args=[other_token, pdf.pk])).status_code
        == 404
    )


@pytest.mark.parametrize("closed", ["revoked", "expired"])
def test_a_closed_link_cannot_fetch_its_pdf(patient, made_pdfs, ask_for_pdf, closed):
    link, token = make_link(patient)
    ask_for_pdf(Client(), reverse("tracker:shared-report-pdf", args=[token]))
    pdf = ReportPdf.objects.get()
    if closed == "revoked":
        link.revoke()
    else:
        ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now())

    for url in [
        reverse("tracker:shared-report-pdf", args=[token]),
        reverse("tracker:shared-pdf-status", args=[token, pdf.pk]),
        reverse("tracker:shared-pdf-download", args=[token, pdf.pk]),
    ]:
        response = Client().get(url)
        assert response.status_code == 404, url
        assert "This link is no longer valid" in response.text
    assert Client().post(reverse("tracker:shared-report-pdf", args=[token])).status_code == 404
    assert not AccessLog.objects.exists()


def test_a_links_refusals_leave_no_token_in_the_logs(
    patient, made_pdfs, ask_for_pdf, settings, caplog
):
    settings.REPORT_PDFS_PER_HOUR = 1
    _, token = make_link(patient)
    url = reverse("tracker:shared-report-pdf", args=[token])
    ask_for_pdf(Client(), url)
    with caplog.at_level("WARNING", logger="django.request"):
        assert ask_for_pdf(Client(), url, {"paper": "letter"}).status_code == 429
        missing = reverse("tracker:shared-pdf-download", args=[token, 999])
        assert Client().get(missing).status_code == 404
    assert token not in caplog.text


# The real thing --------------------------------------------------------------------------


def test_the_worker_makes_a_real_pdf(patient_client, patient, monkeypatch, ask_for_pdf):
    # Without Chromium, as on a server where it is broken: the charts become tables.
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    for days_ago in range(3):
        log_day(patient, patient.today() - dt.timedelta(days=days_ago), dose="taken")
    ask_for_pdf(patient_client, PDF_URL, period(patient, days=7))

    content = patient_client.get(download_url(ReportPdf.objects.get())).content
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert content.startswith(b"%PDF") and "Medicine taken" in text


def test_the_diary_state_follows_what_the_report_shows(patient):
    before = pdf_queue.diary_state(patient)
    assert pdf_queue.diary_state(patient) == before
    patient.display_name = "Alice L."
    assert pdf_queue.diary_state(patient) != before
