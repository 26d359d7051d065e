"""Limits on the supplier pages, per client address: a rate limit on every request and a
lockout after repeated wrong links.

The counters are rows in the database (portal.TokenThrottle), so every worker process and
server shares them. Settings (all optional):

- PORTAL_RATE_LIMIT requests per PORTAL_RATE_WINDOW_SECONDS (default 200 per 600 s);
- PORTAL_TOKEN_FAILURE_LIMIT wrong links (default 10), then every supplier page is refused
  from that address for PORTAL_LOCKOUT_MINUTES after the last one (default 15), even with a
  right link;
- PORTAL_THROTTLE_RETENTION_HOURS (default 24): `manage.py prune_portal_throttle` deletes
  the rows of addresses not seen for that long. It never deletes a row whose rate window or
  lockout is still running, whatever the setting, so pruning cannot lift a limit early.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
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


def retention() -> timedelta:
    return timedelta(hours=getattr(settings, "PORTAL_THROTTLE_RETENTION_HOURS", 24))


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


def prune(*, now=None) -> int:
    """Delete the rows of addresses idle for longer than the retention; how many went.

    One row per address ever seen would otherwise grow without end (a scan of the token
    pages from many addresses leaves one each). A row is kept while its rate window or its
    lockout could still refuse a request, so the cut-offs are at least those lengths.
    Idempotent: a second run at the same time deletes nothing more."""
    now = now or timezone.now()
    window_cutoff = now - max(retention(), rate_window())
    miss_cutoff = now - max(retention(), lockout())
    idle = TokenThrottle.objects.filter(window_started_at__lt=window_cutoff).filter(
        Q(last_miss_at__isnull=True) | Q(last_miss_at__lt=miss_cutoff)
    )
    deleted, _ = idle.delete()
    if deleted:
        security_log.info("Supplier page counters pruned: rows=%s idle_before=%s", deleted, now)
    return deleted
