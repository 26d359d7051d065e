"""Query ceilings for every questionnaire page, so an N+1 shows up as a failing test.

Each ceiling is the count measured when written plus a little room; the session, user and
membership lookups of every request (3 queries) are included.
"""

import pytest
from django.urls import reverse

from assessments.forms.start import new_start_token
from assessments.services import mark_not_provided, record_evidence
from assessments.uploads import check_upload
from tests.wizard_support import (
    answer_cells,
    answer_source,
    evidence_data,
    pdf_bytes,
    start,
    start_url,
    step1_data,
    step_url,
    upload,
)

pytestmark = pytest.mark.django_db

# Each +1: the navbar's counts (notifications/context_processors.py), one query per page.
GET_CEILINGS = {1: 11, 2: 10, 3: 10, 4: 13, 5: 14}


@pytest.fixture
def draft(clinician_client, clinician, plant_product):
    return start(clinician_client, clinician, plant_product)


@pytest.fixture
def crowded_draft(draft, clinician, evidence_types):
    """A draft with a document on file for most of its checklist, and a few records of absence."""
    for slug in ["certificate-of-analysis", "gmp-certificate", "origin-declaration", "cpsr"]:
        for _ in range(2):
            record_evidence(
                assessment=draft,
                by=clinician,
                evidence_type=evidence_types[slug],
                upload=check_upload(upload("doc.pdf", pdf_bytes())),
            )
    for slug in ["stability", "ev-markers"]:
        mark_not_provided(assessment=draft, by=clinician, evidence_type=evidence_types[slug])
    draft.refresh_from_db()
    return draft


def test_start_page_get(clinician_client, django_assert_max_num_queries, plant_product):
    # +1: the navbar's counts, one query (notifications/context_processors.py).
    with django_assert_max_num_queries(10):
        assert clinician_client.get(start_url()).status_code == 200


def test_start_page_post(clinician_client, clinician, plant_product, django_assert_max_num_queries):
    data = {"token": new_start_token(clinician), "product": plant_product.pk}

    with django_assert_max_num_queries(48):
        assert clinician_client.post(start_url(), data).status_code == 302


@pytest.mark.parametrize("step", [1, 2, 3, 4, 5])
def test_step_get(clinician_client, draft, step, django_assert_max_num_queries):
    with django_assert_max_num_queries(GET_CEILINGS[step]):
        assert clinician_client.get(step_url(draft, step)).status_code == 200


@pytest.mark.parametrize("step", [4, 5])
def test_step_get_does_not_grow_with_documents(
    clinician_client, crowded_draft, step, django_assert_max_num_queries
):
    with django_assert_max_num_queries(GET_CEILINGS[step]):
        assert clinician_client.get(step_url(crowded_draft, step)).status_code == 200


def test_step_one_post(clinician_client, draft, django_assert_max_num_queries):
    with django_assert_max_num_queries(34):
        assert clinician_client.post(step_url(draft, 1), step1_data(draft)).status_code == 302


def test_step_two_post(clinician_client, draft, django_assert_max_num_queries):
    with django_assert_max_num_queries(32):
        assert answer_source(clinician_client, draft, "plant").status_code == 302


def test_step_three_post(clinician_client, draft, django_assert_max_num_queries):
    with django_assert_max_num_queries(32):
        assert answer_cells(clinician_client, draft, "cell-free").status_code == 302


def test_step_four_post_without_documents(clinician_client, draft, django_assert_max_num_queries):
    with django_assert_max_num_queries(32):
        response = clinician_client.post(step_url(draft, 4), {"action": "continue"})
    assert response.status_code == 302


def test_step_four_post_with_an_upload(clinician_client, draft, django_assert_max_num_queries):
    data = {
        "action": "continue",
        **evidence_data("certificate-of-analysis", file=upload("c.pdf", pdf_bytes())),
    }

    with django_assert_max_num_queries(62):
        assert clinician_client.post(step_url(draft, 4), data).status_code == 302


def test_step_four_post_with_a_crowded_draft(
    clinician_client, crowded_draft, django_assert_max_num_queries
):
    data = {"action": "save", **{f"ev-{s}-not_provided": "on" for s in ["stability", "ev-markers"]}}

    with django_assert_max_num_queries(34):
        assert clinician_client.post(step_url(crowded_draft, 4), data).status_code == 302


def test_step_five_submit(clinician_client, draft, django_assert_max_num_queries):
    clinician_client.post(step_url(draft, 1), step1_data(draft))

    with django_assert_max_num_queries(30):
        response = clinician_client.post(step_url(draft, 5), {"action": "submit"})
    assert response.status_code == 302


def test_live_preview(clinician_client, draft, django_assert_max_num_queries):
    url = reverse("assessments:preview", args=[draft.pk, 2])

    with django_assert_max_num_queries(9):
        assert clinician_client.post(url, {"source_category": ""}).status_code == 200


def test_detail_page(clinician_client, crowded_draft, django_assert_max_num_queries):
    # About a dozen are the audit history's (its rows and the names its diffs show).
    # +1: the navbar's counts, one query (notifications/context_processors.py).
    with django_assert_max_num_queries(25):
        assert clinician_client.get(crowded_draft.get_absolute_url()).status_code == 200


def test_ask_the_supplier(clinician_client, crowded_draft, django_assert_max_num_queries):
    url = reverse("assessments:ask_supplier", args=[crowded_draft.pk])

    # +1: the navbar's counts, one query (notifications/context_processors.py).
    with django_assert_max_num_queries(11):
        assert clinician_client.get(url).status_code == 200
