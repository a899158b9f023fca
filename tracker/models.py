import datetime as dt
import hashlib
import secrets
import zoneinfo
from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone

from .grading import composite_grade


class User(AbstractUser):
    """A Ripple account. Roles are groups (see tracker.roles)."""

    email = models.EmailField("email address", blank=True)

    def in_role(self, role: str) -> bool:
        return self.groups.filter(name=role).exists()

    @cached_property
    def is_clinician(self) -> bool:
        from .roles import CLINICIAN

        return self.in_role(CLINICIAN)


class SymptomQuerySet(models.QuerySet):
    def active(self):
        return self.filter(retired=False)

    def defaults(self):
        return self.active().filter(tracked_by_default=True)


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

    def extras(self) -> list[str]:
        """The extra measures asked, as Attribute values."""
        extras = []
        if self.asks_pain_details:
            extras += [Attribute.WORST_PAIN, *SITE_ATTRIBUTES, Attribute.STIFFNESS_MINUTES]
        if self.asks_hot_flash_episodes:
            extras += EPISODE_ATTRIBUTES
        if self.asks_night_awakenings:
            extras += [Attribute.NIGHT_AWAKENINGS]
        return extras

    def is_complete(self, answered: dict) -> bool:
        """Whether every graded question was answered (a 0 answers the rest)."""
        return all(attribute in answered for attribute in self.attributes)

    @property
    def attributes(self) -> list[str]:
        """The PRO-CTCAE attributes asked, in branching order."""
        asked = [
            (self.asks_frequency, Attribute.FREQUENCY),
            (self.asks_severity, Attribute.SEVERITY),
            (self.asks_interference, Attribute.INTERFERENCE),
        ]
        return [attribute for flag, attribute in asked if flag]


class Drug(models.TextChoices):
    ANASTROZOLE = "anastrozole", "Anastrozole (Arimidex)"
    LETROZOLE = "letrozole", "Letrozole (Femara)"
    EXEMESTANE = "exemestane", "Exemestane (Aromasin)"
    OTHER = "other", "Another medicine"


def time_zone_choices():
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class Patient(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="patient")
    time_zone = models.CharField(max_length=64, default="UTC")
    prior_tamoxifen = models.BooleanField(
        null=True, blank=True, verbose_name="took tamoxifen before"
    )
    tracked_symptoms = models.ManyToManyField(Symptom, blank=True, related_name="+")
    onboarded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    visit_notes = models.TextField(
        "questions and notes for your next appointment", blank=True, max_length=3000
    )
    display_name = models.CharField(
        "your name, as your care team knows you",
        max_length=120,
        blank=True,
        help_text="Printed on your reports and shown to clinicians you invite, so they know it's you.",
    )

    def __str__(self):
        return self.user.username

    @property
    def shown_name(self) -> str:
        """The name reports and clinicians see: the one given for them, else the account's."""
        return self.display_name or self.user.get_full_name() or self.user.username

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    def today(self) -> dt.date:
        """The patient's own calendar date, wherever the server is."""
        return timezone.now().astimezone(self.zone).date()

    def symptoms_to_ask(self):
        return self.tracked_symptoms.active().order_by("position", "name")

    @cached_property
    def current_therapy(self):
        return self.therapies.order_by("-started_on", "-id").first()


class TherapyQuerySet(models.QuerySet):
    def for_patient(self, patient):
        return self.filter(patient=patient)


