"""Who may review and sign: clinicians never, managers of another clinic never (404), every
review action by POST with a CSRF token only."""

import pytest
from django.test import Client
from django.urls import reverse

from assessments.errors import (
    NotAllowed,
)
from assessments.models import Assessment
from tests.factories import log_in
from tests.reporting import sign, sign_off_data

pytestmark = pytest.mark.django_db


def test_clinician_cannot_sign_off(clinician_client, clinician, submitted):
    response = clinician_client.post(
        reverse("assessments:sign_off", args=[submitted.pk]), sign_off_data()
    )

    assert response.status_code == 403
    with pytest.raises(NotAllowed):
        sign(submitted, clinician)
    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.SUBMITTED


@pytest.mark.parametrize("name", ["review_queue", "review", "return", "sign_off"])
def test_clinician_gets_403_on_review_views(clinician_client, submitted, name):
    url = reverse(f"assessments:{name}", args=[] if name == "review_queue" else [submitted.pk])

    assert clinician_client.get(url).status_code == 403
    assert clinician_client.post(url, {"comment": "x"}).status_code == 403


@pytest.mark.parametrize("name", ["return", "sign_off", "new_version"])
def test_review_actions_are_post_only(manager_client, submitted, name):
    response = manager_client.get(reverse(f"assessments:{name}", args=[submitted.pk]))

    assert response.status_code == 405


def test_review_actions_need_a_csrf_token(manager, submitted):
    client = log_in(Client(enforce_csrf_checks=True), manager)

    response = client.post(reverse("assessments:sign_off", args=[submitted.pk]), sign_off_data())

    assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.SUBMITTED


@pytest.mark.parametrize(
    "name, method",
    [
        ("review", "get"),
        ("return", "post"),
        ("sign_off", "post"),
        ("new_version", "post"),
        ("report_preview", "get"),
        ("report_download", "get"),
    ],
)
def test_another_clinics_assessment_is_404(manager_client, other_submitted, name, method):
    url = reverse(f"assessments:{name}", args=[other_submitted.pk])

    response = getattr(manager_client, method)(url, sign_off_data(comment="x"))

    assert response.status_code == 404
    other_submitted.refresh_from_db()
    assert other_submitted.status == Assessment.Status.SUBMITTED
