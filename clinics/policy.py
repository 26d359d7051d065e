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


def can(membership, action: Action) -> bool:
    if membership is None:
        return False
    return action in ROLE_ACTIONS.get(membership.role, frozenset())


def allowed_actions(membership) -> dict[str, bool]:
    """A {action: bool} map for templates, e.g. `{% if perms_for.sign_off %}`."""
    return {action.value: can(membership, action) for action in Action}
