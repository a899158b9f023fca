"""The symptom catalogue and the questions each symptom asks."""

from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class SymptomQuerySet(models.QuerySet):
    def active(self):
        return self.filter(retired=False)

    def defaults(self):
        return self.active().filter(tracked_by_default=True)


class Cadence(models.TextChoices):
    """How often a symptom is asked: each day about that day, or once a week about the
    past 7 days (how the trials of symptom monitoring asked)."""

    DAILY = "daily", _("Every day")
    WEEKLY = "weekly", _("Once a week")


# The days a symptom's answer is about, by cadence: a weekly answer is 7-day recall.
RECALL_DAYS = {Cadence.DAILY: 1, Cadence.WEEKLY: 7}


class Symptom(models.Model):
    """One entry of the symptom catalogue, curated by admins in the Django admin.

    Extra daily measures are switched on per symptom; the code knows how to ask
    each of them, so a new symptom can reuse any of them without a code change.
    """

    slug = models.SlugField(unique=True, max_length=40)
    name = models.CharField(max_length=80, help_text=_("Shown to patients, e.g. “Hot flashes”."))
    hint = models.CharField(
        max_length=200, blank=True, help_text=_("One plain sentence under the name, optional.")
    )
    urgent_signs = models.TextField(
        blank=True,
        help_text=(
            "This symptom's own signs that need help at once or the same day, in one or two "
            "plain sentences. Shown first whenever it is rated severe."
        ),
    )
    # The same three in Spanish; a page in Spanish falls back to the English ones while
    # these are empty (see in_language).
    name_es = models.CharField(_("name in Spanish"), max_length=80, blank=True)
    hint_es = models.CharField(_("hint in Spanish"), max_length=200, blank=True)
    urgent_signs_es = models.TextField(_("urgent signs in Spanish"), blank=True)
    crisis_contacts = models.BooleanField(
        default=False,
        help_text=_(
            "Show the crisis line on the page when it is rated severe (low mood, anxiety)."
        ),
    )
    pro_ctcae_item = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Number of the PRO-CTCAE item this aligns with.")
    )
    asks_frequency = models.BooleanField(default=False)
    asks_severity = models.BooleanField(default=True)
    asks_interference = models.BooleanField(default=False)
    asks_pain_details = models.BooleanField(
        default=False, help_text=_("Worst pain 0–10, where it hurts, morning stiffness minutes.")
    )
    asks_hot_flash_episodes = models.BooleanField(
        default=False, help_text=_("Episodes today by level: mild, moderate, severe.")
    )
    asks_night_awakenings = models.BooleanField(default=False)
    offers_opt_outs = models.BooleanField(
        default=False,
        help_text=_("Offer “not sexually active” and “prefer not to answer” (scored as missing)."),
    )
    tracked_by_default = models.BooleanField(default=True)
    default_cadence = models.CharField(
        max_length=6,
        choices=Cadence.choices,
        default=Cadence.WEEKLY,
        help_text=_("How often new patients are asked about it; each can change it."),
    )
    position = models.PositiveSmallIntegerField(default=100, help_text=_("Lower comes first."))
    retired = models.BooleanField(
        default=False,
        help_text=_("Retired symptoms are no longer asked; everything already logged is kept."),
    )

    objects = SymptomQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(asks_frequency=True)
                | Q(asks_severity=True)
                | Q(asks_interference=True),
                name="symptom_asks_at_least_one_attribute",
                violation_error_message=(
                    "Tick at least one of “asks frequency”, “asks severity” or “asks interference”."
                ),
            )
        ]

    def __str__(self):
        return self.display_name

    def in_language(self, field: str) -> str:
        """The field's text in the active language: its `_es` twin on a Spanish page,
        unless that is still empty; English otherwise."""
        language = (translation.get_language() or "")[:2]
        return getattr(self, f"{field}_{language}", "") or getattr(self, field)

    @property
    def display_name(self) -> str:
        return self.in_language("name")

    @property
    def display_hint(self) -> str:
        return self.in_language("hint")

    @property
    def display_urgent_signs(self) -> str:
        return self.in_language("urgent_signs")

    @property
    def attributes(self) -> list[str]:
        """The PRO-CTCAE attributes asked, in branching order."""
        asked = [
            (self.asks_frequency, Attribute.FREQUENCY),
            (self.asks_severity, Attribute.SEVERITY),
            (self.asks_interference, Attribute.INTERFERENCE),
        ]
        return [attribute for flag, attribute in asked if flag]

    @property
    def extras(self) -> list[str]:
        """The extra measures asked, as the answer columns that hold them."""
        extras: list[str] = []
        if self.asks_pain_details:
            extras += [Attribute.WORST_PAIN, SITES, Attribute.STIFFNESS_MINUTES]
        if self.asks_hot_flash_episodes:
            extras += EPISODE_ATTRIBUTES
        if self.asks_night_awakenings:
            extras += [Attribute.NIGHT_AWAKENINGS]
        return extras

    @property
    def questions(self) -> list[str]:
        return [*self.attributes, *self.extras]

    def questions_for(self, recall_days: int) -> list[str]:
        """What a check-in asks: a weekly one only the 0–4 questions about the past 7
        days; the day's own details (episodes, stiffness this morning, last night) are
        daily questions."""
        return self.questions if recall_days == 1 else self.attributes

    def extras_for(self, recall_days: int) -> list[str]:
        return self.extras if recall_days == 1 else []


