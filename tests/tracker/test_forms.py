import datetime as dt

import pytest

from tests.factories import symptom
from tracker.accounts.forms import PatientSettingsForm, TherapyForm
from tracker.checkin.forms import DayForm, MonthForm, SymptomForm
from tracker.models import ANSWER_COLUMNS, OptOut, Therapy, sites_mask
from tracker.recording import record_answers

pytestmark = pytest.mark.django_db


def joint_form(data):
    return SymptomForm(data, symptom=symptom("joint-pain"))


def saved(patient, form):
    """What the one writer stores for a valid form's changes (it applies branching)."""
    assert form.is_valid()
    return record_answers(
        patient=patient, date=dt.date(2026, 11, 2), symptom=form.symptom, changes=form.changes()
    ).log


def test_it_only_stores_the_answers_that_were_posted():
    form = joint_form({"joint-pain-severity": "2"})
    assert form.is_valid()
    assert form.changes() == {"severity": 2}


def test_a_frequency_of_zero_zeroes_the_rest_of_the_symptom(patient):
    form = joint_form({"joint-pain-frequency": "0", "joint-pain-severity": "3"})
    assert form.is_valid()
    # The form passes on what was posted; the writer applies branching.
    assert form.changes() == {"frequency": 0, "severity": 3}
    row = saved(patient, form)
    assert row.frequency == row.severity == row.interference == 0
    assert row.worst_pain == row.stiffness_minutes == 0
    assert row.sites == 0 and row.site_list == []
    assert row.opt_out == ""


def test_a_severity_of_zero_zeroes_interference_only(patient):
    form = joint_form({"joint-pain-frequency": "2", "joint-pain-severity": "0"})
    assert form.is_valid()
    assert form.changes() == {"frequency": 2, "severity": 0}
    row = saved(patient, form)
    assert {column: value for column, value in row.answers().items() if value is not None} == {
        "frequency": 2,
        "severity": 0,
        "interference": 0,
    }


def test_sites_are_stored_as_one_set_when_the_list_was_posted():
    form = joint_form(
        {"joint-pain-sites": ["site_knees", "site_hands"], "joint-pain-sites_shown": "1"}
    )
    assert form.is_valid()
    changes = form.changes()
    assert changes == {"sites": sites_mask(["site_knees", "site_hands"])}
    assert changes["sites"] != sites_mask(["site_knees", "site_hands", "site_back"])


def test_unticking_every_site_clears_them_all():
    form = joint_form({"joint-pain-sites_shown": "1"})
    assert form.is_valid()
    # 0 is "answered, nowhere", not "not answered" (None).
    assert form.changes() == {"sites": 0}


def test_an_emptied_number_box_clears_that_value():
    form = joint_form({"joint-pain-stiffness_minutes": ""})
    assert form.is_valid()
    assert form.changes() == {"stiffness_minutes": None}


def test_an_emptied_severity_clears_an_opt_out_too():
    form = SymptomForm({"painful-sex-severity": ""}, symptom=symptom("painful-sex"))
    assert form.is_valid()
    assert form.changes() == {"severity": None, "opt_out": ""}


def test_each_answer_column_the_form_asks_is_a_column_of_the_row():
    form = joint_form({})
    assert set(form.fields) - {"sites_shown"} <= set(ANSWER_COLUMNS)


def test_each_field_names_what_a_zero_leaves_unasked():
    form = joint_form(None)
    assert form.fields["frequency"].zero_skips == (
        "severity interference worst_pain sites stiffness_minutes"
    )
    assert form.fields["severity"].zero_skips == "interference"
    assert form.fields["interference"].zero_skips == ""
    assert form.fields["interference"].branch_class == "after-frequency after-severity"
    assert form.fields["sites_shown"].branch_class == "after-frequency"
    assert form.fields["worst_pain"].branch_class == "after-frequency"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("severity", "7", "Please choose one of the answers shown."),
        ("severity", "not_active", "Please choose one of the answers shown."),
        ("worst_pain", "11", "Please choose a number from 0 to 10."),
        ("stiffness_minutes", "-5", "This can't be below 0."),
        ("stiffness_minutes", "2000", "Please enter a number up to 1440 minutes (a whole day)."),
        ("stiffness_minutes", "ten", "Please enter a whole number, like 0, 3 or 15."),
        ("sites", "site_tail", "Please choose from the places listed."),
    ],
)
def test_it_explains_each_kind_of_bad_answer_in_plain_words(field, value, message):
    data = {f"joint-pain-{field}": value, "joint-pain-frequency": "2"}
    if field == "sites":
        data.update({"joint-pain-sites": [value], "joint-pain-sites_shown": "1"})
    form = joint_form(data)
    assert not form.is_valid()
    assert form.errors[field] == [message]
    # The good answer beside it is still there to re-show.
    assert form["frequency"].value() == "2"


