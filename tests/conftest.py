"""Personas for ExoCheck tests: two clinics, one user per role, and clients logged in as each."""

import gc

import pytest
from django.test import Client, override_settings

from assessments.reference import sync_reference_data
from clinics.models import Clinic, Role, User
from products.models import CellStatus, EvidenceType, ExosomeProduct, Route, SourceCategory
from suppliers.models import Supplier
from tests.factories import PASSWORD, enrol_totp, log_in, make_user


def pytest_collection_finish(session):
    """Keep the garbage collector off what lives for the whole run.

    After collection the process holds Django, every app, the test modules and hypothesis
    (a quarter of a million objects), and the heap grows to twice that. Python's full
    collection walks all of it, and WeasyPrint's renders and the ORM allocate fast enough to
    trigger one every few seconds: about 16 s of each worker's 140 s went to collecting.
    Frozen objects are never walked again, and a larger first threshold collects less often.
    Test code still runs with collection on; only its timing changes (docs/performance.md)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 100)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    # Uploads and stored reports go to a per-test folder, never the developer's media/.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def restored_reference_data(transactional_db):
    """For tests that commit (transaction=True): an earlier transactional test's flush emptied
    the reference data, so create it again from the rules' vocabulary, as every migrate does.
    Not serialized rollback: reloading the serialized copy clashes with the content types a
    flush's post-migrate signal created again under new ids (a UNIQUE failure at set-up,
    depending on which tests ran before on the same worker)."""
    sync_reference_data()


@pytest.fixture(scope="module")
def module_media(tmp_path_factory):
    """One media folder for a module whose data is made once (tests/module_db_support.py);
    such a module overrides `_media_root` to keep it for each of its tests."""
    media = tmp_path_factory.mktemp("module-media")
    with override_settings(MEDIA_ROOT=media):
        yield media


@pytest.fixture
def clinic(db):
    return Clinic.objects.create(name="Harley Skin Clinic", slug="harley-skin")


@pytest.fixture
def other_clinic(db):
    return Clinic.objects.create(name="Other Clinic", slug="other-clinic")


@pytest.fixture
def clinician(clinic):
    return make_user("clinician", clinic, Role.CLINICIAN)


# Practice managers and clinic admins must use two-factor authentication (clinics/policy.py):
# these personas have a confirmed authenticator app, and their clients have passed the code
# step. tests/factories.py code_for(user) gives a code their app shows now.
@pytest.fixture
def manager(clinic):
    user = make_user("manager", clinic, Role.PRACTICE_MANAGER)
    enrol_totp(user)
    return user


@pytest.fixture
def clinic_admin(clinic):
    user = make_user("clinicadmin", clinic, Role.CLINIC_ADMIN)
    enrol_totp(user)
    return user


@pytest.fixture
def other_clinician(other_clinic):
    return make_user("otherclinician", other_clinic, Role.CLINICIAN)


@pytest.fixture
def other_manager(other_clinic):
    user = make_user("othermanager", other_clinic, Role.PRACTICE_MANAGER)
    enrol_totp(user)
    return user


@pytest.fixture
def staff_user(db):
    return User.objects.create_user(
        username="staff", password=PASSWORD, is_staff=True, is_superuser=True
    )


def _client_for(user) -> Client:
    return log_in(Client(), user)


@pytest.fixture
def clinician_client(clinician):
    return _client_for(clinician)


@pytest.fixture
def manager_client(manager):
    return _client_for(manager)


@pytest.fixture
def clinic_admin_client(clinic_admin):
    return _client_for(clinic_admin)


@pytest.fixture
def other_clinician_client(other_clinician):
    return _client_for(other_clinician)


@pytest.fixture
def staff_client(staff_user):
    return _client_for(staff_user)


@pytest.fixture
def supplier(clinic):
    return Supplier.objects.create(clinic=clinic, legal_name="Verdant Botanics Ltd")


@pytest.fixture
def other_supplier(other_clinic):
    return Supplier.objects.create(clinic=other_clinic, legal_name="Sentinel Other Supplier Ltd")


def ref(model, slug):
    return model.objects.get(slug=slug)


@pytest.fixture
def plant_product(clinic, supplier):
    product = ExosomeProduct.objects.create(
        clinic=clinic,
        supplier=supplier,
        name="Green Tea Exosome Serum",
        brand="Verdant",
        marketed_as="cosmetic",
        source_category=ref(SourceCategory, "plant"),
        cell_status=ref(CellStatus, "cell-free"),
        inci="Aqua, Camellia Sinensis Leaf Extract",
        claims="Brightens skin",
    )
    product.intended_routes.set([ref(Route, "topical-intact-skin")])
    return product


@pytest.fixture
def human_product(clinic, supplier):
    return ExosomeProduct.objects.create(
        clinic=clinic,
        supplier=supplier,
        name="ASCE Booster",
        marketed_as="cosmetic",
        source_category=ref(SourceCategory, "human-msc-adipose"),
        cell_status=ref(CellStatus, "post-culture-processed"),
    )


@pytest.fixture
def other_product(other_clinic, other_supplier):
    return ExosomeProduct.objects.create(
        clinic=other_clinic,
        supplier=other_supplier,
        name="Sentinel Other Product",
        source_category=ref(SourceCategory, "plant"),
    )


@pytest.fixture
def evidence_types(db):
    return {et.slug: et for et in EvidenceType.objects.all()}
