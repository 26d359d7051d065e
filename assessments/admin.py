from django.contrib import admin

from assessments.models import Assessment, EvidenceItem
from clinics.admin_history import AuditedAdmin


class EvidenceItemInline(admin.TabularInline):
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
    readonly_fields = ["sha256"]
    show_change_link = True


@admin.register(Assessment)
class AssessmentAdmin(AuditedAdmin):
    list_display = ["__str__", "clinic", "status", "verdict", "jurisdiction", "updated_at"]
    list_filter = ["clinic", "status", "verdict", "jurisdiction"]
    search_fields = ["product__name", "product__supplier__legal_name", "batch_lot"]
    readonly_fields = [
        "public_id",
        "ruleset_version",
        "verdict",
        "findings",
        "evaluated_at",
        "created_at",
        "updated_at",
        "report_sha256",
    ]
    raw_id_fields = ["product", "previous_version", "created_by", "submitted_by", "signed_by"]
    inlines = [EvidenceItemInline]

    def has_change_permission(self, request, obj=None):
        # A finalised record is immutable everywhere, the admin included.
        if obj is not None and obj.is_finalised:
            return False
        return super().has_change_permission(request, obj)


@admin.register(EvidenceItem)
class EvidenceItemAdmin(AuditedAdmin):
    list_display = ["evidence_type", "assessment", "provided", "result", "expires_on", "clinic"]
    list_filter = ["clinic", "evidence_type", "result", "provided"]
    search_fields = ["lab", "lot", "sha256", "original_filename"]
    raw_id_fields = ["assessment", "uploaded_by"]
    readonly_fields = ["sha256", "size_bytes", "content_type", "original_filename", "created_at"]
