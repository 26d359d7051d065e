"""Writes to assessments go through these functions: keyword-only, validated, atomic."""

from assessments.errors import AssessmentIncomplete, AssessmentNotEditable, EvidenceConflict
from assessments.services.documents import (
    DocumentUpload,
    mark_not_provided,
    record_document_facts,
    record_evidence,
    save_documents_step,
    withdraw_evidence,
)
from assessments.services.drafting import (
    save_answers,
    start_assessment,
    start_assessment_for_new_product,
    submit_assessment,
)

__all__ = [
    "AssessmentIncomplete",
    "AssessmentNotEditable",
    "DocumentUpload",
    "EvidenceConflict",
    "mark_not_provided",
    "record_document_facts",
    "record_evidence",
    "save_documents_step",
    "save_answers",
    "start_assessment",
    "start_assessment_for_new_product",
    "submit_assessment",
    "withdraw_evidence",
]
