"""What the supplier's page shows: per product, the documents asked for (what each must
show, what is uploaded, what the library offers, an upload form) and the questions; then the
declaration. Bound forms passed in are shown instead of fresh ones, so a refused form keeps
what was typed."""

from dataclasses import dataclass, field

from django.shortcuts import render
from django.utils import timezone

from portal import limits
from portal.asks import AskedDocument, asked_documents
from portal.forms import AnswerForm, DeclarationForm, UploadForm
from portal.models import LibraryDocument, RequestedAssessment, SupplierDocument


@dataclass
class DocumentSlot:
    asked: AskedDocument
    form: UploadForm
    uploaded: list[SupplierDocument] = field(default_factory=list)
    offers: list[LibraryDocument] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"doc-{self.form.item.pk}-{self.asked.slug}"


@dataclass
class Section:
    item: RequestedAssessment
    answers: AnswerForm
    documents: list[DocumentSlot]

    @property
    def product(self):
        return self.item.assessment.product

    @property
    def lot(self) -> str:
        return self.item.assessment.batch_lot


def _initial_answers(item) -> dict:
    answer = getattr(item, "answer", None)
    if answer is None:
        return {}
    names = ("source_choice", "source_text", "cell_status_choice", "cell_status_text")
    initial = {name: getattr(answer, name) for name in names}
    initial["testing_text"] = answer.testing_text
    return initial


def _slots(supplier_request, item, bound_upload) -> list[DocumentSlot]:
    uploaded = list(item.docs.select_related("evidence_type"))
    asked = asked_documents(item)
    offers = list(
        LibraryDocument.objects.for_clinic(supplier_request.clinic_id)
        .offered_for(
            supplier=supplier_request.supplier_id,
            product=item.assessment.product_id,
            slugs=[document.slug for document in asked],
            today=timezone.localdate(),
        )
        .select_related("evidence_type")
    )
    used = {document.library_id for document in uploaded}
    slots = []
    for document in asked:
        form = UploadForm(item=item, document=document)
        if bound_upload is not None and bound_upload.prefix == form.prefix:
            form = bound_upload
        slots.append(
            DocumentSlot(
                asked=document,
                form=form,
                uploaded=[d for d in uploaded if d.evidence_type.slug == document.slug],
                offers=[
                    offer
                    for offer in offers
                    if offer.evidence_type.slug == document.slug and offer.pk not in used
                ],
            )
        )
    return slots


def sections(supplier_request, *, bound_answers=None, bound_upload=None) -> list[Section]:
    items = supplier_request.items.select_related(
        "assessment__product", "assessment__clinic", "answer"
    )
    found = []
    for item in items:
        answers = (bound_answers or {}).get(item.pk) or AnswerForm(
            item=item, initial=_initial_answers(item)
        )
        found.append(Section(item, answers, _slots(supplier_request, item, bound_upload)))
    return found


def render_page(
    request,
    supplier_request,
    *,
    bound_answers=None,
    bound_upload=None,
    declaration=None,
    error: str = "",
    status: int = 200,
):
    if supplier_request.is_submitted:
        template = "portal/supplier/submitted.html"
    else:
        template = "portal/supplier/page.html"
    context = {
        "supplier_request": supplier_request,
        "token": request.resolver_match.kwargs["token"],
        "sections": sections(
            supplier_request, bound_answers=bound_answers, bound_upload=bound_upload
        ),
        "declaration": declaration or DeclarationForm(),
        "error": error,
        "max_files": limits.max_files(),
        "max_bytes": limits.max_bytes(),
    }
    return render(request, template, context, status=status)