def test_sexual_items_accept_their_opt_outs_as_missing_values():
    form = SymptomForm({"painful-sex-severity": "declined"}, symptom=symptom("painful-sex"))
    assert form.is_valid()
    assert form.changes() == {"opt_out": OptOut.PREFER_NOT_TO_ANSWER}


def test_hot_flash_episodes_are_whole_numbers_per_level():
    form = SymptomForm(
        {"hot-flashes-episodes_mild": "3", "hot-flashes-episodes_severe": "1"},
        symptom=symptom("hot-flashes"),
    )
    assert form.is_valid()
    assert form.changes() == {"episodes_mild": 3, "episodes_severe": 1}


def test_the_day_form_passes_on_only_what_was_posted():
    form = DayForm({"day-dose": "taken"}, prefix="day")
    assert form.is_valid()
    assert form.changes() == {"dose": "taken"}


def test_the_day_form_refuses_a_note_that_is_too_long():
    form = DayForm({"day-note": "x" * 2001}, prefix="day")
    assert not form.is_valid()
    assert "up to 2,000 characters" in form.errors["note"][0]


def test_the_day_form_reads_thinking_about_stopping_as_yes_or_no():
    form = DayForm({"day-considering_stopping": "yes"}, prefix="day")
    assert form.is_valid()
    assert form.changes() == {"considering_stopping": True}
    assert not DayForm({"day-considering_stopping": "maybe"}, prefix="day").is_valid()


def test_a_therapy_cannot_start_in_the_future(patient):
    tomorrow = patient.today() + dt.timedelta(days=1)
    form = TherapyForm(
        {"drug": "letrozole", "started_on": tomorrow},
        instance=Therapy(patient=patient),
        patient=patient,
    )
    assert not form.is_valid()
    assert form.errors["started_on"] == ["The start date can't be in the future."]


def test_another_medicine_needs_its_name(patient):
    form = TherapyForm(
        {"drug": "other", "started_on": "2025-01-01"},
        instance=Therapy(patient=patient),
        patient=patient,
    )
    assert not form.is_valid()
    assert form.errors["other_name"] == ["Please tell us the name of the medicine."]


def test_two_medicines_cannot_start_on_the_same_day(patient):
    existing = patient.current_therapy.started_on
    form = TherapyForm(
        {"drug": "exemestane", "started_on": existing},
        instance=Therapy(patient=patient),
        patient=patient,
    )
    assert not form.is_valid()
    assert form.errors["started_on"] == ["You already have a medicine starting on that day."]


def test_settings_refuse_an_unknown_time_zone(patient):
    form = PatientSettingsForm(
        {"time_zone": "Mars/Olympus", "tracked_symptoms": [symptom("fatigue").pk]}, instance=patient
    )
    assert not form.is_valid()
    assert "time_zone" in form.errors


def test_settings_need_at_least_one_symptom(patient):
    form = PatientSettingsForm({"time_zone": "Europe/Paris"}, instance=patient)
    assert not form.is_valid()
    assert form.errors["tracked_symptoms"] == ["Choose at least one thing to track."]


def test_settings_cannot_track_a_retired_symptom(patient):
    retired = symptom("limb-swelling")
    retired.retired = True
    retired.save()
    form = PatientSettingsForm(
        {"time_zone": "UTC", "tracked_symptoms": [retired.pk]}, instance=patient
    )
    assert not form.is_valid()


def test_the_month_filter_reads_year_and_month():
    form = MonthForm({"month": "2026-03"})
    assert form.is_valid()
    assert form.cleaned_data["month"] == dt.date(2026, 3, 1)
    assert not MonthForm({"month": "March"}).is_valid()
