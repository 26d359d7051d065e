"""Fixtures shared by the export tests (pages and services)."""

import pytest

from tests.reporting import make_finalised

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def immediate_tasks(settings):
    """Background jobs run at once, in the test, by django-tasks' own immediate backend."""
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture
def finalised_reports(clinic, plant_product, clinician, manager, evidence_types):
    """build(count): that many finalised assessments of the clinic, each with a stored report."""

    def build(count, **kwargs):
        return [
            make_finalised(
                clinic=clinic,
                product=plant_product,
                user=clinician,
                manager=manager,
                batch_lot=f"LOT-{index:03d}",
                evidence=[],
                **kwargs,
            )
            for index in range(count)
        ]

    return build
