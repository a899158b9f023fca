"""Flags as Ripple first found them, so that a clinician can mark one seen and the
patient can see when (CLINICAL.md, flags: one flag per rule per week; a flag stays
until a clinician marks it seen or its rule stops holding).

The rules themselves are pure functions of the diary (tracker.trends.flags); this
remembers what they found. Ripple checks them whenever the patient or a clinician
opens the diary's trends, report or panel: nothing runs in the background, and
nobody is alerted."""

import datetime as dt
from typing import NamedTuple

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from .accounts import Patient, User

WEEK = 7
# A higher worst pain than the one a clinician saw is a new flag (CLINICAL.md).
RISES = {"joint_pain"}


class RaisedFlagQuerySet(models.QuerySet):
    def open(self):
        return self.filter(cleared_on__isnull=True)


class RaisedFlag(models.Model):
    patient = models.ForeignKey(
        Patient, on_delete=models.CASCADE, related_name="raised_flags", db_index=False
    )
    rule = models.CharField(max_length=20)
    why = models.CharField(max_length=400)
    value = models.IntegerField(null=True, blank=True)  # how high or how many
    raised_on = models.DateField()
    cleared_on = models.DateField(null=True, blank=True)  # the day its rule stopped holding
    seen_at = models.DateTimeField(null=True, blank=True)
    seen_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = RaisedFlagQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["patient", "raised_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "rule"],
                condition=Q(cleared_on__isnull=True),
                name="one_open_flag_per_rule",
            )
        ]

    def __str__(self):
        return f"{self.patient}: {self.rule} on {self.raised_on}"

    def mark_seen(self, clinician: User, *, value: int | None = None) -> None:
        """Seen by this clinician, at the value the flag showed them (a higher joint
        pain later is a new flag)."""
        self.seen_at, self.seen_by = timezone.now(), clinician
        if value is not None:
            self.value = value
        self.save(update_fields=["seen_at", "seen_by", "value"])


class Kept(NamedTuple):
    """A stored flag as keep_flags() reads it: a clinician's panel keeps hundreds at
    once, and model instances of them cost more than the query."""

    pk: int | None
    patient_id: int
    rule: str
    value: int | None
    raised_on: dt.date
    cleared_on: dt.date | None
    seen_at: dt.datetime | None
    first_name: str | None  # of the clinician who saw it
    last_name: str | None
    username: str | None

    @property
    def seen_by(self) -> str:
        name = f"{self.first_name or ''} {self.last_name or ''}".strip()
        return name or self.username or "a clinician"


def _higher(flag, stored: Kept) -> bool:
    """A joint-pain flag worse than the one stored: a new flag, even within a week."""
    return flag.rule in RISES and (flag.value or 0) > (stored.value or 0)


def keep_flags(found: dict[int, list], today: dict[int, dt.date]) -> dict[int, dict[str, Kept]]:
    """Remember the flags `found` for each patient (by id) on their `today`, and return
    each patient's stored flag by rule for the flags found.

    A flag found again while its stored one is open is the same flag. A rule that
    stopped holding clears its flag; found again within a week of being raised, the
    flag reopens (one flag per rule per week), otherwise a new one is raised. A worse
    joint-pain flag than the one a clinician saw is a new flag. One query, and three
    more when something changed, however many patients."""
    if not found:
        return {}
    earliest = min(today.values()) - dt.timedelta(days=WEEK - 1)
    stored = (
        RaisedFlag.objects.filter(patient__in=list(found))
        .filter(Q(cleared_on__isnull=True) | Q(raised_on__gte=earliest))
        .order_by("raised_on", "pk")
        .values_list(
            "pk",
            "patient_id",
            "rule",
            "value",
            "raised_on",
            "cleared_on",
            "seen_at",
            "seen_by__first_name",
            "seen_by__last_name",
            "seen_by__username",
        )  # fmt: skip
    )
    open_, recent = {}, {}
    for flag in map(Kept._make, stored):
        key = (flag.patient_id, flag.rule)
        if flag.cleared_on is None:
            open_[key] = flag
        elif flag.raised_on > today[flag.patient_id] - dt.timedelta(days=WEEK):
            recent[key] = flag  # the latest one raised this week
    kept: dict[int, dict[str, Kept]] = {pk: {} for pk in found}
    clear, reopen, new = [], [], []
    for pk, flags in found.items():
        for flag in flags:
            key = (pk, flag.rule)
            current = open_.pop(key, None)
            if current is not None and current.seen_at and _higher(flag, current):
                clear.append(current)
                current = None
            again = recent.get(key)
            if current is None and again is not None and not _higher(flag, again):
                current = again._replace(cleared_on=None)
                reopen.append(current)
            if current is None:
                new.append(
                    RaisedFlag(
                        patient_id=pk, rule=flag.rule, why=flag.why, value=flag.value,
                        raised_on=today[pk],
                    )
                )  # fmt: skip
                current = Kept(
                    None, pk, flag.rule, flag.value, today[pk], None, None, None, None, None
                )
            kept[pk][flag.rule] = current
    clear += open_.values()  # open, and its rule no longer holds
    if clear or reopen or new:
        with transaction.atomic():
            # Each patient's own today: one update per distinct day (one, nearly always).
            for day in {today[f.patient_id] for f in clear}:
                cleared = [f.pk for f in clear if today[f.patient_id] == day]
                RaisedFlag.objects.filter(pk__in=cleared).update(cleared_on=day)
            if reopen:
                RaisedFlag.objects.filter(pk__in=[f.pk for f in reopen]).update(cleared_on=None)
            # Another request may have raised the same flag a moment ago: keep theirs.
            RaisedFlag.objects.bulk_create(new, ignore_conflicts=True)
    return kept
