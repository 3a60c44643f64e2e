"""Login throttling on top of django-axes.

Axes locks a username at one address after `AXES_FAILURE_LIMIT` failures. One
address trying many usernames (password spraying) is stopped here, by a limit high
enough that a whole office behind one address does not lock itself out with a few
typos. Both count the failures axes keeps for its cool-off time.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def address_failures(request):
    """Failed logins from the request's address, whatever the username, within the
    cool-off time."""
    attempts = AccessAttempt.objects.filter(
        ip_address=request.axes_ip_address, attempt_time__gte=get_cool_off_threshold(request)
    )
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class AddressLimitHandler(AxesDatabaseHandler):
    def is_locked(self, request, credentials=None):
        if super().is_locked(request, credentials):
            return True
        request.address_locked = address_failures(request) >= settings.LOGIN_FAILURES_PER_ADDRESS
        return request.address_locked
