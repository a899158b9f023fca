"""Explanations in Spanish: each translation is a version of its own in the review
workflow, follows an English version and cites its references."""

import pytest
from django.urls import reverse
from django.utils import translation

from education import content, readability
from education.models import Language, Topic, TopicVersion, VersionStatus
from education.rules import explanation_for
from tests.factories import log, login_verified, make_user, symptom
from tracker import roles

pytestmark = pytest.mark.django_db
SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es-ES,es;q=0.9"}
CHANGELIST = "admin:education_topicversion_changelist"


@pytest.fixture
def reviewer(db):
    return make_user("rhea", role=roles.CLINICAL_REVIEWER, is_staff=True)


def spanish(slug: str) -> TopicVersion:
    return Topic.objects.get(slug=slug).version_in(Language.SPANISH)


def test_every_topic_has_its_fundamentals_and_when_to_talk_in_spanish():
    files = {path.stem for path in content.translation_files("es")}
    assert files == {path.stem for path in content.content_files()}
    for topic in Topic.objects.published():
        version = topic.version_in(Language.SPANISH)
        assert version is not None, topic.slug
        assert version.translates == topic.published_version
        for field in ["title", "summary", "fundamentals", "what_helps", "when_to_talk"]:
            assert getattr(version, field).strip(), (topic.slug, field)


@pytest.mark.parametrize("path", content.translation_files("es"), ids=lambda p: p.stem)
def test_spanish_fundamentals_read_easily_by_fernandez_huerta(path):
    fundamentals = content.parse(path, translation=True)["sections"]["fundamentals"]
    assert readability.reading_ease_es(fundamentals) >= 60


@pytest.mark.parametrize("path", content.translation_files("es"), ids=lambda p: p.stem)
def test_spanish_intermediate_reads_fairly_easily_by_fernandez_huerta(path):
    intermediate = content.parse(path, translation=True)["sections"].get("intermediate", "")
    assert readability.reading_ease_es(intermediate) >= 55


@pytest.mark.parametrize("path", content.translation_files("es"), ids=lambda p: p.stem)
def test_spanish_texts_cite_only_references_the_english_version_has(path):
    from education import markup

    english = content.parse(content.CONTENT_DIR / path.name)
    numbers = set(range(1, len(english["references"]) + 1))
    for section, text in content.parse(path, translation=True)["sections"].items():
        assert markup.problems(text, references=numbers) == [], section


def test_a_spanish_reader_gets_the_topic_in_spanish_with_its_english_references(client):
    response = client.get(reverse("education:topic", args=["hot-flashes"]), **SPANISH)
    page = response.content.decode()
    version = spanish("hot-flashes")
    assert f"<h1>{version.title}</h1>" in page
    assert "Qué puede ayudar" in page and "What can help" not in page
    english = Topic.objects.get(slug="hot-flashes").published_version
    assert english.references.first().title in page  # references stay as published
    assert "?original=1" in page  # the English original is offered


def test_the_english_original_can_be_read_from_the_spanish_page(client):
    url = reverse("education:topic", args=["hot-flashes"]) + "?original=1"
    page = client.get(url, **SPANISH).content.decode()
    assert "<h1>Hot flashes</h1>" in page
    assert "Qué puede ayudar" in page  # the page around it stays Spanish


def test_a_topic_not_yet_published_in_spanish_says_so_and_shows_the_english(client, reviewer):
    TopicVersion.objects.filter(topic__slug="fatigue", language="es").update(
        status=VersionStatus.IN_REVIEW
    )
    page = client.get(reverse("education:topic", args=["fatigue"]), **SPANISH).content.decode()
    assert "aún no se ha revisado en su idioma" in page
    english = Topic.objects.get(slug="fatigue").published_version
    assert f"<h1>{english.title}</h1>" in page
    assert 'lang="en"' in page


def test_a_depth_a_translation_leaves_out_is_shown_in_english_and_marked(client):
    url = reverse("education:topic", args=["hot-flashes"]) + "?depth=academic"
    page = client.get(url, **SPANISH).content.decode()
    assert "Este nivel de detalle aún no está en su idioma" in page
    english = Topic.objects.get(slug="hot-flashes").published_version
    assert english.section_html("academic")[:80] in page


def test_every_topic_has_its_intermediate_in_spanish(client):
    for topic in Topic.objects.published():
        version = topic.version_in(Language.SPANISH)
        assert version.intermediate.strip(), topic.slug
        assert version.section_language("intermediate") == "es"
    url = reverse("education:topic", args=["joint-pain"]) + "?depth=intermediate"
    page = client.get(url, **SPANISH).content.decode()
    assert "Por qué el estrógeno es importante para las articulaciones" in page
    assert "aún no está en su idioma" not in page