class Therapy(models.Model):
    """One aromatase inhibitor course; a switch is a new row with a later start."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="therapies")
    drug = models.CharField(max_length=20, choices=Drug.choices)
    other_name = models.CharField("name of the medicine", max_length=80, blank=True)
    started_on = models.DateField("start date")

    objects = TherapyQuerySet.as_manager()

    class Meta:
        ordering = ["started_on", "id"]
        verbose_name_plural = "therapies"
        constraints = [
            models.CheckConstraint(condition=Q(drug__in=Drug.values), name="therapy_drug_is_known"),
            models.UniqueConstraint(
                fields=["patient", "started_on"], name="one_therapy_start_per_day"
            ),
        ]

    def __str__(self):
        return f"{self.display_name} from {self.started_on:%d %b %Y}"

    @property
    def display_name(self) -> str:
        if self.drug == Drug.OTHER and self.other_name:
            return self.other_name
        return self.get_drug_display()


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

# Largest value each attribute accepts; the database enforces the same limits.
ATTRIBUTE_MAXIMUM = {
    **dict.fromkeys(PRO_CTCAE_ATTRIBUTES, 4),
    Attribute.WORST_PAIN: 10,
    Attribute.STIFFNESS_MINUTES: 1440,
    **dict.fromkeys(EPISODE_ATTRIBUTES, 99),
    Attribute.NIGHT_AWAKENINGS: 30,
    **dict.fromkeys(SITE_ATTRIBUTES, 1),
}


class AnswerStatus(models.TextChoices):
    ANSWERED = "answered", "Answered"
    NOT_SEXUALLY_ACTIVE = "not_active", "Not sexually active"
    PREFER_NOT_TO_ANSWER = "declined", "Prefer not to answer"


class Dose(models.TextChoices):
    TAKEN = "taken", "Yes"
    MISSED = "missed", "No"
    UNSURE = "unsure", "Not sure"


class MissedReason(models.TextChoices):
    SIDE_EFFECTS = "side_effects", "Side effects"
    FORGOT = "forgot", "Forgot"
    OTHER = "other", "Something else"


class DayLog(models.Model):
    """What a patient recorded about a whole day: the dose and a note.

    Its existence also marks the day as logged; symptom answers live in Answer.
    """

    Dose = Dose
    MissedReason = MissedReason

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="day_logs")
    date = models.DateField()
    dose = models.CharField(max_length=10, choices=Dose.choices, blank=True)
    missed_reason = models.CharField(max_length=20, choices=MissedReason.choices, blank=True)
    considering_stopping = models.BooleanField(null=True, blank=True)
    note = models.TextField(max_length=2000, blank=True)
    # Derived from the day's answers by refresh_scores(), so trend charts read
    # one row a day: {"grades": {slug: 0-3}, "very_severe": [slug], "worst_pain": n, ...}.
    scores = models.JSONField(default=dict, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "date"], name="one_day_log_per_date"),
            models.CheckConstraint(
                condition=Q(dose__in=["", *Dose.values]), name="day_log_dose_is_known"
            ),
            models.CheckConstraint(
                condition=Q(missed_reason="")
                | Q(dose=Dose.MISSED, missed_reason__in=MissedReason.values),
                name="day_log_missed_reason_only_for_a_missed_dose",
            ),
        ]

    def __str__(self):
        return f"{self.patient} on {self.date}"


class AnswerQuerySet(models.QuerySet):
    def for_patient(self, patient):
        return self.filter(patient=patient)

    def on(self, date):
        return self.filter(date=date)

    def between(self, start, end):
        return self.filter(date__range=(start, end))


def _range_condition():
    # One clause per attribute: its value must sit in its own range.
    clauses = Q()
    for attribute, maximum in ATTRIBUTE_MAXIMUM.items():
        clauses |= Q(attribute=attribute, value__gte=0, value__lte=maximum)
    return clauses


class Answer(models.Model):
    """One value: a patient's answer for one day, symptom and attribute.

    The unique constraint is what makes every save an upsert: a double submit,
    two tabs or a retried request all land on the same row.
    """

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="answers")
    date = models.DateField()
    # PROTECT: retiring a symptom hides it; its logged values are never deleted.
    symptom = models.ForeignKey(Symptom, on_delete=models.PROTECT, related_name="answers")
    attribute = models.CharField(max_length=20, choices=Attribute.choices)
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=AnswerStatus.choices, default=AnswerStatus.ANSWERED
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        ordering = ["date", "attribute"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "date", "symptom", "attribute"],
                name="one_value_per_patient_day_symptom_attribute",
            ),
            models.CheckConstraint(
                condition=Q(status=AnswerStatus.ANSWERED, value__isnull=False) & _range_condition()
                | Q(
                    status__in=[
                        AnswerStatus.NOT_SEXUALLY_ACTIVE,
                        AnswerStatus.PREFER_NOT_TO_ANSWER,
                    ],
                    value__isnull=True,
                ),
                name="answer_value_in_range_or_opted_out",
            ),
        ]
        indexes = [models.Index(fields=["patient", "date"], name="answer_patient_date")]

    def __str__(self):
        return f"{self.patient} {self.date} {self.symptom.slug} {self.attribute}={self.value}"


def save_answers(
    *,
    patient: Patient,
    date: dt.date,
    symptom: Symptom,
    values: dict[str, tuple[int | None, str]],
    cleared: list[str] = (),
) -> None:
    """Store each (value, status) by attribute for one symptom and day, replacing what was there.

    Writes are upserts (INSERT ... ON CONFLICT DO UPDATE), so concurrent saves of
    the same answer leave exactly one row holding the last value.
    """
    if not values and not cleared:
        return
    with transaction.atomic():
        cleared = [*cleared, *_auto_zeroes_to_clear(patient, date, symptom, values)]
        # Marks the day as logged (and when), creating its DayLog if needed.
        DayLog.objects.bulk_create(
            [DayLog(patient=patient, date=date)],
            update_conflicts=True,
            unique_fields=["patient", "date"],
            update_fields=["updated_at"],
        )
        if values:
            Answer.objects.bulk_create(
                [
                    Answer(
                        patient=patient,
                        date=date,
                        symptom=symptom,
                        attribute=attribute,
                        value=value,
                        status=status,
                    )
                    for attribute, (value, status) in values.items()
                ],
                update_conflicts=True,
                unique_fields=["patient", "date", "symptom", "attribute"],
                update_fields=["value", "status", "updated_at"],
            )
        if cleared:
            Answer.objects.filter(
                patient=patient, date=date, symptom=symptom, attribute__in=cleared
            ).delete()
        refresh_scores(patient=patient, date=date)


def _auto_zeroes_to_clear(patient, date, symptom, values) -> list[str]:
    """Answers that were zeroed only because an earlier answer was 0, now that it isn't.

    While an answer is 0 the later questions are hidden, so their stored zeroes
    cannot have been chosen; once it moves off 0 they are cleared to be asked again.
    """
    order = symptom.attributes
    raised = [a for a in order if a in values and values[a][0] not in (0, None)]
    if not raised:
        return []
    was_zero = set(
        Answer.objects.filter(
            patient=patient, date=date, symptom=symptom, attribute__in=raised, value=0
        ).values_list("attribute", flat=True)
    )
    clear: list[str] = []
    for attribute in order:
        if attribute in was_zero:
            position = order.index(attribute)
            clear += order[position + 1 :]
            if position == 0:
                clear += symptom.extras()
            break
    return [a for a in clear if a not in values]


def day_scores(rows) -> dict:
    """What the trend charts need from one day's answers, given (symptom, attribute, value) rows."""
    by_symptom: dict[Symptom, dict[str, int | None]] = {}
    for symptom, attribute, value in rows:
        by_symptom.setdefault(symptom, {})[attribute] = value
    scores: dict = {"grades": {}, "very_severe": []}
    for symptom, values in by_symptom.items():
        grade = day_grade(symptom, values)
        if grade is not None:
            scores["grades"][symptom.slug] = grade
        if values.get(Attribute.SEVERITY) == 4:
            scores["very_severe"].append(symptom.slug)
        for measure in (
            Attribute.WORST_PAIN,
            Attribute.STIFFNESS_MINUTES,
            Attribute.NIGHT_AWAKENINGS,
        ):
            if values.get(measure) is not None:
                scores[measure.value] = values[measure]
        if any(values.get(a) is not None for a in EPISODE_ATTRIBUTES):
            scores["episodes"] = [values.get(a) or 0 for a in EPISODE_ATTRIBUTES]
    return scores


