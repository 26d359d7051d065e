"""Products: list (search, supplier, how marketed, form; cursor pages), fetch, create,
update — through products.services. Reference values are given by their slugs."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router, Schema, Status
from pydantic import Field

from api.auth import write_auth
from api.common import NO_NUL, PageQuery, audited, by_slug, cursor_page, may
from api.endpoints.errors import READ_ERRORS, WRITE_ERRORS
from api.schemas import ProductIn, ProductOut, ProductPage, ProductPatch
from clinics.policy import Action
from products.models import CellStatus, ExosomeProduct, Route, SourceCategory
from products.services import OTHER_CLINICS_SUPPLIER, create_product, update_product
from suppliers.models import Supplier

router = Router(tags=["products"])
Id = Path(..., ge=1, le=2**53)


def product_out(product: ExosomeProduct) -> dict:
    return {
        "id": product.pk,
        "supplier_id": product.supplier_id,
        "name": product.name,
        "brand": product.brand,
        "form": product.form,
        "marketed_as": product.marketed_as,
        "intended_routes": [route.slug for route in product.intended_routes.all()],
        "source_category": product.source_category.slug if product.source_category else None,
        "supplier_source_statement": product.supplier_source_statement,
        "cell_status": product.cell_status.slug if product.cell_status else None,
        "inci": product.inci,
        "claims": product.claims,
        "created_at": product.created_at,
        "updated_at": product.updated_at,
    }


def _products(request):
    may(request, Action.VIEW)
    return (
        ExosomeProduct.objects.for_clinic(request.clinic)
        .select_related("source_category", "cell_status")
        .prefetch_related("intended_routes")
    )


def _fields(request, payload: ProductPatch) -> dict:
    """The service's keyword arguments: the clinic's own supplier and reference rows for the
    ids and slugs given (another clinic's supplier is refused as if it did not exist)."""
    fields = payload.model_dump(exclude_none=True)
    if "supplier_id" in fields:
        supplier = Supplier.objects.for_clinic(request.clinic).filter(pk=fields.pop("supplier_id"))
        if not supplier.exists():
            raise ValidationError({"supplier_id": OTHER_CLINICS_SUPPLIER})
        fields["supplier"] = supplier.get()
    for name, model in (("source_category", SourceCategory), ("cell_status", CellStatus)):
        if name in fields:
            fields[name] = by_slug(model, fields[name], name)
    if "intended_routes" in fields:
        slugs = fields.pop("intended_routes")
        fields["intended_routes"] = [by_slug(Route, s, "intended_routes") for s in slugs if s]
    return fields


class ProductFilters(Schema):
    q: str = Field("", max_length=200, pattern=NO_NUL, description="Name, brand or supplier")
    supplier_id: int | None = Field(None, ge=1, le=2**53)
    marketed_as: str = Field("", max_length=10, pattern=NO_NUL)
    form: str = Field("", max_length=20, pattern=NO_NUL)


@router.get("/products", response={200: ProductPage, **READ_ERRORS})
def list_products(request, page: Query[PageQuery], filters: Query[ProductFilters]):
    products = _products(request).search(filters.q.strip())
    wanted = {
        "supplier_id": filters.supplier_id,
        "marketed_as": filters.marketed_as,
        "form": filters.form,
    }
    products = products.filter(**{key: value for key, value in wanted.items() if value})
    result = cursor_page(products, page)
    result["items"] = [product_out(p) for p in result["items"]]
    return result


@router.get("/products/{pk}", response={200: ProductOut, **READ_ERRORS})
def get_product(request, pk: int = Id):
    return product_out(get_object_or_404(_products(request), pk=pk))


@router.post("/products", auth=write_auth, response={201: ProductOut, **WRITE_ERRORS})
@audited("product.create")
def post_product(request, payload: ProductIn):
    fields = _fields(request, payload)
    product = create_product(clinic=request.clinic, by=request.user, **fields)
    return Status(201, product_out(product))


@router.patch("/products/{pk}", auth=write_auth, response={200: ProductOut, **WRITE_ERRORS})
@audited("product.update")
def patch_product(request, payload: ProductPatch, pk: int = Id):
    product = get_object_or_404(_products(request), pk=pk)
    updated = update_product(product=product, by=request.user, **_fields(request, payload))
    return product_out(ExosomeProduct.objects.get(pk=updated.pk))
