"""The README's curl example, request for request: create a token (the token page) →
create a draft → upload a certificate of analysis → fetch the findings."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from api.models import ApiAuditEvent
from assessments.models import Assessment
from tests.api.support import ApiClient
from tests.wizard_support import pdf_bytes

pytestmark = pytest.mark.django_db


def test_readme_flow(clinician_client, plant_product):
    # 1. Account menu → API tokens → Create token (shown once).
    page = clinician_client.get(reverse("api_tokens"))
    expires = page.context["form"]["expires_on"].value()
    created = clinician_client.post(
        reverse("api_tokens"), {"name": "Stock system", "scope": "write", "expires_on": expires}
    ).context["created"]
    api = ApiClient(created.plain)

    # 2. curl -X POST /api/v1/assessments -d '{"product_id": …, "answers": {…}}'
    draft = api.post(
        "/api/v1/assessments",
        {
            "product_id": plant_product.pk,
            "answers": {"batch_lot": "A123", "route": "topical-intact-skin"},
        },
    )
    assert draft.status_code == 201, draft.content
    assessment_id = draft.json()["id"]
    assert draft.json()["status"] == "draft" and draft.json()["batch_lot"] == "A123"

    # 3. curl -F evidence_type=certificate-of-analysis -F lot=A123 -F result=pass -F file=@coa.pdf
    response = api.post(
        f"/api/v1/assessments/{assessment_id}/evidence",
        {
            "evidence_type": "certificate-of-analysis",
            "lot": "A123",
            "issued_on": "2026-01-10",
            "result": "pass",
            "file": SimpleUploadedFile("coa.pdf", pdf_bytes(), "application/pdf"),
        },
        multipart=True,
    )
    assert response.status_code == 201, response.content
    assert len(response.json()["sha256"]) == 64

    # 4. curl /api/v1/assessments/{id} → verdict, findings, evidence metadata
    record = api.get(f"/api/v1/assessments/{assessment_id}").json()
    coa = [e for e in record["evidence"] if e["type"] == "certificate-of-analysis"]
    assert coa and coa[0]["filename"] == "coa.pdf" and coa[0]["lot"] == "A123"
    assessment = Assessment.objects.get(pk=assessment_id)
    assert record["verdict"] == assessment.verdict
    assert record["findings"] == assessment.findings
    assert {"rule", "severity", "title"} <= set(record["findings"][0])
    # Every write is audited with the token's name, in the API log and in the history.
    actions = set(ApiAuditEvent.objects.values_list("action", "token_name"))
    assert {("assessment.create", "Stock system"), ("evidence.upload", "Stock system")} <= actions
    reasons = assessment.history.values_list("history_change_reason", flat=True)
    assert any(reason and "API token “Stock system”" in reason for reason in reasons)
