"""The API's request and response shapes (pydantic, through django-ninja).

Input limits mirror the models' so a too-long value is a 422 naming the field before any
service runs; the services still validate (full_clean) and have the last word.
"""

from datetime import date, datetime
from typing import Annotated, Any

from ninja import Schema
from pydantic import Field, StringConstraints, field_validator

from core.limits import CLAIMS_MAX_CHARS, INCI_MAX_CHARS, SUPPLIER_ANSWER_MAX_CHARS

# PostgreSQL text cannot hold NUL (core/input_guard.py): refused as a field error here.
NO_NUL = r"^[^\x00]*$"


def text(limit: int) -> Any:
    return Annotated[str, StringConstraints(max_length=limit, pattern=NO_NUL)]


class In(Schema):
    """Every request body: unknown fields are refused (a misspelt field must not be
    silently dropped), as the assess_product JSON refuses them."""

    model_config = {"extra": "forbid"}

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("contains a NUL character, which cannot be stored")
        return value


class Page(Schema):
    next_cursor: str | None = Field(
        description="Pass as ?cursor= for the next page; null on the last page."
    )


# --- Suppliers -----------------------------------------------------------------------------


class SupplierOut(Schema):
    id: int
    legal_name: str
    trading_name: str
    company_number: str
    country: str
    website: str
    contact_name: str
    contact_email: str
    contact_phone: str
    notes: str
    created_at: datetime
    updated_at: datetime


class SupplierPage(Page):
    items: list[SupplierOut]


class SupplierPatch(In):
    legal_name: text(200) | None = None
    trading_name: text(200) | None = None
    company_number: text(40) | None = None
    country: text(100) | None = None
    website: text(200) | None = None
    contact_name: text(200) | None = None
    contact_email: text(254) | None = None
    contact_phone: text(40) | None = None
    notes: text(SUPPLIER_ANSWER_MAX_CHARS) | None = None


class SupplierIn(SupplierPatch):
    legal_name: Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=NO_NUL)]


# --- Products ------------------------------------------------------------------------------


class ProductOut(Schema):
    id: int
    supplier_id: int
    name: str
    brand: str
    form: str
    marketed_as: str
    intended_routes: list[str]
    source_category: str | None
    supplier_source_statement: str
    cell_status: str | None
    inci: str
    claims: str
    created_at: datetime
    updated_at: datetime


class ProductPage(Page):
    items: list[ProductOut]


class ProductPatch(In):
    supplier_id: int | None = Field(default=None, ge=1, le=2**53)
    name: text(200) | None = None
    brand: text(200) | None = None
    form: text(20) | None = None
    marketed_as: text(10) | None = None
    intended_routes: list[text(60)] | None = Field(default=None, max_length=20)
    source_category: text(60) | None = None
    supplier_source_statement: text(SUPPLIER_ANSWER_MAX_CHARS) | None = None
    cell_status: text(60) | None = None
    inci: text(INCI_MAX_CHARS) | None = None
    claims: text(CLAIMS_MAX_CHARS) | None = None


class ProductIn(ProductPatch):
    supplier_id: int = Field(ge=1, le=2**53)
    name: Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=NO_NUL)]


# --- Assessments ---------------------------------------------------------------------------


class FindingOut(Schema):
    rule: str
    severity: str
    title: str
    explanation: str
    citation: str = ""
    next_step: str = ""


class EvidenceOut(Schema):
    type: str
    type_name: str
    provided: bool
    filename: str
    content_type: str
    size_bytes: int
    sha256: str
    lab: str
    lot: str
    issued_on: str
    expires_on: str
    result: str
    notes: str
    status: str


class MissingOut(Schema):
    name: str
    level: str
    standard: str = ""
    reason: str = ""
    status: str = ""


class AssessmentOut(Schema):
    id: int
    document_id: str
    status: str
    version: int
    product_id: int
    product: str
    supplier: str
    batch_lot: str
    jurisdiction: str
    verdict: str
    ruleset_version: str
    created_at: datetime
    submitted_at: datetime | None
    finalised_at: datetime | None
    has_signed_report: bool


class AssessmentPage(Page):
    items: list[AssessmentOut]


class AssessmentDetail(AssessmentOut):
    answers: dict[str, Any]
    findings: list[FindingOut]
    evidence: list[EvidenceOut]
    missing: list[MissingOut]


class Answers(In):
    """A draft's answers: reference values by their slugs (see GET /api/v1/reference)."""

    batch_lot: text(80) | None = None
    jurisdiction: text(2) | None = None
    route: text(60) | None = None
    marketed_as: text(10) | None = None
    inci: text(INCI_MAX_CHARS) | None = None
    claims: text(CLAIMS_MAX_CHARS) | None = None
    source_category: text(60) | None = None
    source_answer: text(SUPPLIER_ANSWER_MAX_CHARS) | None = None
    cell_status: text(60) | None = None
    cell_status_answer: text(SUPPLIER_ANSWER_MAX_CHARS) | None = None
    testing_answer: text(SUPPLIER_ANSWER_MAX_CHARS) | None = None


class AssessmentIn(In):
    product_id: int = Field(ge=1, le=2**53)
    answers: Answers = Field(default_factory=Answers)


class EvidenceUploaded(Schema):
    id: int
    type: str
    filename: str
    content_type: str
    size_bytes: int
    sha256: str
    verdict: str


# --- Register and evaluate -----------------------------------------------------------------


class RegisterRowOut(Schema):
    product_id: int
    product: str
    supplier: str
    status: str
    status_label: str
    valid_until: date | None
    lots_covered: str
    conditions: list[str]
    signed_assessment: str
    signed_assessment_id: int | None
    action_needed: str


class RegisterOut(Schema):
    items: list[RegisterRowOut]


class EvaluationOut(Schema):
    ruleset: str
    verdict: str
    findings: list[FindingOut]
