"""The endpoints' behaviour beyond tenancy: filters and cursor pages, problem details that
name the field, the signed report's hash check, the register, submit."""

import hashlib

import pytest

from api.models import ApiAuditEvent
from assessments.models import Assessment
from suppliers.models import Supplier
from tests.api.support import api_as, assert_problem
from tests.reporting import make_assessment, make_finalised

pytestmark = pytest.mark.django_db


def test_suppliers_cursor_pages_never_repeat_or_skip(clinician, clinic):
    for n in range(7):
        Supplier.objects.create(clinic=clinic, legal_name=f"Supplier {n}")
    api = api_as(clinician, clinic, scope="read")
    seen, cursor = [], None
    while True:
        page = api.get("/api/v1/suppliers", {"limit": 3, **({"cursor": cursor} if cursor else {})})
        seen += [s["legal_name"] for s in page.json()["items"]]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == [f"Supplier {n}" for n in range(7)]
    assert api.get("/api/v1/suppliers", {"q": "Supplier 3"}).json()["items"][0]["legal_name"]
    assert_problem(api.get("/api/v1/suppliers", {"cursor": "bogus!"}), 422, "cursor")


def test_problem_details_name_the_failing_field(clinician, clinic, supplier):
    api = api_as(clinician, clinic)
    assert_problem(api.post("/api/v1/suppliers", {"legal_name": ""}), 422, "legal_name")
    body = assert_problem(api.post("/api/v1/suppliers", {"legal_name": supplier.legal_name}), 422)
    assert "already has a supplier" in body["detail"]
    assert_problem(api.post("/api/v1/suppliers", {"legal_name": "X", "colour": 1}), 422, "colour")
    product = {"supplier_id": supplier.pk, "name": "P", "source_category": "moon"}
    assert_problem(api.post("/api/v1/products", product), 422, "source_category")
    assert_problem(api.get("/api/v1/suppliers/999999"), 404)
    # A refusal by the service is audited; a body refused before any service ran is not.
    failed = ApiAuditEvent.objects.filter(action="supplier.create", status_code=422)
    assert failed.count() == 1 and failed.first().token_name == "Stock system"


def test_supplier_update_goes_through_the_service_and_is_audited(clinician, clinic, supplier):
    response = api_as(clinician, clinic).patch(
        f"/api/v1/suppliers/{supplier.pk}", {"country": "France"}
    )
    assert response.status_code == 200 and response.json()["country"] == "France"
    latest = supplier.history.latest()
    assert latest.history_user == clinician
    assert latest.history_change_reason.startswith("API token “Stock system”: Supplier updated")


def test_assessment_filters_and_submit(clinician, clinic, plant_product):
    draft = make_assessment(
        clinic=clinic, product=plant_product, user=clinician, status=Assessment.Status.DRAFT
    )
    api = api_as(clinician, clinic)
    listed = api.get("/api/v1/assessments", {"status": "draft"}).json()["items"]
    assert [a["id"] for a in listed] == [draft.pk]
    assert api.get("/api/v1/assessments", {"status": "finalised"}).json()["items"] == []
    assert api.get("/api/v1/assessments", {"verdict": draft.verdict}).json()["items"]
    assert_problem(api.get("/api/v1/assessments", {"created_from": "yesterday"}), 422)
    submitted = api.post(f"/api/v1/assessments/{draft.pk}/submit")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    body = assert_problem(api.patch(f"/api/v1/assessments/{draft.pk}", {"batch_lot": "Z"}), 409)
    assert "can no longer be changed" in body["detail"]


def test_signed_report_download_with_hash_and_refusal_when_altered(
    clinician, manager, clinic, plant_product
):
    signed = make_finalised(clinic=clinic, product=plant_product, user=clinician, manager=manager)
    api = api_as(clinician, clinic, scope="read")
    response = api.get(f"/api/v1/assessments/{signed.pk}/report")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["X-Content-SHA256"] == hashlib.sha256(response.content).hexdigest()
    assert response["X-Content-SHA256"] == signed.report_sha256
    record = api.get(f"/api/v1/assessments/{signed.pk}").json()
    assert record["findings"] == signed.signed_record["findings"] and record["has_signed_report"]
    with open(signed.report_pdf.path, "ab") as stored:
        stored.write(b"tampered")
    assert_problem(api.get(f"/api/v1/assessments/{signed.pk}/report"), 500)
    rows = api.get("/api/v1/register").json()["items"]
    assert rows[0]["signed_assessment_id"] == signed.pk


def test_schema_is_public_and_docs_need_a_session(client, clinician_client):
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200 and "/api/v1/evaluate" in schema.json()["paths"]
    assert client.get("/api/v1/docs/").status_code == 302
    docs = clinician_client.get("/api/v1/docs/")
    html = docs.content.decode()
    assert docs.status_code == 200 and "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert "unsafe-inline" not in docs["Content-Security-Policy"]
