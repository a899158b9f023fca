import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse

from tests.factories import an_object_of, log, login_verified, make_user, symptom
from tracker import roles
from tracker.models import Baseline, DayLog, Symptom, SymptomLog, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = make_user("ada", role=roles.ADMIN, is_staff=True)
    login_verified(client, admin)
    return client


@pytest.fixture
def superuser_client(db):
    client = Client()  # its own: a test may also use admin_client
    login_verified(client, make_user("root", role=roles.ADMIN, is_staff=True, is_superuser=True))
    return client


def test_an_admin_adds_a_symptom_without_a_code_change(admin_client, patient):
    response = admin_client.post(
        reverse("admin:tracker_symptom_add"),
        {
            "name": "Dry eyes",
            "slug": "dry-eyes",
            "hint": "Gritty or sore eyes.",
            "position": "5",
            "asks_severity": "on",
            "asks_interference": "on",
            "tracked_by_default": "on",
        },
    )
    assert response.status_code == 302
    dry_eyes = Symptom.objects.get(slug="dry-eyes")
    assert dry_eyes.attributes == ["severity", "interference"]
    assert Symptom.objects.active().first() == dry_eyes  # position 5 comes first
    patient.tracked_symptoms.add(dry_eyes)
    assert "Dry eyes" in _checkin(admin_client, patient)


def _checkin(client, patient):
    client.force_login(patient.user)
    return client.get(reverse("tracker:checkin", args=[patient.today()])).text


def test_a_symptom_that_asks_nothing_is_refused_with_a_message(admin_client):
    response = admin_client.post(
        reverse("admin:tracker_symptom_add"),
        {"name": "Nothing", "slug": "nothing", "position": "1"},
    )
    assert response.status_code == 200
    assert "Tick at least one of" in response.text
    assert not Symptom.objects.filter(slug="nothing").exists()


def test_an_admin_reorders_symptoms_from_the_list(admin_client):
    fatigue = symptom("fatigue")
    fatigue.position = 1
    fatigue.save()
    assert Symptom.objects.active().first() == fatigue


def test_retiring_keeps_every_logged_value_and_deleting_is_not_offered(admin_client, patient):
    joint = symptom("joint-pain")
    log(patient, patient.today(), "joint-pain", severity=2)
    admin_client.post(
        reverse("admin:tracker_symptom_changelist"),
        {"action": "retire", "_selected_action": [joint.pk]},
    )
    joint.refresh_from_db()
    assert joint.retired
    assert SymptomLog.objects.filter(symptom=joint).count() == 1
    assert SymptomLog.objects.get(symptom=joint).severity == 2
    assert (
        admin_client.get(reverse("admin:tracker_symptom_delete", args=[joint.pk])).status_code
        == 403
    )
    page = _checkin(admin_client, patient)
    assert 'name="joint-pain-severity"' not in page  # no longer asked
    assert "Also logged that day" in page  # but what was logged still shows


def test_patients_answers_are_not_browsable_in_the_admin(admin_client, superuser_client):
    for client in (admin_client, superuser_client):
        index = client.get(reverse("admin:index")).text
        for model in ("symptomlog", "daylog", "baseline"):
            assert f"tracker/{model}" not in index


@pytest.mark.parametrize("slug", ["fatigue", "joint-pain", "painful-sex"])
def test_a_symptoms_change_page_opens(superuser_client, slug):
    response = superuser_client.get(
        reverse("admin:tracker_symptom_change", args=[symptom(slug).pk])
    )
    assert response.status_code == 200
    assert 'name="asks_frequency"' in response.text


def change_form(symptom: Symptom, **changes) -> dict:
    """The symptom's change form as the admin page would post it, with `changes`."""
    fields = model_to_dict(symptom, exclude=["id", "slug"])
    data = {**fields, **changes}
    # Unticked boxes are left out of a post; empty values are sent as "".
    return {
        name: ("on" if value is True else "" if value is None else value)
        for name, value in data.items()
        if value is not False
    }


