"""The appointment report: its period, sections, summary, notes, CSV and command."""

import csv
import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import log, log_day, make_patient, symptom
from tracker import demo
from tracker.models import (
    ATTRIBUTE_MAXIMUM,
    SITE_ATTRIBUTES,
    Attribute,
    DayLog,
    Drug,
    EventKind,
    OptOut,
    ReportSection,
    SymptomLog,
    TimelineEvent,
)
from tracker.reports.csv import daily_csv
from tracker.reports.report import build_report, default_period

pytestmark = pytest.mark.django_db


def log_pain(patient, date, worst, *, frequency=2):
    log(
        patient,
        date,
        "joint-pain",
        frequency=frequency,
        severity=2,
        interference=1,
        worst_pain=worst,
    )


def test_the_default_period_runs_from_the_last_appointment_else_ninety_days(patient):
    today = patient.today()
    assert default_period(patient, today) == (today - dt.timedelta(days=89), today)
    TimelineEvent.objects.create(
        patient=patient,
        kind=EventKind.APPOINTMENT,
        title="Clinic",
        starts_on=today - dt.timedelta(days=40),
    )
    TimelineEvent.objects.create(
        patient=patient,
        kind=EventKind.APPOINTMENT,
        title="Next",
        starts_on=today + dt.timedelta(days=3),
    )
    assert default_period(patient, today) == (today - dt.timedelta(days=40), today)


def test_the_summary_gives_median_worst_and_days_at_each_grade(patient):
    today = patient.today()
    for offset, worst in enumerate([2, 3, 8, 4]):
        log_pain(patient, today - dt.timedelta(days=offset), worst)
    report = build_report(patient, start=today - dt.timedelta(days=9), end=today)
    row = next(r for r in report.rows if r.title == "Joint pain or stiffness: worst pain (0–10)")
    assert (row.days_logged, row.median, row.worst) == (4, 3.5, 8)
    grade = next(r for r in report.rows if r.title == symptom("joint-pain").name)
    assert grade.is_grade and sum(grade.grade_days) == 4
    assert report.days_logged == 4 and not report.is_empty


def test_adherence_counts_only_the_days_answered(patient):
    today = patient.today()
    doses = ["taken", "taken", "taken", "missed", "unsure", ""]
    for offset, dose in enumerate(doses):
        reason = "forgot" if dose == "missed" else ""
        log_day(patient, today - dt.timedelta(days=offset), dose=dose, missed_reason=reason)
    adherence = build_report(patient, start=today - dt.timedelta(days=9), end=today).adherence
    assert (adherence.taken, adherence.missed, adherence.unsure, adherence.percent) == (3, 1, 1, 60)


def test_the_therapy_lines_tell_the_switch_and_leave_out_courses_that_ended_before(patient):
    today = patient.today()
    patient.therapies.all().delete()
    patient.therapies.create(drug=Drug.LETROZOLE, started_on=today - dt.timedelta(days=400))
    patient.therapies.create(drug=Drug.ANASTROZOLE, started_on=today - dt.timedelta(days=200))
    patient.therapies.create(drug=Drug.EXEMESTANE, started_on=today - dt.timedelta(days=30))
    lines = build_report(patient, start=today - dt.timedelta(days=89), end=today).therapy_lines
    assert len(lines) == 2
    assert lines[0].startswith("Switched to Anastrozole") and "until" in lines[0]
    assert lines[1].startswith("Switched to Exemestane")


def test_the_report_page_shows_the_chosen_sections_only(patient_client, patient):
    log_pain(patient, patient.today(), 5)
    url = reverse("tracker:report")
    page = patient_client.get(url, {"sections": [ReportSection.SUMMARY]}).content.decode()
    assert 'id="r-summary"' in page
    assert 'id="r-charts"' not in page and 'id="r-flags"' not in page
    everything = patient_client.get(url).content.decode()
    for section in ["r-therapy", "r-flags", "r-summary", "r-charts", "r-adherence", "r-notes"]:
        assert f'id="{section}"' in everything


