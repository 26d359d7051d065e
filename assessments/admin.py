"""Assessments in the admin: a look at the records, never a way around the workflow.

Workflow, signature and report fields change only through the services (submit, return,
sign-off), so they are read-only here always. A finalised assessment and its evidence are
the signed record: entirely read-only, with no delete (single or bulk) anywhere in the
admin. Evidence files arrive only through the checked upload, so the admin never replaces
a file, and never adds evidence to a finalised assessment. The models refuse the same
changes (assessments/immutability.py) whatever the admin allows.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied

from assessments.models import Assessment, EvidenceItem
from clinics.admin_history import AuditedAdmin

# Set only by the services: submit, return, sign-off and the stored report.
WORKFLOW_FIELDS = [
    "status",
    "submitted_by",
    "submitted_at",
    "signed_by",
    "signed_name",
    "signed_role",
    "signature_meaning",
    "sign_off_statement",
    "finalised_at",
    "report_pdf",
    "report_sha256",
    # What the record says as signed (assessments/signed_record.py): shown, never edited.
    "signed_record",
]


def _without_bulk_delete(actions: dict) -> dict:
    actions.pop("delete_selected", None)
    return actions


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

    # `obj` is the assessment the inline is shown on.
    def has_add_permission(self, request, obj=None):
        if obj is not None and obj.is_finalised:
            return False
        return super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_finalised:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_finalised:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Assessment)
class AssessmentAdmin(AuditedAdmin):
    list_display = ["__str__", "clinic", "status", "verdict", "jurisdiction", "updated_at"]
    list_filter = ["clinic", "status", "verdict", "jurisdiction"]
    search_fields = ["product__name", "product__supplier__legal_name", "batch_lot"]
    readonly_fields = [
        "public_id",
        *WORKFLOW_FIELDS,
        "ruleset_version",
        "verdict",
        "findings",
        "evaluated_at",
        "created_at",
        "updated_at",
    ]
    raw_id_fields = ["product", "previous_version", "created_by"]
    inlines = [EvidenceItemInline]

    def has_change_permission(self, request, obj=None):
        # A finalised record is immutable everywhere, the admin included.
        if obj is not None and obj.is_finalised:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_finalised:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        # A selection may hold finalised records: no bulk delete at all.
        return _without_bulk_delete(super().get_actions(request))

    def delete_queryset(self, request, queryset):
        if queryset.finalised().exists():
            raise PermissionDenied("Finalised assessments cannot be deleted.")
        super().delete_queryset(request, queryset)


@admin.register(EvidenceItem)
class EvidenceItemAdmin(AuditedAdmin):
    list_display = ["evidence_type", "assessment", "provided", "result", "expires_on", "clinic"]
    list_filter = ["clinic", "evidence_type", "result", "provided"]
    search_fields = ["lab", "lot", "sha256", "original_filename"]
    raw_id_fields = ["assessment", "uploaded_by"]
    # The file and what was recorded from it come only from the checked upload.
    readonly_fields = ["file", "sha256", "size_bytes", "content_type", "original_filename"]
    # Which record a document belongs to, and who uploaded it, never change afterwards.
    readonly_on_change = ["clinic", "assessment", "uploaded_by", "created_at"]

    @staticmethod
    def _of_finalised(obj) -> bool:
        return obj is not None and obj.assessment.is_finalised

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields + self.readonly_on_change if obj is not None else fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assessment":
            # Nothing is ever added to a finalised assessment.
            kwargs["queryset"] = Assessment.objects.exclude(status=Assessment.Status.FINALISED)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        if self._of_finalised(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if self._of_finalised(obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        return _without_bulk_delete(super().get_actions(request))

    def delete_queryset(self, request, queryset):
        if queryset.filter(assessment__status=Assessment.Status.FINALISED).exists():
            raise PermissionDenied("Evidence of a finalised assessment cannot be deleted.")
        super().delete_queryset(request, queryset)
