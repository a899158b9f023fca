import pytest
from django.urls import reverse

from education.models import Topic

pytestmark = pytest.mark.django_db


def test_the_library_lists_every_published_topic_by_body_system(client):
    response = client.get(reverse("education:library"))
    assert response.status_code == 200
    for topic in Topic.objects.with_published():
        assert topic.published_version.title in response.text
    assert "Muscles and joints" in response.text


def test_the_library_filters_by_symptom_and_searches(client):
    response = client.get(reverse("education:library"), {"symptom": "hot-flashes"})
    assert "Hot flashes" in response.text
    assert "Bone health" not in response.text
    response = client.get(reverse("education:library"), {"q": "osteoclast"})
    assert "Bone health" in response.text
    assert "mention “osteoclast”" in response.text


def test_unknown_filters_fall_back_kindly(client):
    response = client.get(reverse("education:library"), {"symptom": "dragon-pox"})
    assert response.status_code == 200
    assert "weren't recognized" in response.text


def test_a_topic_page_shows_its_depth_what_helps_when_to_talk_references_and_review(client):
    response = client.get(reverse("education:topic", args=["bone-health"]))
    assert response.status_code == 200
    text = response.text
    assert "What can help" in text and "When to talk to your care team" in text
    assert "References" in text
    # The first edition says plainly that no clinician has reviewed it yet.
    assert "not yet reviewed by a clinician" in text
    assert '<strong aria-current="true">Fundamentals</strong>' in text


def test_the_depth_switch_is_remembered(client):
    client.get(reverse("education:topic", args=["bone-health"]), {"depth": "academic"})
    response = client.get(reverse("education:topic", args=["joint-pain"]))
    assert '<strong aria-current="true">Academic</strong>' in response.text


def test_an_unknown_topic_is_not_found(client):
    assert client.get(reverse("education:topic", args=["no-such-topic"])).status_code == 404


def test_library_and_topic_pages_run_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        client.get(reverse("education:library"))
    with django_assert_max_num_queries(5):
        client.get(reverse("education:topic", args=["joint-pain"]))
