"""The supplier portal's part of the assessment page, registered here so that assessments
never imports portal: `{% load portal_tags %}{% supplier_requests assessment %}`."""

from django import template

from clinics.kept import changes_at
from portal.models import SupplierDocument, SupplierRequest

register = template.Library()


@register.inclusion_tag("portal/_assessment_panel.html", takes_context=True)
def supplier_requests(context, assessment):
    requests = (
        SupplierRequest.objects.for_clinic(assessment.clinic_id)
        .filter(items__assessment=assessment)
        .select_related("requested_by")
        .distinct()
    )
    # The documents the supplier put on this assessment through a link: the assessment's
    # evidence is filed under the clinician who asked, so this says who really provided it.
    provided = list(
        SupplierDocument.objects.for_clinic(assessment.clinic_id)
        .filter(item__assessment=assessment, evidence_item__isnull=False)
        .select_related("item__request", "item__assessment", "evidence_type", "confirmed_by")
    )
    requests = list(requests)
    for supplier_request in requests:
        if supplier_request.is_open:
            # "Waiting for the supplier" turns into "Expired" by the clock alone: a kept page
            # (the assessment's) is kept only until then.
            changes_at(supplier_request.expires_at)
    return {
        "assessment": assessment,
        "requests": requests,
        "provided": provided,
        "waiting": sum(1 for document in provided if document.confirmed_at is None),
        "perms_for": context.get("perms_for", {}),
    }