def refresh_scores(*, patient: Patient, date: dt.date) -> None:
    """Recompute the day's derived scores (called inside the saving transaction)."""
    rows = [
        (answer.symptom, answer.attribute, answer.value)
        for answer in Answer.objects.for_patient(patient).on(date).select_related("symptom")
    ]
    DayLog.objects.filter(patient=patient, date=date).update(scores=day_scores(rows))


def save_day_fields(*, patient: Patient, date: dt.date, fields: dict) -> None:
    """Upsert only the given DayLog fields, leaving the others as another tab left them."""
    if set(fields) == {"missed_reason"}:
        # A reason belongs to a missed dose only; set it where that is so.
        DayLog.objects.filter(patient=patient, date=date, dose=Dose.MISSED).update(
            missed_reason=fields["missed_reason"], updated_at=timezone.now()
        )
        return
    if fields.get("dose", Dose.MISSED) != Dose.MISSED:
        fields = {**fields, "missed_reason": ""}
    DayLog.objects.bulk_create(
        [DayLog(patient=patient, date=date, **fields)],
        update_conflicts=True,
        unique_fields=["patient", "date"],
        update_fields=[*fields, "updated_at"],
    )


def day_grade(symptom: Symptom, answers_by_attribute: dict[str, int | None]) -> int | None:
    """Composite grade of one symptom on one day; None until all its questions are answered."""
    if not symptom.is_complete(answers_by_attribute):
        return None
    return composite_grade(*(answers_by_attribute.get(a) for a in PRO_CTCAE_ATTRIBUTES))