def test_deeper_sections_written_later_wait_in_review_until_a_reviewer_publishes_them(
    client, reviewer
):
    from django.apps import apps

    published = spanish("joint-pain")
    published.intermediate = ""
    published.save()
    url = reverse("education:topic", args=["joint-pain"]) + "?depth=intermediate"
    assert "aún no está en su idioma" in client.get(url, **SPANISH).text

    today = published.reviewed_at.date()
    assert content.load_deeper_translations(apps, language="es", today=today) == 1
    assert content.load_deeper_translations(apps, language="es", today=today) == 0  # once
    waiting = TopicVersion.objects.get(topic__slug="joint-pain", status=VersionStatus.IN_REVIEW)
    assert waiting.language == "es" and waiting.translates == published.translates
    assert waiting.fundamentals == published.fundamentals and waiting.intermediate
    assert waiting.change_note == "Intermediate translated, from education/content"
    assert "aún no está en su idioma" in client.get(url, **SPANISH).text  # not yet published

    waiting.publish(reviewer=reviewer)
    page = client.get(url, **SPANISH).text
    assert "aún no está en su idioma" not in page
    assert "Por qué el estrógeno es importante para las articulaciones" in page


def test_the_explanation_beside_a_logged_symptom_is_in_the_readers_language(patient):
    import datetime as dt

    today = dt.date.today()
    log(patient, today, "hot-flashes", frequency=3, severity=3)
    with translation.override("es"):
        found = explanation_for(patient=patient, symptom=symptom("hot-flashes"), date=today)
    assert found.version == spanish("hot-flashes")
    with translation.override("en-gb"):
        found = explanation_for(patient=patient, symptom=symptom("hot-flashes"), date=today)
    assert found.version.language == Language.ENGLISH


def test_the_library_lists_spanish_titles_and_finds_spanish_words(client):
    page = client.get(reverse("education:library"), **SPANISH).content.decode()
    assert spanish("hot-flashes").title in page
    assert "Understanding your side effects" not in page
    page = client.get(reverse("education:library"), {"q": "sofocos"}, **SPANISH).content.decode()
    assert spanish("hot-flashes").title in page


def test_a_translation_starts_from_its_english_version_and_cites_its_references(reviewer):
    english = Topic.objects.get(slug="fatigue").published_version
    draft = english.start_translation(Language.SPANISH, by=reviewer)
    assert (draft.language, draft.translates, draft.status) == ("es", english, "draft")
    assert draft.intermediate == draft.academic == ""
    assert list(draft.cited_references()) == list(english.references.all())
    with translation.override("en-gb"):
        problems = draft.publication_problems()
    assert "Fundamentals is still the English text." in problems


def test_publishing_a_translation_retires_the_previous_one_and_leaves_the_english(reviewer):
    topic = Topic.objects.get(slug="fatigue")
    english, before = topic.published_version, topic.version_in(Language.SPANISH)
    draft = before.copy_as_draft(by=reviewer)
    draft.fundamentals = "Un texto nuevo y claro [1]."
    draft.save()
    draft.submit()
    assert draft.publication_problems() == []
    draft.publish(reviewer=reviewer)
    topic.refresh_from_db()
    before.refresh_from_db()
    assert topic.published_version == english
    assert topic.version_in(Language.SPANISH) == draft
    assert before.status == VersionStatus.RETIRED


def test_no_translation_is_published_while_a_red_flag_lacks_its_spanish_wording(reviewer):
    from tracker.models import Symptom

    Symptom.objects.filter(slug="limb-swelling").update(urgent_signs_es="")
    draft = spanish("fatigue").copy_as_draft(by=reviewer)
    draft.fundamentals = "Otro texto [1]."
    with translation.override("en-gb"):
        assert any("Swelling in an arm or leg" in p for p in draft.publication_problems())


def test_the_content_team_sees_each_topics_translation_status(client, reviewer):
    login_verified(client, reviewer)
    topic = Topic.objects.get(slug="fatigue")
    spanish_version = topic.version_in(Language.SPANISH)
    english = topic.published_version.copy_as_draft(by=reviewer)
    english.submit()
    english.publish(reviewer=reviewer)
    draft = spanish_version.copy_as_draft(by=reviewer)
    page = client.get(reverse("admin:education_topic_changelist")).content.decode()
    assert "Spanish" in page
    assert (
        f"v{spanish_version.number} published; outdated: the English has changed since; "
        f"v{draft.number} draft"
    ) in page


def test_a_reviewer_starts_a_spanish_translation_from_the_admin(client, reviewer):
    login_verified(client, reviewer)
    english = Topic.objects.get(slug="fatigue").published_version
    response = client.post(
        reverse(CHANGELIST),
        {"action": "start_spanish_translation", "_selected_action": [english.pk]},
        follow=True,
    )
    assert "Spanish draft" in response.content.decode()
    assert TopicVersion.objects.filter(
        topic=english.topic, language="es", status="draft", translates=english
    ).exists()
