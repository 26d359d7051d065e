"""The clinic's pages: send a request (from an assessment, or from a supplier for several
products), the list of requests, withdraw or follow one up, the supplier's library and the
portal settings. Thin: the services decide, the policy (clinics/policy.py) permits."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from assessments.checklist import checklist_for
from assessments.models import Assessment
from clinics.decorators import clinic_member_required
from clinics.policy import Action
from clinics.views_members import absolute_url
from core.forms import add_service_error
from core.listing import paginate
from portal.forms import RequestForm, SettingsForm
from portal.models import LibraryDocument, SupplierRequest
from portal.services.requests import (
    awaiting_confirmation,
    follow_up,
    portal_settings,
    revoke_request,
    save_settings,
    send_request,
)
from portal.views.review import clinic_request
from suppliers.models import Supplier


def _link_for(request):
    return lambda token: absolute_url(request, reverse("portal:supplier", args=[token]))


def _initial(clinic, supplier, email: str = "") -> dict:
    return {
        "email": email or supplier.contact_email,
        "valid_days": portal_settings(clinic).link_valid_days,
    }


def _send(request, form, *, supplier, assessments, previous=None):
    """Send from a valid form; the request's page, or None with the refusal on the form."""
    data = form.cleaned_data
    options = {"email": data["email"], "reason": data["reason"], "valid_days": data["valid_days"]}
    try:
        if previous is not None:
            sent = follow_up(
                previous=previous, by=request.user, link_for=_link_for(request), **options
            )
        else:
            sent = send_request(
                clinic=request.clinic,
                by=request.user,
                supplier=supplier,
                assessments=assessments,
                link_for=_link_for(request),
                **options,
            )
    except ValidationError as error:
        add_service_error(form, error)
        return None
    messages.success(request, f"Request {sent.request.reference} sent to {data['email']}.")
    return redirect("portal:request", sent.request.pk)


@clinic_member_required(action=Action.EDIT_ASSESSMENTS)
def new_for_assessment(request, pk):
    assessment = get_object_or_404(
        Assessment.objects.for_clinic(request.clinic).with_related(), pk=pk
    )
    supplier = assessment.product.supplier
    form = RequestForm(request.POST or None, initial=_initial(request.clinic, supplier))
    if request.method == "POST" and form.is_valid():
        sent = _send(request, form, supplier=supplier, assessments=[assessment])
        if sent is not None:
            return sent
    checklist = checklist_for(assessment)
    skip = awaiting_confirmation(assessment)
    context = {
        "form": form,
        "supplier": supplier,
        "assessment": assessment,
        "questions": checklist.supplier_questions,
        "documents": [row for row in checklist.gaps if row.slug not in skip],
    }
    return render(request, "portal/clinic/new_request.html", context)


@clinic_member_required(action=Action.EDIT_ASSESSMENTS)
def new_for_supplier(request, pk):
    supplier = get_object_or_404(Supplier.objects.for_clinic(request.clinic), pk=pk)
    drafts = (
        Assessment.objects.for_clinic(request.clinic)
        .drafts()
        .filter(product__supplier=supplier)
        .select_related("product")
        .order_by("product__name", "-created_at")
    )
    form = RequestForm(
        request.POST or None, initial=_initial(request.clinic, supplier), assessments=drafts
    )
    if request.method == "POST" and form.is_valid():
        sent = _send(
            request, form, supplier=supplier, assessments=list(form.cleaned_data["assessments"])
        )
        if sent is not None:
            return sent
    context = {"form": form, "supplier": supplier, "has_drafts": drafts.exists()}
    return render(request, "portal/clinic/new_request.html", context)


@clinic_member_required(action=Action.EDIT_ASSESSMENTS)
def follow_up_request(request, pk):
    previous = clinic_request(request, pk)
    form = RequestForm(
        request.POST or None, initial=_initial(request.clinic, previous.supplier, previous.email)
    )
    if request.method == "POST" and form.is_valid():
        sent = _send(request, form, supplier=previous.supplier, assessments=None, previous=previous)
        if sent is not None:
            return sent
    context = {"form": form, "supplier": previous.supplier, "previous": previous}
    return render(request, "portal/clinic/new_request.html", context)


@require_POST
@clinic_member_required(action=Action.EDIT_ASSESSMENTS)
def revoke(request, pk):
    supplier_request = revoke_request(supplier_request=clinic_request(request, pk), by=request.user)
    messages.success(
        request, f"The link of {supplier_request.reference} is withdrawn: it shows nothing now."
    )
    return redirect("portal:request", supplier_request.pk)


@clinic_member_required(action=Action.VIEW)
def request_list(request):
    requests = SupplierRequest.objects.for_clinic(request.clinic).select_related(
        "supplier", "requested_by"
    )
    return render(request, "portal/clinic/list.html", {"page": paginate(request, requests)})


@clinic_member_required(action=Action.VIEW)
def library(request, pk):
    supplier = get_object_or_404(Supplier.objects.for_clinic(request.clinic), pk=pk)
    documents = (
        LibraryDocument.objects.for_clinic(request.clinic)
        .filter(supplier=supplier)
        .select_related("clinic", "evidence_type", "product", "confirmed_by", "withdrawn_by")
        .prefetch_related("uses__item__assessment__product", "uses__item__request")
    )
    return render(
        request, "portal/clinic/library.html", {"supplier": supplier, "documents": documents}
    )


@clinic_member_required(action=Action.MANAGE_MEMBERS)
def settings_page(request):
    current = portal_settings(request.clinic)
    form = SettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        save_settings(
            clinic=request.clinic,
            by=request.user,
            link_valid_days=form.cleaned_data["link_valid_days"],
        )
        messages.success(request, "Saved.")
        return redirect("portal:settings")
    return render(request, "portal/clinic/settings.html", {"form": form})