def test_asking_a_new_question_in_the_admin_works_the_stored_grades_out_again(
    superuser_client, patient, django_capture_on_commit_callbacks, run_tasks
):
    fatigue = symptom("fatigue")
    day = patient.today() - dt.timedelta(days=1)
    graded = log(patient, day, "fatigue", severity=3, interference=3)
    assert graded.grade == 3  # from severity and interference, all fatigue asked

    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(
            reverse("admin:tracker_symptom_change", args=[fatigue.pk]),
            change_form(fatigue, asks_frequency=True),
        )

    assert response.status_code == 302
    fatigue.refresh_from_db()
    assert fatigue.attributes == ["frequency", "severity", "interference"]
    # The request only queued the work: the worker does it.
    assert SymptomLog.objects.get(patient=patient, symptom=fatigue).grade == 3
    run_tasks()
    row = SymptomLog.objects.get(patient=patient, symptom=fatigue)
    # Frequency is asked now and was never answered: no grade, the answers kept.
    assert (row.frequency, row.severity, row.interference, row.grade) == (None, 3, 3, None)
    assert row.grade == row.graded(fatigue)
    # What is built on the grade follows: the day's figures and the baseline.
    assert DayLog.objects.get(patient=patient, date=day).figures == {str(fatigue.pk): row.figures()}
    assert Baseline.objects.get(patient=patient, symptom=fatigue).grade is None
    assert "being worked out again" in superuser_client.get(response["Location"]).text


def test_a_patient_cannot_open_the_admin(patient_client):
    assert patient_client.get(reverse("admin:index")).status_code == 302


# The symptom pages, for each role that can open them: a read-only slug is never
# prepopulated (Django would fail on it with a 500), whoever asks and however.


@pytest.fixture
def symptom_clients(db):
    clients = {}
    for name, role, superuser in [
        ("root", roles.ADMIN, True),
        ("ada", roles.ADMIN, False),
        ("eddie", roles.CONTENT_EDITOR, False),
        ("rhea", roles.CLINICAL_REVIEWER, False),
    ]:
        clients[name] = Client()
        login_verified(
            clients[name], make_user(name, role=role, is_staff=True, is_superuser=superuser)
        )
    return clients


def symptom_requests(fatigue: Symptom):
    change = reverse("admin:tracker_symptom_change", args=[fatigue.pk])
    add = reverse("admin:tracker_symptom_add")
    changelist = reverse("admin:tracker_symptom_changelist")
    unticked = {"asks_frequency": False, "asks_severity": False, "asks_interference": False}
    return [
        ("get", change, {}),
        ("get", add, {}),
        ("get", changelist, {}),
        ("get", reverse("admin:tracker_symptom_history", args=[fatigue.pk]), {}),
        ("post", change, change_form(fatigue, hint="Worn out.", slug="renamed")),
        ("post", change, change_form(fatigue, **unticked)),  # refused: shown again
        ("post", change, {**change_form(fatigue), "_saveasnew": "1", "slug": "tired-2"}),
        ("post", change, {**change_form(fatigue, **unticked), "_saveasnew": "1"}),
        ("post", add, {"name": "Dry eyes", "position": "5"}),  # refused: shown again
        ("post", changelist, list_edit(fatigue, position="abc")),  # refused: shown again
    ]


def list_edit(symptom: Symptom, **changes) -> dict:
    row = {"id": symptom.pk, "position": symptom.position, "tracked_by_default": "on", **changes}
    return {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        **{f"form-0-{name}": value for name, value in row.items()},
        "_save": "Save",
    }


@pytest.mark.parametrize("user", ["root", "ada", "eddie", "rhea"])
def test_every_symptom_page_opens_and_a_slug_never_changes_for_every_role(symptom_clients, user):
    fatigue = symptom("fatigue")
    for method, url, data in symptom_requests(fatigue):
        response = getattr(symptom_clients[user], method)(url, data)
        assert response.status_code in (200, 302, 403), (method, url, response.status_code)
    fatigue.refresh_from_db()
    assert fatigue.slug == "fatigue"


