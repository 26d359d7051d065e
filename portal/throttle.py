"""Limits on the supplier pages, per client address: a rate limit on every request and a
lockout after repeated wrong links.

The counters are rows in the database (portal.TokenThrottle), so every worker process and
server shares them. Settings (all optional):

- PORTAL_RATE_LIMIT requests per PORTAL_RATE_WINDOW_SECONDS (default 200 per 600 s);
- PORTAL_TOKEN_FAILURE_LIMIT wrong links (default 10), then every supplier page is refused
  from that address for PORTAL_LOCKOUT_MINUTES after the last one (default 15), even with a
  right link.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portal.models import TokenThrottle

security_log = logging.getLogger("exocheck.security")


def rate_limit() -> int:
    return getattr(settings, "PORTAL_RATE_LIMIT", 200)


def rate_window() -> timedelta:
    return timedelta(seconds=getattr(settings, "PORTAL_RATE_WINDOW_SECONDS", 600))


def failure_limit() -> int:
    return getattr(settings, "PORTAL_TOKEN_FAILURE_LIMIT", 10)


def lockout() -> timedelta:
    return timedelta(minutes=getattr(settings, "PORTAL_LOCKOUT_MINUTES", 15))


class Refused(Exception):
    """Too many requests, or too many wrong links, from this address."""

    def __init__(self, reason: str, retry_after: timedelta):
        self.reason = reason  # "rate" or "locked"
        self.retry_after = max(1, int(retry_after.total_seconds()))
        super().__init__(reason)


def admit(ip: str) -> None:
    """Count one request from `ip`, or raise Refused."""
    now = timezone.now()
    with transaction.atomic():
        TokenThrottle.objects.get_or_create(ip=ip)
        row = TokenThrottle.objects.select_for_update().get(ip=ip)
        if row.misses >= failure_limit() and row.last_miss_at is not None:
            until = row.last_miss_at + lockout()
            if until > now:
                refusal = Refused("locked", until - now)
            else:
                row.misses = 0  # the lockout has passed: a fresh start
                refusal = None
        else:
            refusal = None
        if refusal is None:
            if row.window_started_at + rate_window() <= now:
                row.window_started_at, row.hits = now, 0
            row.hits += 1
            if row.hits > rate_limit():
                refusal = Refused("rate", row.window_started_at + rate_window() - now)
        row.save(update_fields=["window_started_at", "hits", "misses"])
    if refusal is not None:
        security_log.warning("Supplier page refused (%s): ip=%s", refusal.reason, ip)
        raise refusal


def missed(ip: str) -> None:
    """A wrong link from `ip`."""
    now = timezone.now()
    with transaction.atomic():
        TokenThrottle.objects.get_or_create(ip=ip)
        row = TokenThrottle.objects.select_for_update().get(ip=ip)
        row.misses += 1
        row.last_miss_at = now
        row.save(update_fields=["misses", "last_miss_at"])
    security_log.warning("Wrong supplier link: ip=%s misses=%s/%s", ip, row.misses, failure_limit())
    if row.misses == failure_limit():
        security_log.warning(
            "Supplier links locked for this address after repeated wrong links: ip=%s lockout=%s",
            ip,
            lockout(),
        )
