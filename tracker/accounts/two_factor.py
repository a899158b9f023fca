"""A second step at login: a code from an authenticator app (TOTP), or one of ten
recovery codes, each good once, kept by django-otp. Everyone who sees other people's
diaries or edits what patients read must give one, and is signed out after a while
without activity; for a patient the second step is a choice.

Whether a session needs the second step is worked out when it logs in and kept in
the session: roles change rarely, and patients' pages should not pay a query each to
ask. Until it is given, tracker.middleware sends every page to the verify page.
"""

import datetime as dt
import math
import time
from base64 import b32encode

import segno
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.db.models import F
from django.dispatch import receiver
from django.utils import timezone
from django.utils.timesince import timeuntil
from django.utils.translation import gettext, ngettext
from django_otp import DEVICE_ID_SESSION_KEY, device_classes
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .. import roles
from ..models import User

# Admins are also every staff member and superuser, whatever their groups.
REQUIRED_ROLES = [roles.CLINICIAN, roles.CONTENT_EDITOR, roles.CLINICAL_REVIEWER, roles.ADMIN]
RECOVERY_CODE_COUNT = 10

# What this session owes (POLICY_KEY): the second step because of a role, because
# the patient turned it on, or nothing.
REQUIRED, CHOSEN, OFF = "required", "chosen", "off"
POLICY_KEY = "second_factor"
LAST_SEEN_KEY = "last_seen"  # a Unix time, for the idle timeout
NEW_CODES_KEY = "new_recovery_codes"  # shown once, on the page after setting up
SETUP_KEY = "second_factor_setup"  # the device this session is setting up


class Throttled(Exception):
    """Too many wrong codes in a row: the next one is checked only after `until`."""

    def __init__(self, until: dt.datetime):
        super().__init__(until)
        self.until = until

    def wait_text(self) -> str:
        seconds = max(1, math.ceil((self.until - timezone.now()).total_seconds()))
        if seconds < 60:
            return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
        # Translators: %(time)s is a length of time, e.g. "1 minute" or "2 minutes".
        return gettext("about %(time)s") % {"time": timeuntil(self.until)}


def is_required(user) -> bool:
    return (
        user.is_staff or user.is_superuser or user.groups.filter(name__in=REQUIRED_ROLES).exists()
    )


def app_device(user) -> TOTPDevice | None:
    """The confirmed authenticator app, if the user has set one up."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def _policy_for(user) -> str:
    if is_required(user):
        return REQUIRED
    return CHOSEN if app_device(user) is not None else OFF


@receiver(user_logged_in, dispatch_uid="ripple-second-factor-policy")
def remember_policy(sender, request, user, **kwargs):
    """At each login (force_login in tests too), before the first page asks; the
    idle time counts from here."""
    request.session[POLICY_KEY] = _policy_for(user)
    request.session[LAST_SEEN_KEY] = int(time.time())


def policy(request) -> str:
    """REQUIRED, CHOSEN or OFF for the signed-in user of this session. Sessions from
    before this feature have none yet: it is worked out once, on their next request.
    Staff are held to it at once, even in a session begun before they became staff
    (the flags are on the user already read: no query)."""
    if request.user.is_staff or request.user.is_superuser:
        return REQUIRED
    value = request.session.get(POLICY_KEY)
    if value is None:
        value = request.session[POLICY_KEY] = _policy_for(request.user)
    return value


def pending(request) -> bool:
    """Signed in with a password, the second step still owed."""
    value = policy(request)
    if value == OFF or request.user.is_verified():
        return False
    if value == CHOSEN and app_device(request.user) is None:
        request.session[POLICY_KEY] = OFF  # turned off since this session began
        return False
    return True


def device_being_set_up(request) -> TOTPDevice:
    """The unconfirmed device of this session, the same one until it is confirmed: a
    page reloaded after scanning its QR code must still match the app. A new session
    makes a new one and drops any other, so a secret shown to someone else (who had
    the password) is never the one the account goes on to confirm."""
    user = request.user
    pk = request.session.get(SETUP_KEY)
    device = TOTPDevice.objects.filter(user=user, confirmed=False, pk=pk).first() if pk else None
    if device is None:
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
        request.session[SETUP_KEY] = device.pk
    return device


def end_other_sessions(request) -> None:
    """Every other session of the account ends (see User.session_stamp): they log in
    again under the rule just set. This one goes on."""
    user = request.user
    User.objects.filter(pk=user.pk).update(session_stamp=F("session_stamp") + 1)
    user.refresh_from_db(fields=["session_stamp"])
    update_session_auth_hash(request, user)


def qr_svg(device: TOTPDevice) -> str:
    """The app's setup link as a QR code, in SVG without inline styles (the CSP allows none)."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5,
        dark="#1b2330",
        omitsize=True,
        title=gettext("QR code to scan with your authenticator app"),
    )


def secret_text(device: TOTPDevice) -> str:
    """The same secret, for typing into an app by hand: base32 in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def check(device: Device, code: str) -> bool:
    """Whether the code matches the device. A wrong code makes the next one wait
    (django-otp's throttling); while it must wait, raises Throttled. The row is
    locked, so two tries at once can't both slip past the count."""
    with transaction.atomic():
        device = type(device).objects.select_for_update().get(pk=device.pk)
        allowed, why = device.verify_is_allowed()
        if not allowed:
            raise Throttled(why["locked_until"])
        return device.verify_token(code)


def recovery_device(user) -> StaticDevice | None:
    return StaticDevice.objects.devices_for_user(user, confirmed=True).first()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def verified(request, device: Device) -> None:
    """The second step is given: the session counts as verified from now on, under a
    new key, so a key seen before this moment is worth nothing."""
    request.session.cycle_key()
    otp_login(request, device)


def confirm(request, device: TOTPDevice) -> list[str]:
    """The app's first code matched: the app counts from now on, this session is
    verified, and ten new recovery codes (returned) replace any earlier ones."""
    user = request.user
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        StaticDevice.objects.filter(user=user).delete()
        recovery = StaticDevice.objects.create(user=user, name="Recovery codes")
        StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    request.session.pop(SETUP_KEY, None)
    end_other_sessions(request)
    verified(request, device)
    if policy(request) == OFF:
        request.session[POLICY_KEY] = CHOSEN
    return codes


def turn_off(request) -> None:
    """A patient no longer wants the second step: every device of theirs goes."""
    with transaction.atomic():
        for model in device_classes():
            model.objects.filter(user=request.user).delete()
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    request.session[POLICY_KEY] = OFF
    end_other_sessions(request)
