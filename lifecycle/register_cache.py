"""The register's outline kept between requests, until something it reads changes.

Working out every product's status costs the dashboard and `/register/` about 20 µs per
product on each request (docs/performance.md), so it grew with the clinic. The outline is
a pure function of the clinic's suppliers, products, assessments and their evidence, the
re-assessment interval, the day and the time zone. Database triggers give the clinic a new
random stamp whenever a row of those tables changes (`RegisterStamp`, migration 0004); the
cache key holds the stamp and everything else, so an entry is never read after a change.
The cached value is what `derive()` returned — nothing here decides a status.

Not used inside a transaction: on PostgreSQL the stamp changes at commit, so a transaction
that has written would otherwise cache its own view under the old stamp. Outside one each
read sees committed rows, and the stamp is read before the rows: a change committed in
between is cached under a stamp that is already gone, never the reverse. Without a stamp
(a database with no triggers) the outline is worked out afresh each time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import connection
from django.db.models import QuerySet, Subquery
from django.utils import timezone

from clinics.models import Clinic
from core.prepared import PreparedQuery
from lifecycle.models import LifecycleSettings, RegisterStamp, interval_or_default

# Entries are never stale (the key changes instead); this only bounds what old ones occupy.
KEEP_SECONDS = 6 * 3600

T = TypeVar("T")


@dataclass(frozen=True)
class RegisterInputs:
    """What the register reads besides its rows: the clinic's interval, and its stamp."""

    clinic_id: int
    interval_months: int
    stamp: str | None


def _inputs_query(*, clinic_id: int) -> QuerySet[Any]:
    of_clinic = {"clinic_id": clinic_id}
    query: QuerySet[Any] = (
        Clinic.objects.filter(pk=clinic_id)
        .order_by()
        .values_list(
            Subquery(
                LifecycleSettings.objects.filter(**of_clinic).values(
                    "reassessment_interval_months"
                )[:1]
            ),
            Subquery(RegisterStamp.objects.filter(**of_clinic).values("stamp")[:1]),
        )[:1]
    )
    return query


# Read on every dashboard and register request: compiled once (core/prepared.py).
INPUTS = PreparedQuery(_inputs_query, ids=("clinic_id",))


def register_inputs(clinic: Clinic) -> RegisterInputs:
    """The interval (the default until the clinic sets one) and the stamp, in one query."""
    interval, stamp = INPUTS.first_row(clinic_id=clinic.pk) or (None, None)
    return RegisterInputs(clinic.pk, interval_or_default(interval), stamp)


def cached(inputs: RegisterInputs, what: str, *, today: date, work: Callable[[], T]) -> T:
    """`work()`'s value for this clinic, stamp, interval, day and time zone: from the cache
    when it is there, else worked out and kept."""
    if inputs.stamp is None or connection.in_atomic_block:
        return work()
    key = ":".join(
        (
            "register",
            what,
            str(inputs.clinic_id),
            inputs.stamp,
            str(inputs.interval_months),
            today.isoformat(),
            timezone.get_current_timezone_name(),
        )
    )
    kept: T | None = cache.get(key)
    if kept is not None:
        return kept
    value = work()
    cache.set(key, value, KEEP_SECONDS)
    return value
