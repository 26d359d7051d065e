"""The role matrix: what each clinic role may do. The one place permissions are decided.

Views ask `can(membership, Action.X)` (or use `clinic_member_required(action=...)`);
templates ask through the `perms_for` context value; services ask
`clinics.services.require_action`, which adds the operator and two-factor rules below.
No role checks anywhere else.
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
    # The clinic's own settings, e.g. how long a signed approval lasts before it must be
    # re-assessed (lifecycle/services.py): both roles that run the clinic may set them.
    MANAGE_SETTINGS = "manage_settings"


_CLINICIAN = {
    Action.VIEW,
    Action.EDIT_SUPPLIERS,
    Action.EDIT_PRODUCTS,
    Action.EDIT_ASSESSMENTS,
}

ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.CLINICIAN: frozenset(_CLINICIAN),
    Role.PRACTICE_MANAGER: frozenset(
        _CLINICIAN | {Action.REVIEW, Action.SIGN_OFF, Action.EXPORT, Action.MANAGE_SETTINGS}
    ),
    Role.CLINIC_ADMIN: frozenset(
        _CLINICIAN | {Action.MANAGE_MEMBERS, Action.ERASE_RECORDS, Action.MANAGE_SETTINGS}
    ),
}


# Actions that also need two-factor authentication: whoever may do them must have confirmed
# an authenticator app first (clinics/mfa.py). The decorator sends a user without one to
# set it up; every service of these actions refuses them again, through
# clinics.services.require_action (which also wants the session verified with a code).
SECOND_FACTOR_ACTIONS = frozenset({Action.SIGN_OFF, Action.MANAGE_MEMBERS})

# What each of them is, in the words of a refusal ("… before they sign off assessments").
SECOND_FACTOR_PURPOSES = {
    Action.SIGN_OFF: "sign off assessments",
    Action.MANAGE_MEMBERS: "manage the clinic's members",
}

# Actions the operator (an active staff superuser) may take in any clinic without being a
# member: erasing a record whose retention period has ended is the data controller's duty
# and must not wait for a clinic admin (assessments/services/retention.py).
OPERATOR_ACTIONS = frozenset({Action.ERASE_RECORDS})


def needs_second_factor(action: Action) -> bool:
    return action in SECOND_FACTOR_ACTIONS


def second_factor_required(membership) -> bool:
    """True for a role allowed any action that needs two-factor authentication (practice
    managers and clinic admins)."""
    return any(can(membership, action) for action in SECOND_FACTOR_ACTIONS)


def operator_may(user, action: Action) -> bool:
    """True if `user` is the operator (an active staff superuser) and `action` is one of
    OPERATOR_ACTIONS."""
    return (
        action in OPERATOR_ACTIONS
        and getattr(user, "is_active", False)
        and getattr(user, "is_staff", False)
        and getattr(user, "is_superuser", False)
    )


def can(membership, action: Action) -> bool:
    if membership is None:
        return False
    return action in ROLE_ACTIONS.get(membership.role, frozenset())


def allowed_actions(membership) -> dict[str, bool]:
    """A {action: bool} map for templates, e.g. `{% if perms_for.sign_off %}`."""
    return {action.value: can(membership, action) for action in Action}
