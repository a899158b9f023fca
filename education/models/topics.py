"""Curated topics, their versions through the review workflow, and references."""

import datetime as dt
import re

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tracker.models import Symptom, safety_gaps

from .. import markup
from ..content import FIRST_EDITION_REVIEWER


class BodySystem(models.TextChoices):
    MUSCLES_AND_JOINTS = "muscles-and-joints", _("Muscles and joints")
    HOT_FLASHES_AND_SWEATS = "hot-flashes-and-sweats", _("Hot flashes and sweats")
    VAGINAL_AND_SEXUAL_HEALTH = "vaginal-and-sexual-health", _("Vaginal and sexual health")
    SLEEP_ENERGY_AND_MOOD = "sleep-energy-and-mood", _("Sleep, energy and mood")
    NERVES_AND_SWELLING = "nerves-and-swelling", _("Nerves and swelling")
    BONES = "bones", _("Bones")
    HEART_AND_CIRCULATION = "heart-and-circulation", _("Heart and circulation")
    YOUR_TREATMENT = "your-treatment", _("Your treatment")


class Depth(models.TextChoices):
    FUNDAMENTALS = "fundamentals", _("Fundamentals")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ACADEMIC = "academic", _("Academic")


class Section(models.TextChoices):
    SUMMARY = "summary", _("Summary")
    FUNDAMENTALS = "fundamentals", _("Fundamentals")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ACADEMIC = "academic", _("Academic")
    WHAT_HELPS = "what_helps", _("What can help")
    WHEN_TO_TALK = "when_to_talk", _("When to talk to your care team")


class Language(models.TextChoices):
    """The languages a topic is written in. English is the original: a translation
    follows an English version and cites its references."""

    ENGLISH = "en", "English"
    SPANISH = "es", "Español"


def reading_language() -> str:
    """The content language for the active page language ("es" for any Spanish)."""
    code = (translation.get_language() or "")[:2]
    return code if code in Language.values else Language.ENGLISH


# A translation need not have these: the page shows the English text there, marked
# as English, until the content team can translate them well.
OPTIONAL_IN_TRANSLATION = ["intermediate", "academic"]


class TopicQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_version__isnull=False)

    def with_published(self):
        return self.published().select_related("published_version")

    def review_due(self, today: dt.date):
        return self.published().filter(published_version__next_review_on__lte=today)


