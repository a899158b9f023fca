import pytest
from django.contrib.auth.hashers import identify_hasher
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, make_patient, sign_up
from tracker import roles
from tracker.models import Patient, Symptom, User

pytestmark = pytest.mark.django_db


def test_every_role_exists_as_a_group():
    from django.contrib.auth.models import Group

    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ALL)
    assert (
        Group.objects.get(name=roles.ADMIN).permissions.filter(codename="change_symptom").exists()
    )


def test_signing_up_makes_a_patient_and_leads_to_onboarding(client, argon2):
    response = sign_up(client, "maria")
    assert response["Location"] == reverse("tracker:onboarding")
    user = User.objects.get(username="maria")
    assert user.in_role(roles.PATIENT)
    assert user.patient.tracked_symptoms.count() == Symptom.objects.defaults().count()
    assert identify_hasher(user.password).algorithm == "argon2"


def test_a_rejected_signup_keeps_the_username_and_explains(client):
    response = client.post(
        reverse("signup"),
        {"username": "maria", "password1": "short", "password2": "different"},
    )
    assert response.status_code == 422
    assert 'value="maria"' in response.text
    assert "password fields didn’t match" in response.text
    assert not User.objects.filter(username="maria").exists()


def test_logging_in_and_out(client):
    make_patient("alice")
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home"))["Location"] == reverse("tracker:today")
    client.post(reverse("logout"))
    assert client.get(reverse("tracker:today")).status_code == 302


def test_a_wrong_password_gets_a_kind_message(client):
    make_patient("alice")
    response = client.post(reverse("login"), {"username": "alice", "password": "nope"})
    assert "don't match" in response.text


def test_logins_are_locked_after_five_failures(client):
    make_patient("alice")
    for _ in range(5):
        client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many tries" in response.text
    assert "_auth_user_id" not in client.session


def attempt(username, address, password="wrong"):
    """A login from its own browser at that address."""
    return Client(REMOTE_ADDR=address).post(
        reverse("login"), {"username": username, "password": password}
    )


def test_one_username_guessed_from_many_addresses_is_locked_after_twenty(client):
    make_patient("alice")
    for n in range(19):
        assert attempt("alice", f"203.0.113.{n}").status_code == 200  # 1 each: under 5
    assert attempt("alice", "203.0.113.19").status_code == 429  # the 20th locks
    assert attempt("alice", "198.51.100.7", PASSWORD).status_code == 429


def test_one_address_guessing_many_usernames_is_locked_after_forty(client):
    make_patient("alice")
    for n in range(40):
        attempt(f"user{n}", "203.0.113.9")
    assert attempt("alice", "203.0.113.9", PASSWORD).status_code == 429
    # The same person from elsewhere is not held up.
    assert attempt("alice", "198.51.100.7", PASSWORD).status_code == 302


def test_a_guesser_logging_in_to_their_own_account_does_not_wipe_the_address_count(client):
    make_patient("alice")
    make_patient("mallory")
    for n in range(39):
        attempt(f"user{n}", "203.0.113.9")
    assert attempt("mallory", "203.0.113.9", PASSWORD).status_code == 302
    attempt("user99", "203.0.113.9")
    assert attempt("alice", "203.0.113.9", PASSWORD).status_code == 429


def test_password_reset_sends_a_link_by_email(client):
    make_patient("alice", email="alice@example.org")
    response = client.post(reverse("password_reset"), {"email": "alice@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body


def test_password_reset_emails_are_limited_per_inbox_and_per_address(client):
    make_patient("alice", email="alice@example.org")
    for _ in range(3):
        attempt_reset = Client(REMOTE_ADDR="203.0.113.5").post(
            reverse("password_reset"), {"email": "alice@example.org"}
        )
        assert attempt_reset.status_code == 302
    flooded = Client(REMOTE_ADDR="198.51.100.1").post(
        reverse("password_reset"), {"email": "ALICE@example.org"}
    )
    assert flooded.status_code == 429
    assert "ask again in an hour" in flooded.text
    assert 'value="ALICE@example.org"' in flooded.text  # what was typed stays
    assert len(mail.outbox) == 3
    # One address asking for many inboxes is limited too.
    for n in range(2):
        Client(REMOTE_ADDR="203.0.113.5").post(reverse("password_reset"), {"email": f"x{n}@e.org"})
    last = Client(REMOTE_ADDR="203.0.113.5").post(reverse("password_reset"), {"email": "y@e.org"})
    assert last.status_code == 429


def test_changing_the_password(patient_client, patient):
    response = patient_client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-pass-77",
            "new_password2": "another-long-pass-77",
        },
    )
    assert response.status_code == 302
    patient.user.refresh_from_db()
    assert patient.user.check_password("another-long-pass-77")


def test_the_landing_page_invites_visitors_in(client):
    response = client.get(reverse("home"))
    assert "Create an account" in response.text


def test_a_patient_record_is_made_only_for_patients(client):
    make_patient("alice")
    assert Patient.objects.count() == 1
