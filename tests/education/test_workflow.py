"""Curation in the Django admin: editors write, only clinical reviewers publish."""

import pytest
from django.urls import reverse

from education.models import Reference, Topic, TopicVersion, VersionStatus
from tests.factories import login_verified, make_user
from tracker import roles

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:education_topicversion_changelist"


@pytest.fixture
def editor(db):
    return make_user("eddie", role=roles.CONTENT_EDITOR, is_staff=True)


@pytest.fixture
def reviewer(db):
    return make_user("rhea", role=roles.CLINICAL_REVIEWER, is_staff=True)


def as_user(client, user):
    login_verified(client, user)
    return client


def new_draft(topic_slug="fatigue", **changes):
    topic = Topic.objects.get(slug=topic_slug)
    draft = topic.published_version.copy_as_draft(by=None)
    for field, value in changes.items():
        setattr(draft, field, value)
    draft.save()
    return draft


def run_action(client, action, version):
    return client.post(
        reverse(CHANGELIST), {"action": action, "_selected_action": [version.pk]}, follow=True
    )


def test_an_editor_writes_a_draft_and_submits_it(client, editor):
    as_user(client, editor)
    topic = Topic.objects.get(slug="fatigue")
    response = client.post(
        reverse("admin:education_topicversion_add"),
        {
            "topic": topic.pk,
            "title": "Tiredness, revised",
            "summary": "Short and plain.",
            "fundamentals": "Plain words [1].",
            "intermediate": "More detail.",
            "academic": "Evidence.",
            "what_helps": "Moving a little each day.",
            "when_to_talk": "If it stops you doing things.",
            "change_note": "Simpler",
            "references-TOTAL_FORMS": "1",
            "references-INITIAL_FORMS": "0",
            "references-0-position": "1",
            "references-0-authors": "Bower JE",
            "references-0-title": "Cancer-related fatigue",
            "references-0-journal": "Nat Rev Clin Oncol",
            "references-0-year": "2014",
        },
    )
    assert response.status_code == 302, response.content
    draft = topic.versions.get(status=VersionStatus.DRAFT)
    assert draft.number == topic.versions.count() and draft.created_by == editor
    run_action(client, "submit_for_review", draft)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.IN_REVIEW


def test_an_editor_cannot_publish(client, editor):
    draft = new_draft()
    draft.submit()
    as_user(client, editor)
    page = client.get(reverse(CHANGELIST)).text
    assert 'value="publish"' not in page
    run_action(client, "publish", draft)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.IN_REVIEW
    assert Topic.objects.get(slug="fatigue").published_version != draft


def test_a_reviewer_publishes_and_the_old_version_is_kept_as_retired(client, reviewer):
    topic = Topic.objects.get(slug="fatigue")
    old = topic.published_version
    draft = new_draft(title="Tiredness (v2)")
    draft.submit()
    as_user(client, reviewer)
    response = run_action(client, "publish", draft)
    assert "is now what patients read" in response.text
    topic.refresh_from_db()
    old.refresh_from_db()
    assert topic.published_version == draft and old.status == VersionStatus.RETIRED
    draft.refresh_from_db()
    assert draft.reviewed_by == reviewer and draft.next_review_on and draft.reviewed_at


def test_nothing_published_changes_until_the_new_version_is_published(client, editor):
    topic = Topic.objects.get(slug="fatigue")
    before = topic.published_version.fundamentals
    new_draft(fundamentals="Changed words.")
    page = client.get(reverse("education:topic", args=["fatigue"])).text
    assert "Changed words." not in page
    assert Topic.objects.get(slug="fatigue").published_version.fundamentals == before


def test_publishing_is_refused_with_a_clear_message_when_a_reference_is_incomplete(
    client, reviewer
):
    draft = new_draft()
    Reference.objects.filter(version=draft, position=1).update(journal="")
    draft.submit()
    as_user(client, reviewer)
    response = run_action(client, "publish", draft)
    assert (
        "was not published" in response.text
        and "Reference 1: the journal is missing." in response.text
    )
    draft.refresh_from_db()
    assert draft.status == VersionStatus.IN_REVIEW


def test_publishing_is_refused_for_a_broken_link(client, reviewer):
    draft = new_draft(what_helps="See [this](htp://nowhere).")
    draft.submit()
    as_user(client, reviewer)
    response = run_action(client, "publish", draft)
    assert "doesn&#x27;t look right" in response.text or "doesn't look right" in response.text


