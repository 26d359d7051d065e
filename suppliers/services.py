"""Writes to suppliers: keyword-only fields, the actor `by`, one transaction, audited.

The role matrix is checked here as well as in the view (Action.EDIT_SUPPLIERS), the record
is validated with full_clean (a ValidationError names the field at fault) and every save
records who made it and why in the supplier's history.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from clinics.models import Clinic, User
from clinics.policy import Action
from clinics.services import require_action
from core.saving import apply_fields, save_audited
from suppliers.models import Supplier

# What a clinic user may set on a supplier (SupplierForm shows these); the clinic and the
# timestamps are never the caller's to set.
EDITABLE_FIELDS = (
    "legal_name",
    "trading_name",
    "company_number",
    "country",
    "website",
    "contact_name",
    "contact_email",
    "contact_phone",
    "notes",
)
REFUSAL = "Your role in this clinic does not allow changing suppliers."
NAME_TAKEN = "Your clinic already has a supplier with this legal name."


@transaction.atomic
def create_supplier(*, clinic: Clinic, by: User, **fields: Any) -> Supplier:
    """A new supplier of `clinic`, from EDITABLE_FIELDS values."""
    require_action(clinic=clinic, by=by, action=Action.EDIT_SUPPLIERS, refusal=REFUSAL)
    supplier = Supplier(clinic=clinic)
    apply_fields(supplier, fields, EDITABLE_FIELDS)
    save_audited(supplier, by=by, reason="Supplier added", conflict=NAME_TAKEN)
    return supplier


@transaction.atomic
def update_supplier(*, supplier: Supplier, by: User, **fields: Any) -> Supplier:
    """Change `fields` of `supplier`; the others keep their stored values. Nothing changed:
    nothing is saved (no empty history entry)."""
    require_action(clinic=supplier.clinic, by=by, action=Action.EDIT_SUPPLIERS, refusal=REFUSAL)
    # The row as stored, locked: the caller's copy may hold a form's unsaved values.
    current = Supplier.objects.select_for_update().get(pk=supplier.pk)
    changed = apply_fields(current, fields, EDITABLE_FIELDS)
    if changed:
        reason = f"Supplier updated: {', '.join(changed)}"
        save_audited(current, by=by, reason=reason, conflict=NAME_TAKEN)
    return current
