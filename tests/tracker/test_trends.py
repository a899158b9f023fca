"""Trend charts and their words: pure functions first, then the pages."""

import datetime as dt
import json

import pytest
from django.urls import reverse

from tests.factories import symptom
from tracker.models import AnswerStatus, DayLog, TimelineEvent, save_answers, save_day_fields
from tracker.trends import charts, dashboard, flags
from tracker.trends.flags import FlagContext
from tracker.trends.forms import RangeForm
from tracker.trends.series import DayRow, column_baseline, columns, rolling_mean
from tracker.trends.summaries import summarize

D = dt.date(2026, 6, 1)
ANSWERED = AnswerStatus.ANSWERED


def row(offset, dose="taken", stopping=None, **scores):
    return DayRow(D + dt.timedelta(days=offset), dose, stopping, scores)


# Chart functions -------------------------------------------------------------


def test_columns_hold_every_series_with_gaps_where_nothing_was_logged():
    days = [
        row(0, worst_pain=3, grades={"fatigue": 2}, episodes=[2, 1, 1]),
        row(2, worst_pain=5, dose="missed"),
    ]
    cols = columns(days, D, 4, ["fatigue"])
    assert cols["worst_pain"] == [3, None, 5, None]
    assert cols["fatigue"] == [2, None, None, None]
    assert cols["dose"] == ["taken", None, "missed", None]
    # Hot-flash score: episodes × weighted severity = mild + 2 × moderate + 3 × severe.
    assert (cols["flash_count"][0], cols["flash_score"][0]) == (4, 2 + 2 + 3)
    assert cols["flash_score"][2] is None


def test_the_rolling_mean_averages_the_logged_days_of_each_week():
    values = [2, None, 4, 6, 6, 6, 6, 6, 6]
    means = rolling_mean(values)
    assert means[:5] == [None, None, None, None, 4.5]  # 4 of 7 days logged at least
    assert means[7] == 5.7  # days 1-7: 4, 6, 6, 6, 6, 6 (day 1 missing): 34 / 6, rounded
    assert rolling_mean(values, skip=7) == means[7:]
    assert rolling_mean([None, None]) == [None, None]
    assert rolling_mean([1, None, None, None, None, None, 5, 5, 5, 5]) == [
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        5.0,
    ]  # after a gap, the average waits for 4 days logged in the week


def test_the_baseline_is_the_first_seven_logged_days_or_those_before_therapy():
    column = [None, 1, 1, 1, 1, 1, 1, 1, 9, 9]
    assert column_baseline(column, None) == 1
    assert column_baseline([4, 2, None, 9], 2) == 3  # the days before therapy began
    assert column_baseline([None, None], None) is None


def test_a_grade_figure_labels_its_bands_and_marks_switches():
    figure = charts.grade_figure(
        start=D, end=D + dt.timedelta(days=2), daily=[1, None, 3], rolling=[1, 1, 2], baseline=1.0,
        markers=[(D + dt.timedelta(days=1), "Exemestane", "therapy")], labelled=True,
    )  # fmt: skip
    assert figure["layout"]["yaxis"]["ticktext"] == ["none", "mild", "moderate", "severe"]
    assert figure["data"][0]["y"] == [1, None, 3] and figure["data"][0]["x0"] == "2026-06-01"
    assert any(a["text"] == "Exemestane" for a in figure["layout"]["annotations"])
    assert any(s.get("y0") == 1.0 and s["type"] == "line" for s in figure["layout"]["shapes"])


def test_an_empty_history_still_draws_an_empty_chart():
    figure = charts.measure_figure(
        start=D,
        end=D,
        daily=[None],
        rolling=[None],
        baseline=None,
        markers=[],
        y_max=10,
        unit="/10",
    )
    assert figure["layout"]["yaxis"]["range"] == [0, 10.5]


