""" "Ask the supplier": a ready-to-send request for exactly what an assessment still lacks.

The unanswered questions come from the stored answers; the documents from the rules' own
checklist (requirements_for) read against the rules' own facts (facts_for), so the request
asks for precisely the documents whose absence, expiry, wrong lot or failure the findings
report — no more, no less.
"""

from dataclasses import dataclass
from urllib.parse import quote

from assessments.evaluation import facts_for, requirements_for

QUESTIONS = {
    1: "Where are these exosomes derived from? Please state the species or plant, the tissue "
    "and the cell type, and whether any material of human origin is used, culture media "
    "included.",
    2: "Are they live-cell, cell-free, or processed post-cell culture (conditioned medium, "
    "secretome or lyophilised culture product)?",
    3: "What testing is performed for sterility, content and consistency? Please list each "
    "test with its method or standard and send the certificates.",
}


@dataclass(frozen=True)
class DocumentGap:
    evidence_type: object  # products.models.EvidenceType
    required: bool
    problem: str  # what is wrong, in words for the supplier
    summary: str  # the same, in a few words for the clinic


@dataclass(frozen=True)
class SupplierRequest:
    to: str
    subject: str
    body: str
    questions: list[str]
    documents: list[DocumentGap]

    @property
    def is_empty(self) -> bool:
        return not self.questions and not self.documents

    @property
    def mailto(self) -> str:
        return f"mailto:{quote(self.to)}?subject={quote(self.subject)}&body={quote(self.body)}"


def _unanswered(slug_holder) -> bool:
    return slug_holder is None or slug_holder.slug == "unknown"


def unanswered_questions(assessment) -> list[str]:
    questions = []
    if _unanswered(assessment.source_category):
        questions.append(QUESTIONS[1])
    if _unanswered(assessment.cell_status):
        questions.append(QUESTIONS[2])
    if not assessment.testing_answer.strip():
        questions.append(QUESTIONS[3])
    return questions


def document_gaps(assessment) -> list[DocumentGap]:
    """Every document the rules ask for that is not usable on file, with the reason."""
    facts = facts_for(assessment)
    gaps = []
    for requirement, evidence_type in requirements_for(assessment):
        if facts.on_file(requirement.type):
            continue
        gaps.append(
            DocumentGap(
                evidence_type=evidence_type,
                required=requirement.is_required,
                problem=_problem(facts, requirement.type, evidence_type),
                summary=_summary(facts, requirement.type),
            )
        )
    return gaps


def _problem(facts, slug: str, evidence_type) -> str:
    documents = facts.documents(slug)
    if any(document.failed for document in documents):
        return (
            "the copy we hold records a failed result: please send the investigation report "
            "and the certificate of a lot that passed"
        )
    expired = [d.expires for d in documents if d.expired(facts.as_of)]
    if expired:
        return f"the copy we hold expired on {max(expired):%d %B %Y}: please send a current one"
    if any(document.wrong_lot(facts.lot) for document in documents):
        return f"the copy we hold is for another lot: please send the one for lot {facts.lot}"
    if evidence_type.lot_specific and facts.lot:
        return f"please send the one for lot {facts.lot}"
    return "please send a copy"


def _summary(facts, slug: str) -> str:
    documents = facts.documents(slug)
    if any(document.failed for document in documents):
        return "Failed result on file"
    expired = [d.expires for d in documents if d.expired(facts.as_of)]
    if expired:
        return f"Expired on {max(expired):%d %B %Y}"
    if any(document.wrong_lot(facts.lot) for document in documents):
        return "On file for another lot only"
    return "Not on file"


def build_supplier_request(assessment, *, sender) -> SupplierRequest:
    """The request for `assessment`, signed by `sender` (the user asking) for their clinic."""
    product, supplier = assessment.product, assessment.product.supplier
    lot = f", lot {assessment.batch_lot}" if assessment.batch_lot else ""
    questions = unanswered_questions(assessment)
    documents = document_gaps(assessment)
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
            standard = gap.evidence_type.reference_standard
            kind = "required" if gap.required else "recommended"
            detail = f" ({standard})" if standard else ""
            lines.append(f"- {gap.evidence_type.name}{detail}, {kind}: {gap.problem}.")
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
