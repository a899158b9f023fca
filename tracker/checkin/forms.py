"""The check-in's forms: one per symptom and one for the day, saved field by field."""

import json

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext, pgettext_lazy

from .. import branching, stamps
from ..models import (
    ATTRIBUTE_MAXIMUM,
    EARLIEST_DATE,
    SITE_ATTRIBUTES,
    SITES,
    Attribute,
    DayLog,
    OptOut,
    Symptom,
    sites_mask,
)

SCALE_LABELS = {
    Attribute.FREQUENCY: [
        pgettext_lazy("how often", "Never"),
        pgettext_lazy("how often", "Rarely"),
        pgettext_lazy("how often", "Occasionally"),
        pgettext_lazy("how often", "Frequently"),
        pgettext_lazy("how often", "Almost constantly"),
    ],
    Attribute.SEVERITY: [
        pgettext_lazy("how bad", "None"),
        pgettext_lazy("how bad", "Mild"),
        pgettext_lazy("how bad", "Moderate"),
        pgettext_lazy("how bad", "Severe"),
        pgettext_lazy("how bad", "Very severe"),
    ],
    Attribute.INTERFERENCE: [
        pgettext_lazy("got in the way", "Not at all"),
        pgettext_lazy("got in the way", "A little"),
        pgettext_lazy("got in the way", "Somewhat"),
        pgettext_lazy("got in the way", "Quite a bit"),
        pgettext_lazy("got in the way", "Very much"),
    ],
}

# What a question asks about: the day itself (today, or an earlier day), or the week
# up to it for a weekly symptom (7-day recall).
TODAY, THAT_DAY, WEEK = "today", "that day", "week"

QUESTIONS = {
    Attribute.FREQUENCY: {
        TODAY: gettext_lazy("How often did you notice it today?"),
        THAT_DAY: gettext_lazy("How often did you notice it that day?"),
        WEEK: gettext_lazy("How often did you notice it in the past 7 days?"),
    },
    Attribute.SEVERITY: {
        TODAY: gettext_lazy("At its worst today, how bad was it?"),
        THAT_DAY: gettext_lazy("At its worst that day, how bad was it?"),
        WEEK: gettext_lazy("At its worst in the past 7 days, how bad was it?"),
    },
    Attribute.INTERFERENCE: {
        TODAY: gettext_lazy("How much did it get in your way today?"),
        THAT_DAY: gettext_lazy("How much did it get in your way that day?"),
        WEEK: gettext_lazy("How much did it get in your way in the past 7 days?"),
    },
}
OPT_OUTS = OptOut.choices
# The usual answers to the stiffness question, one tap each (static/ripple/ripple.js).
STIFFNESS_PRESETS = [0, 15, 30, 60, 120]


def _asked(field: forms.Field, labels: dict) -> forms.Field:
    """A field whose question names its day: `labels` by TODAY, THAT_DAY and (for a
    weekly symptom's questions) WEEK; PartialForm picks the one that fits."""
    field.label, field.labels = labels[TODAY], labels
    return field


class PartialForm(forms.Form):
    """A form whose posts may carry only some of its fields.

    The check-in saves each answer the moment it is chosen, so a post often
    holds one field. A field missing from the post is left alone; a field
    present but empty is cleared. Nothing is required: a half-filled day is fine.
    """

    use_required_attribute = False

    def __init__(self, *args, is_today: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(self.extra_fields())
        for field in self.fields.values():
            field.required = False
            # The page also carries what it showed, so a whole-page save can
            # tell what the person changed from what another tab saved since.
            field.show_hidden_initial = True
            if labels := getattr(field, "labels", None):
                field.label = labels.get(self.asked_about(is_today)) or labels[THAT_DAY]

    def asked_about(self, is_today: bool) -> str:
        """TODAY or THAT_DAY (or WEEK): which of a question's wordings to show."""
        return TODAY if is_today else THAT_DAY

    def extra_fields(self) -> dict[str, forms.Field]:
        return {}

    def posted(self, name: str) -> bool:
        return self.is_bound and self.add_prefix(name) in self.data

    def has_posted_fields(self) -> bool:
        return any(self.posted(name) for name in self.fields)

    def posted_fields(self) -> list:
        """The bound fields this request posted: the only ones whose message it changes.
        Any other field's message stays, as what it refers to is still not saved."""
        return [self[name] for name in self.fields if self.posted(name)]

    def posted_data(self, *, only_changed: bool = False) -> dict:
        """The cleaned values that were posted, or only those changed from what the page showed."""
        keep = (
            set(self.changed_data) if only_changed else {n for n in self.fields if self.posted(n)}
        )
        return {name: value for name, value in self.cleaned_data.items() if name in keep}


def _scale_field(attribute, *, opt_outs: bool) -> forms.ChoiceField:
    choices = [(str(value), label) for value, label in enumerate(SCALE_LABELS[attribute])]
    if opt_outs:
        choices += OPT_OUTS
    field = forms.ChoiceField(
        choices=choices,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": _("Please choose one of the answers shown.")},
    )
    return _asked(field, QUESTIONS[attribute])


def _count_field(label, attribute, too_many: str = "") -> forms.IntegerField:
    """A count from 0; `too_many` the message for one above the maximum, if not the
    plain "up to" one."""
    maximum = ATTRIBUTE_MAXIMUM[attribute]
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=maximum,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": maximum}),
        error_messages={
            "invalid": _("Please enter a whole number, like 0, 3 or 15."),
            "min_value": _("This can't be below 0."),
            "max_value": too_many
            or _("Please enter a number up to %(maximum)s.") % {"maximum": maximum},
        },
    )