def test_the_adherence_strip_uses_shapes_not_only_colours():
    figure = charts.adherence_figure(
        start=D, end=D + dt.timedelta(days=2), doses=["taken", "missed", ""], markers=[]
    )
    symbols = [trace["marker"]["symbol"] for trace in figure["data"]]
    assert symbols == ["circle", "x", "diamond-open"]
    assert figure["data"][1]["y"] == [None, 1, None]


# Words and flags -------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "baseline_value", "kind", "expected"),
    [
        ([6] * 7, 3.0, "worst_pain", "Up 3 points from baseline: at or over the 2 points"),
        ([1] * 7, 3.5, "worst_pain", "Down 2.5 points from baseline: at or over the 2 points"),
        ([4] * 7, 3.0, "worst_pain", "Within 2 points of baseline"),
        ([2] * 7, 6.0, "flash_count", "67% fewer than baseline: at or over the fall by half"),
        ([4] * 7, 6.0, "flash_count", ""),
        ([2] * 7, 1.0, "grade", ""),
    ],
)
def test_meaningful_change_follows_the_thresholds_of_the_brief(
    values, baseline_value, kind, expected
):
    summary = summarize(values, [], start=D, baseline_value=baseline_value, kind=kind)
    assert summary.meaningful.startswith(expected)


def test_the_summary_knows_the_worst_day_and_the_previous_period():
    summary = summarize([1, 3, None, 2], [1, 1, 1, 1], start=D, baseline_value=1, kind="grade")
    assert summary.worst == (D + dt.timedelta(days=1), 3)
    assert summary.days_logged == 3 and summary.change_from_previous == 1.0


END = D + dt.timedelta(days=20)


@pytest.mark.parametrize(
    ("days", "extra", "rules"),
    [
        ([row(19, grades={"fatigue": 3})], {}, ["severe"]),
        ([row(19, very_severe=["fatigue"])], {}, ["severe"]),
        ([row(10, grades={"fatigue": 3})], {}, []),  # older than a week
        ([row(18, worst_pain=4)], {}, ["joint_pain"]),
        ([row(18, worst_pain=3)], {"pain_baseline": 1.0}, ["joint_pain"]),
        ([row(18, worst_pain=2)], {"pain_baseline": 1.0}, []),
        ([row(19, stopping=True)], {}, ["stopping"]),
        ([row(i, dose="missed") for i in (15, 17, 19)], {}, ["stopping"]),
        ([row(i, dose="missed") for i in (17, 19)], {}, []),
        ([row(i, grades={"fatigue": 2}) for i in range(7, 21)], {"baselines": {"fatigue": 1.0}}, ["worse"]),
        ([row(i, grades={"fatigue": 2}) for i in range(14, 21)], {"baselines": {"fatigue": 1.0}}, []),
        ([row(i, grades={"fatigue": 3}, worst_pain=5, stopping=True) for i in range(14, 21)], {}, ["severe", "joint_pain", "stopping"]),
    ],
)  # fmt: skip
def test_each_flag_fires_once_a_week_when_its_rule_holds(days, extra, rules):
    found = flags.flags(FlagContext(days=days, end=END, names={"fatigue": "Fatigue"}, **extra))
    assert [flag.rule for flag in found] == rules
    assert {"severe", "joint_pain", "stopping", "worse"} >= set(
        rules
    )  # the four rules of the brief


# Ranges ----------------------------------------------------------------------

TODAY = dt.date(2026, 11, 29)


