"""The supplier portal's part of the assessment page, registered here so that assessments
never imports portal: `{% load portal_tags %}{% supplier_requests assessment %}`."""

from django import template

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
    waiting = SupplierDocument.objects.filter(
        item__assessment=assessment, evidence_item__isnull=False, confirmed_at__isnull=True
    ).count()
    return {
        "assessment": assessment,
        "requests": list(requests),
        "waiting": waiting,
        "perms_for": context.get("perms_for", {}),
    }
