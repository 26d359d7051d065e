"""Requests refused before any endpoint runs are problem details too, never an HTML page or a
500: a body over the size limit (413), a method the path does not offer (405, with `Allow`),
a NUL in the path or query string (400, core/input_guard.py), a body that is not JSON or not
a readable form (400). None is logged as a server error; none is an audited write."""

import json
import logging

import pytest
from django.conf import settings
from django.test import Client

from api.models import ApiAuditEvent
from suppliers.models import Supplier
from tests.api.support import api_as, assert_problem, token_for

pytestmark = pytest.mark.django_db

TYPE = "urn:exocheck:problem:"


def assert_refusal(response, status: int, slug: str, title: str) -> dict:
    """A problem+json with `status`, its documented type and title, and a detail."""
    body = assert_problem(response, status)
    assert response["Content-Type"] == "application/problem+json"
    assert body["type"] == TYPE + slug and body["title"] == title and body["status"] == status
    assert body["detail"]
    return body


def too_large(response) -> str:
    """The detail of a 413 problem."""
    return assert_refusal(response, 413, "too-large", "Request too large")["detail"]


@pytest.fixture
def server_errors(caplog):
    """The records logged at ERROR or above during the test (there should be none)."""
    caplog.set_level(logging.WARNING)
    yield lambda: [record for record in caplog.records if record.levelno >= logging.ERROR]


# 1. A body over DATA_UPLOAD_MAX_MEMORY_SIZE ------------------------------------------------


def test_a_json_body_over_the_limit_is_413_and_no_server_error(clinician, clinic, server_errors):
    api = api_as(clinician, clinic)
    notes = "n" * (3 * 1024 * 1024)
    response = api.post("/api/v1/suppliers", {"legal_name": "Big Ltd", "notes": notes})
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert f"at most {limit:,} bytes" in too_large(response)
    assert server_errors() == []
    assert not Supplier.objects.exists()
    assert not ApiAuditEvent.objects.filter(action="supplier.create").exists()


def test_a_form_field_over_the_limit_is_413(clinician, clinic, server_errors, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    api = api_as(clinician, clinic)
    response = api.post(
        "/api/v1/assessments/1/evidence", {"evidence_type": "x", "lab": "L" * 2000}, multipart=True
    )
    assert "at most 1,000 bytes" in too_large(response)
    assert server_errors() == []


def test_too_many_form_fields_is_413(clinician, clinic, server_errors, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    api = api_as(clinician, clinic)
    fields = {f"f{n}": "x" for n in range(10)}
    response = api.post("/api/v1/assessments/1/evidence", fields, multipart=True)
    assert "at most 5 fields" in too_large(response)
    assert server_errors() == []


def test_a_body_within_the_limit_is_still_read(clinician, clinic):
    api = api_as(clinician, clinic)
    response = api.post("/api/v1/suppliers", {"legal_name": "Small Ltd", "notes": "n" * 10_000})
    assert response.status_code == 201


def test_without_a_token_a_large_body_is_401_unread(db, server_errors):
    response = Client().post(
        "/api/v1/suppliers", json.dumps({"notes": "n" * (3 * 1024 * 1024)}), "application/json"
    )
    assert_refusal(response, 401, "unauthenticated", "A valid API token is needed")
    assert server_errors() == []


# 2. A method the path does not offer --------------------------------------------------------


@pytest.mark.parametrize("method", ["put", "delete", "options", "trace"])
def test_a_method_the_path_does_not_offer_is_405_with_allow(
    clinician, clinic, supplier, method, server_errors
):
    api = api_as(clinician, clinic)
    response = getattr(api.client, method)(f"/api/v1/suppliers/{supplier.pk}", headers=api.headers)
    assert_refusal(response, 405, "method-not-allowed", "Method not allowed")
    assert response["Allow"] == "GET, HEAD, PATCH"
    assert server_errors() == []


def test_405_needs_no_token_and_names_only_what_the_path_offers(db):
    response = Client().put("/api/v1/evaluate")
    body = assert_refusal(response, 405, "method-not-allowed", "Method not allowed")
    assert response["Allow"] == "POST"
    assert "PUT" in body["detail"] and "POST" in body["detail"]
    report = Client().post("/api/v1/assessments/1/report")
    assert_refusal(report, 405, "method-not-allowed", "Method not allowed")
    assert report["Allow"] == "GET, HEAD"


def test_head_is_answered_as_get_without_a_body(clinician, clinic, supplier):
    api = api_as(clinician, clinic, scope="read")
    got = api.get(f"/api/v1/suppliers/{supplier.pk}")
    head = api.client.head(f"/api/v1/suppliers/{supplier.pk}", headers=api.headers)
    assert head.status_code == 200 and head.content == b""
    assert head["Content-Type"] == got["Content-Type"]
    assert head["Content-Length"] == str(len(got.content))
    # With no token, HEAD is refused as GET is (the problem's body is not sent).
    anonymous = Client().head(f"/api/v1/suppliers/{supplier.pk}")
    assert anonymous.status_code == 401
    assert anonymous["Content-Type"] == "application/problem+json"


def test_head_where_get_is_not_offered_is_405(db):
    response = Client().head("/api/v1/evaluate")
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert response["Content-Type"] == "application/problem+json"


def test_outside_the_api_a_405_is_left_to_django(clinician_client):
    # The token revocation page only accepts POST (require_POST): not an API answer.
    response = clinician_client.get("/accounts/api-tokens/1/revoke/")
    assert response.status_code == 405
    assert not response["Content-Type"].startswith("application/problem+json")


# 3. A NUL in the path or the query string (core/input_guard.py) ------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/suppliers?cursor=%00",
        "/api/v1/assessments?status=x&verdict=%00",
        "/api/v1/suppliers?q%00=x",
        "/api/v1/suppliers/%00",
        "/api/v1/schema/?x=%00",
    ],
)
def test_a_nul_under_the_api_is_a_400_problem(clinician, clinic, url, server_errors):
    api = api_as(clinician, clinic, scope="read")
    response = api.client.get(url, headers=api.headers)
    body = assert_refusal(response, 400, "bad-request", "Request not understood")
    assert "NUL" in body["detail"]
    assert server_errors() == []


