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
from core.params import parse_id
from products.forms import ExosomeProductForm
from products.models import ExosomeProduct, SourceCategory, split_inci, split_lines
from products.services import create_product, update_product
from suppliers.models import Supplier


def _clinic_products(request):
    return ExosomeProduct.objects.for_clinic(request.clinic).select_related(
        "supplier", "source_category", "cell_status"
    )


@clinic_member_required
def product_list(request):
    # The whole page is kept for the menu and the query (clinics/kept.py); the rows and the
    # filter's choices are read only where it is worked out.
    return kept_page(
        request,
        "product-list",
        template="products/list.html",
        context=lambda: _product_list_context(request),
    )


def _product_list_context(request) -> dict:
    term = search_term(request)
    products = _clinic_products(request).search(term)
    source = request.GET.get("source", "")
    if source:
        products = products.filter(source_category__slug=source)
    return {
        "page": lazy_page(request, lambda: products),
        "q": term,
        "source": source,
        "source_categories": SourceCategory.objects.all(),
    }


@clinic_member_required
def product_detail(request, pk):
    product = get_object_or_404(_clinic_products(request), pk=pk)
    context = {
        "product": product,
        "inci_items": split_inci(product.inci),
        "claim_items": split_lines(product.claims),
        "routes": product.intended_routes.all(),
        "assessments": product.assessments.order_by("-updated_at")[:20],
        "history_records": history_for(product),
    }
    return render(request, "products/detail.html", context)


@clinic_member_required(action=Action.EDIT_PRODUCTS)
def product_create(request):
    initial = {}
    supplier_id = parse_id(request.GET.get("supplier"))
    if supplier_id:
        supplier = Supplier.objects.for_clinic(request.clinic).filter(pk=supplier_id).first()
        if supplier:
            initial["supplier"] = supplier
    return _product_form(request, ExosomeProduct(clinic=request.clinic), initial, created=True)


@clinic_member_required(action=Action.EDIT_PRODUCTS)
def product_edit(request, pk):
    product = get_object_or_404(_clinic_products(request), pk=pk)
    return _product_form(request, product, {}, created=False)


def _save(request, product, *, created, fields):
    if created:
        return create_product(clinic=request.clinic, by=request.user, **fields)
    return update_product(product=product, by=request.user, **fields)


def _product_form(request, product, initial, *, created):
    form = ExosomeProductForm(
        request.POST or None, instance=product, initial=initial, clinic=request.clinic
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save(request, product, created=created, fields=form.cleaned_data)
        except (ValidationError, NotAllowed) as error:
            add_service_error(form, error)  # with what was typed: never a server error
        else:
            verb = "added" if created else "updated"
            messages.success(request, f"Product “{saved}” {verb}.")
            return redirect(saved)
    return render(
        request, "products/form.html", {"form": form, "product": product, "created": created}
    )
