from django import forms
from django.utils.translation import gettext as _

from ..models import EARLIEST_DATE, Patient, TimelineEvent


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
            # A date field takes its value as YYYY-MM-DD, whatever the page's language.
            "starts_on": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "ends_on": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        }

    def __init__(self, *args, patient: Patient, **kwargs):
        super().__init__(*args, **kwargs)
        self.patient = patient
        self.fields["kind"].label = _("What is it?")

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and starts < EARLIEST_DATE:
            self.add_error("starts_on", _("Please check the year: that date looks too early."))
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The stop date can't be before the start date."))
        if cleaned.get("kind") != "bone_scan":
            cleaned["t_score_spine"] = cleaned["t_score_hip"] = None
        for name in ("t_score_spine", "t_score_hip"):
            value = cleaned.get(name)
            if value is not None and not -6 <= value <= 6:
                self.add_error(
                    name, _("T-scores usually run from about −5 to +5; please check this one.")
                )
        if cleaned.get("kind") != "treatment":
            cleaned["is_medicine"] = False
        return cleaned
