"""Files: upload a document to a draft (the web's upload checks, assessments/uploads.py),
and download a finalised assessment's signed report, checked against its stored SHA-256."""

import logging
from datetime import date

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import File, Form, Path, Router, Status, UploadedFile
from pydantic import Field

from api.auth import write_auth
from api.common import NO_NUL, audited, by_slug, may
from api.endpoints.errors import READ_ERRORS, WRITE_ERRORS
from api.problems import problem
from api.schemas import EvidenceUploaded, In
from assessments.models import Assessment, EvidenceItem
from assessments.reports.storage import StoredReportCorrupt, read_verified_report
from assessments.services import record_evidence
from assessments.uploads import check_upload
from clinics.policy import Action
from core.downloads import attachment
from products.models import EvidenceType

router = Router(tags=["evidence and reports"])
Id = Path(..., ge=1, le=2**53)
integrity_log = logging.getLogger("exocheck.integrity")
PDF_RESPONSE = {
    "responses": {
        "200": {
            "description": "The signed PDF, byte for byte as signed.",
            "headers": {
                "X-Content-SHA256": {
                    "description": "SHA-256 of the body, as recorded at sign-off.",
                    "schema": {"type": "string"},
                }
            },
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


class EvidenceForm(In):
    evidence_type: str = Field(max_length=60, pattern=NO_NUL, description="Evidence type slug")
    lab: str = Field("", max_length=200, pattern=NO_NUL)
    lot: str = Field("", max_length=80, pattern=NO_NUL)
    issued_on: date | None = None
    expires_on: date | None = None
    result: str = Field("not-stated", max_length=12, pattern=NO_NUL)


@router.post(
    "/assessments/{pk}/evidence",
    auth=write_auth,
    response={201: EvidenceUploaded, **WRITE_ERRORS},
)
@audited("evidence.upload")
def post_evidence(request, form: Form[EvidenceForm], file: File[UploadedFile], pk: int = Id):
    """Upload one document (PDF, PNG or JPEG) with what it says, to a draft. The same checks
    as the web: size, content sniffed, PDF without active content, images re-encoded."""
    may(request, Action.EDIT_ASSESSMENTS)
    assessment = get_object_or_404(Assessment.objects.for_clinic(request.clinic), pk=pk)
    evidence_type = by_slug(EvidenceType, form.evidence_type, "evidence_type")
    if form.result not in EvidenceItem.Result.values:
        allowed = ", ".join(EvidenceItem.Result.values)
        raise ValidationError({"result": f"Unknown value {form.result!r}; allowed: {allowed}."})
    try:
        upload = check_upload(file)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    item = record_evidence(
        assessment=assessment,
        by=request.user,
        evidence_type=evidence_type,
        upload=upload,
        **form.model_dump(exclude={"evidence_type"}),
    )
    assessment.refresh_from_db(fields=["verdict"])
    body = {
        "id": item.pk,
        "type": evidence_type.slug,
        "filename": item.original_filename,
        "content_type": item.content_type,
        "size_bytes": item.size_bytes,
        "sha256": item.sha256,
        "verdict": assessment.verdict,
    }
    return Status(201, body)


@router.get("/assessments/{pk}/report", response=READ_ERRORS, openapi_extra=PDF_RESPONSE)
def get_report(request, pk: int = Id):
    """The signed report of a finalised assessment, only if it still hashes to the SHA-256
    recorded at sign-off (as the web download checks); otherwise a 500 problem, logged."""
    may(request, Action.VIEW)
    fields = ("pk", "clinic_id", "version", "status", "report_pdf", "report_sha256")
    assessment = get_object_or_404(
        Assessment.objects.for_clinic(request.clinic).only(*fields), pk=pk
    )
    if not assessment.is_finalised:
        raise Http404("Only a finalised assessment has a signed report.")
    try:
        data = read_verified_report(assessment)
    except StoredReportCorrupt as error:
        integrity_log.error(
            "Refused to serve report %s (assessment %s) to token %s: %s",
            assessment.document_id,
            assessment.pk,
            request.auth.prefix,
            error,
        )
        detail = "The stored report no longer matches its signed hash; it was not sent."
        return problem(500, detail, slug="integrity")
    response = attachment(
        data, filename=f"{assessment.document_id}.pdf", content_type="application/pdf"
    )
    response["X-Content-SHA256"] = assessment.report_sha256
    return response
