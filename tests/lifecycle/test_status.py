"""The status derivation, table-tested over plain values (lifecycle/status.py)."""

from datetime import date

import pytest

from lifecycle.status import Signed, Status, add_months, derive, valid_until

TODAY = date(2026, 12, 1)
SIGNED = date(2026, 6, 1)


def signed(verdict="acceptable", expiries=(), cautions=(), lot="LOT-1", on=SIGNED, meaning=""):
    return Signed(verdict, on, tuple(expiries), tuple(cautions), lot, meaning)


@pytest.mark.parametrize(
    ("record", "has_open", "today", "status"),
    [
        (None, False, TODAY, Status.NEVER_ASSESSED),
        (None, True, TODAY, Status.PENDING),
        (signed(), False, TODAY, Status.APPROVED),
        (signed(), True, TODAY, Status.APPROVED),  # a valid approval wins over a re-assessment
        (signed("conditional", cautions=["Patch test"]), False, TODAY, Status.CONDITIONAL),
        (signed("not-permitted"), False, TODAY, Status.NOT_APPROVED),
        (signed("insufficient-information"), False, TODAY, Status.NOT_APPROVED),
        (signed("not-permitted"), True, TODAY, Status.PENDING),
        (signed(expiries=[date(2026, 11, 30)]), False, TODAY, Status.EXPIRED),
        (signed(expiries=[date(2026, 12, 1)]), False, TODAY, Status.APPROVED),  # last valid day
        (signed(), False, date(2027, 6, 2), Status.EXPIRED),  # interval passed
        (signed(), False, date(2027, 6, 1), Status.APPROVED),
        (signed(), True, date(2027, 6, 2), Status.PENDING),  # expired, being re-assessed
        (signed("conditional"), False, date(2027, 7, 1), Status.EXPIRED),
        # The signer's decision: approved or reviewed keep the verdict's status...
        (signed(meaning="approved"), False, TODAY, Status.APPROVED),
        (signed(meaning="reviewed"), False, TODAY, Status.APPROVED),
        # ...a rejection is never an approval, whatever the verdict.
        (signed(meaning="rejected"), False, TODAY, Status.NOT_APPROVED),
        (signed("conditional", meaning="rejected"), False, TODAY, Status.NOT_APPROVED),
        (signed(meaning="rejected"), True, TODAY, Status.PENDING),
    ],
)
def test_derive(record, has_open, today, status):
    assert derive(signed=record, has_open=has_open, today=today).status == status


def test_valid_until_is_the_earliest_of_documents_and_interval():
    assert valid_until(signed(), 12) == date(2027, 6, 1)
    assert valid_until(signed(), 6) == date(2026, 12, 1)
    assert valid_until(signed(expiries=[date(2027, 3, 1), date(2027, 1, 5)]), 12) == date(
        2027, 1, 5
    )
    assert valid_until(signed(expiries=[date(2028, 1, 1)]), 12) == date(2027, 6, 1)


@pytest.mark.parametrize(
    "record",
    [
        signed("not-permitted"),
        signed("insufficient-information"),
        signed(meaning="rejected"),
    ],
)
@pytest.mark.parametrize("has_open", [False, True])
def test_only_an_approval_has_a_valid_until(record, has_open):
    # Nothing to expire, so no "valid until" on the register and no expiry reminders.
    assert derive(signed=record, has_open=has_open, today=TODAY).valid_until is None


def test_outcome_carries_cautions_and_lot():
    outcome = derive(
        signed=signed("conditional", cautions=["Patch test first"], lot="A1"),
        has_open=False,
        today=TODAY,
    )
    assert outcome.cautions == ("Patch test first",)
    assert outcome.lot == "A1"
    assert outcome.valid_until == date(2027, 6, 1)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 11, 15), 2, date(2027, 1, 15)),
        (date(2026, 3, 1), 12, date(2027, 3, 1)),
        (date(2026, 3, 1), 24, date(2028, 3, 1)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


def test_every_status_has_a_label_and_help():
    for status in Status:
        assert status.label and status.help
