"""PDF reports: a watermarked preview of anything not yet signed, rendered per request, and
the stored report of a finalised assessment, returned byte for byte after checking its hash."""

import logging

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from assessments.errors import ReportRenderFailed
from assessments.models import Assessment
from assessments.reports.context import REPORT_TEMPLATE, load_for_report, report_context
from assessments.reports.pdf import render_pdf
from assessments.reports.storage import StoredReportCorrupt, read_verified_report
from clinics.decorators import clinic_member_required
from core.downloads import attachment

integrity_log = logging.getLogger("exocheck.integrity")


def pdf_response(data: bytes, filename: str) -> HttpResponse:
    return attachment(data, filename=filename, content_type="application/pdf")


def _for_clinic(request, pk) -> Assessment:
    try:
        return load_for_report(pk, clinic=request.clinic)
    except Assessment.DoesNotExist:
        raise Http404 from None


@clinic_member_required
def report_preview(request, pk):
    assessment = _for_clinic(request, pk)
    if assessment.is_finalised:
        return redirect("assessments:report_download", pk=assessment.pk)
    # Printed in the PDF: the configured address, never the request's Host header.
    context = report_context(assessment, site_url=settings.SITE_URL)
    try:
        pdf = render_pdf(REPORT_TEMPLATE, context)
    except ReportRenderFailed as error:
        # Too large for the render limits (or refused): say so on the assessment, never a 500.
        messages.error(request, str(error))
        return redirect(assessment.get_absolute_url())
    return pdf_response(pdf, f"{assessment.document_id}-DRAFT.pdf")


# The download needs only these columns; the report's big join would cost more than the
# file read and hash together.
DOWNLOAD_FIELDS = ("pk", "clinic_id", "version", "status", "report_pdf", "report_sha256")


@clinic_member_required
def report_download(request, pk):
    assessment = get_object_or_404(
        Assessment.objects.for_clinic(request.clinic).only(*DOWNLOAD_FIELDS), pk=pk
    )
    if not assessment.is_finalised:
        raise Http404("Only a finalised assessment has a stored report.")
    try:
        data = read_verified_report(assessment)
    except StoredReportCorrupt as error:
        integrity_log.error(
            "Refused to serve report %s (assessment %s) to %r: %s",
            assessment.document_id,
            assessment.pk,
            request.user.get_username(),
            error,
        )
        return render(
            request,
            "assessments/review/report_integrity_error.html",
            {"assessment": assessment},
            status=500,
        )
    return pdf_response(data, f"{assessment.document_id}.pdf")
