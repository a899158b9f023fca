"""The curation admin refuses posts that claim huge numbers of forms, quickly and
kindly, and compares long rewrites without pairing every line with every other."""

import pytest
from django.urls import reverse

from education.models import ContextRule, Reference, Topic, TopicVersion
from tests.education.test_stored_html import change_form, draft
from tests.factories import login_verified, make_user
from tracker import roles

pytestmark = pytest.mark.django_db
A_MILLION = "1000000"


@pytest.fixture
def reviewer_client(client):
    login_verified(client, make_user("rhea", role=roles.CLINICAL_REVIEWER, is_staff=True))
    return client


def test_a_million_references_are_refused_and_nothing_is_saved(reviewer_client):
    version = draft()
    references = list(version.references.values_list("pk", "title"))
    data = change_form(version, title="Changed", **{"references-TOTAL_FORMS": A_MILLION})
    url = reverse("admin:education_topicversion_change", args=[version.pk])
    response = reviewer_client.post(url, data)
    assert response.status_code == 200
    assert "A version can have at most 100 references." in response.text
    version.refresh_from_db()
    assert version.title != "Changed"
    assert list(version.references.values_list("pk", "title")) == references
    assert Reference.objects.filter(version=version).count() == len(references)


def test_as_many_references_as_a_version_may_have_are_accepted(reviewer_client):
    version = draft()
    version.references.all().delete()
    rows = {
        f"references-{i}-{name}": value
        for i in range(100)
        for name, value in [
            ("position", i + 1),
            ("authors", "Lee G"),
            ("title", f"Study {i + 1}"),
            ("journal", "J Clin Oncol"),
            ("year", 2020),
        ]
    }
    data = change_form(version, **{"references-TOTAL_FORMS": "100"}, **rows)
    url = reverse("admin:education_topicversion_change", args=[version.pk])
    assert reviewer_client.post(url, data).status_code == 302
    assert version.references.count() == 100


def test_a_topic_posted_with_a_million_versions_is_refused_unchanged(reviewer_client):
    topic = Topic.objects.get(slug="fatigue")
    url = reverse("admin:education_topic_change", args=[topic.pk])
    response = reviewer_client.post(
        url,
        {
            "body_system": "bones",
            "symptoms": list(topic.symptoms.values_list("pk", flat=True)),
            "versions-TOTAL_FORMS": A_MILLION,
            "versions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "The list of versions came back damaged: reload the page" in response.text
    topic.refresh_from_db()
    assert topic.body_system == "sleep-energy-and-mood"
    assert TopicVersion.objects.filter(topic=topic, language="en").count() == 1


def test_a_list_edit_of_rules_claiming_a_million_rows_is_refused(reviewer_client):
    rule = ContextRule.objects.order_by("pk").first()
    data = {
        "form-TOTAL_FORMS": A_MILLION,
        "form-INITIAL_FORMS": "1",
        "form-0-id": rule.pk,
        "form-0-priority": "99",
        "form-0-active": "on",
        "_save": "Save",
    }
    response = reviewer_client.post(reverse("admin:education_contextrule_changelist"), data)
    assert response.status_code == 200
    assert "Please submit at most 200 forms." in response.text
    rule.refresh_from_db()
    assert rule.priority != 99


def test_a_long_rewrite_is_compared_line_by_line(reviewer_client):
    version = draft()
    version.what_helps = "\n".join(f"Rewritten line {n}, a new idea." for n in range(400))
    version.save()
    url = reverse("admin:education_topicversion_compare", args=[version.pk])
    page = reviewer_client.get(url).text
    assert "Rewritten at length, so shown line by line" in page
    assert "+Rewritten line 399, a new idea." in page
    assert "-" + version.topic.published_version.what_helps.splitlines()[0] in page


def test_a_short_edit_is_compared_side_by_side(reviewer_client):
    version = draft()
    version.title = "Tiredness, in fewer words"
    version.save()
    page = reviewer_client.get(
        reverse("admin:education_topicversion_compare", args=[version.pk])
    ).text
    assert 'class="diff"' in page and "Rewritten at length" not in page
