"""Trend charts and their words: pure functions first, then the pages."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import log, log_day, make_patient, symptom
from tracker.models import Baseline, DayLog, Symptom, SymptomLog, TimelineEvent, figure
from tracker.models.diary import GRADE
from tracker.trends import charts, dashboard, flags
from tracker.trends.dashboard import read_dashboard
from tracker.trends.forms import RangeForm
from tracker.trends.series import DayRow, columns, measures, rolling_mean, weekly_means
from tracker.trends.summaries import summarize

D = dt.date(2026, 6, 1)

# Symptoms as the catalogue defines them, kept in memory: the pure functions only
# read what each asks.
JOINT = Symptom(
    pk=1,
    slug="joint-pain",
    name="Joint pain or stiffness",
    asks_frequency=True,
    asks_severity=True,
    asks_interference=True,
    asks_pain_details=True,
)
FLASHES = Symptom(
    pk=3,
    slug="hot-flashes",
    name="Hot flashes",
    asks_frequency=True,
    asks_severity=True,
    asks_hot_flash_episodes=True,
)
FATIGUE = Symptom(pk=9, slug="fatigue", name="Tiredness or low energy", asks_severity=True,
                  asks_interference=True)  # fmt: skip
SYMPTOMS = {"joint": JOINT, "flashes": FLASHES, "fatigue": FATIGUE}


def entry(grade=None, **answers):
    """One symptom's entry in a day's figures, as the writer stores it for a symptom-day
    with this grade and these answers: grade=2, worst_pain=3, episodes_mild=1, …"""
    return SymptomLog(grade=grade, **answers).figures()


def row(offset, dose="taken", stopping=None, **logged):
    """A day `offset` days after D: row(0, fatigue={"grade": 2}, joint={"worst_pain": 3})."""
    figures = {str(SYMPTOMS[name].pk): entry(**values) for name, values in logged.items()}
    return DayRow(D + dt.timedelta(days=offset), dose, stopping, figures)


# Chart functions -------------------------------------------------------------


def test_columns_hold_every_series_with_gaps_where_nothing_was_logged():
    days = [
        row(0, joint={"worst_pain": 3}, fatigue={"grade": 2},
            flashes={"episodes_mild": 2, "episodes_moderate": 1, "episodes_severe": 1}),
        row(2, joint={"worst_pain": 5}, dose="missed"),
    ]  # fmt: skip
    cols = columns(days, origin=D, length=4, symptoms=[JOINT, FLASHES, FATIGUE])
    assert cols["worst_pain", JOINT.pk] == [3, None, 5, None]
    assert cols["grade", FATIGUE.pk] == [2, None, None, None]
    assert cols["dose"] == ["taken", None, "missed", None]
    # Hot-flash score: episodes × weighted severity = mild + 2 × moderate + 3 × severe.
    assert cols["flash_count", FLASHES.pk][0] == 4
    assert cols["flash_score", FLASHES.pk][0] == 2 + 2 + 3
    assert cols["flash_score", FLASHES.pk][2] is None
    # A day logged without a grade is still a day logged, and a gap in the grade.
    assert cols["grade", JOINT.pk] == [None, None, None, None]
    assert [entry is not None for entry in cols["entry", JOINT.pk]] == [True, False, True, False]
    # Each symptom has the measure series of what it asks, and no others.
    assert ("worst_pain", FATIGUE.pk) not in cols and ("flash_count", JOINT.pk) not in cols
    assert measures(JOINT) == ["worst_pain", "stiffness_minutes"]
    assert measures(FLASHES) == ["flash_count", "flash_score"] and measures(FATIGUE) == []


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


def test_the_weekly_means_are_the_seven_day_average_of_every_seventh_day_back_from_the_last():
    import random

    rng = random.Random(11)
    for length in [0, 6, 7, 8, 30, 400, 1825]:
        values = [rng.choice([None, 0, 1, 2, 3, 3]) for _ in range(length)]
        sampled = weekly_means(values)
        assert sampled.means == rolling_mean(values)[sampled.first :: sampled.every]
        if length >= 7:  # the last is the last 7 days'
            assert sampled.first + 7 * (len(sampled.means) - 1) == length - 1


@pytest.mark.django_db
def test_beyond_a_year_a_chart_draws_its_seven_day_average_once_a_week(patient):
    today = patient.today()
    for offset in range(400):
        log(patient, today - dt.timedelta(days=offset), "joint-pain", worst_pain=offset % 5)
    year_and_more = read_dashboard(patient, start=today - dt.timedelta(days=399), end=today)
    pain = next(c for c in year_and_more.charts if c.key == "worst-pain-joint-pain")
    (average,) = pain.figure["data"]  # no day's marks: 400 of them would be a smear
    assert (average["name"], average["dx"]) == ("7-day average", 7 * charts.DAY_MS)
    assert len(average["y"]) == 57 and average["y"][-1] == 1.6  # (0+1+2+3+4+0+1) / 7
    assert average["x0"] == (today - dt.timedelta(days=399 - 400 % 7 - 6)).isoformat()
    assert len(pain.table) and pain.summary.days_logged == 400  # words and table: every day

    page = Client()
    page.force_login(patient.user)
    said = "each chart shows its 7-day average once a week"
    assert said in page.get(reverse("tracker:trends"), {"range": "all"}).text
    assert said not in page.get(reverse("tracker:trends"), {"range": "365"}).text

    year = read_dashboard(patient, start=today - dt.timedelta(days=364), end=today)
    pain = next(c for c in year.charts if c.key == "worst-pain-joint-pain")
    assert [len(trace["y"]) for trace in pain.figure["data"]] == [365, 365]


@pytest.mark.django_db
def test_the_baseline_is_the_first_seven_logged_days_or_those_before_therapy():
    def baseline(username, pains, *, therapy_on):
        """The stored joint-pain baseline after logging `pains` (worst pain, None for a
        day not logged) from D on, for a patient whose medicine began on day `therapy_on`."""
        patient = make_patient(username, started_on=D + dt.timedelta(days=therapy_on))
        for offset, pain in enumerate(pains):
            if pain is not None:
                log(patient, D + dt.timedelta(days=offset), "joint-pain", worst_pain=pain)
        return Baseline.objects.filter(patient=patient, symptom=symptom("joint-pain")).first()

    first = baseline("p1", [None, 1, 1, 1, 1, 1, 1, 1, 9, 9], therapy_on=0)
    assert (first.worst_pain, first.days, first.before_therapy) == (1, 7, False)
    assert (first.starts_on, first.ends_on) == (D + dt.timedelta(days=1), D + dt.timedelta(days=7))
    # Fewer than 5 days logged before therapy began: still the first 7 days logged.
    few = baseline("p2", [4, 2, None, 9], therapy_on=2)
    assert (few.worst_pain, few.days, few.before_therapy) == (5, 3, False)
    # 5 or more: the last 7 of them.
    before = baseline("p3", [9, 9, 3, 3, 3, 3, 3, 3, 3, 8], therapy_on=9)
    assert (before.worst_pain, before.days, before.before_therapy) == (3, 7, True)
    assert before.starts_on == D + dt.timedelta(days=2)
    assert baseline("p4", [None, None], therapy_on=0) is None


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


def whole(**means) -> dict:
    """A complete baseline of the days before D, with these means: worst_pain=1.0, grade=1.0."""
    return {"days": 7, "before_therapy": True, "starts_on": D - dt.timedelta(days=7),
            "ends_on": D - dt.timedelta(days=1), **means}  # fmt: skip


@pytest.mark.parametrize(
    ("days", "baselines", "rules"),
    [
        ([row(19, fatigue={"grade": 3})], {}, ["severe"]),
        ([row(19, fatigue={"severity": 4})], {}, ["severe"]),
        ([row(10, fatigue={"grade": 3})], {}, []),  # older than a week
        # Worst pain 4 or more on 3 of the last 7 days, or up 2 points from a whole baseline.
        ([row(i, joint={"worst_pain": 4}) for i in (14, 16, 18)], {}, ["joint_pain"]),
        ([row(i, joint={"worst_pain": 9}) for i in (16, 18)], {}, []),
        ([row(i, joint={"worst_pain": 4}) for i in (12, 13, 18)], {}, []),  # two of them a week ago
        ([row(18, joint={"worst_pain": 3})], {"joint": whole(worst_pain=1.0)}, ["joint_pain"]),
        ([row(18, joint={"worst_pain": 2})], {"joint": whole(worst_pain=1.0)}, []),
        ([row(18, joint={"worst_pain": 8})], {"joint": {**whole(worst_pain=1.0), "days": 1, "before_therapy": False}}, []),
        # Thinking of stopping, and doses missed on 3 of 7 days (a house rule): both can fire.
        ([row(19, stopping=True)], {}, ["stopping"]),
        ([row(i, dose="missed") for i in (15, 17, 19)], {}, ["missed"]),
        ([row(i, dose="missed") for i in (17, 19)], {}, []),
        ([row(i, dose="missed", stopping=True) for i in (15, 17, 19)], {}, ["stopping", "missed"]),
        # A whole grade above the rounded baseline, and moderate or worse, on 8 of 14 days.
        ([row(i, fatigue={"grade": 2}) for i in range(7, 21)], {"fatigue": whole(grade=1.0)}, ["worse"]),
        ([row(i, fatigue={"grade": 2}) for i in range(13, 21)], {"fatigue": whole(grade=1.0)}, ["worse"]),
        ([row(i, fatigue={"grade": 2}) for i in range(14, 21)], {"fatigue": whole(grade=1.0)}, []),
        ([row(i, fatigue={"grade": 2}) for i in range(7, 21)], {"fatigue": whole(grade=1.5)}, []),  # rounds to 2
        ([row(i, fatigue={"grade": 1}) for i in range(7, 21)], {"fatigue": whole(grade=0.0)}, []),  # only mild
        # A baseline still gathering its 7 days judges nothing, nor do its own days.
        ([row(i, fatigue={"grade": 2}) for i in range(7, 21)], {"fatigue": {**whole(grade=1.0), "days": 6, "before_therapy": False}}, []),
        ([row(i, fatigue={"grade": 2}) for i in range(7, 21)], {"fatigue": {**whole(grade=1.0), "ends_on": END}}, []),
        ([row(i, fatigue={"grade": 3}, joint={"worst_pain": 5}, stopping=True) for i in range(14, 21)], {}, ["severe", "joint_pain", "stopping"]),
    ],
)  # fmt: skip
def test_each_flag_fires_once_a_week_when_its_rule_holds(days, baselines, rules):
    stored = {
        SYMPTOMS[name].pk: Baseline(symptom=SYMPTOMS[name], **fields)
        for name, fields in baselines.items()
    }
    found = flags.flags(days=days, end=END, symptoms=[JOINT, FLASHES, FATIGUE], baselines=stored)
    assert [flag.rule for flag in found] == rules
    assert {"severe", "joint_pain", "stopping", "missed", "worse"} >= set(
        rules
    )  # the brief's rules


def test_the_worse_than_baseline_flag_lists_every_symptom_that_qualifies():
    days = [row(i, fatigue={"grade": 2}, flashes={"grade": 2}) for i in range(7, 21)]
    stored = {
        symptom.pk: Baseline(symptom=symptom, **whole(grade=0.4)) for symptom in (FATIGUE, FLASHES)
    }
    (found,) = flags.flags(days=days, end=END, symptoms=[FLASHES, FATIGUE], baselines=stored)
    assert found.rule == "worse"
    assert found.why.endswith("hot flashes (14 days) and tiredness or low energy (14 days)")


def test_the_pain_flag_names_every_symptom_that_asks_pain_details():
    knees = Symptom(pk=20, slug="knee-pain", name="Knee pain", asks_severity=True,
                    asks_pain_details=True)  # fmt: skip
    days = [DayRow(END - dt.timedelta(days=n), "", None, {str(knees.pk): entry(worst_pain=9 - n)})
            for n in (4, 2, 0)]  # fmt: skip
    (found,) = flags.flags(days=days, end=END, symptoms=[FATIGUE, knees], baselines={})
    assert found.why == "worst knee pain 4/10 or more on 3 of the last 7 days, up to 9/10"
    days = [row(n, joint={"worst_pain": 5}) for n in (18, 19, 20)]
    (found,) = flags.flags(days=days, end=END, symptoms=[JOINT], baselines={})
    assert (
        found.why
        == "worst joint pain or stiffness 4/10 or more on 3 of the last 7 days, up to 5/10"
    )


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
        ({"range": "custom", "start": "banana", "end": "2026-03-01"}, TODAY - dt.timedelta(days=89), TODAY, "weren't recognized"),
        ({"range": "forever"}, TODAY - dt.timedelta(days=89), TODAY, "weren't recognized"),
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
        log(patient, today - dt.timedelta(days=offset), "joint-pain",
            frequency=3, severity=3, interference=2, worst_pain=6)  # fmt: skip
    response = patient_client.get(reverse("tracker:trends"), {"range": "30"})
    assert response.status_code == 200
    text = response.text
    assert text.count('class="chart js-only"') == 13 + 4 + 1
    assert (
        "Worth discussing with your care team" in text
        and "Worst joint pain or stiffness 4/10 or more on 7 of the last 7 days, up to 6/10" in text
    )
    assert "Show as a table" in text and "Last 7 days:" in text
    assert "<script>" not in text  # figures ride in data attributes
    # Without JavaScript, no empty chart box: the slot is hidden and the table open.
    assert text.count('<details class="chart-table" open>') == text.count("Show as a table") - 1
    # The overview's table stays folded: its drawing shows without JavaScript.
    assert '<details class="overview-table">' in text


@pytest.mark.django_db
def test_an_htmx_range_change_returns_only_the_dashboard(patient_client):
    response = patient_client.get(
        reverse("tracker:trends"), {"range": "365"}, HTTP_HX_REQUEST="true"
    )
    assert response.text.lstrip().startswith('<div id="dashboard"')
    assert "<html" not in response.text


@pytest.mark.django_db
def test_a_symptom_logged_without_a_grade_still_counts_on_its_chart(patient_client, patient):
    # Worst pain alone, and fatigue's severity without its interference: logged, ungraded.
    log(patient, patient.today(), "joint-pain", worst_pain=5)
    log(patient, patient.today(), "fatigue", severity=2)
    response = patient_client.get(reverse("tracker:trends"), {"range": "30"})
    assert response.status_code == 200
    board = response.context["charts"]
    joint = next(c for c in board if c.key == "grade-joint-pain")
    fatigue = next(c for c in board if c.key == "grade-fatigue")
    assert joint.summary.days_logged == 1 and fatigue.summary.days_logged == 1
    assert "Logged on 1 day" in joint.summary_text and "Logged on 1 day" in fatigue.summary_text
    pain = next(c for c in board if c.key == "worst-pain-joint-pain")
    assert "Logged on 1 day" in pain.summary_text and "5/10" in pain.summary_text


@pytest.mark.django_db
def test_the_dashboard_runs_a_fixed_number_of_queries(
    patient_client, patient, django_assert_max_num_queries
):
    today = patient.today()
    for offset in range(60):
        log_day(patient, today - dt.timedelta(days=offset), dose="taken")
        log(
            patient,
            today - dt.timedelta(days=offset),
            "fatigue",
            severity=offset % 5,
            interference=offset % 3,
        )
        log(patient, today - dt.timedelta(days=offset), "joint-pain",
            frequency=2, severity=2, interference=1, worst_pain=offset % 11)  # fmt: skip
    TimelineEvent.objects.create(
        patient=patient, kind="appointment", title="Clinic", starts_on=today
    )
    # session, user with patient, first day logged (for "all"), day logs, therapies
    # (once: the default period and the charts share them), timeline, baselines,
    # symptoms, the flags kept; the first look also writes the flags it finds (in a
    # savepoint here)
    with django_assert_max_num_queries(10 + 3):
        patient_client.get(reverse("tracker:trends"), {"range": "all"})
    with django_assert_max_num_queries(9):
        patient_client.get(reverse("tracker:trends"), {"range": "all"})


@pytest.mark.django_db
def test_another_patients_diary_never_reaches_the_dashboard(client, patient, other_patient):
    log_day(patient, patient.today(), dose="missed")
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
    key = str(symptom("fatigue").pk)

    def stored():
        row = SymptomLog.objects.get(patient=patient, date=today)
        return row, DayLog.objects.get(patient=patient).figures

    log(patient, today, "fatigue", severity=2, interference=1)
    row, figures = stored()
    assert row.grade == 1 and figures == {key: row.figures()} and figure(figures[key], GRADE) == 1
    log(patient, today, "fatigue", interference=None)
    row, figures = stored()
    assert (row.severity, row.interference, row.grade) == (2, None, None)
    assert (
        figures == {key: row.figures()} and figure(figures[key], GRADE) is None
    )  # logged, not graded


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
def test_the_seven_day_average_uses_the_days_before_the_range(patient):
    today = patient.today()
    for offset in range(1, 8):
        log(patient, today - dt.timedelta(days=offset), "joint-pain", worst_pain=6)
    log(patient, today, "joint-pain", worst_pain=0)
    board = read_dashboard(patient, start=today, end=today)
    pain = next(c for c in board.charts if c.key == "worst-pain-joint-pain")
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


@pytest.mark.django_db
def test_the_hot_flash_score_says_it_cannot_be_compared_with_published_scores(
    patient_client, patient
):
    log(patient, patient.today(), "hot-flashes", episodes_mild=2, episodes_severe=1)
    text = patient_client.get(reverse("tracker:trends")).text
    assert "can&#x27;t be compared with scores published from four-level diaries" in text


def test_marker_labels_close_together_sit_on_lines_of_their_own():
    markers = [
        (D, "Anastrozole", "therapy"),
        (D + dt.timedelta(days=3), "Oncology clinic", "appointment"),
        (D + dt.timedelta(days=60), "Exemestane", "therapy"),
    ]
    _, annotations = charts.marker_shapes(
        markers, labelled=True, span=(D, D + dt.timedelta(days=89))
    )
    assert [a["yshift"] for a in annotations] == [0, 14, 0]
    assert charts.label_room(annotations) == 40 and charts.label_room([]) == 8


@pytest.mark.django_db
def test_the_7_day_average_stops_at_the_last_day_logged(patient):
    today = patient.today()
    for offset in range(10, 20):
        log(patient, today - dt.timedelta(days=offset), "joint-pain", worst_pain=4)
    for days in (30, 400):
        board = read_dashboard(patient, start=today - dt.timedelta(days=days - 1), end=today)
        pain = next(c for c in board.charts if c.key == "worst-pain-joint-pain")
        average = pain.figure["data"][-1]
        last = len(average["y"]) - 1 - [v is not None for v in average["y"]][::-1].index(True)
        drawn_to = dt.date.fromisoformat(average["x0"]) + dt.timedelta(
            milliseconds=average["dx"] * last
        )
        assert today - dt.timedelta(days=16) <= drawn_to <= today - dt.timedelta(days=10)
