"""What an assessment has and lacks: the one checklist every page, file and gate reads.

`checklist_for(assessment)` joins the rules' evidence checklist (assessments/rules/checklist.py:
each needed document with exactly one status) to the stored documents and reference rows,
and adds the answers still missing. The wizard's documents step, the review page, "Ask the
supplier", the PDF's "What is missing", the register export and the submission gate all use
it; the evidence findings come from the same rules checklist, so none can disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Protocol

from assessments.facts import assessment_date, evidence_items, facts_for
from assessments.rules import (
    ChecklistEntry,
    EvidenceInfo,
    EvidenceStatus,
    catalogue_for,
    evidence_checklist,
)
from assessments.rules.checklist import request_text, summary
from assessments.steps import CELLS_STEP, DOCUMENTS_STEP, PRODUCT_STEP, SOURCE_STEP
from products.models import EvidenceType

if TYPE_CHECKING:
    from assessments.models import Assessment, EvidenceItem

# The questions as the supplier reads them (one wording, used by the request and the portal).
SUPPLIER_QUESTIONS = {
    "source": "Where are these exosomes derived from? Please state the species or plant, the "
    "tissue and the cell type, and whether any material of human origin is used, culture "
    "media included.",
    "cell_status": "Are they live-cell, cell-free, or processed post-cell culture "
    "(conditioned medium, secretome or lyophilised culture product)?",
    "testing": "What testing is performed for sterility, content and consistency? Please list "
    "each test with its method or standard and send the certificates.",
}


@dataclass(frozen=True)
class MissingAnswer:
    key: str  # source, cell_status, testing, route, batch_lot
    label: str  # how the clinic reads it
    step: int  # the wizard step where it is answered
    ask_supplier: str = ""  # the question for the supplier, if the supplier answers it
    # The clinic's own answers, needed before review: what to do, else "".
    before_submitting: str = ""

    @property
    def blocks_submission(self) -> bool:
        return bool(self.before_submitting)


@dataclass(frozen=True)
class DocumentRow:
    """One needed document: the rules' entry, its reference row and what is on file."""

    entry: ChecklistEntry
    evidence_type: EvidenceType
    items: tuple[EvidenceItem, ...] = ()  # EvidenceItem rows provided for this type
    lot: str = ""

    slug = property(lambda self: self.entry.slug)
    name = property(lambda self: self.entry.info.name)
    proves = property(lambda self: self.entry.info.proves)
    standard = property(lambda self: self.entry.info.standard)
    lot_specific = property(lambda self: self.entry.info.lot_specific)
    test_report = property(lambda self: self.entry.info.test_report)
    level = property(lambda self: self.entry.level)
    reason = property(lambda self: self.entry.reason)
    status = property(lambda self: self.entry.status)
    is_required = property(lambda self: self.entry.is_required)
    is_gap = property(lambda self: self.entry.is_gap)

    @property
    def status_label(self) -> str:
        return self.entry.status.label

    @property
    def summary(self) -> str:
        return summary(self.entry, lot=self.lot)

    @property
    def request_text(self) -> str:
        return request_text(self.entry, lot=self.lot)

    @property
    def not_provided(self) -> bool:
        return self.entry.status is EvidenceStatus.NOT_PROVIDED


@dataclass(frozen=True)
class Checklist:
    as_of: date
    jurisdiction: str
    documents: list[DocumentRow]
    answers: list[MissingAnswer]
    # Documents on file that no requirement asks for (shown, never counted).
    others: list[EvidenceItem] = field(default_factory=list)

    @property
    def gaps(self) -> list[DocumentRow]:
        return [row for row in self.documents if row.is_gap]

    @property
    def blocking(self) -> list[MissingAnswer]:
        """What must be answered before the assessment can go to review."""
        return [answer for answer in self.answers if answer.blocks_submission]

    @property
    def supplier_questions(self) -> list[str]:
        return [answer.ask_supplier for answer in self.answers if answer.ask_supplier]

    def counts(self) -> dict[str, int]:
        """How many needed documents are in each status, for the summary line."""
        found: dict[str, int] = {}
        for row in self.documents:
            found[row.status.value] = found.get(row.status.value, 0) + 1
        return found

    @property
    def summary_line(self) -> str:
        """E.g. "3 of 10 required documents on file; of the others, 5 missing and 2 expired;
        1 of 2 recommended on file". Required and recommended are counted apart, so no
        count ever exceeds the total it sits beside."""
        head = f"{self.required_on_file} of {self.required_total} required documents on file"
        problems: dict[str, int] = {}
        for row in self.gaps:
            if row.is_required:
                label = row.status.label.lower()
                problems[label] = problems.get(label, 0) + 1
        parts = [head]
        if problems:
            counted = [f"{count} {label}" for label, count in problems.items()]
            parts.append("of the others, " + _in_words(counted))
        recommended = [row for row in self.documents if not row.is_required]
        if recommended:
            on_file = sum(1 for row in recommended if not row.is_gap)
            parts.append(f"{on_file} of {len(recommended)} recommended on file")
        return "; ".join(parts)

    @property
    def required_on_file(self) -> int:
        return sum(1 for row in self.documents if row.is_required and not row.is_gap)

    @property
    def required_total(self) -> int:
        return sum(1 for row in self.documents if row.is_required)


