"""Fixtures shared by the immutability tests."""

import pytest

from assessments.models import Assessment
from tests.assessments.immutability.support import (  # noqa: F401
    admin_request,
    admin_url,
    on_postgresql,
    refused,
    stored,
    stored_evidence,
)
from tests.reporting import make_assessment, make_finalised


@pytest.fixture
def finalised(clinic, plant_product, clinician, manager, evidence_types):
    return make_finalised(clinic=clinic, product=plant_product, user=clinician, manager=manager)


@pytest.fixture
def draft(clinic, plant_product, clinician, evidence_types):
    return make_assessment(
        clinic=clinic, product=plant_product, user=clinician, status=Assessment.Status.DRAFT
    )
