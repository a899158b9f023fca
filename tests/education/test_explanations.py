import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from education.models import ContextRule, HiddenExplanation, Section, Topic
from education.rules import RECENT_DAYS, context_for, explanation_for
from tests.factories import log, symptom
from tracker.models import Baseline, SymptomLog, Therapy

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_every_default_symptom_leads_to_a_published_explanation(patient):
    day = patient.today()
    for item in symptom("joint-pain").__class__.objects.defaults():
        first = item.attributes[0]
        log(patient, day, item.slug, **{first: 1})
        found = explanation_for(patient=patient, symptom=item, date=day)
        assert found is not None, item.slug
        assert found.version.status == "published"


def test_a_first_report_explains_that_symptom_with_its_own_topic(patient):
    """Muscle aches, night sweats, low interest in sex, anxiety and low mood used to
    fall back to the general "how AIs work" card on a first report."""
    day = patient.today()
    for item in symptom("joint-pain").__class__.objects.all():
        patient.tracked_symptoms.add(item)
        log(patient, day, item.slug, **{item.attributes[0]: 1})
        found = explanation_for(patient=patient, symptom=item, date=day)
        assert found is not None, item.slug
        assert found.version.topic.symptoms.filter(pk=item.pk).exists(), item.slug
        assert found.version.topic.slug != "how-ais-work"


def test_the_context_knows_first_reports_streaks_and_baseline(patient):
    start = patient.therapies.get().started_on
    Therapy.objects.filter(patient=patient).update(started_on=start)
    day = start + dt.timedelta(days=20)
    for offset in range(7):  # a mild baseline week
        log(
            patient,
            start + dt.timedelta(days=offset),
            "joint-pain",
            frequency=1,
            severity=1,
            interference=1,
        )
    for offset in range(3):  # then three bad days in a row
        log(
            patient,
            day - dt.timedelta(days=offset),
            "joint-pain",
            frequency=4,
            severity=3,
            interference=3,
        )
    context = context_for(patient=patient, symptom=symptom("joint-pain"), date=day)
    assert context.grade == 3 and context.severity == 3
    assert context.worse_than_baseline
    assert context.days_in_a_row == 3
    assert not context.first_report
    first = context_for(patient=patient, symptom=symptom("joint-pain"), date=start)
    assert first.first_report


def test_unanswered_baseline_days_do_not_pull_the_baseline_down(patient):
    start = patient.therapies.get().started_on
    for offset in range(7):  # a baseline week of grade 2, graded on only 3 of its days
        if offset % 2:
            # Logged, but interference left unanswered: no grade that day, not a 0.
            log(patient, start + dt.timedelta(days=offset), "joint-pain", frequency=2, severity=2)
        else:
            log(
                patient,
                start + dt.timedelta(days=offset),
                "joint-pain",
                frequency=2,
                severity=2,
                interference=2,
            )
    baseline = Baseline.objects.get(patient=patient, symptom=symptom("joint-pain"))
    assert (baseline.starts_on, baseline.days) == (start, 7)  # the ungraded days are in it
    same = start + dt.timedelta(days=20)
    log(patient, same, "joint-pain", frequency=2, severity=2, interference=2)
    context = context_for(patient=patient, symptom=symptom("joint-pain"), date=same)
    # Counting the 3 ungraded days as 0 would make the baseline 8/7 and this day "worse".
    assert context.grade == 2 and not context.worse_than_baseline
    worse = same + dt.timedelta(days=1)
    log(patient, worse, "joint-pain", frequency=4, severity=3, interference=3)
    assert context_for(
        patient=patient, symptom=symptom("joint-pain"), date=worse
    ).worse_than_baseline


def test_a_severe_joint_pain_day_shows_when_to_talk_to_the_care_team(patient_client, patient):
    day = patient.today()
    log(patient, day - dt.timedelta(days=1), "joint-pain", frequency=1, severity=1, interference=0)
    log(patient, day, "joint-pain", frequency=4, severity=3, interference=3)
    response = patient_client.get(
        reverse("education:explanation", args=[day, "joint-pain"]), **HTMX
    )
    assert response.status_code == 200
    assert "When to talk to your care team" in response.text or "when to talk" in response.text
    assert reverse("education:topic", args=["joint-pain"]) + "#when_to_talk" in response.text
    assert "<html" not in response.text


def test_without_a_matching_rule_the_symptoms_own_topic_is_shown(patient_client, patient):
    ContextRule.objects.all().delete()
    day = patient.today()
    log(patient, day, "fatigue", severity=1, interference=1)
    response = patient_client.get(reverse("education:explanation", args=[day, "fatigue"]))
    assert reverse("education:topic", args=["fatigue"]) in response.text


