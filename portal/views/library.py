"""The clinic's page to retire a document on file: a confirmation showing the document and
where it was used, a reason, then the service (portal/services/library.py) decides."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from clinics.decorators import clinic_member_required
from clinics.policy import Action
from core.forms import add_service_error
from portal.forms import RetireForm
from portal.models import LibraryDocument
from portal.services.library import retire_library_document


@clinic_member_required(action=Action.REVIEW)
def retire(request, pk):
    # Another clinic's document is a 404, as if it did not exist.
    document = get_object_or_404(
        LibraryDocument.objects.for_clinic(request.clinic)
        .select_related("clinic", "supplier", "product", "evidence_type", "withdrawn_by")
        .prefetch_related("uses__item__assessment__product", "uses__item__request"),
        pk=pk,
    )
    back = redirect("portal:library", document.supplier_id)
    if document.is_retired:
        messages.info(
            request, f"{document.type_name} ({document.original_filename}) is retired already."
        )
        return back
    form = RetireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            retire_library_document(
                document=document, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                f"{document.type_name} ({document.original_filename}) is retired: it is "
                "no longer offered to the supplier. The records it was used on keep it.",
            )
            return back
    return render(
        request, "portal/clinic/retire_library.html", {"document": document, "form": form}
    )
