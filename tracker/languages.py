"""The language switch on every page: remembered in a cookie for anyone, and in the
account of someone signed in, so their emails, reminders and reports follow it too."""

from django import forms
from django.conf import settings
from django.views.decorators.http import require_POST
from django.views.i18n import set_language


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)


@require_POST
def choose_language(request):
    """Django's own set_language (the cookie, and a safe way back to the page), after
    keeping a signed-in person's choice in their settings."""
    form = LanguageForm(request.POST)
    if form.is_valid() and request.user.is_authenticated:
        request.user.language = form.cleaned_data["language"]
        request.user.save(update_fields=["language"])
    return set_language(request)
