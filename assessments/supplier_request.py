""" "Ask the supplier": a ready-to-send request for exactly what an assessment still lacks.

The questions and documents come from the assessment's checklist (assessments/checklist.py),
the same one the findings, the PDF and the wizard read: the request asks for precisely the
documents the findings report — no more, no less.
"""

from dataclasses import dataclass
from urllib.parse import quote

from assessments.checklist import SUPPLIER_QUESTIONS, DocumentRow, checklist_for

# The three questions by number, as the request lists them.
QUESTIONS = {
    1: SUPPLIER_QUESTIONS["source"],
    2: SUPPLIER_QUESTIONS["cell_status"],
    3: SUPPLIER_QUESTIONS["testing"],
}


@dataclass(frozen=True)
class SupplierRequest:
    to: str
    subject: str
    body: str
    questions: list[str]
    documents: list[DocumentRow]

    @property
    def is_empty(self) -> bool:
        return not self.questions and not self.documents

    @property
    def mailto(self) -> str:
        return f"mailto:{quote(self.to)}?subject={quote(self.subject)}&body={quote(self.body)}"


def build_supplier_request(assessment, *, sender) -> SupplierRequest:
    """The request for `assessment`, signed by `sender` (the user asking) for their clinic."""
    product, supplier = assessment.product, assessment.product.supplier
    lot = f", lot {assessment.batch_lot}" if assessment.batch_lot else ""
    checklist = checklist_for(assessment)
    questions = checklist.supplier_questions
    documents = checklist.gaps
    subject = f"Information request: {product.name}{lot}"

    lines = [
        f"Dear {supplier.contact_name or supplier.legal_name},",
        "",
        f"We are completing our due diligence on {product}{lot}, supplied by "
        f"{supplier.legal_name}, before we use it at {assessment.clinic.name}.",
    ]
    if not questions and not documents:
        lines += ["", "We have everything we need at present. Thank you."]
    if questions:
        lines += ["", "Please answer these questions in writing:"]
        lines += [f"{number}. {question}" for number, question in enumerate(questions, 1)]
    if documents:
        lines += ["", "Please send these documents:"]
        for gap in documents:
            detail = f" ({gap.standard})" if gap.standard else ""
            lines.append(f"- {gap.name}{detail}, {gap.level}: {gap.request_text}.")
    lines += [
        "",
        "Kind regards,",
        sender.get_full_name() or sender.get_username(),
        assessment.clinic.name,
        f"Our reference: {assessment.document_id}",
    ]
    return SupplierRequest(
        to=supplier.contact_email,
        subject=subject,
        body="\n".join(lines),
        questions=questions,
        documents=documents,
    )