class Attribute(models.TextChoices):
    FREQUENCY = "frequency", _("How often")
    SEVERITY = "severity", _("How bad at its worst")
    INTERFERENCE = "interference", _("Got in the way of daily life")
    WORST_PAIN = "worst_pain", _("Worst pain (0–10)")
    STIFFNESS_MINUTES = "stiffness_minutes", _("Morning stiffness (minutes)")
    EPISODES_MILD = "episodes_mild", _("Mild episodes")
    EPISODES_MODERATE = "episodes_moderate", _("Moderate episodes")
    EPISODES_SEVERE = "episodes_severe", _("Severe episodes")
    NIGHT_AWAKENINGS = "night_awakenings", _("Woke at night")
    SITE_HANDS = "site_hands", _("Hands or fingers")
    SITE_WRISTS = "site_wrists", _("Wrists")
    SITE_ELBOWS = "site_elbows", _("Elbows")
    SITE_SHOULDERS = "site_shoulders", _("Shoulders")
    SITE_HIPS = "site_hips", _("Hips")
    SITE_KNEES = "site_knees", _("Knees")
    SITE_ANKLES = "site_ankles", _("Ankles or feet")
    SITE_BACK = "site_back", _("Back")


PRO_CTCAE_ATTRIBUTES = [Attribute.FREQUENCY, Attribute.SEVERITY, Attribute.INTERFERENCE]
EPISODE_ATTRIBUTES = [
    Attribute.EPISODES_MILD,
    Attribute.EPISODES_MODERATE,
    Attribute.EPISODES_SEVERE,
]
SITE_ATTRIBUTES = [a for a in Attribute if a.startswith("site_")]

# The places that hurt are stored as one set (see SymptomLog.sites): bit i is site i.
SITES = "sites"

# Largest value each answer accepts; the database enforces the same limits.
ATTRIBUTE_MAXIMUM = {
    **dict.fromkeys(PRO_CTCAE_ATTRIBUTES, 4),
    Attribute.WORST_PAIN: 10,
    Attribute.STIFFNESS_MINUTES: 1440,
    **dict.fromkeys(EPISODE_ATTRIBUTES, 99),
    Attribute.NIGHT_AWAKENINGS: 30,
}
# Every stored answer, in the order of the check-in and the exports.
ANSWER_COLUMNS = [*ATTRIBUTE_MAXIMUM, SITES]


def sites_mask(sites) -> int:
    """A set of site attributes as the number stored for it."""
    return sum(1 << index for index, site in enumerate(SITE_ATTRIBUTES) if site in set(sites))


def sites_in(mask: int | None) -> list[Attribute]:
    """The site attributes in a stored set, in the check-in's order."""
    if not mask:
        return []
    return [site for index, site in enumerate(SITE_ATTRIBUTES) if mask >> index & 1]


# The safety wording every page in a language must have before any explanation is
# published in it: the crisis message and the general red flags (templates/_crisis.html,
# base.html's footer, offline.html), found by their English text in the catalogue.
SAFETY_TEXTS = [
    "<strong>If you have thoughts of harming yourself, get help now:</strong> call "
    "%(crisis_line)s, or your local emergency number, or go to the nearest emergency "
    "department. You don't have to wait for an appointment.",
    "<strong>If you have thoughts of harming yourself, get help now:</strong> call your "
    "local emergency number, or go to the nearest emergency department. You don't have to "
    "wait for an appointment.",
    "For chest pain, sudden swelling in one leg, a broken bone after a minor fall, or any "
    "severe symptom that comes on suddenly, get urgent medical help.",
    "If you feel very unwell, don't wait for a connection to Ripple: call your care team, "
    "or for chest pain, sudden swelling in one leg or any severe symptom that comes on "
    "suddenly, get urgent medical help.",
]


def safety_gaps(language: str) -> list[str]:
    """What is missing before explanations can be published in `language`: each
    symptom's urgent signs, and the crisis and red-flag wording, in that language."""
    found = []
    field = f"urgent_signs_{language}"
    names = {f.name for f in Symptom._meta.get_fields()}
    for symptom in Symptom.objects.active().exclude(urgent_signs=""):
        if field not in names or not getattr(symptom, field).strip():
            found.append(
                gettext("“%(symptom)s” has no urgent signs in this language yet.")
                % {"symptom": symptom.name}
            )
    with translation.override(language):
        untranslated = [text for text in SAFETY_TEXTS if gettext(text) == text]
    if untranslated:
        found.append(
            gettext("The crisis and red-flag wording isn't translated yet: %(texts)s")
            % {"texts": " / ".join(untranslated)}
        )
    return found
