"""The check-in's forms: one per symptom and one for the day, saved field by field."""

from django import forms

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
    Attribute.FREQUENCY: ["Never", "Rarely", "Occasionally", "Frequently", "Almost constantly"],
    Attribute.SEVERITY: ["None", "Mild", "Moderate", "Severe", "Very severe"],
    Attribute.INTERFERENCE: ["Not at all", "A little", "Somewhat", "Quite a bit", "Very much"],
}
QUESTIONS = {
    Attribute.FREQUENCY: "How often did you notice it today?",
    Attribute.SEVERITY: "At its worst today, how bad was it?",
    Attribute.INTERFERENCE: "How much did it get in your way today?",
}
OPT_OUTS = OptOut.choices


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
            if not is_today and field.label:
                field.label = field.label.replace("today", "that day").replace(
                    "last night", "that night"
                )

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
    return forms.ChoiceField(
        label=QUESTIONS[attribute],
        choices=choices,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Please choose one of the answers shown."},
    )


def _count_field(label: str, attribute, unit: str = "") -> forms.IntegerField:
    maximum = ATTRIBUTE_MAXIMUM[attribute]
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=maximum,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": maximum}),
        error_messages={
            "invalid": "Please enter a whole number, like 0, 3 or 15.",
            "min_value": "This can't be below 0.",
            "max_value": f"Please enter a number up to {maximum}{unit}.",
        },
    )


class SymptomForm(PartialForm):
    """The answers for one symptom on one day. Fields depend on what the symptom asks."""

    def __init__(self, *args, symptom: Symptom, weekly: bool = False, **kwargs):
        self.symptom, self.weekly = symptom, weekly
        kwargs.setdefault("prefix", symptom.slug)
        super().__init__(*args, **kwargs)
        if weekly:  # 7-day recall: the same scales, about the week
            for field in self.fields.values():
                field.label = field.label.replace("that day", "today").replace(
                    "today", "in the past 7 days"
                )

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
                "How many mild hot flashes? (warm, no sweating)", Attribute.EPISODES_MILD
            )
            fields[Attribute.EPISODES_MODERATE] = _count_field(
                "How many moderate ones? (warm and sweaty, but you carried on)",
                Attribute.EPISODES_MODERATE,
            )
            fields[Attribute.EPISODES_SEVERE] = _count_field(
                "How many severe ones? (so sweaty you had to stop, or one woke you and you had to get up)",
                Attribute.EPISODES_SEVERE,
            )
        if symptom.asks_pain_details:
            fields[Attribute.WORST_PAIN] = forms.ChoiceField(
                label="Your worst pain today, from 0 (none) to 10 (as bad as you can imagine)",
                choices=[(str(n), str(n)) for n in range(11)],
                widget=forms.RadioSelect,
                required=False,
                error_messages={"invalid_choice": "Please choose a number from 0 to 10."},
            )
            fields["sites"] = forms.MultipleChoiceField(
                label="Where did it hurt?",
                choices=[(a.value, a.label) for a in SITE_ATTRIBUTES],
                widget=forms.CheckboxSelectMultiple,
                required=False,
                error_messages={
                    "invalid_choice": "Please choose from the places listed.",
                    "invalid_list": "Please choose from the places listed.",
                },
            )
            # Unticked boxes are not posted at all; this marker says the list was.
            fields["sites_shown"] = forms.CharField(widget=forms.HiddenInput, required=False)
            fields[Attribute.STIFFNESS_MINUTES] = _count_field(
                "How many minutes were you stiff after getting up?",
                Attribute.STIFFNESS_MINUTES,
                " minutes (a whole day)",
            )
            # One tap for the usual answers (the script draws them): no typing with sore hands.
            fields[Attribute.STIFFNESS_MINUTES].widget.attrs["data-presets"] = "0 15 30 60 120"
        if symptom.asks_night_awakenings:
            fields[Attribute.NIGHT_AWAKENINGS] = _count_field(
                "How many times did sweating wake you last night?", Attribute.NIGHT_AWAKENINGS
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
    dose = forms.ChoiceField(
        label="Did you take your medicine today?",
        choices=DayLog.Dose.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Please choose yes, no or not sure."},
    )
    missed_reason = forms.ChoiceField(
        label="What got in the way?",
        choices=DayLog.MissedReason.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Please choose one of the reasons shown."},
    )
    considering_stopping = forms.TypedChoiceField(
        label="Are side effects making you think about stopping your medicine?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Please choose yes or no."},
    )
    note = forms.CharField(
        label="Anything else about today?",
        help_text=(
            "Only you, and anyone you choose to share with, can read this. Nobody is alerted "
            "by what you write: your care team sees it only when they open your diary."
        ),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
        error_messages={
            "max_length": "Notes can be up to 2,000 characters; this one has %(show_value)d."
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
            raise forms.ValidationError("Ripple's diary starts in the year 2000.")
        return month.replace(day=1) if month else None


class QuickForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("nothing", "Nothing to report"), ("yesterday", "Same as yesterday")]
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
