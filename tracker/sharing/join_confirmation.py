"""Joining with an emailed invitation: the account works once the invited address
opens the link sent to it. The link is signed and lasts two days; it names the account
waiting for it and carries the code, which the same address was sent already."""

import logging
import smtplib

from django.core import signing
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _

from ..models import User

logger = logging.getLogger(__name__)
SALT = "ripple.clinician-join"
VALID_FOR = 2 * 24 * 3600  # seconds


def send(request, user: User, code: str) -> bool:
    """Email the link; False if the mail server couldn't take it."""
    token = signing.dumps({"u": user.pk, "c": code}, salt=SALT, compress=True)
    link = request.build_absolute_uri(reverse("tracker:clinician-join-confirm", args=[token]))
    try:
        send_mail(
            subject=_("Confirm your Ripple clinician account"),
            message="\n\n".join(
                [
                    _(
                        "Someone made a Ripple clinician account with this email address, to "
                        "read the diary of a patient who invited you."
                    ),
                    _("If it was you, open this link within two days to finish:"),
                    f"    {link}",
                    _(
                        "If it wasn't you, ignore this email: the account stays unusable and "
                        "nobody sees anything."
                    ),
                ]
            ),
            from_email=None,
            recipient_list=[user.email],
        )
    except (OSError, smtplib.SMTPException):
        logger.exception("The email to confirm a clinician account could not be sent.")
        return False
    return True


def read(token: str) -> tuple[User | None, str]:
    """The account waiting for this link, and the code; (None, "") when the link is
    unknown, expired, or used already."""
    try:
        data = signing.loads(token, salt=SALT, max_age=VALID_FOR)
    except signing.BadSignature:
        return None, ""
    user = User.objects.filter(pk=data.get("u"), is_active=False).first()
    return user, (data.get("c", "") if user else "")
