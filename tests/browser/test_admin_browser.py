"""Django admin in a real Chromium, as the staff admin uses it: the index, changelists with
their filters, a signed assessment (read-only), a reference-data form and a history page pass
axe (no serious or critical WCAG 2.2 AA violation) at 1280 and 390 px, with the app's small
admin stylesheet (static/css/admin-a11y.css)."""

import pytest
from django.utils import timezone

from assessments.models import Assessment
from tests.browser.support import axe_check, login
from tests.factories import AssessmentFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def admin_pages(clinic, clinician):
    signed = AssessmentFactory(clinic=clinic, created_by=clinician)
    Assessment.objects.filter(pk=signed.pk).update(
        status=Assessment.Status.SUBMITTED, submitted_at=timezone.now(), submitted_by=clinician
    )
    return [
        "/admin/",
        "/admin/assessments/assessment/",
        "/admin/assessments/assessment/?status__exact=submitted",
        f"/admin/assessments/assessment/{signed.pk}/change/",
        f"/admin/assessments/assessment/{signed.pk}/history/",
        "/admin/clinics/clinic/",
        f"/admin/clinics/clinic/{clinic.pk}/change/",
        f"/admin/clinics/user/{clinician.pk}/change/",
        "/admin/products/sourcecategory/",
        "/admin/products/evidencetype/",
    ]


def test_admin_pages_pass_axe_at_both_widths(axe_page, live_db, staff_user, admin_pages):
    page = axe_page
    login(page, staff_user.username)
    for viewport in ({"width": 1280, "height": 900}, PHONE):
        page.set_viewport_size(viewport)
        for url in admin_pages:
            response = page.goto(url)
            assert response.status == 200, url
            axe_check(page)