@pytest.mark.parametrize(
    ("query", "start", "end", "note"),
    [
        ({}, TODAY - dt.timedelta(days=89), TODAY, ""),
        ({"range": "30"}, TODAY - dt.timedelta(days=29), TODAY, ""),
        ({"range": "all"}, dt.date(2026, 1, 1), TODAY, ""),
        ({"range": "custom", "start": "2026-03-01", "end": "2026-04-01"}, dt.date(2026, 3, 1), dt.date(2026, 4, 1), ""),
        ({"range": "custom", "start": "2026-04-01", "end": "2026-03-01"}, TODAY - dt.timedelta(days=89), TODAY, "end came before"),
        ({"range": "custom", "start": "2026-11-01", "end": "2030-01-01"}, dt.date(2026, 11, 1), TODAY, "can't show days to come"),
        ({"range": "custom", "start": "banana", "end": "2026-03-01"}, TODAY - dt.timedelta(days=89), TODAY, "weren't recognised"),
        ({"range": "forever"}, TODAY - dt.timedelta(days=89), TODAY, "weren't recognised"),
        ({"range": "custom", "start": "2026-03-01"}, TODAY - dt.timedelta(days=89), TODAY, "both a start and an end"),
        ({"range": "custom", "start": "0001-01-01", "end": "0001-01-02"}, TODAY - dt.timedelta(days=89), TODAY, "end came before"),
        ({"range": "custom", "start": "1999-01-01", "end": "1999-06-01"}, TODAY - dt.timedelta(days=89), TODAY, "end came before"),
        ({"range": "custom", "start": "0001-01-01", "end": "2025-01-01"}, dt.date(2000, 1, 1), dt.date(2025, 1, 1), "starts in 2000"),
    ],
)  # fmt: skip
def test_impossible_ranges_fall_back_with_a_note(query, start, end, note):
    got_start, got_end, _, got_note = RangeForm(query).period(
        today=TODAY, first_day=dt.date(2026, 1, 1)
    )
    assert (got_start, got_end) == (start, end)
    assert note in got_note and (note or not got_note)


# Pages -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_dashboard_draws_every_tracked_symptom_with_words_and_a_table(patient_client, patient):
    today = patient.today()
    for offset in range(10):
        save_answers(
            patient=patient, date=today - dt.timedelta(days=offset), symptom=symptom("joint-pain"),
            values={"frequency": (3, ANSWERED), "severity": (3, ANSWERED), "interference": (2, ANSWERED), "worst_pain": (6, ANSWERED)},
        )  # fmt: skip
    response = patient_client.get(reverse("tracker:trends"), {"range": "30"})
    assert response.status_code == 200
    text = response.text
    assert text.count('class="chart"') == 13 + 4 + 1
    assert "Worth discussing with your care team" in text and "Worst joint pain 6/10" in text
    assert "Show as a table" in text and "Last 7 days:" in text
    assert "<script>" not in text  # figures ride in data attributes


@pytest.mark.django_db
def test_an_htmx_range_change_returns_only_the_dashboard(patient_client):
    response = patient_client.get(
        reverse("tracker:trends"), {"range": "365"}, HTTP_HX_REQUEST="true"
    )
    assert response.text.lstrip().startswith('<div id="dashboard"')
    assert "<html" not in response.text


@pytest.mark.django_db
def test_the_dashboard_runs_a_fixed_number_of_queries(
    patient_client, patient, django_assert_max_num_queries
):
    today = patient.today()
    for offset in range(60):
        save_day_fields(
            patient=patient, date=today - dt.timedelta(days=offset), fields={"dose": "taken"}
        )
    TimelineEvent.objects.create(
        patient=patient, kind="appointment", title="Clinic", starts_on=today
    )
    # session, user, patient, day logs, therapies, timeline, symptoms
    with django_assert_max_num_queries(7):
        patient_client.get(reverse("tracker:trends"), {"range": "all"})


