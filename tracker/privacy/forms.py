from django import forms
from django.utils.translation import gettext_lazy as _

from ..accounts.forms import PasswordCheckForm


class ConsentForm(forms.Form):
    agree = forms.BooleanField(
        label=_("I have read the privacy notice and I agree to it."),
        error_messages={
            "required": _("Please tick the box to go on, once you have read the notice.")
        },
    )


class DeleteAccountForm(PasswordCheckForm):
    mismatch_message = _("That password doesn't match your account, so nothing was deleted.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = _("To be sure it is you.")
        self.fields["password"].error_messages["required"] = _(
            "Please type your password to delete your account."
        )