class Topic(models.Model):
    slug = models.SlugField(unique=True, max_length=60)
    body_system = models.CharField(max_length=40, choices=BodySystem.choices)
    symptoms = models.ManyToManyField(
        Symptom, blank=True, related_name="topics", help_text=_("Symptoms this topic explains.")
    )
    published_version = models.OneToOneField(
        "TopicVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]

    def __str__(self):
        return self.published_version.title if self.published_version else self.slug

    def version_in(self, language: str) -> "TopicVersion | None":
        """The published version in a language: the English one, or its translation."""
        if language == Language.ENGLISH:
            return self.published_version
        return self.versions.published_in(language).select_related("translates").first()

    def translation_status(self, language: str) -> str:
        """Where the translation stands, in a few words, for the content team."""
        versions = list(self.versions.filter(language=language).order_by("-number")[:20])
        published = next((v for v in versions if v.status == VersionStatus.PUBLISHED), None)
        latest = versions[0] if versions else None
        if latest is None:
            return gettext("missing")
        words = []
        if published is not None:
            words.append(gettext("v%(number)s published") % {"number": published.number})
            if self.published_version_id and published.translates_id != self.published_version_id:
                words.append(gettext("outdated: the English has changed since"))
        if latest is not published:
            words.append(
                gettext("v%(number)s %(status)s")
                % {"number": latest.number, "status": latest.get_status_display().lower()}
            )
        return "; ".join(words)


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired (an earlier published version)")


SECTION_FIELDS = ["fundamentals", "intermediate", "academic", "what_helps", "when_to_talk"]
MARKDOWN_FIELDS = ["summary", *SECTION_FIELDS]  # each is also a Section value
# No `max_length`: its maxlength attribute would make a browser cut pasted text short
# without a word. The validator instead says so and the form keeps every character.
WITHIN_LIMIT = MaxLengthValidator(markup.MAX_LENGTH, message=markup.TOO_LONG)


class TopicVersionQuerySet(models.QuerySet):
    def published_in(self, language: str):
        return self.filter(language=language, status=VersionStatus.PUBLISHED)

    def by_topic(self) -> dict:
        """These versions by topic id (one each, as published_in gives them)."""
        return {version.topic_id: version for version in self}

    def render_stale(self) -> int:
        """Store fresh HTML for each version whose text, or the renderer, changed since
        its HTML was made; how many there were."""
        count = 0
        for version in self.iterator():
            if not version.rendered_is_current():
                version.render()
                version.save(update_fields=["rendered"])
                count += 1
        return count


class TopicVersion(models.Model):
    """One edition of a topic. Only a clinical reviewer publishes; published and
    retired versions never change, so what a patient read can always be found."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(editable=False)
    status = models.CharField(
        max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT, editable=False
    )
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.ENGLISH
    )
    translates = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="translations",
        editable=False,
        help_text=_("The English version this translates: its references are the ones cited."),
    )
    title = models.CharField(max_length=120)
    summary = models.TextField(
        help_text=_(
            "Two or three plain sentences, shown beside a symptom right after it is logged."
        ),
        validators=[WITHIN_LIMIT],
    )
    fundamentals = models.TextField(
        help_text=_("Markdown. About an 8th-grade reading level."), validators=[WITHIN_LIMIT]
    )
    # Optional in a translation only (see OPTIONAL_IN_TRANSLATION and the admin's form).
    intermediate = models.TextField(help_text=_("Markdown."), blank=True, validators=[WITHIN_LIMIT])
    academic = models.TextField(
        help_text=_("Markdown, for clinicians and keen readers."),
        blank=True,
        validators=[WITHIN_LIMIT],
    )
    what_helps = models.TextField(
        _("what can help"), help_text=_("Markdown."), validators=[WITHIN_LIMIT]
    )
    when_to_talk = models.TextField(
        _("when to talk to your care team"), help_text=_("Markdown."), validators=[WITHIN_LIMIT]
    )
    # The texts above as HTML, made once when they are saved (see markup.render), so
    # reading a page never runs Markdown. Written by render() alone.
    rendered = models.JSONField(default=dict, blank=True, editable=False)
    change_note = models.CharField(
        max_length=200, blank=True, help_text=_("What changed, for reviewers.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    next_review_on = models.DateField(
        null=True,
        blank=True,
        help_text=_("When a reviewer should look again (a year, if left empty)."),
    )

    objects = TopicVersionQuerySet.as_manager()

    class Meta:
        ordering = ["topic", "-number"]
        permissions = [("publish_topicversion", "Can publish a topic version")]
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "number"], name="one_number_per_topic_version"
            ),
            models.UniqueConstraint(
                fields=["topic", "language"],
                condition=Q(status="published"),
                name="one_published_version_per_language",
            ),
            models.CheckConstraint(
                condition=Q(language="en", translates__isnull=True)
                | (~Q(language="en") & Q(translates__isnull=False)),
                name="translations_name_their_english_version",
                violation_error_message="A translation follows an English version; English ones follow none.",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["published", "retired"])
                | Q(
                    reviewed_by__isnull=False,
                    reviewed_at__isnull=False,
                    next_review_on__isnull=False,
                ),
                name="published_versions_have_a_review",
                violation_error_message="A version can only be published with a reviewer and review dates.",
            ),
        ]

    def __str__(self):
        return f"{self.title} (v{self.number}, {self.get_status_display().lower()})"

    @property
    def awaiting_clinical_review(self) -> bool:
        """The first edition was written by the Ripple team and not yet read by a clinician."""
        return self.reviewed_by is not None and self.reviewed_by.username == FIRST_EDITION_REVIEWER

    @property
    def is_translation(self) -> bool:
        return self.language != Language.ENGLISH

    def cited_references(self):
        """The references its citations number: a translation cites its English version's."""
        return (self.translates if self.is_translation else self).references.all()

    def section_language(self, section: str) -> str:
        """The language a section is shown in: English where a translation left it out."""
        if self.is_translation and not getattr(self, section).strip():
            return Language.ENGLISH
        return self.language

    @property
    def editable(self) -> bool:
        return self.status in (VersionStatus.DRAFT, VersionStatus.IN_REVIEW)

    def texts(self) -> dict[str, str]:
        return {field: getattr(self, field) for field in MARKDOWN_FIELDS}

    def render(self) -> None:
        """Make the stored HTML from the texts; call before saving changed text."""
        self.rendered = markup.render(self.texts())

    def rendered_is_current(self) -> bool:
        return self.rendered.get("source") == markup.source_key(self.texts())

    def section_html(self, section: str) -> str:
        if self.section_language(section) != self.language:
            return self.translates.section_html(section)
        if self.rendered_is_current():
            return self.rendered["html"][section]
        # Text saved without render() (from a shell, or before a new renderer):
        # right, if slower. load_content stores it again.
        return markup.to_html(getattr(self, section))

    def section_intro(self, section: str) -> str:
        """The section's first paragraph as HTML, shown beside a logged symptom."""
        if self.section_language(section) != self.language:
            return self.translates.section_intro(section)
        if self.rendered_is_current():
            return self.rendered["intro"][section]
        return markup.to_html(markup.first_paragraph(getattr(self, section)))

    def publication_problems(self) -> list[str]:
        """Everything that stops this version from being published, in plain words."""
        found = []
        references = list(self.cited_references())
        positions = [reference.position for reference in references]
        if self.is_translation:
            found += self._translation_problems()
        elif not references:
            found.append(gettext("Add at least one reference."))
        elif sorted(positions) != list(range(1, len(positions) + 1)):
            found.append(
                gettext("Number the references 1 to %(count)s, with no gaps.")
                % {"count": len(positions)}
            )
        if not self.is_translation:
            for reference in references:
                found += [
                    gettext("Reference %(number)s: %(problem)s")
                    % {"number": reference.position, "problem": p}
                    for p in reference.problems()
                ]
        topics = set(Topic.objects.values_list("slug", flat=True))
        for field in MARKDOWN_FIELDS:
            text = getattr(self, field).strip()
            label = self._meta.get_field(field).verbose_name.capitalize()
            if not text and not (self.is_translation and field in OPTIONAL_IN_TRANSLATION):
                found.append(gettext("%(section)s is empty.") % {"section": label})
            found += [
                f"{label}: {p}"
                for p in markup.problems(text, references=set(positions), topics=topics)
            ]
        if self.next_review_on and self.next_review_on <= timezone.localdate():
            found.append(gettext("The next-review date must be in the future."))
        return found

    def _translation_problems(self) -> list[str]:
        """A translation is published only with the safety wording in its language, and
        never with a section left as the English text it started from."""
        found = list(safety_gaps(self.language))
        for field in ["title", *MARKDOWN_FIELDS]:
            text = getattr(self, field).strip()
            if text and text == getattr(self.translates, field).strip():
                label = self._meta.get_field(field).verbose_name.capitalize()
                found.append(gettext("%(section)s is still the English text.") % {"section": label})
        return found

    def copy_as_draft(self, *, by) -> "TopicVersion":
        """A new draft with this version's text and references (to edit or to restore)."""
        with transaction.atomic():
            draft = TopicVersion.objects.create(
                topic=self.topic,
                number=next_number(self.topic),
                title=self.title,
                **self.texts(),
                rendered=self.rendered,  # the same texts
                change_note=f"Copied from version {self.number}",
                created_by=by,
                language=self.language,
                translates=self.translates,
            )
            for reference in self.references.all():
                reference.pk = None
                reference.version = draft
                reference.save()
        return draft

    def start_translation(self, language: str, *, by) -> "TopicVersion":
        """A draft in another language, following this English version: its title and
        the sections every translation needs start as the English text, to write over;
        the deeper two start empty (patients see the English there until written)."""
        texts = self.texts()
        for field in OPTIONAL_IN_TRANSLATION:
            texts[field] = ""
        draft = TopicVersion(
            topic=self.topic,
            number=next_number(self.topic),
            language=language,
            translates=self,
            title=self.title,
            **texts,
            change_note=f"Translation of English version {self.number}",
            created_by=by,
        )
        draft.render()
        draft.save()
        return draft

    def submit(self) -> None:
        self.status = VersionStatus.IN_REVIEW
        self.submitted_at = timezone.now()
        self.save(update_fields=["status", "submitted_at"])

    def return_to_draft(self) -> None:
        self.status = VersionStatus.DRAFT
        self.save(update_fields=["status"])

    def publish(self, *, reviewer, today: dt.date | None = None) -> None:
        """Make this the version patients see; the one it replaces is kept as retired."""
        today = today or timezone.localdate()
        with transaction.atomic():
            topic = Topic.objects.select_for_update().get(pk=self.topic_id)
            # Each language has its own published version; English is the topic's own.
            topic.versions.published_in(self.language).exclude(pk=self.pk).update(
                status=VersionStatus.RETIRED
            )
            self.status = VersionStatus.PUBLISHED
            self.reviewed_by = reviewer
            self.reviewed_at = timezone.now()
            self.next_review_on = self.next_review_on or today + dt.timedelta(days=365)
            self.save(update_fields=["status", "reviewed_by", "reviewed_at", "next_review_on"])
            if not self.is_translation:
                topic.published_version = self
                topic.save(update_fields=["published_version"])


def next_number(topic: Topic) -> int:
    latest = topic.versions.aggregate(models.Max("number"))["number__max"]
    return (latest or 0) + 1


class Reference(models.Model):
    version = models.ForeignKey(TopicVersion, on_delete=models.CASCADE, related_name="references")
    position = models.PositiveSmallIntegerField(
        help_text=_("Its number, as cited in the text: [1], [2]…")
    )
    authors = models.CharField(max_length=300)
    title = models.CharField(max_length=400)
    journal = models.CharField(_("journal or publisher"), max_length=200)
    year = models.PositiveSmallIntegerField()
    volume = models.CharField(max_length=20, blank=True)
    issue = models.CharField(max_length=20, blank=True)
    pages = models.CharField(max_length=30, blank=True)
    doi = models.CharField(_("DOI"), max_length=100, blank=True)
    pmid = models.CharField(_("PMID"), max_length=12, blank=True)
    url = models.URLField(_("web address"), blank=True)

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "position"], name="one_reference_per_number"
            ),
        ]

    def __str__(self):
        return self.citation

    @property
    def citation(self) -> str:
        where = self.journal
        if self.volume:
            where += f" {self.volume}"
            if self.issue:
                where += f"({self.issue})"
        if self.pages:
            where += f":{self.pages}"
        return f"{self.authors} {self.title}. {where} ({self.year})."

    @property
    def link(self) -> str:
        if self.doi:
            return f"https://doi.org/{self.doi}"
        if self.pmid:
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"
        return self.url

    def problems(self) -> list[str]:
        found = [
            f"the {name} is missing."
            for name in ("authors", "title", "journal", "year")
            if not getattr(self, name)
        ]
        if self.year and not 1900 <= self.year <= timezone.localdate().year + 1:
            found.append(f"the year {self.year} looks wrong.")
        if self.pmid and not self.pmid.isdigit():
            found.append("a PMID is a number.")
        if self.doi and not re.match(r"^10\.\d{4,9}/\S+$", self.doi):
            found.append(
                "a DOI starts with 10. and has no web address in front (e.g. 10.1200/JCO.2011.38.0261)."
            )
        return found
