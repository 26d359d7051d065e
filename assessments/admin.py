"""Assessments in the admin: a look at the records, never a way around the workflow.

An assessment and its evidence change only through the services, which check the role and
the clinic, keep a record's product, supplier and evidence in one clinic, refuse changes
once it is submitted, and audit each change with its reason. So the admin shows them and
their history read-only, at every status: no add, change or delete (single or bulk). A
staff admin once could move a draft into another clinic, or add evidence without a file to
an assessment waiting for review, from here. The models refuse changes to a finalised
record (assessments/immutability.py) whatever the admin allows.
"""

from django.contrib import admin

from assessments.models import Assessment, EvidenceItem
from clinics.admin_history import AuditedAdmin


class ViewOnly:
    """Shown, never added, changed or deleted from the admin (the services do that)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EvidenceItemInline(ViewOnly, admin.StackedInline):
    # Stacked: a read-only tabular inline is a wide table in a scrolling box with nothing in
    # it to focus, which a keyboard user cannot scroll (axe: scrollable-region-focusable).
    model = EvidenceItem
    extra = 0
    fields = [
        "evidence_type",
        "provided",
        "lab",
        "lot",
        "issued_on",
        "expires_on",
        "result",
        "sha256",
    ]
    show_change_link = True


@admin.register(Assessment)
class AssessmentAdmin(ViewOnly, AuditedAdmin):
    list_display = ["__str__", "clinic", "status", "verdict", "jurisdiction", "updated_at"]
    list_filter = ["clinic", "status", "verdict", "jurisdiction"]
    search_fields = ["product__name", "product__supplier__legal_name", "batch_lot"]
    inlines = [EvidenceItemInline]


@admin.register(EvidenceItem)
class EvidenceItemAdmin(ViewOnly, AuditedAdmin):
    list_display = ["evidence_type", "assessment", "provided", "result", "expires_on", "clinic"]
    list_filter = ["clinic", "evidence_type", "result", "provided"]
    search_fields = ["lab", "lot", "sha256", "original_filename"]
