from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from clinics.decorators import clinic_member_required
from clinics.errors import NotAllowed
from clinics.kept import kept_page
from clinics.policy import Action
from core.forms import add_service_error
from core.history import history_for
from core.listing import lazy_page, search_term
from suppliers.forms import SupplierForm
from suppliers.models import Supplier
from suppliers.services import create_supplier, update_supplier


def _clinic_suppliers(request):
    return Supplier.objects.for_clinic(request.clinic)


@clinic_member_required
def supplier_list(request):
    # The whole page is kept for the menu and the query (clinics/kept.py); the rows are read
    # only where it is worked out.
    return kept_page(
        request,
        "supplier-list",
        template="suppliers/list.html",
        context=lambda: _supplier_list_context(request),
    )


def _supplier_list_context(request) -> dict:
    term = search_term(request)
    suppliers = _clinic_suppliers(request).search(term)
    return {"page": lazy_page(request, lambda: suppliers), "q": term}


@clinic_member_required
def supplier_detail(request, pk):
    supplier = get_object_or_404(_clinic_suppliers(request), pk=pk)
    products = supplier.products.select_related("source_category").order_by("name")
    context = {
        "supplier": supplier,
        "products": products,
        "history_records": history_for(supplier),
    }
    return render(request, "suppliers/detail.html", context)


@clinic_member_required(action=Action.EDIT_SUPPLIERS)
def supplier_create(request):
    return _supplier_form(request, Supplier(clinic=request.clinic), created=True)


@clinic_member_required(action=Action.EDIT_SUPPLIERS)
def supplier_edit(request, pk):
    supplier = get_object_or_404(_clinic_suppliers(request), pk=pk)
    return _supplier_form(request, supplier, created=False)


def _save(request, supplier, *, created, fields):
    if created:
        return create_supplier(clinic=request.clinic, by=request.user, **fields)
    return update_supplier(supplier=supplier, by=request.user, **fields)


def _supplier_form(request, supplier, *, created):
    form = SupplierForm(request.POST or None, instance=supplier, clinic=request.clinic)
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save(request, supplier, created=created, fields=form.cleaned_data)
        except (ValidationError, NotAllowed) as error:
            add_service_error(form, error)  # with what was typed: never a server error
        else:
            verb = "added" if created else "updated"
            messages.success(request, f"Supplier “{saved}” {verb}.")
            return redirect(saved)
    return render(
        request, "suppliers/form.html", {"form": form, "supplier": supplier, "created": created}
    )
