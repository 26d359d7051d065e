from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from clinics.decorators import clinic_member_required
from clinics.policy import Action
from core.history import history_for
from core.listing import paginate, search_term
from suppliers.forms import SupplierForm
from suppliers.models import Supplier
from suppliers.services import save_supplier


def _clinic_suppliers(request):
    return Supplier.objects.for_clinic(request.clinic)


@clinic_member_required
def supplier_list(request):
    term = search_term(request)
    suppliers = _clinic_suppliers(request).search(term)
    return render(request, "suppliers/list.html", {"page": paginate(request, suppliers), "q": term})


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


def _supplier_form(request, supplier, *, created):
    form = SupplierForm(request.POST or None, instance=supplier, clinic=request.clinic)
    if request.method == "POST" and form.is_valid():
        supplier = save_supplier(clinic=request.clinic, user=request.user, form=form)
        verb = "added" if created else "updated"
        messages.success(request, f"Supplier “{supplier}” {verb}.")
        return redirect(supplier)
    return render(
        request, "suppliers/form.html", {"form": form, "supplier": supplier, "created": created}
    )
