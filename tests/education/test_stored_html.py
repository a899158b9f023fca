"""Curated Markdown is rendered once, when a version is saved, and is bounded in size:
a page view never runs Markdown."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from education import markup
from education.models import MARKDOWN_FIELDS, Topic, TopicVersion, VersionStatus
from tests.factories import log, login_verified, make_user
from tracker import roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    login_verified(client, make_user("eddie", role=roles.CONTENT_EDITOR, is_staff=True))
    return client


@pytest.fixture
def no_markdown(monkeypatch):
    """Markdown fails the test if anything runs it."""

    def refuse(text):
        raise AssertionError("Markdown ran")

    monkeypatch.setattr(markup, "_markdown", refuse)


def draft(topic_slug="fatigue") -> TopicVersion:
    return Topic.objects.get(slug=topic_slug).published_version.copy_as_draft(by=None)


def change_form(version: TopicVersion, **changes) -> dict:
    """The version's admin change form as a browser would post it, with `changes`."""
    return {
        "title": version.title,
        **version.texts(),
        "change_note": "",
        "next_review_on": "",
        "references-TOTAL_FORMS": "0",
        "references-INITIAL_FORMS": "0",
        **changes,
    }


def test_every_version_already_there_has_its_html_stored():
    versions = TopicVersion.objects.all()
    assert versions and all(version.rendered_is_current() for version in versions)


def test_reading_a_topic_and_an_explanation_runs_no_markdown(patient_client, patient, no_markdown):
    page = patient_client.get(reverse("education:topic", args=["fatigue"]))
    assert page.status_code == 200 and "<h2" in page.text
    day = patient.today() - dt.timedelta(days=1)
    log(patient, day, "fatigue", severity=2, interference=1)
    explanation = patient_client.get(reverse("education:explanation", args=[day, "fatigue"]))
    assert explanation.status_code == 200 and "<p>" in explanation.text


def test_saving_in_the_admin_stores_the_new_text_as_html(editor_client):
    version = draft()
    url = reverse("admin:education_topicversion_change", args=[version.pk])
    response = editor_client.post(url, change_form(version, what_helps="Rest **well**."))
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.rendered_is_current()
    assert version.rendered["html"]["what_helps"] == "<p>Rest <strong>well</strong>.</p>"


def test_a_new_version_made_in_the_admin_stores_its_html(editor_client):
    topic = Topic.objects.get(slug="fatigue")
    data = change_form(topic.published_version, topic=topic.pk, summary="Short *and* plain.")
    response = editor_client.post(reverse("admin:education_topicversion_add"), data)
    assert response.status_code == 302
    new = topic.versions.get(status=VersionStatus.DRAFT)
    assert new.rendered_is_current()
    assert new.section_intro("summary") == "<p>Short <em>and</em> plain.</p>"


def test_a_copy_keeps_the_html_of_the_same_text(no_markdown):
    copy = draft()
    assert copy.rendered_is_current()
    assert copy.section_html("fundamentals") == copy.topic.published_version.section_html(
        "fundamentals"
    )


def test_text_changed_outside_the_admin_shows_right_and_load_content_stores_it(patient):
    version = draft()
    version.fundamentals = "Changed *outside* the admin."
    version.save()  # as a shell might, without render()
    assert not version.rendered_is_current()
    assert version.section_html("fundamentals") == "<p>Changed <em>outside</em> the admin.</p>"

    out = StringIO()
    call_command("load_content", stdout=out)
    assert "HTML made again for 1 version(s)" in out.getvalue()
    version.refresh_from_db()
    assert version.rendered_is_current()
    assert version.rendered["html"]["fundamentals"] == (
        "<p>Changed <em>outside</em> the admin.</p>"
    )
    call_command("load_content", stdout=out)
    assert "HTML made again for 0 version(s)" in out.getvalue()


def test_html_made_by_an_older_renderer_is_made_again(monkeypatch):
    version = Topic.objects.get(slug="fatigue").published_version
    monkeypatch.setattr(markup, "RENDERER_VERSION", markup.RENDERER_VERSION + 1)
    assert not version.rendered_is_current()
    assert TopicVersion.objects.render_stale() == TopicVersion.objects.count()
    version.refresh_from_db()
    assert version.rendered_is_current()


def test_a_text_over_the_limit_is_refused_kindly_and_kept_to_edit(editor_client):
    version = draft()
    before = version.fundamentals
    too_long = "Plain words." * (markup.MAX_LENGTH // 12 + 1)
    url = reverse("admin:education_topicversion_change", args=[version.pk])
    response = editor_client.post(url, change_form(version, fundamentals=too_long))
    assert response.status_code == 200
    assert f"This has {len(too_long)} characters, more than the 20000 that fit here" in (
        response.text
    )
    assert too_long.strip() in response.text  # every character typed is still there
    textarea = response.text.split('<textarea name="fundamentals"')[1].split(">")[0]
    assert "rows=" in textarea and "maxlength" not in textarea  # no browser cuts a paste
    version.refresh_from_db()
    assert version.fundamentals == before


@pytest.mark.parametrize("field", MARKDOWN_FIELDS)
def test_every_markdown_text_is_limited_in_the_model_too(field):
    version = draft()
    setattr(version, field, "x" * (markup.MAX_LENGTH + 1))
    with pytest.raises(Exception, match="that fit here"):  # noqa: PT011 - a ValidationError
        version.full_clean()
