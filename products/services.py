"""Writes to products: keyword-only fields, the actor `by`, one transaction, audited.

The role matrix is checked here as well as in the view (Action.EDIT_PRODUCTS), the record
is validated with full_clean (a ValidationError names the field at fault), every save
records who made it and why in the product's history, and a product's supplier is always
one of its own clinic's (another clinic's is refused, never linked).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from clinics.models import Clinic, User
from clinics.policy import Action
from clinics.services import require_action
from core.saving import apply_fields, save_audited
from products.models import ExosomeProduct, Route

# What a clinic user may set on a product (ExosomeProductForm shows these, with the routes);
# the clinic and the timestamps are never the caller's to set.
EDITABLE_FIELDS = (
    "supplier",
    "name",
    "brand",
    "form",
    "marketed_as",
    "source_category",
    "supplier_source_statement",
    "cell_status",
    "inci",
    "claims",
)
REFUSAL = "Your role in this clinic does not allow changing products."
NAME_TAKEN = "This supplier already has a product with this name."
OTHER_CLINICS_SUPPLIER = "Choose one of your clinic's suppliers."


def _check_supplier(product: ExosomeProduct) -> None:
    # Checked before full_clean so the refusal never depends on the model's clean() order.
    supplier = product.supplier if product.supplier_id else None
    if supplier is not None and supplier.clinic_id != product.clinic_id:
        raise ValidationError({"supplier": OTHER_CLINICS_SUPPLIER})


def _save(
    product: ExosomeProduct, *, by: User, reason: str, routes: Iterable[Route] | None
) -> ExosomeProduct:
    _check_supplier(product)
    save_audited(product, by=by, reason=reason, conflict=NAME_TAKEN)
    if routes is not None:
        product.intended_routes.set(list(routes))
    return product


@transaction.atomic
def create_product(
    *, clinic: Clinic, by: User, intended_routes: Iterable[Route] = (), **fields: Any
) -> ExosomeProduct:
    """A new product of `clinic`, from EDITABLE_FIELDS values and its intended routes."""
    require_action(clinic=clinic, by=by, action=Action.EDIT_PRODUCTS, refusal=REFUSAL)
    product = ExosomeProduct(clinic=clinic)
    apply_fields(product, fields, EDITABLE_FIELDS)
    return _save(product, by=by, reason="Product added", routes=intended_routes)


@transaction.atomic
def update_product(
    *,
    product: ExosomeProduct,
    by: User,
    intended_routes: Iterable[Route] | None = None,
    **fields: Any,
) -> ExosomeProduct:
    """Change `fields` (and, if given, the intended routes) of `product`; the others keep
    their stored values."""
    require_action(clinic=product.clinic, by=by, action=Action.EDIT_PRODUCTS, refusal=REFUSAL)
    # The row as stored, locked: the caller's copy may hold a form's unsaved values.
    current = ExosomeProduct.objects.select_for_update().get(pk=product.pk)
    changed = apply_fields(current, fields, EDITABLE_FIELDS)
    if intended_routes is not None:
        routes = list(intended_routes)
        if {r.pk for r in routes} != set(current.intended_routes.values_list("pk", flat=True)):
            changed.append("intended_routes")
    else:
        routes = None
    if not changed:
        return current
    return _save(current, by=by, reason=f"Product updated: {', '.join(changed)}", routes=routes)
