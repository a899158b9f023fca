"""Reminders as web push: delivered, encrypted, to a push service on this machine,
and decrypted here as the browser would; subscriptions scoped to their patient."""

import base64
import datetime as dt
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core import mail
from django.urls import reverse

from tracker.models import PushSubscription, Reminder
from tracker.reminders import push
from tracker.reminders.sending import send_due


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class PushService(BaseHTTPRequestHandler):
    """A push service: keeps what it is sent, answers with the status it is told."""

    received: list = []
    status = 201

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        PushService.received.append(
            (self.path, {k.lower(): v for k, v in self.headers.items()}, body)
        )
        self.send_response(PushService.status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def push_service(settings):
    server = HTTPServer(("127.0.0.1", 0), PushService)
    PushService.received, PushService.status = [], 201
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.PUSH_SERVICE_HOSTS = ["127.0.0.1"]
    server_key = ec.generate_private_key(ec.SECP256R1())
    settings.VAPID_PRIVATE_KEY = b64url(
        server_key.private_numbers().private_value.to_bytes(32, "big")
    )
    push.vapid.cache_clear()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    push.vapid.cache_clear()


class Browser:
    """The keys a browser makes when it subscribes."""

    def __init__(self):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)
        point = self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        self.p256dh = b64url(point)

    def read(self, body: bytes) -> dict:
        plain = http_ece.decrypt(
            body, private_key=self.key, auth_secret=self.auth, version="aes128gcm"
        )
        return json.loads(plain)


def subscribe(client, endpoint, browser):
    return client.post(
        reverse("tracker:push-subscribe"),
        {"endpoint": endpoint, "p256dh": browser.p256dh, "auth": b64url(browser.auth)},
    )


def test_a_push_reminder_reaches_the_device_encrypted_for_it_alone(
    patient_client, patient, push_service
):
    browser = Browser()
    response = subscribe(patient_client, f"{push_service}/send/abc", browser)
    assert response.status_code == 200
    reminder = Reminder.objects.get(patient=patient)
    assert reminder.by_push and not reminder.by_email

    now = dt.datetime.combine(patient.today(), dt.time(23, 59), tzinfo=dt.UTC)
    assert send_due(now) == 1
    ((path, headers, body),) = PushService.received
    assert path == "/send/abc"
    assert headers["content-encoding"] == "aes128gcm"
    assert headers["authorization"].startswith("vapid t=")
    assert f"k={push.public_key()}" in headers["authorization"]
    assert b"check-in" not in body  # encrypted on the way
    message = browser.read(body)
    assert message["url"] == "/today/"
    assert "check-in" in message["body"]
    assert mail.outbox == []  # asked for notifications only
    assert send_due(now) == 0  # once a day


def test_a_device_the_push_service_has_forgotten_is_forgotten_too(
    patient_client, patient, push_service
):
    subscribe(patient_client, f"{push_service}/send/gone", Browser())
    PushService.status = 410
    send_due(dt.datetime.combine(patient.today(), dt.time(23, 59), tzinfo=dt.UTC))
    assert not PushSubscription.objects.exists()


def test_ripple_posts_to_no_address_but_a_push_service(patient_client, push_service, settings):
    settings.PUSH_SERVICE_HOSTS = ["fcm.googleapis.com"]
    for endpoint in [
        f"{push_service}/send/x",
        "https://10.0.0.5/internal",
        "https://fcm.googleapis.com.evil.example/x",
    ]:
        response = subscribe(patient_client, endpoint, Browser())
        assert response.status_code == 422, endpoint
    assert not PushSubscription.objects.exists()
    assert (
        subscribe(patient_client, "https://fcm.googleapis.com/fcm/send/x", Browser()).status_code
        == 200
    )


def test_a_patient_stops_only_their_own_devices(
    patient_client, patient, other_patient, push_service
):
    theirs = PushSubscription.objects.create(
        patient=other_patient, endpoint=f"{push_service}/send/theirs", p256dh="x", auth="y"
    )
    subscribe(patient_client, f"{push_service}/send/mine", Browser())
    url = reverse("tracker:push-unsubscribe")
    assert patient_client.post(url, {"endpoint": theirs.endpoint}).json() == {"devices": 1}
    assert PushSubscription.objects.filter(pk=theirs.pk).exists()
    assert patient_client.post(url, {"endpoint": f"{push_service}/send/mine"}).json() == {
        "devices": 0
    }
    assert not Reminder.objects.get(patient=patient).by_push


def test_push_needs_a_login(client, db):
    response = client.post(
        reverse("tracker:push-subscribe"), {"endpoint": "https://fcm.googleapis.com/x"}
    )
    assert response.status_code == 302
    assert not PushSubscription.objects.exists()


def test_the_service_worker_is_served_from_the_root(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert b'addEventListener("push"' in response.content


def test_the_reminders_page_offers_this_device_with_the_public_key(patient_client, push_service):
    page = patient_client.get(reverse("tracker:reminders")).text
    assert f'data-key="{push.public_key()}"' in page
    assert "ripple/push.js" in page


def test_development_makes_its_own_keys_once(settings, tmp_path, monkeypatch):
    settings.VAPID_PRIVATE_KEY, settings.DEBUG = "", True
    monkeypatch.setattr(push, "DEVELOPMENT_KEY", tmp_path / "key")
    push.vapid.cache_clear()
    first = push.public_key()
    push.vapid.cache_clear()
    assert push.public_key() == first and len(first) == 87
    settings.DEBUG = False
    (tmp_path / "key").unlink()
    push.vapid.cache_clear()
    assert push.public_key() == ""  # production without a key: no push offered
    push.vapid.cache_clear()
