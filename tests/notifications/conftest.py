"""Fixtures shared by the notifications tests."""

import pytest

from tests.factories import AssessmentFactory, ProductFactory
from tests.notifications.support import COMMENT, LIST_URL, member, recipients, signed_in  # noqa: F401


@pytest.fixture
def product(clinic):
    return ProductFactory(clinic=clinic)


@pytest.fixture
def submitted(product, clinician):
    return AssessmentFactory(product=product, created_by=clinician, submitted=True)


@pytest.fixture
def returned(product, clinician):
    """A draft a practice manager sent back (what return_to_clinician leaves behind)."""
    return AssessmentFactory(product=product, created_by=clinician, review_comment=COMMENT)
