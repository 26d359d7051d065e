"""The dashboard's after-sign-off counts, so assessments never imports lifecycle."""

from django import template
from django.utils import timezone

from lifecycle.register import counts

register = template.Library()


@register.inclusion_tag("lifecycle/_dashboard_counts.html", takes_context=True)
def lifecycle_counts(context):
    clinic = getattr(context.get("request"), "clinic", None)
    if clinic is None:
        return {"counts": None}
    return {"counts": counts(clinic, today=timezone.localdate())}
