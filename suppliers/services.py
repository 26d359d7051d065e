from django.db import transaction

from suppliers.models import Supplier


@transaction.atomic
def save_supplier(*, clinic, user, form) -> Supplier:
    """Create or update a supplier from a valid SupplierForm, for `clinic` only."""
    supplier = form.save(commit=False)
    supplier.clinic = clinic
    supplier._history_user = user
    supplier.full_clean()
    supplier.save()
    return supplier
