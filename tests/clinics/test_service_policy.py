"""One permission check for every service (clinics.services.require_action): the role
matrix, the operator's actions and, for SECOND_FACTOR_ACTIONS, two-factor authentication
checked again below the view.

The rule for the second factor: a confirmed authenticator app always; and when the actor
comes from a request (django-otp's OTPMiddleware gave it `is_verified()`), a session that
entered a code from it. Outside a request there is no session, so the app is enough.
"""

import ast
import logging

import pytest
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.test import Client, RequestFactory

from clinics import services
from clinics.errors import NotAllowed, SecondFactorRequired
from clinics.middleware import CurrentClinicMiddleware
from clinics.middleware_mfa import OTPMiddleware
from clinics.models import Membership, Role
from clinics.policy import Action
from clinics.services import require_action
from tests.factories import make_user, verify_session
from tests.paths import REPO_ROOT

pytestmark = pytest.mark.django_db


def request_membership(user, *, verified: bool) -> Membership:
    """`user`'s `request.membership` as a view sees it: the session goes through the real
    authentication, django-otp and clinic middleware, with or without the code step done."""
    client = Client()
    client.force_login(user)
    if verified:
        verify_session(client, user)
    request = RequestFactory().get("/")
    request.session = client.session
    chain = AuthenticationMiddleware(OTPMiddleware(CurrentClinicMiddleware(lambda r: r)))
    return chain(request).membership


def change_clinician_to_manager(by, clinician) -> Membership:
    return services.change_role(
        by=by, membership=clinician.memberships.get(), role=Role.PRACTICE_MANAGER
    )


def test_a_members_service_refuses_an_admin_whose_session_skipped_the_code(
    clinic_admin, clinician, caplog
):
    by = request_membership(clinic_admin, verified=False).user

    refused = pytest.raises(SecondFactorRequired, match="without a code from your authenticator")
    with caplog.at_level(logging.WARNING, logger="exocheck.security"), refused:
        change_clinician_to_manager(by, clinician)

    assert clinician.memberships.get().role == Role.CLINICIAN
    assert "manage_members refused, session not verified with a code" in caplog.text


def test_a_members_service_accepts_an_admin_whose_session_entered_the_code(clinic_admin, clinician):
    by = request_membership(clinic_admin, verified=True).user

    change_clinician_to_manager(by, clinician)

    changed = clinician.memberships.get()
    assert changed.role == Role.PRACTICE_MANAGER
    assert changed.history.first().history_user == clinic_admin


def test_every_members_service_refuses_an_admin_without_an_authenticator_app(clinic, clinician):
    by = make_user("newadmin", clinic, Role.CLINIC_ADMIN)  # no app

    attempts = [
        lambda: change_clinician_to_manager(by, clinician),
        lambda: services.remove_member(by=by, membership=clinician.memberships.get()),
        lambda: services.invite_member(
            clinic=clinic, by=by, email="new@example.com", role=Role.CLINICIAN, build_link=str
        ),
    ]
    for attempt in attempts:
        with pytest.raises(SecondFactorRequired, match="Managing the clinic's members needs"):
            attempt()

    assert clinician.memberships.get().role == Role.CLINICIAN
    assert not services.Invitation.objects.exists()


def test_outside_a_request_the_confirmed_app_is_enough(clinic_admin, clinician):
    # The shell or a management command: no session to verify, the app is still required.
    assert not hasattr(clinic_admin, "is_verified")

    change_clinician_to_manager(clinic_admin, clinician)

    assert clinician.memberships.get().role == Role.PRACTICE_MANAGER


def test_the_role_is_refused_before_the_second_factor_is_asked_for(clinic, clinician, manager):
    # A manager with an app, in a verified session, is still not a clinic admin.
    by = request_membership(manager, verified=True).user
    with pytest.raises(NotAllowed, match="Only a clinic admin") as refused:
        change_clinician_to_manager(by, clinician)
    assert not isinstance(refused.value, SecondFactorRequired)


def test_sign_off_needs_a_verified_session_too(clinic, manager):
    unverified = request_membership(manager, verified=False).user
    verified = request_membership(manager, verified=True).user

    with pytest.raises(SecondFactorRequired):
        require_action(clinic=clinic, by=unverified, action=Action.SIGN_OFF)
    assert require_action(clinic=clinic, by=verified, action=Action.SIGN_OFF).user == manager
    # Actions without a second factor do not ask for one.
    assert require_action(clinic=clinic, by=unverified, action=Action.REVIEW).user == manager


def test_a_deactivated_account_is_refused_whatever_its_role(clinic, clinic_admin):
    clinic_admin.is_active = False
    clinic_admin.save()
    with pytest.raises(NotAllowed):
        require_action(clinic=clinic, by=clinic_admin, action=Action.VIEW)


def test_the_operator_may_erase_records_but_nothing_else_without_a_membership(clinic, staff_user):
    assert require_action(clinic=clinic, by=staff_user, action=Action.ERASE_RECORDS) is None
    for action in (Action.VIEW, Action.EXPORT, Action.MANAGE_MEMBERS, Action.SIGN_OFF):
        with pytest.raises(NotAllowed):
            require_action(clinic=clinic, by=staff_user, action=action)
    staff_user.is_superuser = False
    staff_user.save()
    with pytest.raises(NotAllowed):
        require_action(clinic=clinic, by=staff_user, action=Action.ERASE_RECORDS)


APPS = ("assessments", "clinics", "exports", "lifecycle", "notifications", "portal")
SERVICE_MODULES = [
    path
    for app in (*APPS, "products", "suppliers")
    for path in sorted((REPO_ROOT / app).rglob("*.py"))
    if path.relative_to(REPO_ROOT / app).parts[0] in ("services.py", "services")
]


def test_services_check_permissions_only_through_require_action():
    """No service imports the role matrix's `can` (or `operator_may`) to decide for itself:
    a second rule would drift from the first (the two-factor check is in require_action)."""
    hand_rolled = []
    for path in SERVICE_MODULES:
        relative = str(path.relative_to(REPO_ROOT))
        if relative == "clinics/services.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module == "clinics.policy":
                names = {alias.name for alias in node.names}
                if names & {"can", "operator_may", "ROLE_ACTIONS"}:
                    hand_rolled.append(relative)
    assert SERVICE_MODULES, "no service modules found"
    assert hand_rolled == []
