"""Load the first edition of the curated content from education/content/*.md.

Used by the data migration (with historical models) and by tests. A topic that
already exists is left alone: after the first load, the admin owns the text.
"""

import datetime as dt
import re
import tomllib
from pathlib import Path

CONTENT_DIR = Path(__file__).parent / "content"
HEADINGS = {
    "Fundamentals": "fundamentals",
    "Intermediate": "intermediate",
    "Academic": "academic",
    "What can help": "what_helps",
    "When to talk to your care team": "when_to_talk",
}
REFERENCE_FIELDS = [
    "authors",
    "title",
    "journal",
    "year",
    "volume",
    "issue",
    "pages",
    "doi",
    "pmid",
    "url",
]
FIRST_EDITION_REVIEWER = "ripple-content-team"  # see TopicVersion.awaiting_clinical_review
# (condition, threshold, topic slug or None for the symptom's own topic, section, priority)
DEFAULT_RULES = [
    ("any", None, None, "summary", 10),
    # A symptom's first report shows its own topic's basics (how the medicine causes
    # it), not one general card for every symptom.
    ("first_report", None, None, "fundamentals", 20),
    ("days_in_a_row", 7, None, "what_helps", 30),
    ("worse_than_baseline", None, None, "what_helps", 30),
    ("severity_at_least", 4, None, "when_to_talk", 50),
    ("grade_at_least", 3, None, "when_to_talk", 50),
]


class ContentError(ValueError):
    pass


# A translation (education/content/<language>/<slug>.md) has the same front matter
# without references (it cites its English version's) and these sections, under the
# same English headings; Intermediate and Academic may follow Fundamentals.
TRANSLATION_HEADINGS = ["Fundamentals", "What can help", "When to talk to your care team"]
DEEPER_SECTIONS = ["intermediate", "academic"]
HEADING_OF = {field: heading for heading, field in HEADINGS.items()}
TEXT_FIELDS = ["summary", *HEADINGS.values()]


def parse(path: Path, *, translation: bool = False) -> dict:
    """Front matter and the five sections of one content file (or a translation's)."""
    text = path.read_text(encoding="utf-8")
    parts = text.split("+++")
    if len(parts) < 3 or parts[0].strip():
        raise ContentError(f"{path.name}: front matter between +++ lines is missing")
    try:
        meta = tomllib.loads(parts[1])
    except tomllib.TOMLDecodeError as error:
        raise ContentError(f"{path.name}: {error}") from error
    body = "+++".join(parts[2:])
    found = re.findall(r"^# ([^\n]+)\n(.*?)(?=^# |\Z)", body, flags=re.MULTILINE | re.DOTALL)
    titles = [title.strip() for title, _ in found]
    wanted = list(HEADINGS)
    if translation:
        wanted = [t for t in HEADINGS if t in titles or t in TRANSLATION_HEADINGS]
    if titles != wanted:
        raise ContentError(f"{path.name}: sections must be {wanted}, not {titles}")
    if meta.get("slug") != path.stem:
        raise ContentError(f"{path.name}: slug must be {path.stem!r}")
    meta["sections"] = {HEADINGS[title.strip()]: text.strip() for title, text in found}
    return meta


def content_files() -> list[Path]:
    return sorted(p for p in CONTENT_DIR.glob("*.md") if p.name != "README.md")


def translation_files(language: str) -> list[Path]:
    return sorted((CONTENT_DIR / language).glob("*.md"))


def load_translations(apps, *, language: str, today: dt.date, publish: bool) -> int:
    """Add each translation on file to a topic that has none in that language yet, as a
    version following the topic's published English one; published as the first edition
    (as load() does) or waiting in review. How many were added."""
    from . import markup

    Topic = apps.get_model("education", "Topic")
    TopicVersion = apps.get_model("education", "TopicVersion")
    reviewer = first_edition_reviewer(apps)
    added = 0
    for path in translation_files(language):
        meta = parse(path, translation=True)
        topic = Topic.objects.filter(slug=meta["slug"]).select_related("published_version").first()
        if topic is None or topic.published_version is None:
            continue
        if TopicVersion.objects.filter(topic=topic, language=language).exists():
            continue
        texts = {
            "summary": meta["summary"].strip(),
            **dict.fromkeys(["intermediate", "academic"], ""),
            **meta["sections"],
        }
        number = (TopicVersion.objects.filter(topic=topic).order_by("-number").first()).number + 1
        TopicVersion.objects.create(
            topic=topic,
            number=number,
            language=language,
            translates=topic.published_version,
            title=meta["title"],
            change_note="First edition of the translation, from education/content",
            rendered=markup.render(texts),
            **texts,
            **_first_review(reviewer, today, publish),
        )
        added += 1
    return added


