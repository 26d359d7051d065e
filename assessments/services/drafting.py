"""Drafting an assessment: start it, save each step, record evidence, submit it.

Every write re-runs the rules (assessments.evaluation.refresh_findings), so a draft's stored
findings and verdict always match its answers and documents. Only drafts change here: a
submitted assessment is with the practice manager and a finalised one is the record.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments.checklist import missing_answers
from assessments.errors import AssessmentIncomplete, AssessmentNotEditable
from assessments.evaluation import refresh_findings
from assessments.models import Assessment
from assessments.steps import REVIEW_STEP, clamp
from clinics.policy import Action
from clinics.services import require_action
from notifications.services import notify_submitted
from products.models import ExosomeProduct
from products.services import create_product
from suppliers.models import Supplier
from suppliers.services import create_supplier

if TYPE_CHECKING:
    from clinics.models import Clinic, User


def may_edit(*, clinic: Clinic, by: User) -> None:
    """Every draft write asks the policy first (clinics.services.require_action), so an API
    call, a portal hand-over or a script cannot do what the wizard's views would refuse."""
    require_action(clinic=clinic, by=by, action=Action.EDIT_ASSESSMENTS)


def locked_draft(assessment: Assessment, *, by: User) -> Assessment:
    """Check `by` may edit, then re-read the status under a row lock so two tabs cannot
    write past a submit."""
    may_edit(clinic=assessment.clinic, by=by)
    current = Assessment.objects.select_for_update().only("status").get(pk=assessment.pk)
    if current.status != Assessment.Status.DRAFT:
        assessment.status = current.status
        raise AssessmentNotEditable(assessment)
    return current


def evaluate_and_save(
    assessment: Assessment, user: User, *, exclude: list[str] | None = None
) -> Assessment:
    refresh_findings(assessment)
    assessment._history_user = user
    assessment.full_clean(exclude=exclude)
    assessment.save()
    return assessment


def _create_product(
    *,
    clinic: Clinic,
    by: User,
    product_name: str,
    supplier: Supplier | None = None,
    supplier_name: str = "",
) -> ExosomeProduct:
    """A minimal product (and, if named, a new supplier) created from the start page, so a
    clinician can begin without leaving the flow; the details are filled in at step 1."""
    if supplier is None:
        supplier = create_supplier(clinic=clinic, by=by, legal_name=supplier_name.strip())
    # create_product refuses another clinic's supplier (a ValidationError on `supplier`).
    product = create_product(clinic=clinic, by=by, supplier=supplier, name=product_name.strip())
    return product


def start_assessment_for_new_product(
    *,
    clinic: Clinic,
    by: User,
    product_name: str,
    supplier: Supplier | None = None,
    supplier_name: str = "",
    public_id: uuid.UUID | None = None,
) -> Assessment:
    """Create the product (and supplier) named on the start page and its first draft, all
    or nothing."""
    may_edit(clinic=clinic, by=by)
    try:
        with transaction.atomic():
            product = _create_product(
                clinic=clinic,
                by=by,
                product_name=product_name,
                supplier=supplier,
                supplier_name=supplier_name,
            )
            return _create_draft(clinic=clinic, by=by, product=product, public_id=public_id)
    except (IntegrityError, ValidationError):
        # Two copies of one form racing: the first created everything, the second clashed.
        existing = _started_with(clinic, by, public_id) if public_id else None
        if existing is None:
            raise
        return existing


def start_assessment(
    *, clinic: Clinic, by: User, product: ExosomeProduct, public_id: uuid.UUID | None = None
) -> Assessment:
    """A new draft for `product`, pre-filled from the product record and evaluated.

    `public_id` makes starting idempotent: the start form carries a server-signed id, so a
    double-clicked or re-sent form returns the assessment the first request created (the
    database's unique constraint decides, even for two requests racing each other).
    """
    may_edit(clinic=clinic, by=by)
    if product.clinic_id != clinic.pk:
        raise ValueError("The product belongs to another clinic.")
    if public_id is not None:
        existing = _started_with(clinic, by, public_id)
        if existing is not None:
            return existing
    try:
        return _create_draft(clinic=clinic, by=by, product=product, public_id=public_id)
    except IntegrityError:
        existing = _started_with(clinic, by, public_id) if public_id else None
        if existing is None:
            raise
        return existing


