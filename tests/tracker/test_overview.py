"""The overview at the top of trends and the report: every symptom at a glance."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.urls import reverse

from tests.factories import log, make_patient
from tracker import demo
from tracker.models import Drug, EventKind, TimelineEvent
from tracker.reports.report import build_report
from tracker.text import join
from tracker.trends.dashboard import Marker, read_dashboard
from tracker.trends.overview import Span, _stack, build_overview, level
from tracker.trends.summaries import table_periods, table_rows

START = dt.date(2026, 3, 2)  # a Monday
END = START + dt.timedelta(days=83)  # 12 weeks


def chart(title, values, *, weekly=False):
    return SimpleNamespace(
        series="grade", title=title, values=values, explains=title.lower(),
        summary=SimpleNamespace(weekly=weekly),
        table=table_rows(values, table_periods(START, len(values))),
    )  # fmt: skip


def therapy(name, started_on):
    return SimpleNamespace(display_name=f"{name} (Brand)", started_on=started_on)


def test_lists_are_joined_with_and():
    assert join([]) == ""
    assert join(["a"]) == "a"
    assert join(["a", "b"]) == "a and b"
    assert join(["a", "b", "c"]) == "a, b and c"


def test_a_mean_grade_reads_as_the_nearest_grade_half_up():
    assert [level(v) for v in (None, 0.4, 0.5, 1.49, 2.5, 3.0)] == [None, 0, 1, 1, 3, 3]


def test_each_week_is_a_cell_with_the_average_of_its_days():
    pain = [3] * 7 + [None] * 7 + [1, 2] + [None] * 68
    overview = build_overview(
        charts=[chart("Joint pain", pain)], therapies=[], markers=[], start=START, end=END
    )
    cells = overview.rows[0].cells
    assert len(cells) == 12 and overview.unit == "week"
    assert (cells[0].mean, cells[0].level) == (3, 3)
    assert cells[1].mean is None and cells[1].words == "not logged"
    assert cells[2].words == "moderate (average 1.5)"
    assert cells[0].x == 0 and cells[1].x == pytest.approx(100 / 12, abs=0.01)


def test_the_sentence_tells_what_changed_since_a_switch_of_medicine():
    switch = START + dt.timedelta(days=42)
    pain = [3] * 42 + [1] * 42
    flashes = [1] * 42 + [2] * 42
    sleep = [1] * 84
    overview = build_overview(
        charts=[chart("Joint pain", pain), chart("Hot flashes", flashes), chart("Sleep", sleep)],
        therapies=[therapy("Anastrozole", START - dt.timedelta(days=100)), therapy("Exemestane", switch)],
        markers=[Marker(switch, "Exemestane (Brand)", "therapy", "Exemestane")],
        start=START, end=END,
    )  # fmt: skip
    assert [m.label for m in overview.medicines] == ["Anastrozole", "Exemestane"]
    assert overview.switches[0].x == 50.0
    assert overview.changes == (
        "Since the switch to Exemestane on 13 Apr 2026, compared with the weeks before, "
        "the average grade was lower: joint pain (severe to mild); higher: hot flashes "
        "(mild to moderate). Other symptoms moved less than half a grade."
    )


def test_without_a_switch_the_start_of_the_period_is_compared_with_its_end():
    pain = [0] * 42 + [2] * 42
    overview = build_overview(
        charts=[chart("Joint pain", pain), chart("Sleep", [1] * 84)],
        therapies=[therapy("Letrozole", START - dt.timedelta(days=400))],
        markers=[], start=START, end=END,
    )  # fmt: skip
    assert overview.switches == []
    assert overview.changes.startswith(
        "From the first weeks of this period to the last, compared with the start, "
        "the average grade was higher: joint pain (none to moderate)."
    )


def test_only_the_largest_moves_are_named_and_the_rest_counted():
    charts = [chart(f"Symptom {i}", [0] * 42 + [1 + i % 3] * 42) for i in range(5)]
    overview = build_overview(charts=charts, therapies=[], markers=[], start=START, end=END)
    assert "and 2 more." in overview.changes


def test_an_empty_period_says_so():
    overview = build_overview(
        charts=[chart("Joint pain", [None] * 84)], therapies=[], markers=[], start=START, end=END
    )
    assert overview.changes == "Nothing was logged in this period."


def test_labels_close_together_go_on_separate_lines():
    spans = [Span(0, 30, "Anastrozole", ""), Span(20, 80, "Exemestane", ""), Span(70, 0, "3", "")]
    assert _stack(spans) == 2
    assert [s.line for s in spans] == [0, 1, 0]


def test_a_treatment_is_a_stretch_and_an_appointment_a_mark_on_its_day():
    markers = [
        Marker(START, "Acupuncture", EventKind.SUPPORTIVE_TREATMENT, "1", START + dt.timedelta(days=20)),
        Marker(START + dt.timedelta(days=42), "Clinic", EventKind.APPOINTMENT, "2"),
    ]  # fmt: skip
    overview = build_overview(
        charts=[chart("Joint pain", [1] * 84)], therapies=[], markers=markers, start=START, end=END
    )
    treatment, visit = overview.events
    assert treatment.width == 25.0 and visit.width == 0 and visit.x == 50.0


@pytest.mark.django_db
def test_a_scan_before_the_period_is_not_shown_as_still_going():
    patient = make_patient()
    today = patient.today()
    start = today - dt.timedelta(days=29)
    for kind in (EventKind.BONE_SCAN, EventKind.SUPPORTIVE_TREATMENT):
        TimelineEvent.objects.create(
            patient=patient, kind=kind, title=kind.label, starts_on=start - dt.timedelta(days=60)
        )
    markers = read_dashboard(patient, start=start, end=today).markers
    assert [(m.label.split(" (")[0], m.until) for m in markers] == [
        ("Something to help with side effects", today)
    ]


@pytest.mark.django_db
def test_the_demo_patients_trends_open_on_the_overview_of_the_switch(client):
    patient = make_patient("demo-like")
    demo.build(patient, today=patient.today())
    client.force_login(patient.user)
    text = client.get(reverse("tracker:trends")).text
    overview = text[text.index('<section class="card overview"') :]
    assert text.index("At a glance") < text.index('class="chart js-only"')
    assert ">Exemestane</text>" in overview and ">Anastrozole</text>" in overview
    assert "Since the switch to Exemestane" in overview
    assert "joint pain or stiffness (severe to mild)" in overview


@pytest.mark.django_db
def test_a_link_without_the_medicine_section_shows_no_medicine_on_the_overview(client):
    patient = make_patient()
    today = patient.today()
    patient.therapies.create(drug=Drug.EXEMESTANE, started_on=today - dt.timedelta(days=20))
    for offset in range(30):
        log(
            patient,
            today - dt.timedelta(days=offset),
            "joint-pain",
            frequency=2,
            severity=2,
            interference=1,
        )
    start = today - dt.timedelta(days=29)
    shown = build_report(patient, start=start, end=today, sections=["charts", "therapy"])
    hidden = build_report(patient, start=start, end=today, sections=["charts"])
    assert "Exemestane" in [m.label for m in shown.overview.medicines]
    assert hidden.overview.medicines == [] and hidden.overview.switches == []
    assert build_report(patient, start=start, end=today, sections=["summary"]).overview is None
