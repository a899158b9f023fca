import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tracker.models import ANSWER_COLUMNS, DayLog, Patient, Symptom, SymptomLog, User

pytestmark = pytest.mark.django_db


def run_seed(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_it_creates_the_demo_accounts_and_prints_the_logins(settings):
    output = run_seed(settings)
    assert {"demo", "clinician", "admin"} <= set(User.objects.values_list("username", flat=True))
    assert "ripple-demo" in output and "demo" in output
    assert User.objects.get(username="admin").is_superuser


def test_it_tells_the_story_of_six_months(settings):
    run_seed(settings)
    patient = Patient.objects.get(user__username="demo")
    drugs = list(patient.therapies.values_list("drug", flat=True))
    assert drugs == ["anastrozole", "exemestane"]
    start = patient.therapies.first().started_on
    assert (patient.today() - start).days >= 180
    logs = DayLog.objects.for_patient(patient).logged()
    assert 150 <= logs.count() < 190  # some days are missing
    assert logs.filter(dose="missed").count() >= 3
    # Joint pain starts between weeks 4 and 8 of therapy.
    joint = SymptomLog.objects.filter(
        patient=patient, symptom__slug="joint-pain", worst_pain__isnull=False
    )
    first_pain = joint.filter(worst_pain__gte=3).order_by("date").first().date
    assert 4 * 7 <= (first_pain - start).days <= 8 * 7
    # It eases after the switch.
    switch = patient.therapies.last().started_on

    def mean_pain(since, until):
        values = list(joint.filter(date__range=(since, until)).values_list("worst_pain", flat=True))
        return sum(values) / len(values)

    before = mean_pain(switch - dt.timedelta(days=28), switch)
    after = mean_pain(switch + dt.timedelta(days=42), patient.today())
    assert after <= before - 2
    # It tracks what onboarding ticks, not the optional symptoms it never logs.
    tracked = set(patient.tracked_symptoms.values_list("slug", flat=True))
    assert tracked == set(Symptom.objects.defaults().values_list("slug", flat=True))


def test_running_it_twice_gives_the_same_diary(settings):
    run_seed(settings)
    columns = ["date", "symptom__slug", *ANSWER_COLUMNS, "opt_out", "grade"]
    first = list(SymptomLog.objects.order_by("date", "symptom").values_list(*columns))
    run_seed(settings)
    second = list(SymptomLog.objects.order_by("date", "symptom").values_list(*columns))
    assert first and first == second
    assert User.objects.filter(username="demo").count() == 1


def test_it_refuses_to_run_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=StringIO())
