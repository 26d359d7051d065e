import pytest

from clinics.models import ClinicStamp
from tests.factories import ProductFactory


@pytest.fixture
def stamp(clinic) -> str:
    """The clinic's stamp, after a first write gave it one (clinics/kept.py)."""
    ProductFactory(clinic=clinic)
    return ClinicStamp.objects.get(clinic_id=clinic.pk).stamp