def _in_words(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


class _Slugged(Protocol):
    """A reference row (source category, cell status): what an answer is recorded as."""

    @property
    def slug(self) -> str: ...


def _unanswered(slug_holder: _Slugged | None) -> bool:
    return slug_holder is None or slug_holder.slug == "unknown"


def missing_answers(assessment: Assessment) -> list[MissingAnswer]:
    """The answers still missing. "Unknown" is not an answer: the supplier must say."""
    missing = []
    if _unanswered(assessment.source_category):
        missing.append(
            MissingAnswer(
                "source",
                "Q1: where the exosomes come from",
                SOURCE_STEP,
                SUPPLIER_QUESTIONS["source"],
            )
        )
    if _unanswered(assessment.cell_status):
        missing.append(
            MissingAnswer(
                "cell_status",
                "Q2: live-cell, cell-free or processed post-cell culture",
                CELLS_STEP,
                SUPPLIER_QUESTIONS["cell_status"],
            )
        )
    if not assessment.testing_answer.strip():
        missing.append(
            MissingAnswer(
                "testing",
                "Q3: the supplier's account of its testing",
                DOCUMENTS_STEP,
                SUPPLIER_QUESTIONS["testing"],
            )
        )
    if not assessment.batch_lot.strip():
        missing.append(
            MissingAnswer(
                "batch_lot",
                "The batch / lot assessed",
                1,
                before_submitting="enter the batch / lot",
            )
        )
    if assessment.route_id is None:
        missing.append(
            MissingAnswer(
                "route",
                "How the clinic will use the product (route)",
                PRODUCT_STEP,
                before_submitting="choose how the clinic will use the product",
            )
        )
    return missing


def checklist_for(
    assessment: Assessment,
    *,
    as_of: date | None = None,
    items: Iterable[EvidenceItem] | None = None,
    evidence_types: Mapping[str, EvidenceType] | None = None,
) -> Checklist:
    """The assessment's checklist as of the day its findings were worked out (or `as_of`).

    `evidence_types` (by slug), if given, names the documents not on file without a query:
    the register export passes the catalogue once rather than query it for every row."""
    as_of = as_of or assessment_date(assessment)
    items = evidence_items(assessment) if items is None else list(items)
    facts = facts_for(assessment, as_of=as_of, items=items)
    entries = evidence_checklist(facts)
    types = {**(evidence_types or {})}
    types.update({item.evidence_type.slug: item.evidence_type for item in items})
    unknown = [entry.slug for entry in entries if entry.slug not in types]
    if unknown:
        types.update(EvidenceType.objects.in_bulk(unknown, field_name="slug"))
    needed = {entry.slug for entry in entries}
    rows = [
        DocumentRow(
            entry=entry,
            evidence_type=types[entry.slug],
            items=tuple(
                item for item in items if item.provided and item.evidence_type.slug == entry.slug
            ),
            lot=assessment.batch_lot,
        )
        for entry in entries
    ]
    others = [item for item in items if item.provided and item.evidence_type.slug not in needed]
    return Checklist(
        as_of=as_of,
        jurisdiction=assessment.jurisdiction,
        documents=rows,
        answers=missing_answers(assessment),
        others=others,
    )


def document_info(evidence_type: EvidenceType, jurisdiction: str) -> EvidenceInfo:
    """A document type as named, explained and judged in one jurisdiction."""
    return catalogue_for(jurisdiction)[evidence_type.slug]


def named_documents(items: Iterable[EvidenceItem], jurisdiction: str) -> list[EvidenceItem]:
    """The items, each with `display_name`: its type's name in the jurisdiction."""
    items = list(items)
    for item in items:
        item.display_name = document_info(item.evidence_type, jurisdiction).name
    return items
