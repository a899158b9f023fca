import datetime as dt

from django import forms
from django.contrib.auth.forms import UserCreationForm

from .models import (
    ATTRIBUTE_MAXIMUM,
    SITE_ATTRIBUTES,
    AnswerStatus,
    Attribute,
    DayLog,
    Drug,
    Patient,
    ReportSection,
    ShareLink,
    Symptom,
    Therapy,
    TimelineEvent,
    User,
    time_zone_choices,
)

EARLIEST_DATE = dt.date(2000, 1, 1)

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
OPT_OUTS = [
    (AnswerStatus.NOT_SEXUALLY_ACTIVE.value, "Not sexually active"),
    (AnswerStatus.PREFER_NOT_TO_ANSWER.value, "Prefer not to answer"),
]


class SignupForm(UserCreationForm):
    email = forms.EmailField(
        required=False,
        help_text="Optional. Only used if you ever need to reset your password.",
    )

    class Meta:
        model = User
        fields = ["username", "email"]


class PatientSettingsForm(forms.ModelForm):
    """The name the care team sees, time zone, tamoxifen history and what to track."""

    time_zone = forms.ChoiceField(
        choices=time_zone_choices,
        help_text="Ripple uses it to know when your day starts.",
    )
    prior_tamoxifen = forms.TypedChoiceField(
        label="Did you take tamoxifen before?",
        choices=[("yes", "Yes"), ("no", "No"), ("", "I don't know")],
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    tracked_symptoms = forms.ModelMultipleChoiceField(
        label="What would you like to keep track of?",
        queryset=Symptom.objects.active(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one thing to track."},
    )

    class Meta:
        model = Patient
        fields = ["display_name", "time_zone", "prior_tamoxifen", "tracked_symptoms"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.prior_tamoxifen is not None:
            self.initial["prior_tamoxifen"] = "yes" if self.instance.prior_tamoxifen else "no"
        else:
            self.initial["prior_tamoxifen"] = ""


class TherapyForm(forms.ModelForm):
    drug = forms.ChoiceField(
        label="Which medicine do you take?", choices=Drug.choices, widget=forms.RadioSelect
    )

    class Meta:
        model = Therapy
        fields = ["drug", "other_name", "started_on"]
        labels = {"started_on": "When did you start it?"}
        help_texts = {"started_on": "Your best guess is fine."}
        widgets = {"started_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, patient: Patient, **kwargs):
        super().__init__(*args, **kwargs)
        self.patient = patient
        self.fields["other_name"].help_text = "Only if you chose “another medicine”."
        self.fields["started_on"].widget.attrs["max"] = patient.today().isoformat()

    def clean_started_on(self):
        started_on = self.cleaned_data["started_on"]
        if started_on > self.patient.today():
            raise forms.ValidationError("The start date can't be in the future.")
        if started_on < EARLIEST_DATE:
            raise forms.ValidationError("Please check the year: that date looks too early.")
        clash = Therapy.objects.for_patient(self.patient).filter(started_on=started_on)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("You already have a medicine starting on that day.")
        return started_on

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("drug") == Drug.OTHER and not cleaned.get("other_name", "").strip():
            self.add_error("other_name", "Please tell us the name of the medicine.")
        if cleaned.get("drug") != Drug.OTHER:
            cleaned["other_name"] = ""
        return cleaned


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

    def __init__(self, *args, symptom: Symptom, **kwargs):
        self.symptom = symptom
        kwargs.setdefault("prefix", symptom.slug)
        super().__init__(*args, **kwargs)

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
        if symptom.asks_night_awakenings:
            fields[Attribute.NIGHT_AWAKENINGS] = _count_field(
                "How many times did sweating wake you last night?", Attribute.NIGHT_AWAKENINGS
            )
        # CSS hides a question once an earlier answer is 0 (see ripple.css);
        # changes() stores the zeroes.
        order = symptom.attributes
        for name, field in fields.items():
            earlier = order[: order.index(name)] if name in order else order[:1]
            field.branch_class = " ".join(f"after-{attribute}" for attribute in earlier)
        return fields

    def posted(self, name: str) -> bool:
        if name == "sites":
            return self.add_prefix("sites_shown") in self.data
        return super().posted(name)

    def changes(
        self, *, only_changed: bool = False
    ) -> tuple[dict[str, tuple[int | None, str]], list[str]]:
        """What to store, as ({attribute: (value, status)}, [attributes to clear])."""
        values: dict[str, tuple[int | None, str]] = {}
        cleared: list[str] = []
        answered = AnswerStatus.ANSWERED.value
        for name, raw in self.posted_data(only_changed=only_changed).items():
            if name == "sites_shown":
                continue
            if name == "sites":
                chosen = set(raw or [])
                for site in SITE_ATTRIBUTES:
                    values[site] = (int(site.value in chosen), answered)
            elif raw in (None, ""):
                cleared.append(name)
            elif raw in (AnswerStatus.NOT_SEXUALLY_ACTIVE, AnswerStatus.PREFER_NOT_TO_ANSWER):
                values[name] = (None, raw)
            else:
                values[name] = (int(raw), answered)
        # Branching: an earlier 0 means the later questions were not asked and
        # count as 0. A first answer of 0 also zeroes the extra measures.
        order = self.symptom.attributes
        zero = (0, answered)
        for position, attribute in enumerate(order):
            if values.get(attribute) == zero:
                later = order[position + 1 :]
                if position == 0:
                    later += [name for name in self.fields if name not in order]
                for name in later:
                    if name == "sites":
                        values.update(dict.fromkeys(SITE_ATTRIBUTES, zero))
                    elif name != "sites_shown":
                        values[name] = zero
                cleared = [name for name in cleared if name not in later]
                break
        return values, cleared


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
        help_text="Only you, and anyone you later choose to share with, can read this.",
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


class RangeForm(forms.Form):
    """The dashboard's period: ?range=30|90|365|all, or ?range=custom&start=…&end=…"""

    CHOICES = [
        ("30", "30 days"),
        ("90", "90 days"),
        ("365", "A year"),
        ("all", "All"),
        ("custom", "Choose dates"),
    ]
    range = forms.ChoiceField(choices=CHOICES, required=False)
    start = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def period(
        self, *, today: dt.date, first_day: dt.date | None
    ) -> tuple[dt.date, dt.date, str, str]:
        """(start, end, the range chosen, a note when what was asked had to change)."""
        default = (today - dt.timedelta(days=89), today, "90", "")
        if not self.is_valid():
            return (*default[:3], "Those dates weren't recognised, so here are the last 90 days.")
        chosen = self.cleaned_data["range"] or "90"
        if chosen == "all":
            return (first_day or today - dt.timedelta(days=89), today, "all", "")
        if chosen != "custom":
            return (today - dt.timedelta(days=int(chosen) - 1), today, chosen, "")
        start, end = self.cleaned_data["start"], self.cleaned_data["end"]
        if not start or not end:
            return (*default[:3], "Choose both a start and an end date; here are the last 90 days.")
        note = ""
        if end > today:
            end, note = today, "Your diary can't show days to come, so the range ends today."
        if start < EARLIEST_DATE:
            start, note = EARLIEST_DATE, "Ripple's diary starts in 2000, so the range starts there."
        if end < start:
            return (*default[:3], "The end came before the start, so here are the last 90 days.")
        return (start, end, "custom", note)


class TimelineEventForm(forms.ModelForm):
    class Meta:
        model = TimelineEvent
        fields = [
            "kind",
            "title",
            "is_medicine",
            "starts_on",
            "ends_on",
            "t_score_spine",
            "t_score_hip",
            "notes",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, patient: Patient, **kwargs):
        super().__init__(*args, **kwargs)
        self.patient = patient
        self.fields["kind"].label = "What is it?"

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and starts < EARLIEST_DATE:
            self.add_error("starts_on", "Please check the year: that date looks too early.")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The stop date can't be before the start date.")
        if cleaned.get("kind") != "bone_scan":
            cleaned["t_score_spine"] = cleaned["t_score_hip"] = None
        for name in ("t_score_spine", "t_score_hip"):
            value = cleaned.get(name)
            if value is not None and not -6 <= value <= 6:
                self.add_error(
                    name, "T-scores usually run from about −5 to +5; please check this one."
                )
        if cleaned.get("kind") != "treatment":
            cleaned["is_medicine"] = False
        return cleaned


class ReportForm(forms.Form):
    """The report's period and sections: ?start=…&end=…&sections=…"""

    start = forms.DateField(
        label="From",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label="To",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    sections = forms.MultipleChoiceField(
        label="Include",
        choices=ReportSection.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def period(self, *, today: dt.date, default: tuple[dt.date, dt.date]):
        """(start, end, a note when what was asked had to change). Each date that
        was understood is kept, whatever else was wrong."""
        if not self.is_bound:
            return (*default, "")
        self.is_valid()
        if "start" in self.errors or "end" in self.errors:
            return (
                *default,
                "Those dates weren't recognised, so the report uses its usual period.",
            )
        start = self.cleaned_data.get("start") or default[0]
        end = self.cleaned_data.get("end") or default[1]
        note = ""
        if end > today:
            end, note = today, "The report can't include days to come, so it ends today."
        if start < EARLIEST_DATE:
            start, note = (
                EARLIEST_DATE,
                "Ripple's diary starts in 2000, so the report starts there.",
            )
        if end < start:
            return (*default, "The start came after the end, so the report uses its usual period.")
        return start, end, note

    def chosen_sections(self) -> list[str]:
        """What was ticked; everything when nothing (or nothing known) was."""
        if not self.is_bound:
            return list(ReportSection.values)
        self.is_valid()  # fills cleaned_data with each field that was understood
        return list(self.cleaned_data.get("sections") or ReportSection.values)


class ShareLinkForm(ReportForm):
    DAYS_VALID = [(1, "1 day"), (7, "7 days"), (14, "14 days"), (30, "30 days"), (90, "90 days")]

    label = forms.CharField(
        label="Name it (optional)",
        max_length=80,
        required=False,
        help_text="Only you see this, for example “Dr Lee, March”.",
    )
    days_valid = forms.TypedChoiceField(
        label="The link works for",
        choices=DAYS_VALID,
        coerce=int,
        initial=ShareLink.DEFAULT_DAYS,
    )

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        # A link shares exactly the days chosen: no period is filled in or moved for it.
        for name, what in [("start", "first"), ("end", "last")]:
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = f"Choose the {what} day to share."
        # A report falls back to showing everything; a link shares only what was chosen.
        self.fields["sections"].required = True
        self.fields["sections"].error_messages["required"] = (
            "Choose at least one part of the report to share."
        )

    def clean(self):
        # A report falls back to its usual period; a link must not share more than
        # the patient chose, so here a wrong period is refused instead.
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and start > self.today:
            self.add_error("start", "The start is in the future. Choose a day up to today.")
        elif start and start < EARLIEST_DATE:
            self.add_error("start", "Ripple's diary starts in 2000. Choose a later day.")
        elif start and end and end < start:
            self.add_error("end", "The end comes before the start. Check the dates.")
        return cleaned


class VisitNotesForm(forms.ModelForm):
    class Meta:
        model = Patient
        fields = ["visit_notes"]
        widgets = {"visit_notes": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "visit_notes": "What you want to ask or tell your care team. It is printed on your report."
        }


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="Their email (optional)",
        required=False,
        help_text="We email them the code. Leave it empty to pass the code on yourself.",
    )


class AcceptInvitationForm(forms.Form):
    code = forms.CharField(
        label="Invitation code",
        max_length=40,
        help_text="The code your patient gave you, like ABCD-EFGH-JKMN-PQRS.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class ClinicianSignupForm(UserCreationForm):
    """A clinician's own account, made with the invitation code a patient gave them:
    without a code, nobody can make one (staff make them in the admin otherwise)."""

    code = forms.CharField(
        label="Invitation code",
        max_length=40,
        help_text="The code your patient gave you, like ABCD-EFGH-JKMN-PQRS.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)
    email = forms.EmailField(help_text="For resetting your password.")

    class Meta:
        model = User
        fields = ["code", "first_name", "last_name", "username", "email"]

    def clean_code(self):
        from .models import CareAccess, digest, normalise_code

        code = self.cleaned_data["code"]
        self.invitation = (
            CareAccess.objects.pending().filter(code_hash=digest(normalise_code(code))).first()
        )
        if self.invitation is None:
            raise forms.ValidationError(
                "That code doesn't work. It may be mistyped, used already, expired or "
                "withdrawn; your patient can make a new one."
            )
        return code

    def clean(self):
        # An emailed code proves the address, not the person: whoever joins with it must
        # use that address, so a misdirected email can't make "Dr Someone" an account.
        cleaned = super().clean()
        invitation = getattr(self, "invitation", None)
        email = cleaned.get("email", "")
        if invitation and invitation.email and email.lower() != invitation.email.lower():
            self.add_error("email", "Use the email address the invitation was sent to.")
        return cleaned