class EventKind(models.TextChoices):
    SUPPORTIVE_TREATMENT = "treatment", "Something to help with side effects"
    APPOINTMENT = "appointment", "Appointment"
    BONE_SCAN = "bone_scan", "Bone density scan"
    FRACTURE = "fracture", "Broken bone"


class TimelineEventQuerySet(models.QuerySet):
    def for_patient(self, patient):
        return self.filter(patient=patient)

    def overlapping(self, start: dt.date, end: dt.date):
        return self.filter(starts_on__lte=end).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=start)
        )


class TimelineEvent(models.Model):
    """An occasional record beside the diary: a supportive treatment (drug or not),
    an appointment, a bone density scan with its T-scores, or a fracture."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="timeline_events")
    kind = models.CharField(max_length=12, choices=EventKind.choices)
    title = models.CharField(
        "what",
        max_length=120,
        help_text="For example “Duloxetine 30 mg”, “Oncology clinic”, “Swimming”.",
    )
    is_medicine = models.BooleanField(
        "this is a medicine", default=False, help_text="For treatments only."
    )
    starts_on = models.DateField("date (or start date)")
    ends_on = models.DateField(
        "stop date", null=True, blank=True, help_text="Leave empty if ongoing."
    )
    t_score_spine = models.DecimalField(
        "T-score, spine", max_digits=3, decimal_places=1, null=True, blank=True
    )
    t_score_hip = models.DecimalField(
        "T-score, hip", max_digits=3, decimal_places=1, null=True, blank=True
    )
    notes = models.CharField(max_length=300, blank=True)

    objects = TimelineEventQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="timeline_event_stops_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=EventKind.values), name="timeline_event_kind_is_known"
            ),
            models.CheckConstraint(
                condition=(
                    Q(t_score_spine__isnull=True) | Q(t_score_spine__gte=-6, t_score_spine__lte=6)
                )
                & (Q(t_score_hip__isnull=True) | Q(t_score_hip__gte=-6, t_score_hip__lte=6)),
                name="timeline_t_scores_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title} ({self.starts_on})"


# --- The appointment report, and who else may see it --------------------------


class ReportSection(models.TextChoices):
    THERAPY = "therapy", "Medicine and switches"
    FLAGS = "flags", "Worth discussing"
    SUMMARY = "summary", "Summary table"
    CHARTS = "charts", "Charts"
    ADHERENCE = "adherence", "Medicine taken"
    NOTES = "notes", "Your questions and notes"


def new_secret() -> str:
    """256 random bits, URL-safe: for share links."""
    return secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """Secrets are stored only as their SHA-256: a leaked table opens nothing.
    (They are random, not passwords, so a slow hash adds nothing.)"""
    return hashlib.sha256(secret.encode()).hexdigest()


class ShareLinkQuerySet(models.QuerySet):
    def for_patient(self, patient):
        return self.filter(patient=patient)

    def active(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())

    def find(self, token: str):
        """The open link for a token, or None: unknown, expired and revoked alike."""
        if not 20 <= len(token) <= 100:
            return None
        return (
            self.active().select_related("patient__user").filter(token_hash=digest(token)).first()
        )


class ShareLink(models.Model):
    """A read-only report a clinician opens without an account. Only the token's
    hash is kept, so the link itself is shown once, when it is made."""

    DEFAULT_DAYS = 14

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="share_links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    label = models.CharField("name it (optional)", max_length=80, blank=True)
    sections = models.JSONField(default=list)
    starts_on = models.DateField()
    ends_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="share_link_period_in_order"
            )
        ]

    def __str__(self):
        return self.label or f"Link of {self.created_at:%d %b %Y}"

    @classmethod
    def make(cls, *, patient, sections, starts_on, ends_on, days_valid=DEFAULT_DAYS, label=""):
        """A new link and its token (the only time the token exists in the clear)."""
        token = new_secret()
        link = cls.objects.create(
            patient=patient,
            token_hash=digest(token),
            label=label,
            sections=list(sections),
            starts_on=starts_on,
            ends_on=ends_on,
            expires_at=timezone.now() + dt.timedelta(days=days_valid),
        )
        return link, token

    @property
    def status(self) -> str:
        if self.revoked_at:
            return "revoked"
        return "expired" if self.expires_at <= timezone.now() else "open"

    def revoke(self):
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])


# Invitation codes are typed by hand: no 0/O or 1/I/L to confuse.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 16  # 31^16 ≈ 2^79


def new_code() -> str:
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(code[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise_code(code: str) -> str:
    letters = "".join(c for c in code.upper() if c.isalnum())
    return "-".join(letters[i : i + 4] for i in range(0, len(letters), 4))


class CareAccessQuerySet(models.QuerySet):
    def for_patient(self, patient):
        return self.filter(patient=patient)

    def current(self):
        """Accepted and not removed: the clinician may see the patient's diary."""
        return self.filter(accepted_at__isnull=False, ended_at__isnull=True)

    def pending(self):
        return self.filter(
            accepted_at__isnull=True, ended_at__isnull=True, expires_at__gt=timezone.now()
        )