def test_an_empty_period_says_so_instead_of_failing(patient_client):
    response = patient_client.get(reverse("tracker:report"))
    assert response.status_code == 200
    assert "Nothing was logged between" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "note"),
    [
        ({"start": "2026-02-30", "end": "x"}, "recognized"),
        ({"start": "2026-05-01", "end": "2026-04-01"}, "start came after the end"),
        ({"start": "2026-05-01", "end": "2999-01-01"}, "ends today"),
        ({"start": "1850-01-01", "end": "2026-01-01"}, "starts there"),
    ],
)
def test_impossible_periods_fall_back_with_a_note(patient_client, query, note):
    response = patient_client.get(reverse("tracker:report"), query)
    assert response.status_code == 200
    assert note in response.content.decode()


def test_the_report_takes_a_constant_number_of_queries(patient_client, patient):
    url = reverse("tracker:report")
    today = patient.today()
    log_pain(patient, today, 3)
    patient_client.get(url)  # each first look keeps the flags it finds: a write
    with CaptureQueriesContext(connection) as one:
        patient_client.get(url)
    for offset in range(1, 60):
        log_pain(patient, today - dt.timedelta(days=offset), offset % 10)
    patient_client.get(url)
    with CaptureQueriesContext(connection) as sixty:
        patient_client.get(url)
    assert len(one) == len(sixty)


