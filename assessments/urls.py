from django.urls import path

from assessments.views import (
    evidence,
    evidence_checks,
    listing,
    product_summary,
    reports,
    review,
    supplier_request,
    trail,
)
from assessments.wizard import views as wizard

app_name = "assessments"
urlpatterns = [
    path("", listing.assessment_list, name="list"),
    path("<int:pk>/", listing.assessment_detail, name="detail"),
    path("<int:pk>/trail/", trail.assessment_trail, name="trail"),
    # The questionnaire (drafts), evidence files and the request to the supplier.
    path("new/", wizard.start, name="start"),
    path("<int:pk>/resume/", wizard.resume, name="resume"),
    path("<int:pk>/step/<int:step>/", wizard.step, name="step"),
    path("<int:pk>/step/<int:step>/preview/", wizard.preview, name="preview"),
    path("<int:pk>/evidence/<int:item_pk>/", evidence.download, name="evidence_download"),
    path("<int:pk>/evidence/<int:item_pk>/withdraw/", evidence.withdraw, name="evidence_withdraw"),
    path("<int:pk>/evidence/<int:item_pk>/facts/", evidence.record_facts, name="evidence_facts"),
    path("<int:pk>/ask-supplier/", supplier_request.ask_supplier, name="ask_supplier"),
    # Review, sign-off and reports (practice managers; PDFs for every member).
    path("review/", review.review_queue, name="review_queue"),
    path("<int:pk>/review/", review.review_detail, name="review"),
    path("<int:pk>/return/", review.return_assessment, name="return"),
    path("<int:pk>/sign-off/", review.sign_off_assessment, name="sign_off"),
    path(
        "<int:pk>/review/documents/<int:item_pk>/check/",
        evidence_checks.check_document,
        name="evidence_check",
    ),
    path(
        "<int:pk>/review/documents/<int:item_pk>/clear-check/",
        evidence_checks.clear_document_check,
        name="evidence_clear_check",
    ),
    path("<int:pk>/new-version/", review.new_version, name="new_version"),
    path("<int:pk>/report/preview.pdf", reports.report_preview, name="report_preview"),
    path("<int:pk>/report.pdf", reports.report_download, name="report_download"),
    path("products/<int:pk>/summary/", product_summary.product_summary, name="product_summary"),
]
