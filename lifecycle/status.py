"""An approved product's status after sign-off: a pure function over plain values.

No Django here (house style, like assessments/rules): the register, its exports and the
dashboard counts all call `derive()` with values read from the latest signed record.
docs/domain.md §11 explains each status.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

DEFAULT_INTERVAL_MONTHS = 12

APPROVING_VERDICTS = {"acceptable": "approved", "conditional": "conditional"}
# A signer who rejects the product overrides a favourable verdict: the clinic decided not to
# buy or use it (assessments/signing.py, SignatureMeaning.REJECTED).
REJECTED_MEANING = "rejected"


class Status(StrEnum):
    APPROVED = "approved"
    CONDITIONAL = "conditional"
    NOT_APPROVED = "not-approved"
    EXPIRED = "expired"
    PENDING = "pending"
    NEVER_ASSESSED = "never-assessed"

    @property
    def label(self) -> str:
        return LABELS[self][0]

    @property
    def help(self) -> str:
        return LABELS[self][1]


LABELS = {
    Status.APPROVED: ("Approved", "Signed off with the verdict acceptable, and still in date."),
    Status.CONDITIONAL: (
        "Approved with conditions",
        "Signed off as conditional: use it only as its cautions say. Still in date.",
    ),
    Status.NOT_APPROVED: (
        "Not approved",
        "The latest signed assessment found it not permitted or lacking information, or its "
        "signer rejected the product.",
    ),
    Status.EXPIRED: (
        "Expired",
        "A document the approval rests on has expired, or the re-assessment date has passed.",
    ),
    Status.PENDING: (
        "Pending",
        "An assessment is in draft or waiting for review, and no valid signed approval exists.",
    ),
    Status.NEVER_ASSESSED: ("Never assessed", "No assessment of this product has been started."),
}


@dataclass(frozen=True)
class Signed:
    """What the latest signed assessment of a product says, as plain values."""

    verdict: str
    finalised_on: date
    document_expiries: tuple[date, ...] = ()
    cautions: tuple[str, ...] = ()
    lot: str = ""
    meaning: str = ""  # what the signature meant: reviewed, approved or rejected

    @property
    def approves(self) -> str | None:
        """The approving status this record gives while in date, or None."""
        if self.meaning == REJECTED_MEANING:
            return None
        return APPROVING_VERDICTS.get(self.verdict)


@dataclass(frozen=True)
class Outcome:
    status: Status
    valid_until: date | None = None
    cautions: tuple[str, ...] = field(default=())
    lot: str = ""


def add_months(day: date, months: int) -> date:
    """`day` plus whole months; the 31st becomes the month's last day when it has fewer."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def valid_until(signed: Signed, interval_months: int) -> date:
    """The earliest expiry among the documents, or the re-assessment date, whichever first."""
    return min((add_months(signed.finalised_on, interval_months), *signed.document_expiries))


def derive(
    *,
    signed: Signed | None,
    has_open: bool,
    today: date,
    interval_months: int = DEFAULT_INTERVAL_MONTHS,
) -> Outcome:
    """The status of a product from its latest signed assessment and whether a draft or
    submitted one is open. A valid approval wins over an open re-assessment. Only an
    approval has a "valid until": a record that never approved the product has nothing to
    expire (and nothing to remind anyone about)."""
    if signed is None:
        return Outcome(Status.PENDING if has_open else Status.NEVER_ASSESSED)
    approving = signed.approves
    until = valid_until(signed, interval_months) if approving else None
    if approving and until is not None and today <= until:
        return Outcome(Status(approving), until, signed.cautions, signed.lot)
    if has_open:
        return Outcome(Status.PENDING, until, signed.cautions, signed.lot)
    if approving:
        return Outcome(Status.EXPIRED, until, signed.cautions, signed.lot)
    return Outcome(Status.NOT_APPROVED, None, signed.cautions, signed.lot)


EXPIRY_THRESHOLDS = (30, 7)
REVIEW_WAIT_WORKING_DAYS = 3


def expiry_threshold(until: date, today: date) -> str | None:
    """The tightest reminder threshold reached: "expired" once `until` has passed, else
    "7" or "30" days before it, else None."""
    if today > until:
        return "expired"
    left = (until - today).days
    reached = [days for days in EXPIRY_THRESHOLDS if left <= days]
    return str(min(reached)) if reached else None


def working_days_between(start: date, end: date) -> int:
    """Monday-to-Friday days after `start` up to and including `end`."""
    days, day = 0, start
    while day < end:
        day = date.fromordinal(day.toordinal() + 1)
        days += day.weekday() < 5
    return days
