"""What the supplier portal's tests share: a draft to ask about, a request sent through the
clinic's page (and its link read from the email), and the supplier's forms as posted."""

import re
from datetime import date, timedelta

from django.urls import reverse

from assessments.models import Assessment
from portal.models import RequestedAssessment, SupplierRequest
from tests.factories import AssessmentFactory, evaluated
from tests.wizard_support import pdf_bytes, upload

NEXT_YEAR = date.today() + timedelta(days=365)
LINK = re.compile(r"https?://[^\s]+/supplier/([A-Za-z0-9_-]+)/")
GMP = "gmp-certificate"
COA = "certificate-of-analysis"


def draft(product, user, *, unanswered: bool = True, **fields) -> Assessment:
    """A draft of `product` by `user`; `unanswered` leaves Q1-Q3 for the supplier."""
    if unanswered:
        fields = {
            "source_category": None,
            "source_answer": "",
            "cell_status": None,
            "cell_status_answer": "",
            "testing_answer": "",
            **fields,
        }
    assessment = AssessmentFactory(product=product, created_by=user, **fields)
    return evaluated(assessment)


def request_from_assessment(client, assessment, mailoutbox, callbacks, **data):
    """Send a request from the assessment's page; (request, token from the email)."""
    before = len(mailoutbox)
    form = {"email": "sales@verdant.example", "reason": "", "valid_days": "14", **data}
    with callbacks(execute=True):
        response = client.post(reverse("portal:new_for_assessment", args=[assessment.pk]), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert len(mailoutbox) == before + 1
    return SupplierRequest.objects.latest("pk"), token_in(mailoutbox[-1].body)


def token_in(body: str) -> str:
    found = LINK.search(body)
    assert found, body
    return found.group(1)


def page_url(token: str) -> str:
    return reverse("portal:supplier", args=[token])


def item_of(supplier_request, assessment) -> RequestedAssessment:
    return supplier_request.items.get(assessment=assessment)


def upload_url(token, item, slug) -> str:
    return reverse("portal:supplier_upload", args=[token, item.pk, slug])


def upload_data(item, slug, file=None, **facts) -> dict:
    """The upload form of `slug` on `item`'s section, as the supplier fills it in."""
    prefix = f"u{item.pk}-{slug}"
    values = {
        "issued_on": date.today().isoformat(),
        "expires_on": NEXT_YEAR.isoformat(),
        "lab": "Eurofins Lab Ltd",
        "lot": item.assessment.batch_lot,
        "result": "pass",
        **facts,
    }
    data = {f"{prefix}-{name}": value for name, value in values.items()}
    data[f"{prefix}-file"] = file if file is not None else upload(f"{slug}.pdf", pdf_bytes())
    return data


def answers_data(item, action="save", **answers) -> dict:
    prefix = f"a{item.pk}"
    values = {
        "source_choice": "plant",
        "source_text": "Vesicles from Camellia sinensis leaf cell culture; nothing human.",
        "cell_status_choice": "cell-free",
        "cell_status_text": "Cell-free, isolated by tangential flow filtration.",
        "testing_text": "Sterility (Ph. Eur. 2.6.1), NTA, endotoxin on every lot.",
        **answers,
    }
    data = {f"{prefix}-{name}": value for name, value in values.items()}
    data["action"] = action
    return data


def declaration_data(**overrides) -> dict:
    return {
        "confirm": "on",
        "name": "Dana Supplier",
        "role": "Quality manager",
        "company": "Verdant Botanics Ltd",
        **overrides,
    }


def submit_all(client, token, supplier_request, callbacks=None, **overrides):
    """Answer every item and submit with the declaration."""
    data = declaration_data(**overrides)
    for item in supplier_request.items.all():
        data.update(answers_data(item, action="submit"))
    url = reverse("portal:supplier_answers", args=[token])
    if callbacks is None:
        return client.post(url, data)
    with callbacks(execute=True):
        return client.post(url, data)


def matrix_request(objects, *, with_token: bool = False):
    """For the role matrix: a request about `objects.assessment` (tests/clinics/
    test_role_matrix.py world), with one supplier document attached to `objects.evidence`
    and the supplier's answers; its token when `with_token`."""
    from portal.models import SupplierAnswer, SupplierDocument
    from portal.tokens import new_token

    token, digest = new_token()
    supplier_request = SupplierRequest.objects.create(
        clinic=objects.clinic,
        supplier=objects.supplier,
        token_hash=digest,
        email="supplier@x.invalid",
        requested_by=objects.assessment.created_by,
        expires_at=SupplierRequest.expiry_after(14),
    )
    item = RequestedAssessment.objects.create(
        clinic=objects.clinic,
        request=supplier_request,
        assessment=objects.assessment,
        questions=["testing"],
        documents=[{"slug": COA, "level": "required", "ask": "please send a copy"}],
    )
    SupplierAnswer.objects.create(clinic=objects.clinic, item=item, testing_text="Tested.")
    evidence = objects.evidence
    SupplierDocument.objects.create(
        clinic=objects.clinic,
        item=item,
        evidence_type=evidence.evidence_type,
        file=evidence.file.name,
        original_filename=evidence.original_filename,
        content_type=evidence.content_type,
        sha256=evidence.sha256,
        evidence_item=evidence,
    )
    objects.supplier_request = supplier_request
    return token if with_token else supplier_request


def matrix_library_document(objects):
    """For the role matrix: a document on file for `objects.supplier`, used on the request
    of `matrix_request` (its file is the world's evidence file)."""
    from portal.models import LibraryDocument

    supplier_request = matrix_request(objects)
    evidence = objects.evidence
    document = LibraryDocument.objects.create(
        clinic=objects.clinic,
        supplier=objects.supplier,
        evidence_type=evidence.evidence_type,
        file=evidence.file.name,
        original_filename=evidence.original_filename,
        content_type=evidence.content_type,
        sha256=evidence.sha256,
    )
    supplier_request.items.get().docs.update(library=document)
    return document
