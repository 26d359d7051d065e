"""What a request asks the supplier, from the one checklist (assessments/checklist.py): the
questions still unanswered and the documents the findings name, in the words of the
assessment's jurisdiction — the same list as the "Ask the supplier" page.

A request keeps what it asked (RequestedAssessment.questions and .documents), so the
supplier's page and the email say the same thing however the assessment changes meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from assessments.checklist import SUPPLIER_QUESTIONS, checklist_for
from assessments.rules import catalogue_for
from products.models import CellStatus, SourceCategory

if TYPE_CHECKING:
    from assessments.models import Assessment
    from portal.models import RequestedAssessment

QUESTION_KEYS = ("source", "cell_status", "testing")
QUESTION_TITLES = {
    "source": "1. Where are these exosomes derived from?",
    "cell_status": "2. Are they live-cell, cell-free, or processed post-cell culture?",
    "testing": "3. What testing is performed for sterility, content and consistency?",
}
OTHER = "other"

# The declaration the supplier ticks to submit: the checkbox's label (portal/forms.py) and the
# record and history of the submission (portal/services/submit.py) read this one text, so
# what is on file as signed is word for word what was ticked. Not "uploaded": documents
# chosen from those on file are declared too.
DECLARATION = (
    "I confirm these answers are accurate and complete to the best of my knowledge, that the "
    "documents are true copies, and that I am authorised to give them on behalf of the "
    "company named."
)


@dataclass(frozen=True)
class AskedDocument:
    slug: str
    level: str  # required / recommended / additional
    ask: str  # the request's words for it (assessments/rules/checklist.py request_text)
    name: str = ""
    proves: str = ""
    standard: str = ""
    lot_specific: bool = False
    test_report: bool = False


def to_ask(assessment: Assessment, *, skip: frozenset[str] = frozenset()) -> tuple[list, list]:
    """(question keys, document dicts) still needed for `assessment`; `skip` leaves out
    document types the supplier has already sent and the clinic has still to check."""
    checklist = checklist_for(assessment)
    questions = [answer.key for answer in checklist.answers if answer.ask_supplier]
    documents = [
        {"slug": row.slug, "level": row.level, "ask": row.request_text}
        for row in checklist.gaps
        if row.slug not in skip
    ]
    return questions, documents


def asked_documents(item: RequestedAssessment) -> list[AskedDocument]:
    """The documents `item` asks for, named and explained in its assessment's jurisdiction."""
    catalogue = catalogue_for(item.assessment.jurisdiction)
    documents = []
    for asked in item.documents:
        info = catalogue[asked["slug"]]
        documents.append(
            AskedDocument(
                slug=asked["slug"],
                level=asked["level"],
                ask=asked["ask"],
                name=info.name,
                proves=info.proves,
                standard=info.standard,
                lot_specific=info.lot_specific,
                test_report=info.test_report,
            )
        )
    return documents


def question_text(key: str) -> str:
    return SUPPLIER_QUESTIONS[key]


def source_choices() -> list[tuple[str, str]]:
    """The source categories of docs/domain.md §3.1 (as the clinic's reference data names
    them), and "other — describe"."""
    rows = SourceCategory.objects.active().exclude(slug="unknown")
    return [(row.slug, _with_examples(row)) for row in rows] + [
        (OTHER, "Other — describe it in your answer")
    ]


def cell_status_choices() -> list[tuple[str, str]]:
    rows = CellStatus.objects.active().exclude(slug="unknown")
    return [(row.slug, _described(row)) for row in rows]


def _with_examples(row) -> str:
    return f"{row.name} (e.g. {row.examples})" if row.examples else row.name


def _described(row) -> str:
    return f"{row.name} — {row.description}" if row.description else row.name


def choice_label(key: str, slug: str) -> str:
    """The name of the option the supplier chose for question `key` ("" if none)."""
    if not slug:
        return ""
    if slug == OTHER:
        return "Other (described in the answer)"
    model = {"source": SourceCategory, "cell_status": CellStatus}.get(key)
    row = model.objects.filter(slug=slug).first() if model else None
    return row.name if row else slug
