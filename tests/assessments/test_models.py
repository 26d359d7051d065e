import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from assessments.models import Assessment, EvidenceItem
from clinics.models import Membership, Role
from products.models import ExosomeProduct, SourceCategory, split_inci, split_lines
from suppliers.models import Supplier

pytestmark = pytest.mark.django_db


def test_str_methods_read_naturally(clinic, clinician, supplier, plant_product):
    assessment = Assessment.objects.create(
        clinic=clinic, product=plant_product, created_by=clinician, batch_lot="A123"
    )
    assert str(clinic) == "Harley Skin Clinic"
    assert str(supplier) == "Verdant Botanics Ltd"
    assert str(plant_product) == "Green Tea Exosome Serum (Verdant)"
    assert "lot A123" in str(assessment) and "draft" in str(assessment)
    assert "Clinician" in str(Membership.objects.get(user=clinician))
    assert assessment.document_id.startswith("EXO-")


def test_supplier_legal_name_is_unique_per_clinic_ignoring_case(clinic, other_clinic, supplier):
    Supplier.objects.create(clinic=other_clinic, legal_name="Verdant Botanics Ltd")
    with pytest.raises(IntegrityError), transaction.atomic():
        Supplier.objects.create(clinic=clinic, legal_name="VERDANT botanics ltd")


def test_one_membership_per_user_and_clinic(clinic, clinician):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=clinician, clinic=clinic, role=Role.PRACTICE_MANAGER)


def test_product_supplier_must_belong_to_the_same_clinic(clinic, other_supplier):
    product = ExosomeProduct(clinic=clinic, supplier=other_supplier, name="Mismatch")
    with pytest.raises(ValidationError) as error:
        product.full_clean()
    assert "supplier" in error.value.message_dict


def test_referenced_reference_rows_cannot_be_deleted(plant_product):
    with pytest.raises(ProtectedError):
        SourceCategory.objects.get(slug="plant").delete()


def test_evidence_cannot_expire_before_it_was_issued(
    clinic, clinician, plant_product, evidence_types
):
    assessment = Assessment.objects.create(
        clinic=clinic, product=plant_product, created_by=clinician
    )
    item = EvidenceItem(
        clinic=clinic,
        assessment=assessment,
        evidence_type=evidence_types["sterility"],
        uploaded_by=clinician,
        issued_on="2026-05-01",
        expires_on="2026-01-01",
    )
    with pytest.raises(ValidationError):
        item.full_clean()


def test_a_submitted_assessment_needs_a_submission_time(clinic, clinician, plant_product):
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.create(
            clinic=clinic, product=plant_product, created_by=clinician, status="submitted"
        )


def test_for_clinic_querysets_only_return_that_clinics_rows(
    clinic, other_clinic, supplier, other_supplier, plant_product, other_product
):
    assert list(Supplier.objects.for_clinic(clinic)) == [supplier]
    assert list(ExosomeProduct.objects.for_clinic(other_clinic)) == [other_product]
    assert not Assessment.objects.for_clinic(clinic).exists()
    assert not EvidenceItem.objects.for_clinic(clinic).exists()
    assert Membership.objects.for_clinic(clinic).count() == 0


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Aqua, Glycerin", ["Aqua", "Glycerin"]),
        ("Aqua\nGlycerin\n\n", ["Aqua", "Glycerin"]),
        ("1,2-Hexanediol, Aqua", ["1,2-Hexanediol", "Aqua"]),
        ("", []),
    ],
)
def test_split_inci(text, expected):
    assert split_inci(text) == expected


def test_split_lines_keeps_commas_inside_a_claim():
    assert split_lines("Brightens, firms skin\nHydrates") == ["Brightens, firms skin", "Hydrates"]
