"""The tenancy matrix: every API endpoint × every role × two clinics, 0 leaks.

Each clinic has a supplier, a product, a draft and a signed assessment named after it. A
token sees its own clinic's records (with its role's rights there) and never the other's:
the other clinic's ids are 404s (or a 422 naming the field, for an id in a body), and no
response anywhere carries the other clinic's names or document ids.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.models import Assessment
from clinics.models import Clinic, Role
from products.models import ExosomeProduct
from suppliers.models import Supplier
from tests.api.support import api_as
from tests.factories import make_user
from tests.reporting import make_assessment, make_finalised
from tests.wizard_support import pdf_bytes

pytestmark = pytest.mark.django_db

ROLES = [Role.CLINICIAN, Role.PRACTICE_MANAGER, Role.CLINIC_ADMIN]


def _records(clinic, label, user):
    supplier = Supplier.objects.create(clinic=clinic, legal_name=f"{label} Supplier Ltd")
    product = ExosomeProduct.objects.create(clinic=clinic, supplier=supplier, name=f"{label} Serum")
    draft = make_assessment(
        clinic=clinic, product=product, user=user, status=Assessment.Status.DRAFT
    )
    signed = make_finalised(clinic=clinic, product=product, user=user, manager=user)
    return {"supplier": supplier, "product": product, "draft": draft, "signed": signed}


@pytest.fixture
def world(db):
    clinics = {
        "home": Clinic.objects.create(name="Home Clinic", slug="home"),
        "away": Clinic.objects.create(name="Away Clinic", slug="away"),
    }
    owner = {k: make_user(f"owner-{k}", c, Role.CLINICIAN) for k, c in clinics.items()}
    records = {k: _records(c, f"Sentinel{k.title()}", owner[k]) for k, c in clinics.items()}
    return clinics, records


def _calls(r):
    """(name, method, path, body) of every endpoint, aimed at the records `r`."""
    coa = {
        "evidence_type": "certificate-of-analysis",
        "file": SimpleUploadedFile("coa.pdf", pdf_bytes(), "application/pdf"),
    }
    ids = {k: v.pk for k, v in r.items()}
    return [
        ("suppliers list", "get", "/api/v1/suppliers", None),
        ("supplier", "get", f"/api/v1/suppliers/{ids['supplier']}", None),
        ("supplier create", "post", "/api/v1/suppliers", {"legal_name": "New Supplier"}),
        ("supplier update", "patch", f"/api/v1/suppliers/{ids['supplier']}", {"notes": "n"}),
        ("products list", "get", "/api/v1/products", None),
        ("product", "get", f"/api/v1/products/{ids['product']}", None),
        ("product create", "post", "/api/v1/products",
         {"supplier_id": ids["supplier"], "name": "New"}),
        ("product update", "patch", f"/api/v1/products/{ids['product']}", {"brand": "B"}),
        ("assessments list", "get", "/api/v1/assessments", None),
        ("assessment", "get", f"/api/v1/assessments/{ids['draft']}", None),
        ("assessment create", "post", "/api/v1/assessments", {"product_id": ids["product"]}),
        ("assessment update", "patch", f"/api/v1/assessments/{ids['draft']}",
         {"batch_lot": "L9"}),
        ("evidence upload", "multipart", f"/api/v1/assessments/{ids['draft']}/evidence", coa),
        ("submit", "post", f"/api/v1/assessments/{ids['draft']}/submit", None),
        ("report", "get", f"/api/v1/assessments/{ids['signed']}/report", None),
        ("register", "get", "/api/v1/register", None),
        ("evaluate", "post", "/api/v1/evaluate", {"source_category": "plant"}),
        ("reference", "get", "/api/v1/reference", None),
    ]  # fmt: skip


def _send(api, method, path, body):
    if method == "get":
        return api.get(path)
    if method == "multipart":
        return api.post(path, body, multipart=True)
    return getattr(api, method)(path, body)


def _leaks(response, away) -> list[str]:
    text = response.content.decode("latin-1")
    secrets = ["SentinelAway", away["signed"].document_id, away["draft"].document_id]
    return [s for s in secrets if s in text]


@pytest.mark.parametrize("role", ROLES)
def test_every_endpoint_sees_only_the_tokens_clinic(world, role):
    clinics, records = world
    user = make_user(f"user-{role}", clinics["home"], role)
    api = api_as(user, clinics["home"])
    problems = []
    for target in ("home", "away"):
        for name, method, path, body in _calls(records[target]):
            response = _send(api, method, path, body)
            leaked = _leaks(response, records["away"])
            if leaked:
                problems.append(f"{name} → {target}: leaks {leaked}")
            status = response.status_code
            if target == "home" and status not in (200, 201, 409):
                problems.append(f"{name} own clinic: {status} {response.content[:200]}")
            object_endpoint = any(str(v.pk) in path for v in records[target].values())
            if target == "away" and object_endpoint and status != 404:
                problems.append(f"{name} other clinic: {status}, not 404")
            creates = ("product create", "assessment create")
            if target == "away" and name in creates and status != 422:
                problems.append(f"{name} with the other clinic's id: {status}")
    assert problems == []


def test_a_member_of_two_clinics_sees_only_the_tokens_clinic(world):
    clinics, records = world
    user = make_user("both", clinics["home"], Role.CLINICIAN)
    user.memberships.create(clinic=clinics["away"], role=Role.PRACTICE_MANAGER)
    api = api_as(user, clinics["home"])
    for name, method, path, body in _calls(records["home"]):
        response = _send(api, method, path, body)
        assert not _leaks(response, records["away"]), name
    assert api.get(f"/api/v1/suppliers/{records['away']['supplier'].pk}").status_code == 404


def test_a_read_token_is_refused_every_write_whatever_the_role(world):
    clinics, records = world
    user = make_user("admin-read", clinics["home"], Role.CLINIC_ADMIN)
    api = api_as(user, clinics["home"], scope="read")
    for name, method, path, body in _calls(records["home"]):
        if method == "get" or name == "evaluate":
            continue
        assert _send(api, method, path, body).status_code == 403, name
