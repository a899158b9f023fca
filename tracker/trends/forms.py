import datetime as dt

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import EARLIEST_DATE


class RangeForm(forms.Form):
    """The dashboard's period: ?range=30|90|365|all, or ?range=custom&start=…&end=…"""

    CHOICES = [
        ("30", gettext_lazy("30 days")),
        ("90", gettext_lazy("90 days")),
        ("365", gettext_lazy("A year")),
        # Translators: the whole diary, as a period to show.
        ("all", gettext_lazy("All")),
        ("custom", gettext_lazy("Choose dates")),
    ]
    range = forms.ChoiceField(choices=CHOICES, required=False)
    start = forms.DateField(
        required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    end = forms.DateField(
        required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )

    def period(
        self, *, today: dt.date, first_day: dt.date | None, default_start: dt.date | None = None
    ) -> tuple[dt.date, dt.date, str, str]:
        """(start, end, the range chosen, a note when what was asked had to change).
        Without a range asked for, the period starts on `default_start` (see
        trends.request.default_start), else 90 days ago."""
        default = (today - dt.timedelta(days=89), today, "90", "")
        if not self.is_valid():
            return (
                *default[:3],
                _("Those dates weren't recognized, so here are the last 90 days."),
            )
        if not self.cleaned_data["range"] and default_start is not None:
            chosen = "90" if default_start == default[0] else "custom"
            return (default_start, today, chosen, "")
        chosen = self.cleaned_data["range"] or "90"
        if chosen == "all":
            return (first_day or today - dt.timedelta(days=89), today, "all", "")
        if chosen != "custom":
            return (today - dt.timedelta(days=int(chosen) - 1), today, chosen, "")
        start, end = self.cleaned_data["start"], self.cleaned_data["end"]
        if not start or not end:
            return (
                *default[:3],
                _("Choose both a start and an end date; here are the last 90 days."),
            )
        note = ""
        if end > today:
            end, note = today, _("Your diary can't show days to come, so the range ends today.")
        if start < EARLIEST_DATE:
            start, note = (
                EARLIEST_DATE,
                _("Ripple's diary starts in 2000, so the range starts there."),
            )
        if end < start:
            return (*default[:3], _("The end came before the start, so here are the last 90 days."))
        return (start, end, "custom", note)
