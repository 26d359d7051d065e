"""Clinic side: send a request to a supplier, withdraw it, follow it up.

Each starts with the role check (clinics.services.require_action: EDIT_ASSESSMENTS, or
MANAGE_MEMBERS for the settings), then checks tenancy and state. `link_for(token)` makes the
absolute link for the email (SITE_URL, never a Host header the settings do not allow): the
token itself is never stored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from clinics.policy import Action
from clinics.services import require_action
from core.saving import save_audited
from portal import emails, tokens
from portal.asks import to_ask
from portal.models import (
    PortalSettings,
    RequestedAssessment,
    RequestEvent,
    SupplierDocument,
    SupplierRequest,
)
from portal.services.events import record


@dataclass(frozen=True)
class SentRequest:
    request: SupplierRequest
    link: str  # shown to nobody in the app; the email carries it (the demo prints it)


def portal_settings(clinic) -> PortalSettings:
    found, _ = PortalSettings.objects.get_or_create(clinic=clinic)
    return found


@transaction.atomic
def save_settings(*, clinic, by, link_valid_days: int) -> PortalSettings:
    require_action(clinic=clinic, by=by, action=Action.MANAGE_MEMBERS)
    found = portal_settings(clinic)
    found.link_valid_days = link_valid_days
    save_audited(found, by=by, reason="Supplier portal settings", conflict="Try again.")
    return found


def awaiting_confirmation(assessment) -> frozenset[str]:
    """Document types the supplier has sent for `assessment` that no clinic member has
    confirmed yet: the supplier is not asked for them again."""
    return frozenset(
        SupplierDocument.objects.filter(
            item__assessment=assessment,
            evidence_item__isnull=False,
            confirmed_at__isnull=True,
        ).values_list("evidence_type__slug", flat=True)
    )


def _check_assessments(clinic, supplier, assessments) -> list[tuple]:
    """(assessment, questions, documents) for each, or ValidationError saying why not."""
    if not assessments:
        raise ValidationError("Choose at least one assessment.", code="none")
    asked = []
    for assessment in assessments:
        if assessment.clinic_id != clinic.pk or assessment.product.supplier_id != supplier.pk:
            raise ValueError("The assessment belongs to another clinic or supplier.")
        if not assessment.is_draft:
            raise ValidationError(
                f"{assessment.product.name} is no longer a draft: start a new version to "
                "ask the supplier again.",
                code="not_draft",
            )
        questions, documents = to_ask(assessment, skip=awaiting_confirmation(assessment))
        if not questions and not documents:
            raise ValidationError(
                f"Nothing is outstanding for {assessment.product.name}: leave it out.",
                code="nothing_to_ask",
            )
        asked.append((assessment, questions, documents))
    return asked


def send_request(
    *,
    clinic,
    by,
    supplier,
    assessments: Iterable,
    email: str,
    link_for: Callable[[str], str],
    reason: str = "",
    valid_days: int | None = None,
    follows_up: SupplierRequest | None = None,
) -> SentRequest:
    """Create the request and its link, and email it to `email` once committed."""
    require_action(clinic=clinic, by=by, action=Action.EDIT_ASSESSMENTS)
    if supplier.clinic_id != clinic.pk:
        raise ValueError("The supplier belongs to another clinic.")
    days = valid_days or portal_settings(clinic).link_valid_days
    if not 1 <= days <= 60:
        raise ValidationError("A link is valid for 1 to 60 days.", code="days")
    token, digest = tokens.new_token()
    link = link_for(token)
    with transaction.atomic():
        asked = _check_assessments(clinic, supplier, list(assessments))
        supplier_request = SupplierRequest(
            clinic=clinic,
            supplier=supplier,
            token_hash=digest,
            email=email,
            reason=reason.strip(),
            requested_by=by,
            follows_up=follows_up,
            expires_at=SupplierRequest.expiry_after(days),
        )
        save_audited(supplier_request, by=by, reason="Request sent", conflict="Try again.")
        for assessment, questions, documents in asked:
            RequestedAssessment.objects.create(
                clinic=clinic,
                request=supplier_request,
                assessment=assessment,
                questions=questions,
                documents=documents,
            )
        kind = RequestEvent.Kind.FOLLOW_UP if follows_up else RequestEvent.Kind.SENT
        record(supplier_request, kind, user=by, detail=f"to {email}, valid {days} days")
        transaction.on_commit(
            partial(
                emails.send,
                request_id=supplier_request.pk,
                to=email,
                subject_line=emails.subject(supplier_request),
                message=emails.body(supplier_request, link=link),
            )
        )
    return SentRequest(request=supplier_request, link=link)


def follow_up(
    *, previous: SupplierRequest, by, link_for: Callable[[str], str], **options
) -> SentRequest:
    """A new request for what the assessments of `previous` still lack (those still drafts)."""
    drafts = [
        item.assessment
        for item in previous.items.select_related("assessment__product")
        if item.assessment.is_draft
    ]
    sent = send_request(
        clinic=previous.clinic,
        by=by,
        supplier=previous.supplier,
        assessments=drafts,
        email=options.pop("email", "") or previous.email,
        link_for=link_for,
        follows_up=previous,
        **options,
    )
    record(previous, RequestEvent.Kind.FOLLOW_UP, user=by, detail=sent.request.reference)
    return sent


@transaction.atomic
def revoke_request(*, supplier_request: SupplierRequest, by) -> SupplierRequest:
    """The link stops working at once (whatever state the request is in)."""
    require_action(clinic=supplier_request.clinic, by=by, action=Action.EDIT_ASSESSMENTS)
    current = SupplierRequest.objects.select_for_update().get(pk=supplier_request.pk)
    if current.revoked_at is None:
        current.revoked_at = timezone.now()
        current.revoked_by = by
        save_audited(current, by=by, reason="Link withdrawn", conflict="Try again.")
        record(current, RequestEvent.Kind.REVOKED, user=by)
    return current