def test_nothing_is_shown_for_a_symptom_not_logged_that_day(patient_client, patient):
    response = patient_client.get(
        reverse("education:explanation", args=[patient.today(), "fatigue"])
    )
    assert response.status_code == 200
    assert "explanation" not in response.text


def test_a_patient_can_hide_an_explanation_they_have_read(patient_client, patient):
    day = patient.today()
    log(patient, day, "fatigue", severity=1, interference=1)
    url = reverse("education:explanation", args=[day, "fatigue"])
    found = explanation_for(patient=patient, symptom=symptom("fatigue"), date=day)
    response = patient_client.post(
        reverse("education:hide", args=[found.topic.slug]), {"section": found.section}, **HTMX
    )
    assert response.status_code == 200
    assert HiddenExplanation.objects.filter(patient=patient).count() == 1
    # The next-best explanation takes its place.
    after = explanation_for(patient=patient, symptom=symptom("fatigue"), date=day)
    assert (after.topic, after.section) != (found.topic, found.section)
    assert (
        f'value="{found.section}"' not in patient_client.get(url).text or after.topic != found.topic
    )
    # Still in the library.
    assert (
        patient_client.get(reverse("education:topic", args=[found.topic.slug])).status_code == 200
    )


def test_hiding_needs_a_known_section(patient_client):
    response = patient_client.post(
        reverse("education:hide", args=["fatigue"]), {"section": "nonsense"}
    )
    assert response.status_code == 400


def test_explanations_are_private_to_their_patient(client, patient, other_patient):
    day = patient.today()
    log(patient, day, "fatigue", severity=3, interference=3)
    client.force_login(other_patient.user)
    response = client.get(reverse("education:explanation", args=[day, "fatigue"]))
    assert "Read more" not in response.text  # charlie logged nothing that day
    other_patient.tracked_symptoms.remove(symptom("fatigue"))
    assert client.get(reverse("education:explanation", args=[day, "fatigue"])).status_code == 404


def test_anonymous_visitors_get_no_explanations(client, patient):
    url = reverse("education:explanation", args=[patient.today(), "fatigue"])
    assert client.get(url, **HTMX).status_code == 401
    assert (
        client.post(reverse("education:hide", args=["fatigue"]), {"section": "summary"}).status_code
        == 302
    )


def test_the_check_in_asks_for_the_explanation_after_a_save(patient_client, patient):
    url = reverse("tracker:checkin-symptom", args=[patient.today(), "fatigue"])
    response = patient_client.post(url, {"fatigue-severity": "2"}, **HTMX)
    assert reverse("education:explanation", args=[patient.today(), "fatigue"]) in response.text
    assert 'hx-trigger="load"' in response.text


def test_the_explanation_runs_a_fixed_number_of_queries(
    patient_client, patient, django_assert_max_num_queries
):
    day = patient.today()
    for offset in range(30):
        log(
            patient,
            day - dt.timedelta(days=offset),
            "joint-pain",
            frequency=2,
            severity=2,
            interference=2,
        )
    with django_assert_max_num_queries(9):
        patient_client.get(reverse("education:explanation", args=[day, "joint-pain"]))


def test_the_explanation_reads_a_bounded_window_however_long_the_diary(
    patient_client, patient, monkeypatch
):
    day = patient.today()
    url = reverse("education:explanation", args=[day, "joint-pain"])
    for offset in range(7):
        log(patient, day - dt.timedelta(days=offset), "joint-pain", frequency=2, severity=2)
    with CaptureQueriesContext(connection) as week:
        assert "Read more" in patient_client.get(url, **HTMX).text
    for offset in range(7, 365):
        log(patient, day - dt.timedelta(days=offset), "joint-pain", frequency=2, severity=2)
    loaded = []
    from_db = SymptomLog.from_db.__func__

    def counting(cls, *args, **kwargs):
        loaded.append(cls)
        return from_db(cls, *args, **kwargs)

    monkeypatch.setattr(SymptomLog, "from_db", classmethod(counting))
    with CaptureQueriesContext(connection) as year:
        assert "Read more" in patient_client.get(url, **HTMX).text
    assert len(year) == len(week), [query["sql"] for query in year.captured_queries]
    assert len(loaded) == RECENT_DAYS  # the last four weeks' rows, not the year's
    monkeypatch.undo()
    # The streak is counted within the window it reads.
    context = context_for(patient=patient, symptom=symptom("joint-pain"), date=day)
    assert context.days_in_a_row == RECENT_DAYS


def test_rules_point_only_at_sections_that_exist():
    sections = set(Section.values)
    assert set(ContextRule.objects.values_list("section", flat=True)) <= sections
    assert Topic.objects.published().count() == Topic.objects.count()