def test_the_slug_is_prepopulated_when_adding_and_fixed_once_created(superuser_client):
    fatigue = symptom("fatigue")
    add = superuser_client.get(reverse("admin:tracker_symptom_add")).text
    assert 'name="slug"' in add and "prepopulated" in add
    change = superuser_client.get(reverse("admin:tracker_symptom_change", args=[fatigue.pk]))
    assert 'name="slug"' not in change.text and "fatigue" in change.text


def test_a_list_edit_claiming_a_million_rows_is_refused_and_changes_nothing(superuser_client):
    fatigue = symptom("fatigue")
    before = fatigue.position
    data = {**list_edit(fatigue, position="1"), "form-TOTAL_FORMS": "1000000"}
    response = superuser_client.post(reverse("admin:tracker_symptom_changelist"), data)
    assert response.status_code == 200
    assert "Please submit at most 200 forms" in response.text
    fatigue.refresh_from_db()
    assert fatigue.position == before


# The admin promises staff never browse a diary: deleting a patient's account shows
# what goes with it as counts, and no page about a user shows their health data.

DIARY_NOTE = "Marker: my note about the night sweats"
TIMELINE_TITLE = "Marker: duloxetine 30 mg"


@pytest.fixture
def diarist(db):
    from tests.factories import log_day, make_patient
    from tracker.models import TimelineEvent

    patient = make_patient("dana", first_name="Dana")
    for days_ago in range(1, 4):
        day = patient.today() - dt.timedelta(days=days_ago)
        log(patient, day, "joint-pain", severity=3)
    log_day(patient, patient.today() - dt.timedelta(days=1), note=DIARY_NOTE)
    TimelineEvent.objects.create(
        patient=patient, kind="treatment", title=TIMELINE_TITLE, starts_on=patient.today()
    )
    return patient


def assert_no_health_data(page: str, patient):
    assert DIARY_NOTE not in page and "night sweats" not in page
    assert TIMELINE_TITLE not in page and "duloxetine" not in page
    assert "Joint pain" not in page and "Day log:" not in page and "Symptom log:" not in page
    for day in DayLog.objects.filter(patient=patient):
        assert str(day.date) not in page


def test_deleting_a_patient_shows_counts_not_their_diary(superuser_client, diarist):
    url = reverse("admin:tracker_user_delete", args=[diarist.user.pk])
    page = superuser_client.get(url).text
    assert_no_health_data(page, diarist)
    assert "User: dana, and their patient record: 3 diary day(s)" in page
    assert "Day logs: 3" in page  # how much goes, by kind

    assert superuser_client.post(url, {"post": "yes"}).status_code == 302
    assert not DayLog.objects.filter(patient=diarist).exists()


def test_deleting_selected_users_shows_counts_not_their_diaries(
    superuser_client, diarist, other_patient
):
    users = [diarist.user.pk, other_patient.user.pk]
    changelist = reverse("admin:tracker_user_changelist")
    page = superuser_client.post(
        changelist, {"action": "delete_selected", "_selected_action": users}
    ).text
    assert_no_health_data(page, diarist)
    assert "User: dana, and their patient record" in page and "User: charlie" in page

    superuser_client.post(
        changelist, {"action": "delete_selected", "_selected_action": users, "post": "yes"}
    )
    assert not User.objects.filter(pk__in=users).exists()


def test_a_users_pages_in_the_admin_show_no_health_data(superuser_client, diarist):
    user = diarist.user
    change = reverse("admin:tracker_user_change", args=[user.pk])
    superuser_client.post(  # a change the admin logs in its history
        change,
        {
            "username": "dana",
            "first_name": "Dana",
            "last_name": "Day",
            "email": "",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
            "initial-date_joined_0": "2026-01-01",
            "initial-date_joined_1": "10:00:00",
        },
    )
    for url in [
        change,
        reverse("admin:tracker_user_changelist") + "?q=dana",
        reverse("admin:tracker_user_history", args=[user.pk]),
        reverse("admin:index"),
    ]:
        response = superuser_client.get(url)
        assert response.status_code == 200 and "dana" in response.text
        assert_no_health_data(response.text, diarist)


