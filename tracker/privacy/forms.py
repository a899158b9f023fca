from django import forms


class ConsentForm(forms.Form):
    agree = forms.BooleanField(
        label="I have read the privacy notice and I agree to it.",
        error_messages={"required": "Please tick the box to go on, once you have read the notice."},
    )


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        help_text="To be sure it is you.",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Please type your password to delete your account."},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                "That password doesn't match your account, so nothing was deleted."
            )
        return password