def test_the_admin_form_refuses_raw_html(client, editor):
    draft = new_draft()
    as_user(client, editor)
    data = {
        field: getattr(draft, field)
        for field in [
            "title",
            "summary",
            "fundamentals",
            "intermediate",
            "academic",
            "what_helps",
            "when_to_talk",
        ]
    }
    data.update(
        topic=draft.topic.pk,
        fundamentals="Hi <script>alert(1)</script>",
        **{"references-TOTAL_FORMS": "0", "references-INITIAL_FORMS": "0"},
    )
    response = client.post(reverse("admin:education_topicversion_change", args=[draft.pk]), data)
    assert response.status_code == 200
    assert "Write Markdown, not HTML" in response.text


def test_a_version_without_a_reviewer_cannot_be_published_in_the_database():
    draft = new_draft()
    draft.status = VersionStatus.PUBLISHED
    with pytest.raises(Exception):  # noqa: B017,PT011 - the database refuses
        draft.save()


def test_published_and_retired_versions_cannot_be_edited(client, reviewer):
    as_user(client, reviewer)
    published = Topic.objects.get(slug="fatigue").published_version
    url = reverse("admin:education_topicversion_change", args=[published.pk])
    response = client.post(url, {"title": "Sneaky edit"})
    published.refresh_from_db()
    assert published.title != "Sneaky edit"
    assert response.status_code in (302, 403) or "view" in response.text.lower()


def test_a_reviewer_restores_an_earlier_version(client, reviewer):
    topic = Topic.objects.get(slug="fatigue")
    first = topic.published_version
    second = new_draft(title="A worse title")
    second.submit()
    second.publish(reviewer=reviewer)
    as_user(client, reviewer)
    run_action(client, "copy_as_new_draft", first)
    restored = topic.versions.order_by("-number").first()
    assert restored.title == first.title and restored.status == VersionStatus.DRAFT
    assert restored.references.count() == first.references.count()
    restored.submit()
    run_action(client, "publish", restored)
    topic.refresh_from_db()
    assert topic.published_version == restored


def test_drafts_and_retired_versions_are_invisible_to_patients(patient_client, reviewer):
    topic = Topic.objects.get(slug="fatigue")
    draft = new_draft(fundamentals="DRAFT TEXT ONLY")
    page = patient_client.get(reverse("education:topic", args=["fatigue"])).text
    assert "DRAFT TEXT ONLY" not in page
    draft.submit()
    draft.publish(reviewer=reviewer)
    assert (
        "DRAFT TEXT ONLY" in patient_client.get(reverse("education:topic", args=["fatigue"])).text
    )
    assert TopicVersion.objects.filter(topic=topic, status=VersionStatus.RETIRED).count() == 1


def test_preview_and_compare_show_the_draft(client, editor):
    draft = new_draft(fundamentals="Brand new opening sentence.")
    as_user(client, editor)
    preview = client.get(reverse("admin:education_topicversion_preview", args=[draft.pk]))
    assert "Brand new opening sentence." in preview.text
    compare = client.get(reverse("admin:education_topicversion_compare", args=[draft.pk]))
    assert compare.status_code == 200 and "Brand&nbsp;new&nbsp;opening" in compare.text


def test_topics_past_their_review_date_are_listed_for_reviewers(client, reviewer):
    Topic.objects.get(slug="fatigue").published_version.__class__.objects.filter(
        topic__slug="fatigue"
    ).update(next_review_on="2000-01-01")
    as_user(client, reviewer)
    response = client.get(reverse("admin:education_topic_changelist"), {"review": "due"})
    assert "fatigue" in response.text
    assert "1 topic is past its next-review date" in response.text


def test_a_patient_cannot_reach_the_curation_admin(patient_client):
    assert patient_client.get(reverse(CHANGELIST)).status_code == 302


def test_each_field_of_a_reference_row_is_named_for_its_column_and_row(client, editor):
    # On screen a reference's fields are labelled only by the table's column headers.
    draft = new_draft()
    page = as_user(client, editor).get(
        reverse("admin:education_topicversion_change", args=[draft.pk])
    )
    assert 'aria-label="Authors, reference 1"' in page.text
    assert 'aria-label="Journal or publisher, reference 2"' in page.text
    assert 'aria-label="Delete, reference 1"' in page.text
    assert 'aria-label="Authors, new reference"' in page.text  # the row "Add another" copies
