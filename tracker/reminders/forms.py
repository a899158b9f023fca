"""The reminder's settings, with the address it goes to."""

from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ..models import WEEKDAYS, Reminder


class ReminderForm(forms.ModelForm):
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        help_text=_("Where reminders go. Also used if you ever need to reset your password."),
    )
    at = forms.TimeField(
        label=_("At what time?"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Your own local time. No reminder comes on a day you have already logged."),
        error_messages={"invalid": _("Enter a time such as 19:00.")},
    )
    quiet = forms.TypedMultipleChoiceField(
        label=_("Quiet days (no reminder)"),
        choices=list(enumerate(WEEKDAYS)),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Reminder
        fields = ["by_email", "email", "at", "quiet"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("email", self.instance.patient.user.email)
        self.initial.setdefault("quiet", self.instance.quiet_weekdays)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("by_email") and not cleaned.get("email") and "email" not in self.errors:
            self.add_error("email", _("Add the email address to send your reminders to."))
        if len(cleaned.get("quiet") or []) == 7 and cleaned.get("by_email"):
            self.add_error("quiet", _("With every day quiet, no reminder would ever come."))
        return cleaned

    def save(self, commit=True):
        reminder = super().save(commit=False)
        reminder.quiet_days = sum(1 << day for day in self.cleaned_data["quiet"])
        user = reminder.patient.user
        if commit:
            reminder.save()
            if self.cleaned_data["email"] != user.email:
                user.email = self.cleaned_data["email"]
                user.save(update_fields=["email"])
        return reminder


class PushSubscriptionForm(forms.Form):
    """What a browser's PushSubscription gives: where to post, and its keys."""

    endpoint = forms.URLField(max_length=1000, assume_scheme="https")
    p256dh = forms.RegexField(regex=r"^[A-Za-z0-9_-]{80,100}={0,2}$", required=False)
    auth = forms.RegexField(regex=r"^[A-Za-z0-9_-]{16,30}={0,2}$", required=False)

    def __init__(self, *args, keys_required=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["p256dh"].required = self.fields["auth"].required = keys_required

    def clean_endpoint(self):
        endpoint = self.cleaned_data["endpoint"]
        url = urlsplit(endpoint)
        host = url.hostname or ""
        allowed = any(
            host.endswith(entry) if entry.startswith(".") else host == entry
            for entry in settings.PUSH_SERVICE_HOSTS
        )
        loopback = host in ("127.0.0.1", "localhost")
        if not allowed or (url.scheme != "https" and not loopback):
            raise forms.ValidationError(_("This browser's push service isn't one Ripple can use."))
        return endpoint
