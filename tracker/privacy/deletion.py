"""Deleting an account: everything it holds goes at once, in one transaction."""

from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as LoginLog
from django.db import transaction

from ..models import User


def delete_account(user: User) -> None:
    """The user and, through the database's cascades, their patient record: diary,
    baselines, flags, medicines, timeline, questions for the visit, reminders and push
    subscriptions, share links (so they stop working), clinicians' access, the log of
    who viewed what, consents and archives. Their login records go too: those name
    them by username, which cascades don't reach."""
    with transaction.atomic():
        for records in (AccessAttempt, AccessFailureLog, LoginLog):
            records.objects.filter(username=user.get_username()).delete()
        user.delete()
