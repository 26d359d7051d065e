"""Throttle password re-entry by a signed-in user: sign-off and password change.

Log-in is guarded by django-axes; a signed-in user asked for their password again (to sign
an assessment, or as the old password when changing it) gets the same policy: after
AXES_FAILURE_LIMIT wrong passwords, every attempt is refused for AXES_COOLOFF_TIME after the
last one, even with the right password. The two places share one counter per user, so
alternating between them gains nothing.

The counter is a row in the database (clinics.ReauthThrottle), so every worker process and
server sees the same count. An attempt is counted *before* its password is checked, in a
short transaction that locks the row: parallel requests cannot all slip in below the limit
before the first failure is recorded. The outcome then settles it: a wrong password keeps
the count, the right one clears it, an attempt whose password was never checked gives its
count back.

Usage::

    attempt = throttle.begin(user, purpose="sign-off", ip=throttle.request_ip(request))
    # ReauthLocked if the user is locked out
    ... check the password ...
    attempt.failed() / attempt.succeeded() / attempt.abandoned()
    # failed("authenticator code") when what was wrong was a code, not the password
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.helpers import get_cool_off
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.dateformat import format as format_date

from clinics.models import ReauthThrottle
from config.security import client_ip

security_log = logging.getLogger("exocheck.security")


def failure_limit() -> int:
    return settings.AXES_FAILURE_LIMIT


def cool_off() -> timedelta:
    # The log-in setting, read the way django-axes reads it (timedelta, hours, or callable).
    return get_cool_off() or timedelta(0)


def request_ip(request) -> str | None:
    return getattr(request, "axes_ip_address", None) or client_ip(request)


class ReauthLocked(Exception):
    """Too many wrong passwords: password checks are paused for this user until `until`."""

    def __init__(self, until: datetime):
        self.until = until
        minutes = max(1, round(cool_off().total_seconds() / 60))
        local = timezone.localtime(until)
        super().__init__(
            "Too many wrong passwords. For your account's security, signing and password "
            f"changes are paused for {minutes} minutes after the last attempt, until "
            f"{format_date(local, 'H:i')}. Even the right password is refused until then. "
            "If you have forgotten your password, ask your clinic admin to reset it."
        )


@dataclass
class Attempt:
    user_id: int
    username: str
    purpose: str
    ip: str | None
    count: int  # this attempt's number in the current run of failures
    at: datetime

    @property
    def locks_out(self) -> bool:
        return self.count >= failure_limit()

    def lockout(self) -> ReauthLocked:
        """The refusal to show when failed() has just locked the user out."""
        return ReauthLocked(self.at + cool_off())

    def failed(self, what: str = "password") -> bool:
        """The password (or, where a code is asked with it, `what` else) was wrong. True if
        this failure locked the user out. `what` only names it in the log: a wrong code
        counts like a wrong password, but the log must say which one it was."""
        security_log.info(
            "Wrong %s at %s: user=%r ip=%s failures=%s/%s",
            what,
            self.purpose,
            self.username,
            self.ip,
            self.count,
            failure_limit(),
        )
        if self.count == failure_limit():
            security_log.warning(
                "Password re-entry locked after repeated failures: purpose=%s user=%r ip=%s "
                "cool_off=%s",
                self.purpose,
                self.username,
                self.ip,
                cool_off(),
            )
        return self.locks_out

    def succeeded(self) -> None:
        """The password was right: the run of failures is forgotten (as at log-in)."""
        ReauthThrottle.objects.filter(user_id=self.user_id).update(failures=0, last_failure_at=None)

    def abandoned(self) -> None:
        """The password was never checked (refused earlier, or an error): uncount it."""
        ReauthThrottle.objects.filter(user_id=self.user_id, failures__gt=0).update(
            failures=Greatest(F("failures") - 1, 0)
        )


def begin(user, *, purpose: str, ip: str | None = None) -> Attempt:
    """Count an attempt to check `user`'s password, or raise ReauthLocked."""
    now = timezone.now()
    with transaction.atomic():
        ReauthThrottle.objects.get_or_create(user_id=user.pk)
        row = ReauthThrottle.objects.select_for_update().get(user_id=user.pk)
        if row.last_failure_at is not None and row.last_failure_at + cool_off() <= now:
            row.failures = 0  # the cool-off has passed: a fresh start
        if row.failures >= failure_limit():
            until = row.last_failure_at + cool_off()
            locked = True
        else:
            locked = False
            row.failures += 1
            row.last_failure_at = now
            row.save(update_fields=["failures", "last_failure_at"])
    if locked:
        # Refused attempts do not extend the cool-off (as django-axes by default).
        security_log.warning(
            "Password re-entry refused, locked out: purpose=%s user=%r ip=%s until=%s",
            purpose,
            user.get_username(),
            ip,
            until.isoformat(),
        )
        raise ReauthLocked(until)
    return Attempt(
        user_id=user.pk,
        username=user.get_username(),
        purpose=purpose,
        ip=ip,
        count=row.failures,
        at=now,
    )