def test_questions_for_the_visit_save_as_typed_and_show_on_the_report(patient_client, patient):
    url = reverse("tracker:report-notes")
    response = patient_client.post(
        url, {"visit_notes": "Ask about duloxetine"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and "Saved" in response.content.decode()
    patient.refresh_from_db()
    assert patient.visit_notes == "Ask about duloxetine"
    assert "Ask about duloxetine" in patient_client.get(reverse("tracker:report")).content.decode()


def test_questions_too_long_are_refused_and_kept_on_the_page(patient_client, patient):
    text = "Why? " * 700
    response = patient_client.post(reverse("tracker:report-notes"), {"visit_notes": text})
    assert response.status_code == 422
    assert "at most 3000 characters" in response.content.decode()
    assert text.strip()[:200] in response.content.decode()
    patient.refresh_from_db()
    assert patient.visit_notes == ""


def test_questions_without_javascript_save_and_return_to_the_report(patient_client, patient):
    response = patient_client.post(reverse("tracker:report-notes"), {"visit_notes": "Knees"})
    assert response.status_code == 302 and response.url.startswith(reverse("tracker:report"))


def stored_cells(row: SymptomLog) -> dict[str, str]:
    """What one symptom-day stores, by question, as the CSV should write it: each number
    as stored, an opt-out in words as the severity answer, each site as 1 or 0."""
    cells = {c: str(v) for c in ATTRIBUTE_MAXIMUM if (v := getattr(row, c)) is not None}
    if row.opt_out:
        cells[Attribute.SEVERITY] = row.get_opt_out_display()
    if row.sites is not None:
        cells.update({site: str(int(site in row.site_list)) for site in SITE_ATTRIBUTES})
    return cells


def test_the_csv_holds_every_stored_value_of_the_period_and_nothing_else(patient):
    today = patient.today()
    demo.build(patient, today=today)
    start = today - dt.timedelta(days=29)
    log_day(patient, today, note="=HYPERLINK(1)")
    rows = list(csv.reader(io.StringIO(daily_csv(patient, start=start, end=today))))
    header, body = rows[0], rows[1:]
    logged = sorted(
        DayLog.objects.for_patient(patient)
        .between(start, today)
        .logged()
        .values_list("date", flat=True)
    )
    assert [row[0] for row in body] == [d.isoformat() for d in logged]
    logs = SymptomLog.objects.for_patient(patient).between(start, today).select_related("symptom")
    assert logs.exists()
    filled = 0
    for symptom_log in logs:
        row = body[logged.index(symptom_log.date)]
        for question, value in stored_cells(symptom_log).items():
            label = Attribute(question).label
            assert row[header.index(f"{symptom_log.symptom.name}: {label}")] == value
            filled += 1
    # Every filled cell is accounted for by an answer or the day's own fields.
    assert sum(1 for row in body for cell in row[5:] if cell) == filled
    assert body[-1][4] == "'=HYPERLINK(1)"  # a spreadsheet won't run it as a formula


def test_the_csv_writes_opt_outs_in_words(patient):
    today = patient.today()
    log(patient, today, "vaginal-dryness", opt_out=OptOut.PREFER_NOT_TO_ANSWER)
    text = daily_csv(patient, start=today, end=today)
    assert "Prefer not to answer" in text


@pytest.mark.parametrize("fmt", ["csv", "fhir"])
def test_the_export_command_writes_the_same_exports(patient, tmp_path, fmt):
    demo.build(patient, today=patient.today())
    output = tmp_path / f"report.{fmt}"
    call_command("export_report", patient="alice", format=fmt, days=30, output=str(output))
    data = output.read_bytes()
    if fmt == "csv":
        today = patient.today()
        assert data.decode() == daily_csv(patient, start=today - dt.timedelta(days=29), end=today)
    else:
        assert b'"resourceType":"Bundle"' in data


def test_the_export_command_says_plainly_what_is_wrong(patient, tmp_path):
    with pytest.raises(CommandError, match="No patient with the username"):
        call_command("export_report", patient="nobody", format="csv", output=str(tmp_path / "x"))
    with pytest.raises(CommandError, match="Could not write"):
        call_command(
            "export_report", patient="alice", format="csv", output=str(tmp_path / "no" / "x")
        )


def test_another_patients_report_exports_are_out_of_reach(patient_client, other_patient):
    """The report has no id in its URL: each patient only ever gets their own."""
    log_day(other_patient, other_patient.today(), note="secret")
    response = patient_client.get(reverse("tracker:report-export", args=["csv"]))
    assert "secret" not in response.content.decode()
    assert patient_client.get(reverse("tracker:report-export", args=["xls"])).status_code == 404


def test_only_patients_have_a_report(client):
    user = make_patient("bob").user
    user.patient.delete()
    client.force_login(user)
    assert client.get(reverse("tracker:report")).status_code == 404


def test_the_largest_changes_against_the_period_before_come_first(patient):
    today = patient.today()
    for offset in range(20):  # worse before, better now
        log_pain(patient, today - dt.timedelta(days=offset), 2 if offset < 10 else 8)
    report = build_report(patient, start=today - dt.timedelta(days=9), end=today)
    first = report.changes[0]
    assert first.key == "worst-pain-joint-pain" and (first.previous, first.average) == (8, 2)
    assert first.moved == pytest.approx(-0.6)
    assert all(abs(r.moved) >= 0.1 for r in report.changes)


def test_with_nothing_before_the_report_says_there_is_nothing_to_compare(patient_client, patient):
    log_pain(patient, patient.today(), 4)
    page = patient_client.get(reverse("tracker:report")).content.decode()
    assert "nothing to compare with" in page


def test_an_unknown_section_keeps_the_dates_that_were_understood(patient_client, patient):
    start = (patient.today() - dt.timedelta(days=10)).isoformat()
    page = patient_client.get(
        reverse("tracker:report"), {"start": start, "sections": ["bogus"]}
    ).content.decode()
    assert f'value="{start}"' in page
    assert "recognized" not in page


def test_the_pdf_comes_on_letter_paper_when_asked(patient_client, made_pdfs, ask_for_pdf):
    url = reverse("tracker:report-pdf")
    ask_for_pdf(patient_client, url, {"paper": "letter"})  # made by the worker
    response = patient_client.get(url, {"paper": "letter"})
    assert response["Content-Disposition"].startswith('attachment; filename="ripple-report-')
    assert "alice" not in response["Content-Disposition"]
    assert [paper for _, paper in made_pdfs] == ["Letter"]


def test_the_name_shown_to_the_care_team_is_the_one_the_patient_gave(patient_client, patient):
    patient.display_name = "Alice L."
    patient.save()
    page = patient_client.get(reverse("tracker:report")).content.decode()
    assert "<bdi>Alice L.</bdi>:" in page


def test_only_clinicians_are_offered_a_patient_list(client):
    from tests.factories import login_verified, make_user
    from tracker import roles

    editor = make_user("ed", role=roles.CONTENT_EDITOR)
    login_verified(client, editor)
    assert "Patients" not in client.get(reverse("education:library")).content.decode()
    doctor = make_user("doc", role=roles.CLINICIAN)
    login_verified(client, doctor)
    assert client.get("/").url == reverse("tracker:clinician-panel")
    assert "Patients" in client.get(reverse("education:library")).content.decode()


def test_a_switch_inside_the_period_is_summed_up_before_and_after(patient):
    today = patient.today()
    patient.therapies.create(drug=Drug.EXEMESTANE, started_on=today - dt.timedelta(days=9))
    for offset in range(20):
        log_pain(patient, today - dt.timedelta(days=offset), 2 if offset < 10 else 7)
    report = build_report(patient, start=today - dt.timedelta(days=19), end=today)
    assert report.switch.drug == Drug.EXEMESTANE
    first = report.since_switch[0]
    assert first.key == "worst-pain-joint-pain" and (first.previous, first.average) == (7, 2)
    page_free = build_report(patient, start=today - dt.timedelta(days=5), end=today)
    assert page_free.switch is None and page_free.since_switch == []


def test_the_report_says_where_the_baseline_comes_from(patient):
    today = patient.today()
    started = patient.therapies.get().started_on
    for offset in range(3, 8):  # 5 days logged before the medicine began: enough
        log_pain(patient, started - dt.timedelta(days=offset), 1)
    log_pain(patient, today, 5)
    report = build_report(patient, start=today - dt.timedelta(days=9), end=today)
    assert report.baseline_text.startswith("before anastrozole")
    first, last = started - dt.timedelta(days=7), started - dt.timedelta(days=3)
    assert f"({first:%d %b %Y} to {last:%d %b %Y})" in report.baseline_text


def test_with_fewer_than_five_days_before_the_medicine_the_baseline_is_the_first_week(patient):
    today = patient.today()
    started = patient.therapies.get().started_on
    log_pain(patient, started - dt.timedelta(days=3), 1)
    log_pain(patient, today, 5)
    report = build_report(patient, start=today - dt.timedelta(days=9), end=today)
    assert report.baseline_text == "still being set, so nothing is compared with it yet"
    for offset in range(1, 6):
        log_pain(patient, today - dt.timedelta(days=offset), 3)
    report = build_report(patient, start=today - dt.timedelta(days=9), end=today)
    first = started - dt.timedelta(days=3)
    assert report.baseline_text.startswith(f"your first week in Ripple ({first:%d %b %Y} to ")


def test_the_report_counts_the_whole_period(patient):
    """Issue 10: days thinking of stopping, severe days per symptom, missed doses by
    reason, where joint pain was felt, hot flashes a day, tamoxifen before, the latest
    bone scan and broken bones."""
    from tests.factories import log, log_day
    from tracker.models import EventKind, TimelineEvent

    today = patient.today()
    patient.prior_tamoxifen = True
    patient.save()
    for n in range(20):
        day = today - dt.timedelta(days=n)
        log_day(patient, day, dose="missed" if n < 3 else "taken",
                missed_reason="side_effects" if n < 2 else ("forgot" if n < 3 else ""),
                considering_stopping=n in (1, 15))  # fmt: skip
        log(patient, day, "joint-pain", frequency=2, severity=4 if n < 4 else 1, interference=1,
            worst_pain=5, sites=["site_knees", "site_hands"] if n % 2 else ["site_knees"])  # fmt: skip
        log(patient, day, "hot-flashes", episodes_mild=2, episodes_moderate=n % 2)
    TimelineEvent.objects.create(patient=patient, kind=EventKind.BONE_SCAN, title="DEXA",
                                 starts_on=today - dt.timedelta(days=100), t_score_spine="-1.8",
                                 t_score_hip="-1.2")  # fmt: skip
    TimelineEvent.objects.create(patient=patient, kind=EventKind.FRACTURE, title="Left wrist",
                                 starts_on=today - dt.timedelta(days=50))  # fmt: skip
    report = build_report(patient, start=today - dt.timedelta(days=29), end=today)
    c = report.counts
    assert c.thinking_of_stopping == 2 and c.prior_tamoxifen is True
    assert c.missed_by_reason == [("Side effects", 2), ("Forgot", 1)] and c.missed == 3
    assert dict(c.severe_days)["Joint pain or stiffness"] == 4
    assert dict(c.joint_sites) == {"Knees": 20, "Hands or fingers": 10}
    assert (c.flashes_a_day, c.flash_days) == (2.5, 20)
    assert str(c.bone_scan.t_score_spine) == "-1.8" and [f.title for f in c.fractures] == [
        "Left wrist"
    ]


def test_the_report_page_shows_the_periods_counts(patient_client, patient):
    from tests.factories import log_day

    today = patient.today()
    log_day(patient, today, dose="missed", missed_reason="forgot", considering_stopping=True)
    text = patient_client.get(reverse("tracker:report")).text
    assert "Missed doses by reason: forgot 1." in text
    assert "Days thinking about stopping because of side effects, over the whole period:" in text
    assert "Took tamoxifen before:" in text and "Latest bone density scan: none recorded" in text
