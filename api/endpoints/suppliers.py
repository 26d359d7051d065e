"""Suppliers: list (search, country, cursor pages), fetch, create, update — through
suppliers.services, which check the role and audit every save."""

from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router, Schema, Status
from pydantic import Field

from api.auth import write_auth
from api.common import NO_NUL, PageQuery, audited, cursor_page, may
from api.endpoints.errors import READ_ERRORS, WRITE_ERRORS
from api.schemas import SupplierIn, SupplierOut, SupplierPage, SupplierPatch
from clinics.policy import Action
from suppliers.models import Supplier
from suppliers.services import create_supplier, update_supplier

router = Router(tags=["suppliers"])
Id = Path(..., ge=1, le=2**53)


def _supplier(request, pk: int) -> Supplier:
    may(request, Action.VIEW)
    return get_object_or_404(Supplier.objects.for_clinic(request.clinic), pk=pk)


class SupplierFilters(Schema):
    q: str = Field("", max_length=200, pattern=NO_NUL, description="Name or number contains")
    country: str = Field("", max_length=100, pattern=NO_NUL, description="Exact country name")


@router.get("/suppliers", response={200: SupplierPage, **READ_ERRORS})
def list_suppliers(request, page: Query[PageQuery], filters: Query[SupplierFilters]):
    may(request, Action.VIEW)
    suppliers = Supplier.objects.for_clinic(request.clinic).search(filters.q.strip())
    if filters.country:
        suppliers = suppliers.filter(country__iexact=filters.country)
    return cursor_page(suppliers, page)


@router.get("/suppliers/{pk}", response={200: SupplierOut, **READ_ERRORS})
def get_supplier(request, pk: int = Id):
    return _supplier(request, pk)


@router.post("/suppliers", auth=write_auth, response={201: SupplierOut, **WRITE_ERRORS})
@audited("supplier.create")
def post_supplier(request, payload: SupplierIn):
    fields = payload.model_dump(exclude_none=True)
    return Status(201, create_supplier(clinic=request.clinic, by=request.user, **fields))


@router.patch("/suppliers/{pk}", auth=write_auth, response={200: SupplierOut, **WRITE_ERRORS})
@audited("supplier.update")
def patch_supplier(request, payload: SupplierPatch, pk: int = Id):
    supplier = _supplier(request, pk)
    fields = payload.model_dump(exclude_none=True)
    return update_supplier(supplier=supplier, by=request.user, **fields)
