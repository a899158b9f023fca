"""Sending the daily reminders: who is due, the email, and the link that stops them.

The queue's worker runs send_due() every few minutes (tracker.tasks.send_reminders);
each reminder is claimed before it is sent, so two workers never send it twice."""

import datetime as dt
import email.policy
import logging
import smtplib

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ..models import Patient, Reminder

logger = logging.getLogger(__name__)

STOP_SALT = "ripple.reminders.stop"


def stop_token(patient: Patient) -> str:
    """The secret in a reminder's stop link: it names the patient, signed, so the link
    works in one click without logging in and cannot be made up for anyone else."""
    return signing.dumps(patient.pk, salt=STOP_SALT)


def patient_from_token(token: str) -> Patient | None:
    try:
        pk = signing.loads(token, salt=STOP_SALT)
    except signing.BadSignature:
        return None
    return Patient.objects.filter(pk=pk).select_related("reminder").first()


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


class ReminderMessage(EmailMessage):
    """Mail programs read List-Unsubscribe as a URL in angle brackets (RFC 2369): too
    long for 78 characters, Python's email would encode it into unreadable words, so
    lines may run to RFC 5322's 998 instead."""

    def message(self, *, policy=email.policy.default):
        return super().message(policy=policy.clone(max_line_length=998))


def reminder_email(reminder: Reminder) -> EmailMessage:
    """The email says nothing of the patient's health: others may see an inbox."""
    patient = reminder.patient
    stop = absolute(reverse("tracker:reminders-stop", args=[stop_token(patient)]))
    change = absolute(reverse("tracker:settings")) + "#reminders"
    paragraphs = [
        # Translators: the greeting of the reminder email, which names nobody.
        _("Hello,"),
        _(
            "This is the reminder you asked for: today's check-in is ready when you are. "
            "It takes a few seconds."
        ),
        f"    {absolute(reverse('tracker:today'))}",
        _("Not today? That's fine. You can fill in a missed day later from your history."),
        "\n".join(
            [
                _("You get this email because you switched on reminders in Ripple."),
                _("Stop these reminders (one click): %(url)s") % {"url": stop},
                _("Change the time or the quiet days: %(url)s") % {"url": change},
            ]
        ),
    ]
    body = "\n\n".join(paragraphs) + "\n"
    return ReminderMessage(
        subject=_("Your Ripple check-in for today"),
        body=body,
        to=[patient.user.email],
        # Mail programs show their own "unsubscribe" button for these (RFC 8058).
        headers={
            "List-Unsubscribe": f"<{stop}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def send_due(now: dt.datetime) -> int:
    """Send every reminder due at `now`, by email and to the patient's devices, as
    they asked; returns how many patients were reminded one way or another."""
    from .push import send_push

    sent = 0
    for reminder, date in Reminder.due_now(now):
        if not reminder.claim(date):
            continue  # another worker has it
        # Claimed, so not retried today: a reminder late by hours helps nobody.
        # In the patient's own language (the worker has no request to guess it from).
        with translation.override(reminder.patient.user.language or settings.LANGUAGE_CODE):
            reached = reminder.by_push and send_push(reminder) > 0
            if reminder.by_email and reminder.patient.user.email:
                try:
                    reminder_email(reminder).send()
                    reached = True
                except (OSError, smtplib.SMTPException):
                    logger.exception("The reminder email for patient %s failed.", reminder.pk)
        sent += reached
    return sent
