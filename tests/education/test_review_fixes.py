"""Holes found in review of the curation workflow and the explanations."""

import datetime as dt
from io import StringIO

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from education import content
from education.models import ContextRule, Reference, Topic, TopicVersion, VersionStatus
from tests.factories import log, login_verified, make_user, symptom
from tracker import roles

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:education_topicversion_changelist"
HTMX = {"HTTP_HX_REQUEST": "true"}


def draft_of(slug="fatigue"):
    return Topic.objects.get(slug=slug).published_version.copy_as_draft(by=None)


def act(client, action, version):
    return client.post(
        reverse(CHANGELIST), {"action": action, "_selected_action": [version.pk]}, follow=True
    )


def test_a_superuser_without_the_reviewer_role_cannot_publish(client):
    boss = make_user("boss", role=roles.ADMIN, is_staff=True, is_superuser=True)
    draft = draft_of()
    draft.submit()
    login_verified(client, boss)
    act(client, "publish", draft)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.IN_REVIEW


def test_a_view_only_admin_cannot_submit_or_copy(client):
    viewer = make_user("viewer", role=roles.ADMIN, is_staff=True)
    draft = draft_of()
    login_verified(client, viewer)
    act(client, "submit_for_review", draft)
    act(client, "copy_as_new_draft", draft)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT
    assert TopicVersion.objects.filter(topic=draft.topic, language="en").count() == 2


def test_an_editor_cannot_move_or_redirect_a_published_topic(client):
    editor = make_user("eddie", role=roles.CONTENT_EDITOR, is_staff=True)
    topic = Topic.objects.get(slug="fatigue")
    login_verified(client, editor)
    client.post(
        reverse("admin:education_topic_change", args=[topic.pk]),
        {
            "slug": "renamed",
            "body_system": "bones",
            "versions-TOTAL_FORMS": "0",
            "versions-INITIAL_FORMS": "0",
        },
    )
    topic.refresh_from_db()
    assert (topic.slug, topic.body_system) == ("fatigue", "sleep-energy-and-mood")


def test_the_compare_page_survives_a_bad_address_and_needs_permission(client):
    draft = draft_of()
    reviewer = make_user("rhea", role=roles.CLINICAL_REVIEWER, is_staff=True)
    login_verified(client, reviewer)
    url = reverse("admin:education_topicversion_compare", args=[draft.pk])
    assert client.get(url, {"with": "abc"}).status_code == 200
    assert client.get(url, {"with": "1.5"}).status_code == 200
    outsider = make_user("outsider", role=roles.CLINICIAN, is_staff=True)
    login_verified(client, outsider)
    assert client.get(url).status_code == 403


def test_a_versions_topic_cannot_change_after_it_is_made(client):
    reviewer = make_user("rhea", role=roles.CLINICAL_REVIEWER, is_staff=True)
    login_verified(client, reviewer)
    draft = draft_of()
    page = client.get(reverse("admin:education_topicversion_change", args=[draft.pk])).text
    assert 'name="topic"' not in page


def test_publishing_checks_numbering_dois_review_dates_and_topic_links(client):
    reviewer = make_user("rhea", role=roles.CLINICAL_REVIEWER, is_staff=True)
    draft = draft_of()
    Reference.objects.filter(version=draft, position=1).update(
        position=40, doi="https://doi.org/10.1/x"
    )
    draft.what_helps += "\n\nSee [this](/learn/no-such-topic/)."
    draft.next_review_on = dt.date(2000, 1, 1)
    draft.save()
    problems = " ".join(draft.publication_problems())
    assert "with no gaps" in problems
    assert "a DOI starts with 10." in problems
    assert "leads to a topic that doesn't exist" in problems
    assert "next-review date must be in the future" in problems
    draft.submit()
    login_verified(client, reviewer)
    act(client, "publish", draft)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.IN_REVIEW


def test_an_answer_of_zero_brings_no_explanation(patient_client, patient):
    day = patient.today()
    log(patient, day, "joint-pain", frequency=0)
    response = patient_client.get(reverse("education:explanation", args=[day, "joint-pain"]))
    assert "explanation" not in response.text


def test_when_to_talk_to_the_care_team_cannot_be_hidden(patient_client):
    response = patient_client.post(
        reverse("education:hide", args=["fatigue"]), {"section": "when_to_talk"}
    )
    assert response.status_code == 400


def test_hiding_works_without_javascript(patient_client, patient):
    response = patient_client.post(
        reverse("education:hide", args=["fatigue"]), {"section": "summary"}
    )
    assert response.status_code == 302
    assert patient.hidden_explanations.count() == 1


def test_worse_than_baseline_waits_for_a_whole_baseline(patient):
    from education.rules import context_for

    start = patient.today() - dt.timedelta(days=3)
    patient.therapies.update(started_on=start - dt.timedelta(days=30))
    for offset, grade_inputs in enumerate([(1, 1), (3, 3)]):
        log(
            patient,
            start + dt.timedelta(days=offset),
            "fatigue",
            severity=grade_inputs[0],
            interference=grade_inputs[1],
        )
    context = context_for(
        patient=patient, symptom=symptom("fatigue"), date=start + dt.timedelta(days=1)
    )
    assert not context.worse_than_baseline


@pytest.mark.parametrize(
    ("condition", "threshold"),
    [("grade_at_least", 9), ("severity_at_least", None), ("days_in_a_row", 0)],
)
def test_a_rule_needs_a_sensible_number(condition, threshold):
    rule = ContextRule(
        symptom=symptom("fatigue"),
        topic=Topic.objects.first(),
        condition=condition,
        threshold=threshold,
    )
    with pytest.raises(ValidationError):
        rule.clean()


def test_later_content_files_arrive_in_review_and_keep_reviewers_rules(tmp_path, monkeypatch):
    source = content.CONTENT_DIR / "fatigue.md"
    (tmp_path / "sleepy-feet.md").write_text(
        source.read_text().replace('slug = "fatigue"', 'slug = "sleepy-feet"')
    )
    monkeypatch.setattr(content, "CONTENT_DIR", tmp_path)
    ContextRule.objects.filter(symptom__slug="fatigue", condition="days_in_a_row").delete()
    out = StringIO()
    call_command("load_content", stdout=out)
    assert "1 new topic(s) waiting for review" in out.getvalue()
    topic = Topic.objects.get(slug="sleepy-feet")
    assert topic.published_version is None
    assert topic.versions.get().status == VersionStatus.IN_REVIEW
    assert not ContextRule.objects.filter(
        symptom__slug="fatigue", condition="days_in_a_row", topic__slug="fatigue"
    ).exists()
    assert apps.get_model("education", "Topic") is Topic
