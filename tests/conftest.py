import pytest

from tests.factories import make_patient


@pytest.fixture
def patient(db):
    return make_patient("alice")


@pytest.fixture
def other_patient(db):
    return make_patient("charlie")


@pytest.fixture
def patient_client(client, patient):
    client.force_login(patient.user)
    return client
