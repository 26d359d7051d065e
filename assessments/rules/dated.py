"""Law in time: an evaluation applies the law in force on the assessment date (Facts.as_of),
not the law of the day it is run (docs/domain.md §7, "Rules in time").

A change already known is written down once, as an Amendment (rule.py, beside what it
amends): from its first day, the rules it names read a different Profile (other citations,
other wording). The rules themselves stay one function each. rule.bind_all turns a rule and
its amendments into one RuleSpec per rule id whose `versions` each carry the Period they are
in force, so a signed assessment re-evaluated years later still reads the law of its own
day, and the "How ExoCheck decides" page can show every rule's dates.

Pure Python: only dates, no clock. "Today" is always the caller's as_of.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)


def _day(value: date) -> str:
    return f"{value.day} {value:%b %Y}"  # "7 Aug 2027": no leading zero, in any locale


@dataclass(frozen=True)
class Period:
    """The days a rule's wording is in force, both ends included; None is open-ended."""

    start: date | None = None
    end: date | None = None

    def __post_init__(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"a period cannot end ({self.end}) before it starts ({self.start})")

    def contains(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def overlaps(self, other: Period) -> bool:
        starts_before_other_ends = (
            self.start is None or other.end is None or self.start <= other.end
        )
        ends_after_other_starts = self.end is None or other.start is None or other.start <= self.end
        return starts_before_other_ends and ends_after_other_starts

    @property
    def open_ended(self) -> bool:
        return self.start is None and self.end is None

    @property
    def label(self) -> str:
        """In words, as the page shows it: "In force", "From 7 Aug 2027", "Until 6 Aug 2027"."""
        if self.start and self.end:
            return f"From {_day(self.start)} until {_day(self.end)}"
        if self.start:
            return f"From {_day(self.start)}"
        if self.end:
            return f"Until {_day(self.end)}"
        return "In force"


ALWAYS = Period()


def periods(starts: Sequence[date]) -> list[Period]:
    """Consecutive periods split at each start: before the first, then from each start until
    the day before the next. periods([7 Aug 2027]) is [until 6 Aug 2027, from 7 Aug 2027]."""
    ordered = sorted(starts)
    if len(set(ordered)) != len(ordered):
        raise ValueError("two amendments of one rule cannot start on the same day")
    ends = [start - ONE_DAY for start in ordered]
    return [Period(None if i == 0 else ordered[i - 1], end) for i, end in enumerate(ends)] + [
        Period(ordered[-1], None) if ordered else ALWAYS
    ]
