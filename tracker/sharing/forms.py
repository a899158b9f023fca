import datetime as dt

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..models import EARLIEST_DATE, CareAccess, ShareLink, User, digest, normalise_code
from ..reports.forms import ReportForm
from ..text import without_direction_marks
from ..trends.flags import RULES


def days_valid_choices() -> list[tuple[int, str]]:
    """How long a link may work, in the language of the page (a callable: read when
    the choices are shown, not once at import)."""
    return [
        (days, ngettext("%(count)s day", "%(count)s days", days) % {"count": days})
        for days in ShareLinkForm.DAYS_VALID
    ]


class ShareLinkForm(ReportForm):
    DAYS_VALID = [1, 7, 14, 30, 90]

    label = forms.CharField(
        label=_("Name it (optional)"),
        max_length=80,
        required=False,
        help_text=_("Only you see this, for example “Dr Lee, March”."),
    )
    days_valid = forms.TypedChoiceField(
        label=_("The link works for"),
        choices=days_valid_choices,
        coerce=int,
        initial=ShareLink.DEFAULT_DAYS,
    )

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        # A link shares exactly the days chosen: no period is filled in or moved for it.
        for name, message in [
            ("start", _("Choose the first day to share.")),
            ("end", _("Choose the last day to share.")),
        ]:
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = message
        # A report falls back to showing everything; a link shares only what was chosen.
        self.fields["sections"].required = True
        self.fields["sections"].error_messages["required"] = _(
            "Choose at least one part of the report to share."
        )

    def clean(self):
        # A report falls back to its usual period; a link must not share more than
        # the patient chose, so here a wrong period is refused instead.
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and start > self.today:
            self.add_error("start", _("The start is in the future. Choose a day up to today."))
        elif start and start < EARLIEST_DATE:
            self.add_error("start", _("Ripple's diary starts in 2000. Choose a later day."))
        elif start and end and end < start:
            self.add_error("end", _("The end comes before the start. Check the dates."))
        return cleaned


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Their email (optional)"),
        required=False,
        help_text=_("We email them the code. Leave it empty to pass the code on yourself."),
    )


class AcceptInvitationForm(forms.Form):
    code = forms.CharField(
        label=_("Invitation code"),
        max_length=40,
        help_text=_("The code your patient gave you, like ABCD-EFGH-JKMN-PQRS."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def __init__(self, *args, clinician, **kwargs):
        super().__init__(*args, **kwargs)
        self.clinician = clinician

    def clean_code(self):
        code = self.cleaned_data["code"]
        invitation = (
            CareAccess.objects.pending().filter(code_hash=digest(normalise_code(code))).first()
        )
        if invitation is not None and not invitation.addressed_to(self.clinician):
            raise forms.ValidationError(
                _(
                    "This invitation was sent to another email address. Log in with the "
                    "account for that address, or ask your patient for a code without an email."
                )
            )
        return code


class ClinicianSignupForm(UserCreationForm):
    """A clinician's own account, made with the invitation code a patient gave them:
    without a code, nobody can make one (staff make them in the admin otherwise)."""

    code = forms.CharField(
        label=_("Invitation code"),
        max_length=40,
        help_text=_("The code your patient gave you, like ABCD-EFGH-JKMN-PQRS."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("Email"), help_text=_("For resetting your password."))

    class Meta:
        model = User
        fields = ["code", "first_name", "last_name", "username", "email"]

    def clean_first_name(self):
        return without_direction_marks(self.cleaned_data["first_name"]).strip()

    def clean_last_name(self):
        return without_direction_marks(self.cleaned_data["last_name"]).strip()

    def clean_code(self):
        code = self.cleaned_data["code"]
        self.invitation = (
            CareAccess.objects.pending().filter(code_hash=digest(normalise_code(code))).first()
        )
        if self.invitation is None:
            raise forms.ValidationError(
                _(
                    "That code doesn't work. It may be mistyped, used already, expired or "
                    "withdrawn; your patient can make a new one."
                )
            )
        return code

    def clean(self):
        # An emailed code proves the address, not the person: whoever joins with it must
        # use that address, so a misdirected email can't make "Dr Someone" an account.
        cleaned = super().clean()
        invitation = getattr(self, "invitation", None)
        email = cleaned.get("email", "")
        if invitation and not invitation.addressed_to(User(email=email)):
            self.add_error("email", _("Use the email address the invitation was sent to."))
        return cleaned


class FlagSeenForm(forms.Form):
    """A clinician marks one of a patient's open flags seen, at the value it showed."""

    BACK = ["panel", "dashboard"]  # the page to return to

    rule = forms.ChoiceField(choices=[(rule, rule) for rule in RULES])
    value = forms.IntegerField(required=False, min_value=0, max_value=100_000)
    back = forms.ChoiceField(choices=[(page, page) for page in BACK], required=False)


class BaselineWeekForm(forms.Form):
    """A clinician sets the week a patient's baselines come from, or gives them back
    to Ripple's rule (CLINICAL.md, baseline)."""

    week = forms.DateField(
        label=_("Use the 7 days starting"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Please enter a date, for example 2026-03-02.")},
    )
    action = forms.ChoiceField(
        choices=[("choose", _("Use this week")), ("rule", _("Use Ripple's rule"))]
    )

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self):
        data = super().clean()
        week = data.get("week")
        if data.get("action") == "choose":
            if week is None:
                self.add_error("week", _("Choose the first day of the week to use."))
            elif not EARLIEST_DATE <= week <= self.today:
                self.add_error("week", _("Choose a week that has begun, in the patient's diary."))
        return data