def _presets(question) -> dict[str, str]:
    """The stiffness question's one-tap answers, for the script to draw: the values,
    each button's text and what a screen reader says for it."""
    texts, names = [], []
    for minutes in STIFFNESS_PRESETS:
        if minutes:
            text = str(minutes)
            answer = ngettext("%(minutes)s minute", "%(minutes)s minutes", minutes)
            answer %= {"minutes": minutes}
        else:
            # Translators: the button for 0 minutes of stiffness.
            text = answer = pgettext("stiff for", "None")
        texts.append(text)
        # Translators: a one-tap answer's name for screen readers: the answer, then
        # the question it answers.
        names.append(_("%(answer)s: %(question)s") % {"answer": answer, "question": question})
    return {
        "data-presets": " ".join(str(minutes) for minutes in STIFFNESS_PRESETS),
        "data-preset-texts": json.dumps(texts, ensure_ascii=False),
        "data-preset-names": json.dumps(names, ensure_ascii=False),
    }


class SymptomForm(PartialForm):
    """The answers for one symptom on one day. Fields depend on what the symptom asks."""

    def __init__(self, *args, symptom: Symptom, weekly: bool = False, **kwargs):
        self.symptom, self.weekly = symptom, weekly
        kwargs.setdefault("prefix", symptom.slug)
        super().__init__(*args, **kwargs)

    def asked_about(self, is_today: bool) -> str:
        # 7-day recall: the same scales, about the week.
        return WEEK if self.weekly else super().asked_about(is_today)

    def extra_fields(self):
        symptom = self.symptom
        fields = {}
        for attribute in symptom.attributes:
            fields[attribute] = _scale_field(
                attribute,
                opt_outs=symptom.offers_opt_outs and attribute == Attribute.SEVERITY,
            )
        if symptom.asks_hot_flash_episodes:
            fields[Attribute.EPISODES_MILD] = _count_field(
                _("How many mild hot flashes? (warm, no sweating)"), Attribute.EPISODES_MILD
            )
            fields[Attribute.EPISODES_MODERATE] = _count_field(
                _("How many moderate ones? (warm and sweaty, but you carried on)"),
                Attribute.EPISODES_MODERATE,
            )
            fields[Attribute.EPISODES_SEVERE] = _count_field(
                _(
                    "How many severe ones? (so sweaty you had to stop, or one woke you and "
                    "you had to get up)"
                ),
                Attribute.EPISODES_SEVERE,
            )
        if symptom.asks_pain_details:
            worst_pain = forms.ChoiceField(
                choices=[(str(n), str(n)) for n in range(11)],
                widget=forms.RadioSelect,
                required=False,
                error_messages={"invalid_choice": _("Please choose a number from 0 to 10.")},
            )
            fields[Attribute.WORST_PAIN] = _asked(
                worst_pain,
                {
                    TODAY: _(
                        "Your worst pain today, from 0 (none) to 10 (as bad as you can imagine)"
                    ),
                    THAT_DAY: _(
                        "Your worst pain that day, from 0 (none) to 10 (as bad as you can imagine)"
                    ),
                },
            )
            fields["sites"] = forms.MultipleChoiceField(
                label=_("Where did it hurt?"),
                choices=[(a.value, a.label) for a in SITE_ATTRIBUTES],
                widget=forms.CheckboxSelectMultiple,
                required=False,
                error_messages={
                    "invalid_choice": _("Please choose from the places listed."),
                    "invalid_list": _("Please choose from the places listed."),
                },
            )
            # Unticked boxes are not posted at all; this marker says the list was.
            fields["sites_shown"] = forms.CharField(widget=forms.HiddenInput, required=False)
            maximum = ATTRIBUTE_MAXIMUM[Attribute.STIFFNESS_MINUTES]
            fields[Attribute.STIFFNESS_MINUTES] = stiffness = _count_field(
                _("How many minutes were you stiff after getting up?"),
                Attribute.STIFFNESS_MINUTES,
                too_many=_("Please enter a number up to %(maximum)s minutes (a whole day).")
                % {"maximum": maximum},
            )
            # One tap for the usual answers (the script draws them): no typing with sore hands.
            stiffness.widget.attrs.update(_presets(stiffness.label))
        if symptom.asks_night_awakenings:
            fields[Attribute.NIGHT_AWAKENINGS] = _asked(
                _count_field("", Attribute.NIGHT_AWAKENINGS),
                {
                    TODAY: _("How many times did sweating wake you last night?"),
                    THAT_DAY: _("How many times did sweating wake you that night?"),
                },
            )
        if self.weekly:  # the day's own details are asked on daily check-ins only
            fields = {name: field for name, field in fields.items() if name in symptom.attributes}
        # Branching (tracker.branching): CSS hides what an answer of 0 leaves unasked,
        # and the page's script sets it to 0, as the server stores it.
        asked, extras = symptom.attributes, symptom.extras_for(7 if self.weekly else 1)
        for name, field in fields.items():
            question = SITES if name == "sites_shown" else name
            field.branch_class = " ".join(
                f"after-{attribute}"
                for attribute in asked
                if question in branching.skipped_by_zero(asked, extras, attribute)
            )
            field.zero_skips = " ".join(branching.skipped_by_zero(asked, extras, name))
        return fields

    def posted(self, name: str) -> bool:
        if name == "sites":
            return self.add_prefix("sites_shown") in self.data
        return super().posted(name)

    def changes(self, *, only_changed: bool = False) -> dict[str, int | str | None]:
        """What to store, by column: a number, None to clear, or an opt-out. The writer
        adds what branching implies (tracker.branching)."""
        changes: dict[str, int | str | None] = {}
        for name, raw in self.posted_data(only_changed=only_changed).items():
            if name == "sites_shown":
                continue
            if name == "sites":
                changes[SITES] = sites_mask(raw or [])
            elif raw in OptOut.values:
                changes["opt_out"] = raw
            elif raw in (None, ""):
                changes[name] = None
                if name == Attribute.SEVERITY:
                    changes["opt_out"] = ""  # no answer at all, not even an opt-out
            else:
                changes[name] = int(raw)
        return changes


