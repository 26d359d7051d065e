from django.db import transaction

from products.models import ExosomeProduct


@transaction.atomic
def save_product(*, clinic, user, form) -> ExosomeProduct:
    """Create or update a product from a valid ExosomeProductForm, for `clinic` only."""
    product = form.save(commit=False)
    product.clinic = clinic
    product._history_user = user
    product.full_clean()
    product.save()
    form.save_m2m()
    return product
