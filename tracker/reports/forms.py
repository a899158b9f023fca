import datetime as dt

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import EARLIEST_DATE, Patient, ReportSection


class ReportForm(forms.Form):
    """The report's period and sections: ?start=…&end=…&sections=…"""

    start = forms.DateField(
        # Translators: the first day of the report's period.
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        # Translators: the last day of the report's period.
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    sections = forms.MultipleChoiceField(
        # Translators: the sections of the report to include.
        label=_("Include"),
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
                gettext("Those dates weren't recognized, so the report uses its usual period."),
            )
        start = self.cleaned_data.get("start") or default[0]
        end = self.cleaned_data.get("end") or default[1]
        note = ""
        if end > today:
            end, note = today, gettext("The report can't include days to come, so it ends today.")
        if start < EARLIEST_DATE:
            start, note = (
                EARLIEST_DATE,
                gettext("Ripple's diary starts in 2000, so the report starts there."),
            )
        if end < start:
            return (
                *default,
                gettext("The start came after the end, so the report uses its usual period."),
            )
        return start, end, note

    def chosen_sections(self) -> list[str]:
        """What was ticked; everything when nothing (or nothing known) was."""
        if not self.is_bound:
            return list(ReportSection.values)
        self.is_valid()  # fills cleaned_data with each field that was understood
        return list(self.cleaned_data.get("sections") or ReportSection.values)


class VisitNotesForm(forms.ModelForm):
    class Meta:
        model = Patient
        fields = ["visit_notes"]
        widgets = {"visit_notes": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "visit_notes": _(
                "What you want to ask or tell your care team. It is printed on your report."
            )
        }
