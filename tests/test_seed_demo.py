import pytest
from django.core.management import call_command

from clinics.models import Clinic, Membership, Role
from products.models import ExosomeProduct

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_prints_credentials(capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    output = capsys.readouterr().out
    assert Clinic.objects.filter(slug="demo-clinic").count() == 1
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {Role.CLINICIAN, Role.PRACTICE_MANAGER, Role.CLINIC_ADMIN}
    assert ExosomeProduct.objects.count() == 4
    assert "password: exocheck-demo-2026" in output
    assert "clinician" in output and "manager" in output
    sources = set(ExosomeProduct.objects.values_list("source_category__slug", flat=True))
    assert {"plant", "human-msc-adipose", "animal"} <= sources