class DayForm(PartialForm):
    dose = _asked(
        forms.ChoiceField(
            choices=DayLog.Dose.choices,
            widget=forms.RadioSelect,
            error_messages={"invalid_choice": gettext_lazy("Please choose yes, no or not sure.")},
        ),
        {
            TODAY: gettext_lazy("Did you take your medicine today?"),
            THAT_DAY: gettext_lazy("Did you take your medicine that day?"),
        },
    )
    missed_reason = forms.ChoiceField(
        label=gettext_lazy("What got in the way?"),
        choices=DayLog.MissedReason.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": gettext_lazy("Please choose one of the reasons shown.")},
    )
    considering_stopping = forms.TypedChoiceField(
        label=gettext_lazy("Are side effects making you think about stopping your medicine?"),
        choices=[("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))],
        coerce=lambda value: value == "yes",
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": gettext_lazy("Please choose yes or no.")},
    )
    note = _asked(
        forms.CharField(
            help_text=gettext_lazy(
                "Only you, and anyone you choose to share with, can read this. Nobody is "
                "alerted by what you write: your care team sees it only when they open "
                "your diary."
            ),
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
            error_messages={
                # Translators: %(show_value)d is how many characters the note has.
                "max_length": gettext_lazy(
                    "Notes can be up to 2,000 characters; this one has %(show_value)d."
                )
            },
        ),
        {
            TODAY: gettext_lazy("Anything else about today?"),
            THAT_DAY: gettext_lazy("Anything else about that day?"),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["missed_reason"].branch_class = "only-if-missed"

    def changes(self, *, only_changed: bool = False) -> dict:
        fields = self.posted_data(only_changed=only_changed)
        for name in ("dose", "missed_reason"):
            if name in fields:
                fields[name] = fields[name] or ""
        if "note" in fields:
            fields["note"] = fields["note"].strip()
        return fields


class MonthForm(forms.Form):
    """The month shown in the history, as ?month=2026-11."""

    month = forms.DateField(input_formats=["%Y-%m"], required=False)

    def clean_month(self):
        month = self.cleaned_data["month"]
        if month and month < EARLIEST_DATE:
            raise forms.ValidationError(_("Ripple's diary starts in the year 2000."))
        return month.replace(day=1) if month else None


class QuickForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("nothing", gettext_lazy("Nothing to report")),
            ("yesterday", gettext_lazy("Same as yesterday")),
        ]
    )


class GivenAtForm(forms.Form):
    """When a save's answers were given, from the two headers a save sent late carries
    (templates/sw.js): both moments by the device's clock, in milliseconds."""

    answered = forms.IntegerField(min_value=0, max_value=2**53)
    sent = forms.IntegerField(min_value=0, max_value=2**53)

    @classmethod
    def given_at(cls, request) -> int | None:
        """When the request's answers were given (see tracker.stamps.given_at); None,
        meaning now, for a save sent as soon as it was made (most: no form to build)."""
        headers = request.headers
        if "X-Sent-At" not in headers:
            return None
        form = cls({"answered": headers.get("X-Answered-At"), "sent": headers["X-Sent-At"]})
        if not form.is_valid():
            return None
        return stamps.given_at(form.cleaned_data["answered"], form.cleaned_data["sent"])
