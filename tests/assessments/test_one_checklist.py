"""One truth for the record: the findings, the PDF's "What is missing", the supplier request,
the wizard, the review page and the register export all name the same documents, in the
names of the clinic's jurisdiction (docs/domain.md §4)."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.checklist import checklist_for
from assessments.evaluation import assessment_date, evaluate_assessment, refresh_findings
from assessments.models import Assessment, EvidenceItem
from assessments.reports.context import report_context
from assessments.rules import (
    CELL_STATUSES,
    EVIDENCE_CATALOGUE,
    MARKETED_AS,
    RESULTS,
    ROUTES,
    SOURCE_CATEGORY_ORIGINS,
    catalogue_for,
)
from assessments.supplier_request import build_supplier_request
from exports.register import HEADERS, register_queryset, register_rows
from products.models import CellStatus, EvidenceType, Route, SourceCategory

pytestmark = pytest.mark.django_db

TODAY = date.today()
DATES = st.sampled_from(
    [
        None,
        TODAY - timedelta(days=400),
        TODAY - timedelta(days=1),
        TODAY,
        TODAY + timedelta(days=30),
    ]
)
documents = st.lists(
    st.fixed_dictionaries(
        {
            "slug": st.sampled_from(sorted(EVIDENCE_CATALOGUE)),
            "provided": st.booleans(),
            "lot": st.sampled_from(["L1", " l1 ", "L2", ""]),
            "issued": DATES,
            "expires": DATES,
            "result": st.sampled_from(RESULTS),
        }
    ),
    max_size=8,
)
answers = st.fixed_dictionaries(
    {
        "source": st.sampled_from([None, *SOURCE_CATEGORY_ORIGINS]),
        "cell_status": st.sampled_from([None, *CELL_STATUSES]),
        "route": st.sampled_from([None, *ROUTES]),
        "marketed_as": st.sampled_from(MARKETED_AS),
        "jurisdiction": st.sampled_from(["UK", "EU", "US"]),
        "lot": st.sampled_from(["L1", ""]),
    }
)


def build(product, user, answers, docs) -> Assessment:
    assessment = Assessment.objects.create(
        clinic=product.clinic,
        product=product,
        created_by=user,
        jurisdiction=answers["jurisdiction"],
        batch_lot=answers["lot"],
        marketed_as=answers["marketed_as"],
        source_category=SourceCategory.objects.filter(slug=answers["source"]).first(),
        cell_status=CellStatus.objects.filter(slug=answers["cell_status"]).first(),
        route=Route.objects.filter(slug=answers["route"]).first(),
    )
    types = {t.slug: t for t in EvidenceType.objects.all()}
    for doc in docs:
        issued, expires = doc["issued"], doc["expires"]
        if issued and expires and expires < issued:
            issued, expires = expires, issued
        EvidenceItem.objects.create(
            clinic=product.clinic,
            assessment=assessment,
            evidence_type=types[doc["slug"]],
            provided=doc["provided"],
            lot=doc["lot"],
            issued_on=issued if doc["provided"] else None,
            expires_on=expires if doc["provided"] else None,
            result=doc["result"] if doc["provided"] else "not-stated",
            uploaded_by=user,
        )
    refresh_findings(assessment)
    assessment.save()
    return assessment


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(answers=answers, docs=documents)
def test_pdf_missing_list_supplier_request_and_findings_name_the_same_documents(
    plant_product, clinician, answers, docs
):
    assessment = build(plant_product, clinician, answers, docs)

    result = evaluate_assessment(assessment, as_of=assessment_date(assessment))
    in_findings = {f.document for f in result.findings if "-EVID-" in f.rule_id}
    in_pdf = {item["slug"] for item in report_context(assessment)["missing"] if "slug" in item}
    request = build_supplier_request(assessment, sender=clinician)
    in_request = {row.slug for row in request.documents}
    checklist = checklist_for(assessment)

    assert in_findings == in_pdf == in_request == {row.slug for row in checklist.gaps}
    # The stored findings are the same evaluation, so the stored verdict agrees too.
    assert assessment.verdict == result.verdict.value
    # Every document is named as in the assessment's jurisdiction, wherever it appears.
    names = catalogue_for(assessment.jurisdiction)
    for item in report_context(assessment)["missing"]:
        if "slug" in item:
            assert item["name"] == names[item["slug"]].name
    # "Acceptable" only when nothing at all is missing.
    if assessment.verdict == "acceptable":
        assert not checklist.gaps and not checklist.answers
    assert_summary_adds_up(checklist)


def assert_summary_adds_up(checklist):
    """The summary line's counts agree with each other: no count exceeds the total it sits
    beside (it once read "0 of 9 required documents on file; 11 missing")."""
    line = checklist.summary_line
    on_file, total = map(int, re.match(r"(\d+) of (\d+) required documents on file", line).groups())
    others = re.search(r"of the others, ([^;]+)", line)
    not_counted = sum(map(int, re.findall(r"(\d+) [a-z]", others.group(1)))) if others else 0
    assert on_file + not_counted == total, line
    recommended = re.search(r"(\d+) of (\d+) recommended on file", line)
    if recommended:
        assert int(recommended.group(1)) <= int(recommended.group(2)), line


def test_every_blank_upload_never_makes_a_product_acceptable(plant_product, clinician):
    answers = {
        "source": "plant",
        "cell_status": "cell-free",
        "route": "topical-intact-skin",
        "marketed_as": "cosmetic",
        "jurisdiction": "UK",
        "lot": "L1",
    }
    blank = [
        {"slug": slug, "provided": True, "lot": "L1", "issued": None, "expires": None}
        | {"result": "not-stated"}
        for slug in EVIDENCE_CATALOGUE
    ]

    assessment = build(plant_product, clinician, answers, blank)

    assert assessment.verdict == "insufficient-information"
    rules = {finding["rule"] for finding in assessment.findings}
    assert "UK-EVID-UNVERIFIED" in rules
    assert all(row.status == "unverified" for row in checklist_for(assessment).documents)


def test_a_failed_document_that_is_not_needed_is_still_listed(plant_product, clinician):
    answers = {
        "source": "plant",
        "cell_status": "cell-free",
        "route": "topical-intact-skin",
        "marketed_as": "cosmetic",
        "jurisdiction": "UK",
        "lot": "L1",
    }
    failed = {"slug": "mycoplasma", "provided": True, "lot": "L1", "result": "fail"}
    assessment = build(
        plant_product, clinician, answers, [failed | {"issued": TODAY, "expires": None}]
    )

    (row,) = [row for row in checklist_for(assessment).gaps if row.slug == "mycoplasma"]
    assert (row.level, row.status) == ("additional", "failed")
    assert assessment.verdict == "not-permitted"


def test_the_register_export_lists_what_is_missing_as_the_pdf_does(
    plant_product, clinician, clinic
):
    answers = {
        "source": "plant",
        "cell_status": "cell-free",
        "route": "topical-intact-skin",
        "marketed_as": "cosmetic",
        "jurisdiction": "US",
        "lot": "L1",
    }
    assessment = build(plant_product, clinician, answers, [])

    (row,) = list(register_rows(register_queryset(clinic, {})))
    cell = row[HEADERS.index("What is missing")]

    for item in report_context(assessment)["missing"]:
        assert item["name"] in cell
    assert "FDA registration and listing" in cell
    assert "SCPN" not in cell


US_ANSWERS = {
    "source": "plant",
    "cell_status": "cell-free",
    "route": "topical-intact-skin",
    "marketed_as": "cosmetic",
    "jurisdiction": "US",
    "lot": "L1",
}


def test_a_us_clinic_sees_only_us_document_names(
    plant_product, clinician, clinician_client, manager_client
):
    assessment = build(plant_product, clinician, US_ANSWERS, [])
    wizard = clinician_client.get(reverse("assessments:step", args=[assessment.pk, 4]))
    detail = clinician_client.get(assessment.get_absolute_url())
    pdf_missing = " ".join(item["name"] for item in report_context(assessment)["missing"])

    for page in (wizard.content.decode(), detail.content.decode(), pdf_missing):
        assert "FDA registration and listing" in page
        assert "Safety substantiation record" in page
        assert "SCPN" not in page
        assert "UK Cosmetics Reg" not in page

    Assessment.objects.filter(pk=assessment.pk).update(
        status=Assessment.Status.SUBMITTED, submitted_by=clinician, submitted_at=timezone.now()
    )
    review = manager_client.get(reverse("assessments:review", args=[assessment.pk]))
    assert "FDA registration and listing" in review.content.decode()
    assert "SCPN" not in review.content.decode()
