"""When a document counts as on file: the one definition (docs/domain.md §4).

Everything that says whether a document is usable — the evidence findings, the wizard's
checklist, the review page, the supplier request, the PDF's "What is missing", the register
export and the submission gate — reads `document_status` / `status_of` through the checklist
(checklist.py). Nothing else decides it.

A bare upload is never evidence: the person who reads the document records what it says
(its issue date and, for a test report, its result). Until then it is `unverified`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .evidence import EVIDENCE_CATALOGUE
from .values import RESULTS, check


class EvidenceStatus(StrEnum):
    """One status per required or recommended document, listed in precedence order."""

    FAILED = "failed"
    EXPIRED = "expired"
    WRONG_LOT = "wrong-lot"
    UNVERIFIED = "unverified"
    NOT_PROVIDED = "not-provided"
    MISSING = "missing"
    ON_FILE = "on-file"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def precedence(self) -> int:
        """0 is the most serious; ON_FILE is last."""
        return list(EvidenceStatus).index(self)

    @property
    def counts(self) -> bool:
        return self is EvidenceStatus.ON_FILE


_LABELS = {
    EvidenceStatus.FAILED: "Failed",
    EvidenceStatus.EXPIRED: "Expired",
    EvidenceStatus.WRONG_LOT: "Other lot",
    EvidenceStatus.UNVERIFIED: "Not checked",
    EvidenceStatus.NOT_PROVIDED: "Not provided",
    EvidenceStatus.MISSING: "Missing",
    EvidenceStatus.ON_FILE: "On file",
}


def same_lot(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


@dataclass(frozen=True)
class EvidenceFact:
    """One document on file for the product, with what its reader recorded from it."""

    type: str
    lot: str = ""
    issued: date | None = None
    expires: date | None = None
    result: str = "not-stated"

    def __post_init__(self) -> None:
        check("evidence type", self.type, EVIDENCE_CATALOGUE)
        check("result", self.result, RESULTS)
        object.__setattr__(self, "lot", self.lot or "")

    @property
    def lot_specific(self) -> bool:
        return EVIDENCE_CATALOGUE[self.type].lot_specific

    @property
    def test_report(self) -> bool:
        return EVIDENCE_CATALOGUE[self.type].test_report

    @property
    def failed(self) -> bool:
        return self.result == "fail"

    def expired(self, as_of: date) -> bool:
        """Past its expiry date; a document expiring on the assessment date still counts."""
        return self.expires is not None and self.expires < as_of

    def wrong_lot(self, lot: str) -> bool:
        """Lot-specific and not for the lot assessed (or naming no lot at all).

        With no lot assessed there is nothing to compare against, so nothing is wrong.
        """
        return self.lot_specific and bool(lot.strip()) and not same_lot(self.lot, lot)

    def unverified(self, as_of: date) -> bool:
        """Its reader has not recorded what it says, or it is dated after the assessment."""
        if self.issued is None or self.issued > as_of:
            return True
        return self.test_report and self.result == "not-stated"


def document_status(document: EvidenceFact, *, as_of: date, lot: str) -> EvidenceStatus:
    """The status of one document, the first that applies in precedence order."""
    if document.failed:
        return EvidenceStatus.FAILED
    if document.expired(as_of):
        return EvidenceStatus.EXPIRED
    if document.wrong_lot(lot):
        return EvidenceStatus.WRONG_LOT
    if document.unverified(as_of):
        return EvidenceStatus.UNVERIFIED
    return EvidenceStatus.ON_FILE


def status_of(
    documents: Iterable[EvidenceFact], *, as_of: date, lot: str, not_provided: bool = False
) -> EvidenceStatus:
    """The status of one document type given every document of that type on file.

    A failed test anywhere is decisive (the batch failed); otherwise one usable document is
    enough; otherwise the most serious problem among them; with none, whether the supplier
    refused it or it is simply missing.
    """
    statuses = {document_status(d, as_of=as_of, lot=lot) for d in documents}
    if EvidenceStatus.FAILED in statuses:
        return EvidenceStatus.FAILED
    if EvidenceStatus.ON_FILE in statuses:
        return EvidenceStatus.ON_FILE
    if statuses:
        return min(statuses, key=lambda status: status.precedence)
    return EvidenceStatus.NOT_PROVIDED if not_provided else EvidenceStatus.MISSING
