"""The Django admin, where reference data is kept, is for staff admins only: every other
persona (clinic roles included) is sent to the admin's own log-in page."""

import pytest

from tests.clinics.role_matrix_support import PERSONAS

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "/admin/",
    "/admin/products/sourcecategory/",
    "/admin/products/evidencetype/",
]
# The personas of tests/clinics/test_role_matrix.py, as the clients of tests/conftest.py.
CLIENTS = {
    "anonymous": "client",
    "clinician": "clinician_client",
    "manager": "manager_client",
    "clinic_admin": "clinic_admin_client",
    "staff": "staff_client",
}


@pytest.mark.parametrize("path", ADMIN_PAGES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_reference_data_admin_is_for_staff_only(request, persona, path):
    response = request.getfixturevalue(CLIENTS[persona]).get(path)
    if persona == "staff":
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