def _started_with(clinic: Clinic, user: User, public_id: uuid.UUID | None) -> Assessment | None:
    return (
        Assessment.objects.for_clinic(clinic).filter(public_id=public_id, created_by=user).first()
    )


@transaction.atomic
def _create_draft(
    *, clinic: Clinic, by: User, product: ExosomeProduct, public_id: uuid.UUID | None
) -> Assessment:
    """A new draft of `product`. If the clinic has assessed it before, the draft starts from
    that assessment's answers (the latest signed one, else the latest of any status): never
    its evidence, lot, status or findings, which belong to that batch and that review (the
    rules evaluate the new draft afresh). Otherwise it starts from the product record."""
    from django.db.models import Case, F, Value, When

    assessment = Assessment(
        clinic=clinic,
        product=product,
        created_by=by,
        jurisdiction=clinic.default_jurisdiction,
        current_step=1,
    )
    signed_first = Case(When(status=Assessment.Status.FINALISED, then=Value(0)), default=Value(1))
    previous = (
        Assessment.objects.for_clinic(clinic)
        .filter(product=product)
        .order_by(signed_first, F("finalised_at").desc(nulls_last=True), "-created_at", "-pk")
        .first()
    )
    if previous is not None:
        for name in PREFILLED_FROM_PREVIOUS:
            attname = Assessment._meta.get_field(name).attname  # route_id: no query
            setattr(assessment, attname, getattr(previous, attname))
    else:
        assessment.route = product.intended_routes.order_by("display_order", "name").first()
        assessment.marketed_as = product.marketed_as
        assessment.inci = product.inci
        assessment.claims = product.claims
        assessment.source_category = product.source_category
        assessment.source_answer = product.supplier_source_statement
        assessment.cell_status = product.cell_status
    if public_id is not None:
        assessment.public_id = public_id
    assessment._history_user = by
    # A clash on public_id is the double submit: left to the unique index, caught above.
    assessment.full_clean(exclude=["public_id"])
    assessment.save()  # the rules read its documents through the relation: it needs a pk
    return evaluate_and_save(assessment, by)


# What a new assessment of a product takes from its previous one: the answers about the
# product, never the lot, the documents, the workflow or the findings.
PREFILLED_FROM_PREVIOUS = (
    "route",
    "marketed_as",
    "inci",
    "claims",
    "source_category",
    "source_answer",
    "cell_status",
    "cell_status_answer",
    "testing_answer",
)


# What a clinician may write on a draft: the answers, never workflow or rules fields.
ANSWER_FIELDS = frozenset(
    {
        "product",
        "batch_lot",
        "jurisdiction",
        "route",
        "marketed_as",
        "inci",
        "claims",
        "source_category",
        "source_answer",
        "cell_status",
        "cell_status_answer",
        "testing_answer",
    }
)


@transaction.atomic
def save_answers(
    *, assessment: Assessment, by: User, answers: Mapping[str, object], resume_at: int
) -> Assessment:
    """Write answers to a draft and where to resume, then re-run the rules once."""
    unknown = set(answers) - ANSWER_FIELDS
    if unknown:
        raise ValueError(f"Not an answer: {', '.join(sorted(unknown))}")
    locked_draft(assessment, by=by)
    for name, value in answers.items():
        setattr(assessment, name, value)
    assessment.current_step = clamp(resume_at)
    return evaluate_and_save(assessment, by)


def missing_for_submission(assessment: Assessment) -> list[tuple[int, str]]:
    """The clinic's own answers still needed before review, from the checklist."""
    return [
        (answer.step, answer.before_submitting)
        for answer in missing_answers(assessment)
        if answer.blocks_submission
    ]


@transaction.atomic
def submit_assessment(*, assessment: Assessment, by: User) -> Assessment:
    """Hand a draft to the practice manager for review; it is read-only from then on."""
    locked_draft(assessment, by=by)
    missing = missing_for_submission(assessment)
    if missing:
        raise AssessmentIncomplete(missing)
    assessment.status = Assessment.Status.SUBMITTED
    assessment.submitted_by = by
    assessment.submitted_at = timezone.now()
    assessment.current_step = REVIEW_STEP
    # A returned assessment sent back for review is no longer "returned"; the comment stays
    # in its history.
    assessment.review_comment = ""
    submitted = evaluate_and_save(assessment, by)
    # In the same transaction: the notifications exist only if the submission does, and
    # their emails go after the commit.
    notify_submitted(assessment=submitted, by=by)
    return submitted
