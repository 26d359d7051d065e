"""The evidence checklist of one assessment: every document it needs, each with one status.

This is the single answer to "what documents are still missing?". The evidence rules
(evidence_rules.py) turn its gaps into findings; the app shows the same entries in the
wizard, on the review page, in "Ask the supplier", in the PDF and in the register export, so
they can never disagree (docs/domain.md §4).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from .documents import EvidenceFact, EvidenceStatus, status_of
from .evidence import EvidenceInfo, catalogue_for, evidence_requirements
from .facts import Facts
from .values import RECOMMENDED, REQUIRED

# A failed test of a document the product does not need is still a critical finding, so
# it is listed too, at this level.
ADDITIONAL = "additional"


@dataclass(frozen=True)
class ChecklistEntry:
    slug: str
    level: str  # REQUIRED, RECOMMENDED or ADDITIONAL
    reason: str  # why the product needs it
    info: EvidenceInfo  # name, what it proves and its standard, in the jurisdiction
    status: EvidenceStatus
    documents: tuple[EvidenceFact, ...]  # what is on file of this type
    as_of: date | None = None  # the assessment date the status was judged on
    lot: str = ""  # the lot assessed

    @property
    def name(self) -> str:
        return self.info.name

    @property
    def is_required(self) -> bool:
        return self.level == REQUIRED

    @property
    def is_gap(self) -> bool:
        """Not usable as it stands: it belongs in "What is missing"."""
        return self.status is not EvidenceStatus.ON_FILE

    @property
    def latest_expiry(self) -> date | None:
        """The latest expiry among the documents that have expired (not any document's)."""
        dates = [
            d.expires
            for d in self.documents
            if d.expires is not None and (self.as_of is None or d.expired(self.as_of))
        ]
        return max(dates) if dates else None

    @property
    def other_lots(self) -> tuple[str, ...]:
        """The lots named by the documents that are for another lot than the one assessed."""
        wrong = [d for d in self.documents if d.wrong_lot(self.lot)] or list(self.documents)
        return tuple(
            sorted({f"lot {d.lot.strip()}" if d.lot.strip() else "no stated lot" for d in wrong})
        )


# Every evidence rule, the app's checklist and the report read this for the same Facts, so
# one evaluation would otherwise build it once per evidence rule. Facts and the entries are
# frozen and hashable, so sharing one computed tuple is safe.
@lru_cache(maxsize=256)
def evidence_checklist(facts: Facts) -> tuple[ChecklistEntry, ...]:
    """The required and recommended documents for these facts, in catalogue order, each with
    its status; then any other document on file whose test failed."""
    catalogue = catalogue_for(facts.jurisdiction, as_of=facts.as_of)
    requirements = evidence_requirements(
        origin=facts.origin,
        cell_status=facts.cell_status,
        route=facts.route,
        marketed_as=facts.marketed_as,
        jurisdiction=facts.jurisdiction,
    )
    levels = [(r.type, r.level, r.reason) for r in requirements]
    needed = {slug for slug, _, _ in levels}
    for document in facts.evidence:
        if document.failed and document.type not in needed:
            needed.add(document.type)
            levels.append((document.type, ADDITIONAL, "A test of this document failed."))
    return tuple(
        ChecklistEntry(
            slug=slug,
            level=level,
            reason=reason,
            info=catalogue[slug],
            status=status_of(
                facts.documents(slug),
                as_of=facts.as_of,
                lot=facts.lot,
                not_provided=slug in facts.not_provided,
            ),
            documents=facts.documents(slug),
            as_of=facts.as_of,
            lot=facts.lot,
        )
        for slug, level, reason in levels
    )


def summary(entry: ChecklistEntry, *, lot: str) -> str:
    """A few words for the clinic on what is wrong with this document."""
    status = entry.status
    if status is EvidenceStatus.EXPIRED:
        return f"Expired on {entry.latest_expiry:%d %B %Y}"
    if status is EvidenceStatus.WRONG_LOT:
        return f"On file for {', '.join(entry.other_lots)} only, not lot {lot}"
    if status is EvidenceStatus.UNVERIFIED:
        what = "issue date and result" if entry.info.test_report else "issue date"
        return f"Uploaded but not checked: record the {what} from the document"
    if status is EvidenceStatus.FAILED:
        return "A failed result is on file"
    if status is EvidenceStatus.NOT_PROVIDED:
        return "The supplier has not provided it"
    return status.label


def request_text(entry: ChecklistEntry, *, lot: str) -> str:
    """What to ask the supplier for this document, in words for the supplier."""
    status = entry.status
    if status is EvidenceStatus.FAILED:
        return (
            "the copy we hold records a failed result: please send the investigation report "
            "and the certificate of a lot that passed"
        )
    if status is EvidenceStatus.EXPIRED:
        return (
            f"the copy we hold expired on {entry.latest_expiry:%d %B %Y}: please send a current one"
        )
    if status is EvidenceStatus.WRONG_LOT:
        return f"the copy we hold is for another lot: please send the one for lot {lot}"
    if status is EvidenceStatus.UNVERIFIED:
        return (
            "the copy we hold does not show its issue date"
            + (" or result" if entry.info.test_report else "")
            + " clearly: please send a copy that states them"
        )
    if status is EvidenceStatus.NOT_PROVIDED:
        return "you have not been able to provide it so far: please send it, or tell us why not"
    if entry.info.lot_specific and lot.strip():
        return f"please send the one for lot {lot}"
    return "please send a copy"


__all__ = [
    "ADDITIONAL",
    "RECOMMENDED",
    "REQUIRED",
    "ChecklistEntry",
    "evidence_checklist",
    "request_text",
    "summary",
]
