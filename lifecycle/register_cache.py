"""The register's outline kept between requests, until something it reads changes.

Working out every product's status costs the dashboard and `/register/` about 20 µs per
product on each request (docs/performance.md), so it grew with the clinic. The outline is
a pure function of the clinic's suppliers, products, assessments and their evidence, the
re-assessment interval, the day and the time zone. It is kept under the clinic's stamp
(`clinics/kept.py`, which says when nothing is kept), with the interval and the day. The
kept value is what `derive()` returned — nothing here decides a status.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from django.db.models import QuerySet, Subquery

from clinics.kept import kept
from clinics.models import Clinic, ClinicStamp
from core.prepared import PreparedQuery
from lifecycle.models import LifecycleSettings, interval_or_default

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
            Subquery(ClinicStamp.objects.filter(**of_clinic).values("stamp")[:1]),
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
    when it is there, else worked out and kept (clinics/kept.py)."""
    value: T = kept(
        f"register-{what}",
        clinic_id=inputs.clinic_id,
        stamp=inputs.stamp,
        parts=(inputs.interval_months, today.isoformat()),
        work=work,
    )
    return value
