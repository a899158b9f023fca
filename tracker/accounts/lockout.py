"""Password guessing: django-axes counts failed logins by three keys, each with its
own limit within 15 minutes (AXES_COOLOFF_TIME):

- one username from one address: 5 (a person mistyping, or a guesser);
- one username from any address: 20 (a guesser spreading over many addresses);
- one address over any usernames: 40 (a guesser trying many accounts; a clinic's
  shared address has room for its staff's typos).

axes compares every key with one AXES_FAILURE_LIMIT, so each count is scaled to it."""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum

# In the order of settings.AXES_LOCKOUT_PARAMETERS.
LIMITS = [5, 20, 40]


class LockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        limit = settings.AXES_FAILURE_LIMIT
        counts = [
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        ]
        return max(count * limit // own for count, own in zip(counts, LIMITS, strict=True))

    def reset_user_attempts(self, request, credentials=None) -> int:
        # A good password clears that username's failures, not its address's: else a
        # guesser with an account of their own could log in to wipe the count of
        # everyone they tried from there.
        username_attempts = self.filter_user_attempts(request, credentials)[:2]
        return sum(attempts.delete()[0] for attempts in username_attempts)
