"""The email that carries a request's link to the supplier's contact.

It is sent once the transaction that made the request commits (a rolled-back request sends
nothing). The link exists only in this email: ExoCheck keeps its hash, never the link, so if
the email is lost the clinic withdraws the request and sends a new one.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from portal.asks import asked_documents, question_text

if TYPE_CHECKING:
    from portal.models import SupplierRequest

logger = logging.getLogger("exocheck.notifications")


def subject(supplier_request: SupplierRequest) -> str:
    return f"{supplier_request.clinic.name} asks for information about your products"


def body(supplier_request: SupplierRequest, *, link: str) -> str:
    """Who asks and why, the link and its expiry, and exactly what is asked."""
    sender = supplier_request.requested_by
    asker = sender.get_full_name() or sender.get_username()
    supplier = supplier_request.supplier
    expires = timezone.localtime(supplier_request.expires_at)
    lines = [
        f"Dear {supplier.contact_name or supplier.legal_name},",
        "",
        f"{asker} at {supplier_request.clinic.name} is completing the clinic's due diligence "
        "on the products below before using them, and asks you for the answers and "
        "documents listed.",
    ]
    if supplier_request.reason.strip():
        lines += ["", f"Why we ask: {supplier_request.reason.strip()}"]
    lines += [
        "",
        "Please answer and upload the documents through this secure link (no account is "
        f"needed; you can save and come back to it until {expires:%-d %B %Y, %H:%M}):",
        link,
    ]
    for item in supplier_request.items.select_related("assessment__product"):
        lines += ["", _product_line(item)]
        lines += [f"  - {question_text(key)}" for key in item.questions]
        for document in asked_documents(item):
            standard = f" ({document.standard})" if document.standard else ""
            lines.append(f"  - {document.name}{standard}, {document.level}: {document.ask}.")
    lines += [
        "",
        "The link is for you alone: please do not forward it. If you did not expect this "
        f"email, contact {supplier_request.clinic.name} directly.",
        "",
        "Kind regards,",
        asker,
        supplier_request.clinic.name,
        f"Our reference: {supplier_request.reference}",
    ]
    return "\n".join(lines) + "\n"


def _product_line(item) -> str:
    assessment = item.assessment
    lot = f", lot {assessment.batch_lot}" if assessment.batch_lot else ""
    return f"{assessment.product.name}{lot}:"


def send(*, request_id: int, to: str, subject_line: str, message: str) -> None:
    """Runs after the commit: a failure is logged, never raised."""
    try:
        send_mail(
            subject=subject_line,
            message=message,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[to],
        )
    except Exception:
        logger.exception("Supplier request email for request %s could not be sent", request_id)