@pytest.mark.django_db
def test_another_patients_diary_never_reaches_the_dashboard(client, patient, other_patient):
    save_day_fields(patient=patient, date=patient.today(), fields={"dose": "missed"})
    client.force_login(other_patient.user)
    text = client.get(reverse("tracker:trends")).text
    assert "No doses recorded" in text


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in_from_trends(client):
    assert client.get(reverse("tracker:trends"))["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_the_figure_json_is_valid_and_carries_no_markup(patient_client):
    response = patient_client.get(reverse("tracker:trends"))
    start = response.text.index('data-figure="') + len('data-figure="')
    raw = response.text[start : response.text.index('"', start)]
    figure = json.loads(raw.replace("&quot;", '"').replace("&amp;", "&"))
    assert set(figure) == {"data", "layout"}


@pytest.mark.django_db
def test_day_scores_follow_every_save(patient):
    today = patient.today()
    save_answers(
        patient=patient,
        date=today,
        symptom=symptom("fatigue"),
        values={"severity": (2, ANSWERED), "interference": (1, ANSWERED)},
    )
    assert DayLog.objects.get(patient=patient).scores["grades"] == {"fatigue": 1}
    save_answers(
        patient=patient, date=today, symptom=symptom("fatigue"), values={}, cleared=["interference"]
    )
    assert DayLog.objects.get(patient=patient).scores["grades"] == {}


def test_titles_reach_plotly_as_plain_text():
    figure = charts.grade_figure(
        start=D, end=D, daily=[1], rolling=[1], baseline=None,
        markers=[(D, '<a href="javascript:alert(1)">x</a> %{y}', "therapy"),
                 (D, '<b onmouseover="x">scan</b>', "bone_scan")], labelled=True,
    )  # fmt: skip
    name, number = figure["layout"]["annotations"]
    for text in (name["text"], name["hovertext"], number["hovertext"]):
        assert "<a" not in text and "<b" not in text and "%{" not in text
    assert name["text"].startswith("&lt;a href=") and number["text"] == "1"


def test_grade_words_round_half_up():
    assert dashboard._words(2.5, "grade") == "2.5 (severe)"
    assert dashboard._words(1.5, "grade") == "1.5 (moderate)"


@pytest.mark.django_db
def test_an_ongoing_treatment_shows_at_the_start_of_a_later_range(patient_client, patient):
    TimelineEvent.objects.create(
        patient=patient,
        kind="treatment",
        title="Duloxetine",
        starts_on=patient.today() - dt.timedelta(days=60),
    )
    response = patient_client.get(reverse("tracker:trends"), {"range": "30"})
    assert "Duloxetine (since" in response.text


@pytest.mark.django_db
def test_the_seven_day_average_uses_the_days_before_the_range(patient_client, patient):
    from tracker.models import Therapy  # noqa: F401
    from tracker.trends.dashboard import build_dashboard
    from tracker.trends.series import load_days

    today = patient.today()
    for offset in range(1, 8):
        save_day_fields(
            patient=patient, date=today - dt.timedelta(days=offset), fields={"dose": "taken"}
        )
        DayLog.objects.filter(patient=patient, date=today - dt.timedelta(days=offset)).update(
            scores={"worst_pain": 6}
        )
    DayLog.objects.create(patient=patient, date=today, scores={"worst_pain": 0})
    charts, _, _ = build_dashboard(
        days=load_days(patient, until=today), symptoms=list(patient.symptoms_to_ask()),
        therapies=list(patient.therapies.all()), events=[], start=today, end=today,
    )  # fmt: skip
    pain = next(c for c in charts if c.key == "worst-pain")
    assert pain.figure["data"][1]["y"] == [5.1]  # (6 × 6 + 0) / 7, not just today's 0


def test_marker_lines_name_medicines_and_number_everything_else():
    markers = [
        (D, "Baseline DEXA scan", "bone_scan"),
        (D + dt.timedelta(days=1), "Anastrozole", "therapy"),
        (D + dt.timedelta(days=1), "Oncology clinic", "appointment"),
    ]
    assert charts.marker_tags(markers) == ["1", "Anastrozole", "2"]
    _, annotations = charts.marker_shapes(markers, labelled=True)
    assert [a["text"] for a in annotations] == ["1", "Anastrozole", "2"]
    assert annotations[0]["hovertext"] == "Baseline DEXA scan"  # the name on hover
