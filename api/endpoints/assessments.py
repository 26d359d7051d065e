"""Assessments: list (status, verdict, dates, product; cursor pages), fetch with findings
and evidence metadata, start a draft with answers, change a draft's answers, submit.

The writes are the wizard's services (assessments.services), after the same role check the
wizard's views make (Action.EDIT_ASSESSMENTS). Sign-off stays in the web app: it needs the
signer's password and a code from their authenticator app.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router, Schema, Status
from pydantic import Field

from api.auth import write_auth
from api.common import NO_NUL, PageQuery, audited, by_slug, cursor_page, may
from api.endpoints.errors import READ_ERRORS, WRITE_ERRORS
from api.schemas import Answers, AssessmentDetail, AssessmentIn, AssessmentPage
from assessments.models import Assessment, Jurisdiction
from assessments.record_names import record_names
from assessments.services import start_assessment, submit_assessment
from assessments.services.drafting import save_answers
from assessments.signed_record import build_signed_record
from clinics.policy import Action
from products.models import CellStatus, ExosomeProduct, MarketedAs, Route, SourceCategory

router = Router(tags=["assessments"])
Id = Path(..., ge=1, le=2**53)
REFERENCES = (("route", Route), ("source_category", SourceCategory), ("cell_status", CellStatus))


def summary(assessment: Assessment) -> dict:
    """The list row: names and verdict as the record says them (the signed snapshot once
    finalised, assessments/record_names.py), as every page shows them."""
    names = record_names(assessment)
    signed = assessment.signed_record if assessment.is_finalised else None
    return {
        "id": assessment.pk,
        "document_id": names.document_id,
        "status": assessment.status,
        "version": assessment.version,
        "product_id": assessment.product_id,
        "product": str(names.product),
        "supplier": str(names.supplier),
        "batch_lot": names.batch_lot,
        "jurisdiction": assessment.jurisdiction,
        "verdict": (signed or {}).get("verdict", assessment.verdict) or "",
        "ruleset_version": assessment.ruleset_version,
        "created_at": assessment.created_at,
        "submitted_at": assessment.submitted_at,
        "finalised_at": assessment.finalised_at,
        "has_signed_report": bool(assessment.is_finalised and assessment.report_pdf),
    }


def detail(assessment: Assessment) -> dict:
    """The record: as signed once finalised; before, the same snapshot built from the live
    rows (assessments/signed_record.py), so one shape serves every status."""
    if assessment.is_finalised and assessment.signed_record:
        record = assessment.signed_record
    else:
        items = list(assessment.evidence_items.select_related("evidence_type").order_by("pk"))
        record = build_signed_record(assessment, evidence=items)
    return {
        **summary(assessment),
        "answers": {**record["answers"], "route": record["route"]},
        "findings": record["findings"],
        "evidence": record["evidence"],
        "missing": record["missing"],
    }


def _assessments(request):
    may(request, Action.VIEW)
    return Assessment.objects.for_clinic(request.clinic).with_related()


def _answers(request, answers: Answers) -> dict:
    """The service's answers: slugs become the reference rows, choices are checked here so
    the rules never see a value they do not know."""
    values = answers.model_dump(exclude_none=True)
    for name, model in REFERENCES:
        if name in values:
            values[name] = by_slug(model, values[name], name)
    checks = (("jurisdiction", Jurisdiction.values), ("marketed_as", MarketedAs.values))
    for name, allowed in checks:
        if name in values and values[name] not in allowed:
            choices = ", ".join(allowed)
            raise ValidationError({name: f"Unknown value {values[name]!r}; allowed: {choices}."})
    return values


class AssessmentFilters(Schema):
    status: str = Field("", max_length=10, pattern=NO_NUL, description="draft, submitted…")
    verdict: str = Field("", max_length=30, pattern=NO_NUL)
    product_id: int | None = Field(None, ge=1, le=2**53)
    created_from: date | None = Field(None, description="Created on or after (YYYY-MM-DD)")
    created_to: date | None = Field(None, description="Created on or before (YYYY-MM-DD)")
    q: str = Field("", max_length=200, pattern=NO_NUL, description="Product, supplier, lot")


@router.get("/assessments", response={200: AssessmentPage, **READ_ERRORS})
def list_assessments(request, page: Query[PageQuery], filters: Query[AssessmentFilters]):
    rows = _assessments(request).search(filters.q.strip(), clinic=request.clinic)
    wanted = {
        "status": filters.status,
        "verdict": filters.verdict,
        "product_id": filters.product_id,
        "created_at__date__gte": filters.created_from,
        "created_at__date__lte": filters.created_to,
    }
    rows = rows.filter(**{key: value for key, value in wanted.items() if value})
    result = cursor_page(rows, page)
    result["items"] = [summary(a) for a in result["items"]]
    return result


@router.get("/assessments/{pk}", response={200: AssessmentDetail, **READ_ERRORS})
def get_assessment(request, pk: int = Id):
    return detail(get_object_or_404(_assessments(request), pk=pk))


@router.post("/assessments", auth=write_auth, response={201: AssessmentDetail, **WRITE_ERRORS})
@audited("assessment.create")
def post_assessment(request, payload: AssessmentIn):
    """Start a draft of one of the clinic's products, pre-filled as the web's start page
    does, then write the answers given: all or nothing."""
    may(request, Action.EDIT_ASSESSMENTS)
    products = ExosomeProduct.objects.for_clinic(request.clinic)
    product = products.filter(pk=payload.product_id).first()
    if product is None:
        raise ValidationError({"product_id": "Choose one of your clinic's products."})
    answers = _answers(request, payload.answers)
    with transaction.atomic():
        draft = start_assessment(clinic=request.clinic, by=request.user, product=product)
        if answers:
            draft = save_answers(
                assessment=draft, by=request.user, answers=answers, resume_at=draft.current_step
            )
    return Status(201, detail(get_object_or_404(_assessments(request), pk=draft.pk)))


@router.patch(
    "/assessments/{pk}", auth=write_auth, response={200: AssessmentDetail, **WRITE_ERRORS}
)
@audited("assessment.update")
def patch_assessment(request, payload: Answers, pk: int = Id):
    may(request, Action.EDIT_ASSESSMENTS)
    assessment = get_object_or_404(_assessments(request), pk=pk)
    answers = _answers(request, payload)
    save_answers(
        assessment=assessment, by=request.user, answers=answers, resume_at=assessment.current_step
    )
    return detail(get_object_or_404(_assessments(request), pk=pk))


@router.post(
    "/assessments/{pk}/submit", auth=write_auth, response={200: AssessmentDetail, **WRITE_ERRORS}
)
@audited("assessment.submit")
def post_submit(request, pk: int = Id):
    """Hand the draft to the practice manager for review (read-only from then on)."""
    may(request, Action.EDIT_ASSESSMENTS)
    assessment = get_object_or_404(_assessments(request), pk=pk)
    submit_assessment(assessment=assessment, by=request.user)
    return detail(get_object_or_404(_assessments(request), pk=pk))