def test_a_nul_is_refused_before_the_token_is_checked(db):
    response = Client().get("/api/v1/suppliers?cursor=%00")
    assert_refusal(response, 400, "bad-request", "Request not understood")


def test_a_nul_outside_the_api_is_still_the_400_page(clinician_client):
    response = clinician_client.get("/suppliers/?q=%00")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


# 4. A body that cannot be read -------------------------------------------------------------


@pytest.mark.parametrize("raw", ["{", '{"legal_name": "A"', "\xff", "[1, 2"])
def test_malformed_json_is_400_bad_request_and_not_audited(clinician, clinic, raw):
    response = api_as(clinician, clinic).post("/api/v1/suppliers", raw=raw)
    body = assert_refusal(response, 400, "bad-request", "Request not understood")
    assert "JSON" in body["detail"]
    assert not ApiAuditEvent.objects.filter(action="supplier.create").exists()


def test_a_malformed_multipart_body_is_400(clinician, clinic, server_errors):
    token = token_for(clinician, clinic)
    response = Client().generic(
        "POST",
        "/api/v1/assessments/1/evidence",
        b"--nope\r\nContent-Disposition: form-data\r\n\r\nx",
        content_type="multipart/form-data; boundary=",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert_refusal(response, 400, "bad-request", "Request not understood")
    assert server_errors() == []


def test_json_that_is_valid_but_wrong_is_still_422(clinician, clinic):
    response = api_as(clinician, clinic).post("/api/v1/suppliers", raw="[]")
    assert_refusal(response, 422, "invalid", "Invalid input")


def test_the_method_check_keeps_the_api_free_of_csrf(clinician, clinic):
    # A token, not a cookie, authenticates: the wrapped views stay csrf_exempt as ninja's are.
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/v1/suppliers",
        json.dumps({"legal_name": "Token Ltd"}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token_for(clinician, clinic)}"},
    )
    assert response.status_code == 201


@pytest.mark.parametrize("path", ["/api/v1/nope", "/api/v1/suppliers/1/nope", "/api/v2/suppliers"])
def test_an_unknown_api_address_is_a_problem_404(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert "/api/v1/docs/" in response.json()["detail"]
