"""Assessments every review and sign-off test starts from (a module may define its own)."""

import pytest

from tests.reporting import make_assessment


@pytest.fixture
def submitted(clinic, plant_product, clinician, evidence_types):
    """A plant serum with four documents, waiting for review (tests/reporting.py)."""
    return make_assessment(clinic=clinic, product=plant_product, user=clinician)


@pytest.fixture
def other_submitted(other_clinic, other_product, other_clinician, evidence_types):
    """The same, in the other clinic."""
    return make_assessment(clinic=other_clinic, product=other_product, user=other_clinician)
