"""Sign-up, settings, the second step at login and the medicine history."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import UserCreationForm
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import (
    EARLIEST_DATE,
    Cadence,
    Drug,
    Patient,
    Symptom,
    Therapy,
    User,
    time_zone_choices,
)
from ..text import without_direction_marks
from . import two_factor
from .throttle import over_limit


class SymptomsField(forms.ModelMultipleChoiceField):
    """Symptoms ticked by their keys. A key too big for the database is no symptom's:
    refused as any unknown choice is (SQLite would raise OverflowError, a 500)."""

    def _check_values(self, value):
        for key in value:
            if str(key).lstrip("-").isdigit() and abs(int(key)) >= 2**63:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": key},
                )
        return super()._check_values(value)


class SignupForm(UserCreationForm):
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        help_text=_("Optional. Only used if you ever need to reset your password."),
    )
    privacy = forms.BooleanField(
        label=_("I have read the privacy notice above and I agree to it."),
        error_messages={"required": _("Please read the privacy notice and tick the box to go on.")},
    )

    class Meta:
        model = User
        fields = ["username", "email"]


class PatientSettingsForm(forms.ModelForm):
    """The name the care team sees, time zone, tamoxifen history and what to track."""

    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=time_zone_choices,
        help_text=_("Ripple uses it to know when your day starts."),
    )
    # The account's, not the diary's: kept on the user (see UserLanguageMiddleware).
    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        help_text=_("For Ripple's pages, reminders and your reports."),
        required=False,  # left out of a post, it stays as it was
    )
    prior_tamoxifen = forms.TypedChoiceField(
        label=_("Did you take tamoxifen before?"),
        choices=[("yes", _("Yes")), ("no", _("No")), ("", _("I don't know"))],
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    tracked_symptoms = SymptomsField(
        label=_("What would you like to keep track of?"),
        queryset=Symptom.objects.active(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one thing to track.")},
    )
    weekly_symptoms = SymptomsField(
        label=_("Which of them should Ripple ask about once a week instead of every day?"),
        help_text=_(
            "Weekly questions ask about the past 7 days, on the day you choose below. "
            "Fewer daily questions keep your check-in to a few seconds."
        ),
        queryset=Symptom.objects.active(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Patient
        fields = [
            "display_name", "time_zone", "prior_tamoxifen", "tracked_symptoms",
            "weekly_symptoms", "weekly_on",
        ]  # fmt: skip
        help_texts = {"weekly_on": _("If you miss it, the weekly questions wait for you.")}

    field_order = ["display_name", "time_zone", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["language"] = self.instance.user.language or translation.get_language()
        if self.instance.prior_tamoxifen is not None:
            self.initial["prior_tamoxifen"] = "yes" if self.instance.prior_tamoxifen else "no"
        else:
            self.initial["prior_tamoxifen"] = ""
        # Left out of a post, the weekly day stays as it was.
        self.fields["weekly_on"].required = False
        if self.instance.pk:
            cadences = self.instance.cadences()
            self.initial["weekly_symptoms"] = [
                pk for pk, cadence in cadences.items() if cadence == Cadence.WEEKLY
            ]

    def clean_display_name(self):
        return without_direction_marks(self.cleaned_data["display_name"]).strip()

    def clean_weekly_on(self):
        value = self.cleaned_data.get("weekly_on")
        return self.instance.weekly_on if value in (None, "") else value

    def _save_m2m(self):
        # Each symptom with its cadence (see Patient.track): Django's own saving of a
        # list would make every newly ticked symptom daily.
        self.instance.track(
            self.cleaned_data["tracked_symptoms"],
            weekly=set(self.cleaned_data["weekly_symptoms"]),
        )
        # Saved with the rest, as save_m2m runs after the patient is saved.
        user = self.instance.user
        if self.cleaned_data["language"] and user.language != self.cleaned_data["language"]:
            user.language = self.cleaned_data["language"]
            user.save(update_fields=["language"])


class TherapyForm(forms.ModelForm):
    drug = forms.ChoiceField(
        label=_("Which medicine do you take?"), choices=Drug.choices, widget=forms.RadioSelect
    )

    class Meta:
        model = Therapy
        fields = ["drug", "other_name", "started_on"]
        labels = {"started_on": _("When did you start it?")}
        help_texts = {"started_on": _("Your best guess is fine.")}
        widgets = {"started_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, patient: Patient, **kwargs):
        super().__init__(*args, **kwargs)
        self.patient = patient
        # Translators: “another medicine” is the last choice of "Which medicine do you take?".
        self.fields["other_name"].help_text = gettext("Only if you chose “another medicine”.")
        self.fields["started_on"].widget.attrs["max"] = patient.today().isoformat()

    def clean_started_on(self):
        started_on = self.cleaned_data["started_on"]
        if started_on > self.patient.today():
            raise forms.ValidationError(gettext("The start date can't be in the future."))
        if started_on < EARLIEST_DATE:
            raise forms.ValidationError(
                gettext("Please check the year: that date looks too early.")
            )
        clash = Therapy.objects.for_patient(self.patient).filter(started_on=started_on)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(
                gettext("You already have a medicine starting on that day.")
            )
        return started_on

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("drug") == Drug.OTHER and not cleaned.get("other_name", "").strip():
            self.add_error("other_name", gettext("Please tell us the name of the medicine."))
        if cleaned.get("drug") != Drug.OTHER:
            cleaned["other_name"] = ""
        return cleaned


def _app_code_field() -> forms.CharField:
    return forms.CharField(
        label=_("6-digit code from your authenticator app"),
        max_length=12,
        required=False,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9 ]*",
                "class": "one-time-code",
            }
        ),
    )


def _matched(device, code: str, *, wrong: str):
    """The device, if the code matches it; else the `wrong` message, or while wrong
    codes must wait, when to try again."""
    try:
        if device is not None and two_factor.check(device, code):
            return device
    except two_factor.Throttled as throttled:
        raise forms.ValidationError(
            # Translators: %(wait)s is how long, e.g. "20 seconds" or "about 1 minute".
            gettext(
                "That's a few codes in a row that didn't match, so Ripple waits a moment "
                "before checking another. Please try again in %(wait)s."
            )
            % {"wait": throttled.wait_text()}
        ) from None
    raise forms.ValidationError(wrong)


def _app_code(value: str) -> str:
    code = "".join(value.split())
    if not code:
        raise forms.ValidationError(gettext("Please type the 6-digit code your app shows now."))
    if not code.isdigit():
        raise forms.ValidationError(gettext("The code is made of digits only, like 123456."))
    return code


class TwoFactorSetupForm(forms.Form):
    """The first code from the app, which shows that it was set up right."""

    code = _app_code_field()

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self):
        code = _app_code(self.cleaned_data["code"])
        _matched(
            self.device,
            code,
            wrong=gettext(
                "That code didn't match. Check that the app shows “Ripple” and type the "
                "code it shows now; a new one comes every 30 seconds."
            ),
        )
        return code


class TwoFactorVerifyForm(forms.Form):
    """The second step at login: a code from the app, or else a recovery code. The
    page has a form for each, so a post holds one of the two fields."""

    code = _app_code_field()
    recovery_code = forms.CharField(
        label=_("One of your recovery codes"),
        max_length=40,
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = None  # the one that matched

    @property
    def uses_recovery_code(self) -> bool:
        return "recovery_code" in self.data

    def clean_code(self):
        if self.uses_recovery_code:
            return ""
        code = _app_code(self.cleaned_data["code"])
        self.device = _matched(
            two_factor.app_device(self.user),
            code,
            wrong=gettext("That code didn't match. Please type the code your app shows now."),
        )
        return code

    def clean_recovery_code(self):
        if not self.uses_recovery_code:
            return ""
        # Shown in lower case; typed by hand, perhaps in capitals or with spaces.
        code = "".join(self.cleaned_data["recovery_code"].split()).replace("-", "").lower()
        if not code:
            raise forms.ValidationError(gettext("Please type one of your recovery codes."))
        self.device = _matched(
            two_factor.recovery_device(self.user),
            code,
            wrong=gettext(
                "That recovery code didn't match, or it was used before: each one works once."
            ),
        )
        return code


class PasswordCheckForm(forms.Form):
    """The account's password again, before something that weakens the account."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Please type your password.")},
    )

    mismatch_message = _("That password doesn't match. Please try again; it is case-sensitive.")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    # Wrong passwords in a row before a wait: a session left open must not be a way to
    # guess the password (the login's own lockout doesn't see these checks).
    TRIES = 5
    WAIT = 15 * 60  # seconds

    def clean_password(self):
        password = self.cleaned_data["password"]
        key = f"ripple:password-check:{self.user.pk}"
        if cache.get(key, 0) >= self.TRIES:
            raise forms.ValidationError(
                gettext(
                    "That was the wrong password several times, so it can't be checked for "
                    "the next 15 minutes. Please try again after that."
                )
            )
        if not self.user.check_password(password):
            over_limit(key, limit=self.TRIES, window=self.WAIT)
            raise forms.ValidationError(self.mismatch_message)
        return password
