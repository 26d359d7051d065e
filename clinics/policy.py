"""The role matrix: what each clinic role may do. The one place permissions are decided.

Views ask `can(membership, Action.X)` (or use `clinic_member_required(action=...)`);
templates ask through the `perms_for` context value. No role checks anywhere else.
"""

from enum import StrEnum

from clinics.models import Role


class Action(StrEnum):
    VIEW = "view"
    EDIT_SUPPLIERS = "edit_suppliers"
    EDIT_PRODUCTS = "edit_products"
    EDIT_ASSESSMENTS = "edit_assessments"
    REVIEW = "review"
    SIGN_OFF = "sign_off"
    EXPORT = "export"
    MANAGE_MEMBERS = "manage_members"
    # Remove a record (a finalised one included) at the end of its retention period:
    # assessments/services/retention.py, audited, with a reason.
    ERASE_RECORDS = "erase_records"


_CLINICIAN = {
    Action.VIEW,
    Action.EDIT_SUPPLIERS,
    Action.EDIT_PRODUCTS,
    Action.EDIT_ASSESSMENTS,
}

ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.CLINICIAN: frozenset(_CLINICIAN),
    Role.PRACTICE_MANAGER: frozenset(_CLINICIAN | {Action.REVIEW, Action.SIGN_OFF, Action.EXPORT}),
    Role.CLINIC_ADMIN: frozenset(_CLINICIAN | {Action.MANAGE_MEMBERS, Action.ERASE_RECORDS}),
}


# Actions that also need two-factor authentication: whoever may do them must have confirmed
# an authenticator app first (clinics/mfa.py). The decorator sends a user without one to
# set it up; the services refuse them again (sign-off, member changes).
SECOND_FACTOR_ACTIONS = frozenset({Action.SIGN_OFF, Action.MANAGE_MEMBERS})


def needs_second_factor(action: Action) -> bool:
    return action in SECOND_FACTOR_ACTIONS


def second_factor_required(membership) -> bool:
    """True for a role allowed any action that needs two-factor authentication (practice
    managers and clinic admins)."""
    return any(can(membership, action) for action in SECOND_FACTOR_ACTIONS)


def can(membership, action: Action) -> bool:
    if membership is None:
        return False
    return action in ROLE_ACTIONS.get(membership.role, frozenset())


def allowed_actions(membership) -> dict[str, bool]:
    """A {action: bool} map for templates, e.g. `{% if perms_for.sign_off %}`."""
    return {action.value: can(membership, action) for action in Action}