def test_a_clinicians_account_can_still_be_deleted(superuser_client, clinician):
    url = reverse("admin:tracker_user_delete", args=[clinician.pk])
    assert "User: drlee" in superuser_client.get(url).text
    superuser_client.post(url, {"post": "yes"})
    assert not User.objects.filter(pk=clinician.pk).exists()


# Every page of every model in the admin opens for the people who use it.

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)
VIEWS = ["changelist", "add", "change", "history", "delete"]


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_every_admin_page_opens_for_superusers_editors_and_reviewers(model, view):
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}"
    obj = an_object_of(model)
    assert obj is not None
    url = reverse(name) if view in ("changelist", "add") else reverse(name, args=[obj.pk])
    for username, role, superuser in [
        ("root", roles.ADMIN, True),
        ("eddie", roles.CONTENT_EDITOR, False),
        ("rhea", roles.CLINICAL_REVIEWER, False),
    ]:
        client = Client()
        login_verified(
            client, make_user(username, role=role, is_staff=True, is_superuser=superuser)
        )
        status = client.get(url).status_code
        assert status < 500, (username, url, status)
        if superuser and view != "add":
            assert status == 200 or (view == "delete" and status == 403), (url, status)


def test_an_admin_deleting_a_patient_removes_their_login_records_too(superuser_client):
    from axes.models import AccessAttempt

    from tests.factories import make_patient

    patient = make_patient("dana")
    AccessAttempt.objects.create(username="dana", ip_address="203.0.113.9", user_agent="x",
                                 get_data="", post_data="", failures_since_start=2)  # fmt: skip
    url = reverse("admin:tracker_user_delete", args=[patient.user.pk])
    superuser_client.post(url, {"post": "yes"})
    assert not User.objects.filter(username="dana").exists()
    assert not AccessAttempt.objects.filter(username="dana").exists()


def test_a_list_edited_in_place_names_each_field_for_its_row(admin_client):
    # On screen a row's fields are labelled only by the list's column headers.
    page = admin_client.get(reverse("admin:tracker_symptom_changelist"))
    assert 'aria-label="Position, Muscle aches"' in page.text
    assert 'aria-label="Tracked by default, Muscle aches"' in page.text


def test_the_tabular_inline_template_is_djangos_but_for_its_headers_and_scrolling_box():
    """Ours is a copy (Django's has no blocks to extend): when Django changes its own,
    copy it again and make the same three changes."""
    name = "admin/edit_inline/tabular.html"
    djangos = (Path(admin.__file__).parent / "templates" / name).read_text()
    ours = (settings.BASE_DIR / "templates" / name).read_text()
    ours = re.sub(r"\{% comment %\}.*?\{% endcomment %\}\n", "", ours, flags=re.DOTALL)
    changed = [
        theirs.strip()
        for theirs, mine in zip(djangos.splitlines(), ours.splitlines(), strict=True)
        if theirs != mine
    ]
    assert changed == [
        '<div class="wrapper">',
        '<th class="original"></th>',
        '<th>{% if inline_admin_formset.formset.can_delete and inline_admin_formset.has_delete_permission %}{% translate "Delete?" %}{% endif %}</th>',
    ]


def test_roles_and_permissions_are_ticked_in_checkboxes_not_picked_in_two_boxes(
    superuser_client,
):
    # The two-box picker's script leaves its filter boxes without a name.
    user = make_user("tick", role=roles.CLINICIAN)
    page = superuser_client.get(reverse("admin:tracker_user_change", args=[user.pk])).text
    assert 'type="checkbox" name="groups"' in page
    assert 'type="checkbox" name="user_permissions"' in page
    assert "SelectFilter2.js" not in page
