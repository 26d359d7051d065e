"""One permission error for every app's services (clinics/errors.py), one role check
(clinics.services.require_action), and views that still show the refusal's message."""

import ast

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

import assessments.errors
import clinics.services
from clinics.errors import MembershipError, NotAllowed
from clinics.policy import Action
from clinics.services import require_action
from tests.paths import REPO_ROOT
from tests.reporting import make_assessment

APPS = ("assessments", "clinics", "core", "exports", "notifications", "products", "suppliers")


def test_not_allowed_is_defined_once_and_shared():
    defined = [
        str(path.relative_to(REPO_ROOT))
        for app in APPS
        for path in (REPO_ROOT / app).rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.ClassDef) and node.name == "NotAllowed"
    ]
    assert defined == ["clinics/errors.py"]
    assert assessments.errors.NotAllowed is NotAllowed is clinics.services.NotAllowed
    assert "NotAllowed" in assessments.errors.__all__


def test_not_allowed_is_a_403_if_no_view_catches_it():
    error = NotAllowed()
    assert isinstance(error, PermissionDenied)
    assert not isinstance(error, MembershipError | assessments.errors.AssessmentError)
    assert str(error) == "Your role in this clinic does not allow this."


@pytest.mark.django_db
def test_require_action_returns_the_membership_or_refuses(
    clinic, manager, clinician, other_manager
):
    assert require_action(clinic=clinic, by=manager, action=Action.EXPORT).user == manager
    with pytest.raises(NotAllowed, match="Managers only"):
        require_action(clinic=clinic, by=clinician, action=Action.EXPORT, refusal="Managers only")
    with pytest.raises(NotAllowed):
        require_action(clinic=clinic, by=other_manager, action=Action.VIEW)


@pytest.mark.django_db
def test_review_views_show_a_services_refusal(
    manager_client, clinic, plant_product, clinician, evidence_types, monkeypatch
):
    submitted = make_assessment(clinic=clinic, product=plant_product, user=clinician)

    def refuse(**kwargs):
        raise NotAllowed("Your role no longer allows reviewing.")

    monkeypatch.setattr("assessments.views.review.return_to_clinician", refuse)

    response = manager_client.post(
        reverse("assessments:return", args=[submitted.pk]), {"comment": "Fix it"}, follow=True
    )

    assert response.status_code == 200
    assert "Your role no longer allows reviewing." in response.content.decode()