def load_deeper_translations(apps, *, language: str, today: dt.date) -> int:
    """Give each translation the deeper sections (Intermediate, Academic) written on
    file since it was first loaded: a new version waiting in review, for a clinical
    reviewer to publish, with the published translation's other texts as they are.
    Only where no version in that language has those sections yet: after that, the
    admin owns them. How many versions were added."""
    from . import markup

    TopicVersion = apps.get_model("education", "TopicVersion")
    added = 0
    for path in translation_files(language):
        meta = parse(path, translation=True)
        deeper = {f: meta["sections"][f] for f in DEEPER_SECTIONS if meta["sections"].get(f)}
        versions = TopicVersion.objects.filter(topic__slug=meta["slug"], language=language)
        published = versions.filter(status="published").order_by("-number").first()
        if not deeper or published is None:
            continue
        if any(versions.exclude(**{field: ""}).exists() for field in deeper):
            continue
        texts = {field: getattr(published, field) for field in TEXT_FIELDS} | deeper
        latest = TopicVersion.objects.filter(topic_id=published.topic_id).latest("number")
        sections = " and ".join(HEADING_OF[field] for field in deeper)
        TopicVersion.objects.create(
            topic_id=published.topic_id,
            number=latest.number + 1,
            language=language,
            translates_id=published.translates_id,
            title=published.title,
            change_note=f"{sections} translated, from education/content",
            rendered=markup.render(texts),
            **texts,
            **_first_review(None, today, publish=False),
        )
        added += 1
    return added


def first_edition_reviewer(apps):
    User = apps.get_model("tracker", "User")
    reviewer, _ = User.objects.get_or_create(
        username=FIRST_EDITION_REVIEWER,
        defaults={
            "first_name": "Ripple content team",
            "last_name": "(first edition)",
            "is_active": False,
            "password": "!",  # unusable: this account never logs in
        },
    )
    return reviewer


def _first_review(reviewer, today: dt.date, publish: bool) -> dict:
    if not publish:
        return {"status": "in_review", "submitted_at": dt.datetime.now(tz=dt.UTC)}
    return {
        "status": "published",
        "reviewed_by": reviewer,
        "reviewed_at": dt.datetime.combine(today, dt.time(), tzinfo=dt.UTC),
        # Due soon on purpose: a clinician should read the first edition.
        "next_review_on": today + dt.timedelta(days=30),
    }


def load(apps, *, today: dt.date, publish: bool) -> int:
    """Create each topic not yet in the database from its file.

    The data migration publishes the first edition (so a new installation has
    something to show, marked as awaiting clinical review); files added later
    arrive "in review", for a clinical reviewer to publish.
    """
    Topic = apps.get_model("education", "Topic")
    TopicVersion = apps.get_model("education", "TopicVersion")
    Reference = apps.get_model("education", "Reference")
    Symptom = apps.get_model("tracker", "Symptom")
    reviewer = first_edition_reviewer(apps)
    created = []
    for path in content_files():
        meta = parse(path)
        if Topic.objects.filter(slug=meta["slug"]).exists():
            continue
        topic = Topic.objects.create(slug=meta["slug"], body_system=meta["body_system"])
        topic.symptoms.set(Symptom.objects.filter(slug__in=meta.get("symptoms", [])))
        review = _first_review(reviewer, today, publish)
        version = TopicVersion.objects.create(
            topic=topic,
            number=1,
            title=meta["title"],
            summary=meta["summary"].strip(),
            change_note="First edition, from education/content",
            **review,
            **meta["sections"],
        )
        for position, reference in enumerate(meta.get("references", []), start=1):
            Reference.objects.create(
                version=version,
                position=position,
                **{k: reference[k] for k in REFERENCE_FIELDS if k in reference},
            )
        if publish:
            topic.published_version = version
            topic.save(update_fields=["published_version"])
        created.append(topic)
    add_default_rules(apps, new_topics=created)
    return len(created)


def add_default_rules(apps, *, new_topics) -> None:
    """Give each symptom the default rules that point at a newly loaded topic.

    Only new topics: rules a reviewer has since changed or removed stay as they are.
    """
    Topic = apps.get_model("education", "Topic")
    ContextRule = apps.get_model("education", "ContextRule")
    Symptom = apps.get_model("tracker", "Symptom")
    new = {topic.pk for topic in new_topics}
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    for symptom in Symptom.objects.all():
        own = Topic.objects.filter(symptoms=symptom).order_by("slug").first()
        for condition, threshold, slug, section, priority in DEFAULT_RULES:
            topic = topics.get(slug) if slug else own
            if topic is not None and topic.pk in new:
                ContextRule.objects.get_or_create(
                    symptom=symptom,
                    condition=condition,
                    threshold=threshold,
                    topic=topic,
                    section=section,
                    defaults={"priority": priority},
                )
