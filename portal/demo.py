"""The demo's open supplier request, for `manage.py seed_demo` (after the assessments).

Only a link's hash is stored, so each run gives the open request a fresh link and prints it
(`make run` shows it with the demo credentials): open it in a private window, with no
account, to answer as the supplier.
"""

from django.conf import settings
from django.urls import reverse

from assessments.models import Assessment
from portal import tokens
from portal.models import SupplierRequest
from portal.services.requests import portal_settings, send_request

DEMO_PRODUCT = "Ginseng Renewal Ampoule"
DEMO_REASON = "We are adding this ampoule to our skin-booster menu and must check its source first."


def _link_for(token: str) -> str:
    base = settings.SITE_URL or "http://127.0.0.1:8000"
    return f"{base}{reverse('portal:supplier', args=[token])}"


def seed(demo: dict) -> None:
    clinic = demo.get("clinic")
    assessment = (
        Assessment.objects.for_clinic(clinic)
        .drafts()
        .filter(product__name=DEMO_PRODUCT)
        .select_related("product__supplier")
        .first()
    )
    if assessment is None:
        return
    existing = (
        SupplierRequest.objects.for_clinic(clinic).open().filter(items__assessment=assessment)
    ).first()
    if existing is None:
        supplier = assessment.product.supplier
        sent = send_request(
            clinic=clinic,
            by=demo["users"]["clinician"],
            supplier=supplier,
            assessments=[assessment],
            email=supplier.contact_email or "supplier@demo.invalid",
            reason=DEMO_REASON,
            link_for=_link_for,
        )
        supplier_request, link = sent.request, sent.link
    else:
        # The old link cannot be shown again (only its hash is kept): give it a new one.
        token, digest = tokens.new_token()
        days = portal_settings(clinic).link_valid_days
        SupplierRequest.objects.filter(pk=existing.pk).update(
            token_hash=digest, expires_at=SupplierRequest.expiry_after(days)
        )
        supplier_request, link = existing, _link_for(token)
    demo.setdefault("notes", []).append(
        f"  An open supplier request ({supplier_request.reference}, {DEMO_PRODUCT}): open this "
        f"link in a private window, with no account, to answer as the supplier:\n    {link}"
    )
