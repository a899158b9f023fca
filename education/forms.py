from django import forms
from django.utils.translation import gettext_lazy as _

from tracker.models import Symptom

from .models import BodySystem, Depth, Section


class LibraryForm(forms.Form):
    """The library's search box and filters (all optional, all from the query string)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    symptom = forms.ModelChoiceField(
        queryset=Symptom.objects.active(),
        to_field_name="slug",
        required=False,
        empty_label=_("All symptoms"),
    )
    system = forms.ChoiceField(
        label=_("Body system"),
        choices=[("", _("All body systems")), *BodySystem.choices],
        required=False,
    )


class DepthForm(forms.Form):
    depth = forms.ChoiceField(choices=Depth.choices, required=False)


class OriginalForm(forms.Form):
    """?original=1 on a translated topic: its English original."""

    original = forms.BooleanField(required=False)


class HideForm(forms.Form):
    # When to talk to the care team can't be hidden: it returns whenever it applies.
    section = forms.ChoiceField(
        choices=[c for c in Section.choices if c[0] != Section.WHEN_TO_TALK]
    )
