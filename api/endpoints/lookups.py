"""Reads that are not one record: the approved-products register (lifecycle/register.py's
rows, the page's and the downloads' one row function), the stateless evaluation of a
product described in JSON, and the reference values the other endpoints take."""

from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from api.common import NO_NUL, may
from api.endpoints.errors import READ_ERRORS, READ_WITH_BODY_ERRORS
from api.schemas import EvaluationOut, RegisterOut
from assessments.facts import FIELDS, FactsInputError
from assessments.facts.evaluate import evaluate_json
from assessments.facts.json_input import MAX_INPUT_BYTES, input_too_large
from assessments.rules import (
    CELL_STATUSES,
    EVIDENCE_CATALOGUE,
    JURISDICTIONS,
    MARKETED_AS,
    RESULTS,
    ROUTES,
    SOURCE_CATEGORY_ORIGINS,
)
from clinics.policy import Action
from lifecycle.register import RegisterRow
from lifecycle.services import approved_register
from lifecycle.status import Status
from products.models import CellStatus, EvidenceType, ProductForm, Route, SourceCategory

router = Router(tags=["register, evaluate, reference"])


def _register_row(row: RegisterRow) -> dict:
    outcome = row.outcome
    return {
        "product_id": row.product.pk,
        "product": row.product.name,
        "supplier": row.supplier_name,
        "status": row.status.value,
        "status_label": row.status.label,
        "valid_until": outcome.valid_until,
        "lots_covered": outcome.lot or "",
        "conditions": list(outcome.cautions),
        "signed_assessment": row.assessment.document_id if row.assessment else "",
        "signed_assessment_id": row.assessment.pk if row.assessment else None,
        "action_needed": "re-check" if row.rules_changed else "",
    }


class RegisterFilters(Schema):
    q: str = Field("", max_length=200, pattern=NO_NUL)
    status: Status | None = None
    supplier_id: int | None = Field(None, ge=1, le=2**53)
    expiring_within: int | None = Field(None, ge=0, le=3650, description="Days")


@router.get("/register", response={200: RegisterOut, **READ_ERRORS})
def get_register(request, filters: Query[RegisterFilters]):
    """The approved-products register: one row per product, as the register page shows."""
    wanted = {
        "q": filters.q.strip(),
        "status": filters.status.value if filters.status else "",
        "supplier": filters.supplier_id,
        "expiring_within": filters.expiring_within,
    }
    rows = approved_register(
        clinic=request.clinic, by=request.user, filters=wanted, today=timezone.localdate()
    )
    return {"items": [_register_row(row) for row in rows]}


def _enum(values) -> dict:
    return {"type": ["string", "null"], "enum": [*values, None]}


_DATE = {"type": ["string", "null"], "format": "date"}
_EVIDENCE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["type"],
    "properties": {
        "type": {"type": "string", "enum": list(EVIDENCE_CATALOGUE)},
        "lot": {"type": "string"},
        "issued": _DATE,
        "expires": _DATE,
        "result": {"type": "string", "enum": list(RESULTS)},
        "provided": {"type": "boolean"},
    },
}
EVALUATE_BODY = {
    "requestBody": {
        "required": True,
        "description": "The same JSON as `manage.py assess_product`. Fields: " + ", ".join(FIELDS),
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "jurisdiction": _enum(JURISDICTIONS),
                        "as_of": _DATE,
                        "source_category": _enum(SOURCE_CATEGORY_ORIGINS),
                        "cell_status": _enum(CELL_STATUSES),
                        "route": _enum(ROUTES),
                        "marketed_as": _enum(MARKETED_AS),
                        "lot": {"type": "string"},
                        "inci": {"type": "array", "items": {"type": "string"}},
                        "claims": {"type": "array", "items": {"type": "string"}},
                        "evidence": {"type": "array", "items": _EVIDENCE},
                    },
                }
            }
        },
    }
}


@router.post(
    "/evaluate",
    response={200: EvaluationOut, **READ_WITH_BODY_ERRORS},
    openapi_extra=EVALUATE_BODY,
)
def post_evaluate(request):
    """Evaluate a product described in JSON without storing anything: exactly what
    `manage.py assess_product` prints (one shared function). The read scope suffices."""
    may(request, Action.VIEW)
    if len(request.body) > MAX_INPUT_BYTES:
        raise input_too_large()
    try:
        text = request.body.decode("utf-8")
    except UnicodeDecodeError:
        raise FactsInputError("input", "not UTF-8 text; send the JSON as UTF-8") from None
    return evaluate_json(text, today=timezone.localdate()).to_dict()


@router.get("/reference", response={200: dict[str, list[str]], **READ_ERRORS})
def get_reference(request):
    """The slugs the other endpoints take, active ones only (as the web's forms offer)."""
    may(request, Action.VIEW)
    slugs = {
        "source_category": SourceCategory,
        "cell_status": CellStatus,
        "route": Route,
        "evidence_type": EvidenceType,
    }
    result = {
        name: list(model.objects.active().values_list("slug", flat=True))
        for name, model in slugs.items()
    }
    result.update(
        jurisdiction=list(JURISDICTIONS),
        marketed_as=list(MARKETED_AS),
        form=list(ProductForm.values),
        evidence_result=list(RESULTS),
    )
    return result
