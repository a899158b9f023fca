"""The symptom catalogue and the questions each symptom asks."""

from django.db import models
from django.db.models import Q


class SymptomQuerySet(models.QuerySet):
    def active(self):
        return self.filter(retired=False)

    def defaults(self):
        return self.active().filter(tracked_by_default=True)


class Cadence(models.TextChoices):
    """How often a symptom is asked: each day about that day, or once a week about the
    past 7 days (how the trials of symptom monitoring asked)."""

    DAILY = "daily", "Every day"
    WEEKLY = "weekly", "Once a week"


# The days a symptom's answer is about, by cadence: a weekly answer is 7-day recall.
RECALL_DAYS = {Cadence.DAILY: 1, Cadence.WEEKLY: 7}


class Symptom(models.Model):
    """One entry of the symptom catalogue, curated by admins in the Django admin.

    Extra daily measures are switched on per symptom; the code knows how to ask
    each of them, so a new symptom can reuse any of them without a code change.
    """

    slug = models.SlugField(unique=True, max_length=40)
    name = models.CharField(max_length=80, help_text="Shown to patients, e.g. “Hot flashes”.")
    hint = models.CharField(
        max_length=200, blank=True, help_text="One plain sentence under the name, optional."
    )
    urgent_signs = models.TextField(
        blank=True,
        help_text=(
            "This symptom's own signs that need help at once or the same day, in one or two "
            "plain sentences. Shown first whenever it is rated severe."
        ),
    )
    crisis_contacts = models.BooleanField(
        default=False,
        help_text="Show the crisis line on the page when it is rated severe (low mood, anxiety).",
    )
    pro_ctcae_item = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Number of the PRO-CTCAE item this aligns with."
    )
    asks_frequency = models.BooleanField(default=False)
    asks_severity = models.BooleanField(default=True)
    asks_interference = models.BooleanField(default=False)
    asks_pain_details = models.BooleanField(
        default=False, help_text="Worst pain 0–10, where it hurts, morning stiffness minutes."
    )
    asks_hot_flash_episodes = models.BooleanField(
        default=False, help_text="Episodes today by level: mild, moderate, severe."
    )
    asks_night_awakenings = models.BooleanField(default=False)
    offers_opt_outs = models.BooleanField(
        default=False,
        help_text="Offer “not sexually active” and “prefer not to answer” (scored as missing).",
    )
    tracked_by_default = models.BooleanField(default=True)
    default_cadence = models.CharField(
        max_length=6,
        choices=Cadence.choices,
        default=Cadence.WEEKLY,
        help_text="How often new patients are asked about it; each can change it.",
    )
    position = models.PositiveSmallIntegerField(default=100, help_text="Lower comes first.")
    retired = models.BooleanField(
        default=False,
        help_text="Retired symptoms are no longer asked; everything already logged is kept.",
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
        return self.name

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
    FREQUENCY = "frequency", "How often"
    SEVERITY = "severity", "How bad at its worst"
    INTERFERENCE = "interference", "Got in the way of daily life"
    WORST_PAIN = "worst_pain", "Worst pain (0–10)"
    STIFFNESS_MINUTES = "stiffness_minutes", "Morning stiffness (minutes)"
    EPISODES_MILD = "episodes_mild", "Mild episodes"
    EPISODES_MODERATE = "episodes_moderate", "Moderate episodes"
    EPISODES_SEVERE = "episodes_severe", "Severe episodes"
    NIGHT_AWAKENINGS = "night_awakenings", "Woke at night"
    SITE_HANDS = "site_hands", "Hands or fingers"
    SITE_WRISTS = "site_wrists", "Wrists"
    SITE_ELBOWS = "site_elbows", "Elbows"
    SITE_SHOULDERS = "site_shoulders", "Shoulders"
    SITE_HIPS = "site_hips", "Hips"
    SITE_KNEES = "site_knees", "Knees"
    SITE_ANKLES = "site_ankles", "Ankles or feet"
    SITE_BACK = "site_back", "Back"


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
