"""Web push: the server's VAPID keys, and sending a reminder to a patient's devices.

The keys come from the environment (RIPPLE_VAPID_PRIVATE_KEY, base64url of the raw
P-256 key, as web push tools print it). In development Ripple makes a pair once and
keeps it in .vapid-development.key beside manage.py (never committed); in
production without a key, push is simply not offered."""

import base64
import functools
import json
import logging

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.utils.translation import gettext as _
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush

from ..models import PushSubscription, Reminder

logger = logging.getLogger(__name__)

DEVELOPMENT_KEY = settings.BASE_DIR / ".vapid-development.key"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@functools.cache
def vapid() -> Vapid02 | None:
    key = settings.VAPID_PRIVATE_KEY
    if not key and settings.DEBUG:
        if not DEVELOPMENT_KEY.exists():
            private = ec.generate_private_key(ec.SECP256R1())
            raw = private.private_numbers().private_value.to_bytes(32, "big")
            DEVELOPMENT_KEY.write_text(b64url(raw))
            DEVELOPMENT_KEY.chmod(0o600)
        key = DEVELOPMENT_KEY.read_text().strip()
    return Vapid02.from_string(key) if key else None  # RFC 8292 headers


def public_key() -> str:
    """The applicationServerKey a browser subscribes with; empty when push is off."""
    keys = vapid()
    if keys is None:
        return ""
    point = keys.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url(point)


def send_push(reminder: Reminder) -> int:
    """Send the reminder to each of the patient's devices; forget the ones the push
    service says are gone. Returns how many took it. Like the email, it says nothing
    of the patient's health: a lock screen is seen by others."""
    keys = vapid()
    if keys is None:
        return 0
    payload = json.dumps(
        {
            "title": "Ripple",
            "body": _("Today's check-in is ready when you are. It takes a few seconds."),
            "url": "/today/",
        }
    )
    delivered = 0
    for subscription in PushSubscription.objects.filter(patient=reminder.patient):
        try:
            webpush(
                subscription.info(),
                data=payload,
                vapid_private_key=keys,
                vapid_claims={"sub": settings.VAPID_SUBJECT},
                ttl=12 * 60 * 60,  # a reminder older than half a day helps nobody
                timeout=10,
            )
        except WebPushException as error:
            if error.response is not None and error.response.status_code in (404, 410):
                subscription.delete()  # unsubscribed, or the browser's data was cleared
            else:
                logger.warning("A push reminder could not be sent: %s", error)
            continue
        except OSError:
            logger.warning("A push service could not be reached.", exc_info=True)
            continue
        delivered += 1
    return delivered
