"""The drafting and document services ask the policy themselves (Action.EDIT_ASSESSMENTS
through clinics.services.require_action), so no caller — a view, the API, the portal's
hand-over or a script — can write to a draft the wizard would refuse: not another clinic's
member, not a deactivated account."""

import pytest

from assessments.models import Assessment, EvidenceItem
from assessments.services import (
    mark_not_provided,
    save_answers,
    start_assessment,
    submit_assessment,
    withdraw_evidence,
)
from clinics.errors import NotAllowed
from products.models import EvidenceType
from tests.factories import AssessmentFactory, EvidenceItemFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(clinic, clinician):
    return AssessmentFactory(clinic=clinic, created_by=clinician)


def test_a_member_of_another_clinic_cannot_start_an_assessment(clinic, other_clinician):
    product = ProductFactory(clinic=clinic)
    with pytest.raises(NotAllowed):
        start_assessment(clinic=clinic, by=other_clinician, product=product)
    assert not Assessment.objects.filter(product=product).exists()


def test_a_member_of_another_clinic_cannot_write_to_a_draft(draft, other_clinician):
    with pytest.raises(NotAllowed):
        save_answers(assessment=draft, by=other_clinician, answers={"batch_lot": "X1"}, resume_at=2)
    with pytest.raises(NotAllowed):
        submit_assessment(assessment=draft, by=other_clinician)
    coa = EvidenceType.objects.get(slug="certificate-of-analysis")
    with pytest.raises(NotAllowed):
        mark_not_provided(assessment=draft, by=other_clinician, evidence_type=coa)
    draft.refresh_from_db()
    assert draft.batch_lot != "X1"
    assert draft.status == Assessment.Status.DRAFT


def test_a_deactivated_clinician_cannot_withdraw_evidence(draft, clinician):
    item = EvidenceItemFactory(assessment=draft)
    clinician.is_active = False
    clinician.save(update_fields=["is_active"])
    with pytest.raises(NotAllowed):
        withdraw_evidence(assessment=draft, by=clinician, item=item)
    assert EvidenceItem.objects.filter(pk=item.pk).exists()


def test_the_clinics_own_clinician_may_write(draft, clinician):
    saved = save_answers(assessment=draft, by=clinician, answers={"batch_lot": "X1"}, resume_at=2)
    assert saved.batch_lot == "X1"
