"""Admin lock-out per user and address, and per address over every username.

Axes compares one count of failures with one limit. Five wrong passwords for one account
from one address lock that pair; an address that guesses across many usernames is locked
after AXES_ADDRESS_FAILURE_LIMIT failures in all, a higher limit so that colleagues behind
one office address do not lock each other out with a few typos.
"""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


class AddressLimitHandler(AxesDatabaseHandler):
    """Reads AXES_LOCKOUT_PARAMETERS as [(username, address), address], in that order."""

    def get_failures(self, request, credentials=None) -> int:
        per_pair, per_address = (
            attempts.aggregate(failures=Sum("failures_since_start"))["failures"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        # The address's failures scaled so that reaching its own limit reaches Axes' limit.
        scaled = per_address * settings.AXES_FAILURE_LIMIT // settings.AXES_ADDRESS_FAILURE_LIMIT
        return max(per_pair, scaled)

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A successful login clears its own account's failures at this address, never the
        failures others made from it under other usernames."""
        per_pair = self.filter_user_attempts(request, credentials)[0]
        deleted, _ = per_pair.delete()
        return deleted