class CareAccess(models.Model):
    """A clinician's read-only access to one patient, from the patient's invitation
    (by email or a one-time code) to its acceptance and, perhaps, its removal."""

    INVITATION_DAYS = 14

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="care_access")
    clinician = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="care_access"
    )
    email = models.EmailField("clinician's email (optional)", blank=True)
    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = CareAccessQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "care access"
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "clinician"],
                condition=Q(ended_at__isnull=True),
                name="one_current_access_per_clinician",
            )
        ]

    def __str__(self):
        return f"{self.clinician or self.email or 'invitation'} → {self.patient}"

    @classmethod
    def invite(cls, *, patient, email=""):
        code = new_code()
        access = cls.objects.create(
            patient=patient,
            email=email,
            code_hash=digest(code),
            expires_at=timezone.now() + dt.timedelta(days=cls.INVITATION_DAYS),
        )
        return access, code

    @classmethod
    def accept(cls, *, code: str, clinician) -> "CareAccess | None":
        """Use up an invitation; None if the code is unknown, used, expired or withdrawn.
        A clinician who already has access keeps the access they have."""
        with transaction.atomic():
            access = (
                cls.objects.pending()
                .select_for_update()
                .filter(code_hash=digest(normalise_code(code)))
                .first()
            )
            if access is None:
                return None
            existing = cls.objects.current().filter(patient=access.patient_id, clinician=clinician)
            if existing.exists():
                access.ended_at = timezone.now()
                access.save(update_fields=["ended_at"])
                return existing.get()
            access.clinician = clinician
            access.accepted_at = timezone.now()
            try:
                with transaction.atomic():
                    access.save(update_fields=["clinician", "accepted_at"])
            except IntegrityError:
                # Two codes of one patient accepted at once: the other one won.
                cls.objects.filter(pk=access.pk).update(ended_at=timezone.now())
                return cls.objects.current().get(patient=access.patient_id, clinician=clinician)
            return access

    def end(self):
        if self.ended_at is None:
            self.ended_at = timezone.now()
            self.save(update_fields=["ended_at"])


class Viewed(models.TextChoices):
    PANEL = "panel", "your line in their patient list"
    REPORT = "report", "the report"
    DASHBOARD = "dashboard", "the trends"
    PDF = "pdf", "the report as PDF"
    CSV = "csv", "the daily values (CSV)"
    FHIR = "fhir", "the report as FHIR"


class AccessLogQuerySet(models.QuerySet):
    def for_patient(self, patient):
        return self.filter(patient=patient)


class AccessLog(models.Model):
    """Every view of a patient's data by someone else: a clinician, or whoever
    opened a share link. The patient reads it; nobody edits it."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="access_log")
    at = models.DateTimeField(default=timezone.now)
    clinician = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    share_link = models.ForeignKey(
        ShareLink, on_delete=models.SET_NULL, null=True, blank=True, related_name="openings"
    )
    who = models.CharField(max_length=150)  # kept as written, should the account go
    what = models.CharField(max_length=12, choices=Viewed.choices)
    ip = models.GenericIPAddressField(null=True, blank=True)
    browser = models.CharField(max_length=300, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["patient", "-at"])]

    def __str__(self):
        return f"{self.who} viewed {self.get_what_display()} at {self.at:%Y-%m-%d %H:%M}"
