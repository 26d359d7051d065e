"""The supplier's pages, reached only through a request's link (portal/views/access.py)."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from core.forms import add_service_error
from portal.asks import asked_documents
from portal.errors import RequestClosed
from portal.forms import AnswerForm, DeclarationForm, UploadForm
from portal.models import LibraryDocument, RequestEvent, SupplierDocument
from portal.services import supplier as services
from portal.services.events import record
from portal.services.submit import submit
from portal.views.access import token_page
from portal.views.supplier_page import render_page
from products.models import EvidenceType

# A reload of the page within this time is not recorded again as "link opened".
OPENED_QUIET_MINUTES = 30


def _page_url(token: str, anchor: str = "") -> str:
    url = reverse("portal:supplier", args=[token])
    return f"{url}#{anchor}" if anchor else url


def _record_opened(supplier_request, ip) -> None:
    since = timezone.now() - timedelta(minutes=OPENED_QUIET_MINUTES)
    recent = supplier_request.events.filter(kind=RequestEvent.Kind.OPENED, ip=ip, at__gte=since)
    if not recent.exists():
        record(supplier_request, RequestEvent.Kind.OPENED, ip=ip)


@require_GET
@token_page
def page(request, supplier_request, ip):
    _record_opened(supplier_request, ip)
    return render_page(request, supplier_request)


def _closed(request, token, error: RequestClosed):
    messages.error(request, error.messages[0])
    return redirect(_page_url(token))


@require_POST
@token_page
def answers(request, supplier_request, ip):
    """Save the answers (every product's); with "submit", also the declaration."""
    token = request.resolver_match.kwargs["token"]
    items = list(supplier_request.items.select_related("assessment__product"))
    forms = {item.pk: AnswerForm(request.POST, item=item) for item in items}
    submitting = request.POST.get("action") == "submit"
    declaration = DeclarationForm(request.POST if submitting else None)
    if not all(form.is_valid() for form in forms.values()):
        return render_page(request, supplier_request, bound_answers=forms, declaration=declaration)
    try:
        for item in items:
            services.save_answers(
                supplier_request=supplier_request,
                item=item,
                ip=ip,
                answers=forms[item.pk].cleaned_data,
            )
    except RequestClosed as error:
        return _closed(request, token, error)
    if not submitting:
        until = timezone.localtime(supplier_request.expires_at)
        messages.success(
            request, f"Answers saved. You can come back to this link until {until:%-d %B %Y}."
        )
        return redirect(_page_url(token, "answers"))
    if not declaration.is_valid():
        return render_page(request, supplier_request, declaration=declaration)
    try:
        submit(
            supplier_request=supplier_request,
            ip=ip,
            name=declaration.cleaned_data["name"],
            role=declaration.cleaned_data["role"],
            company=declaration.cleaned_data["company"],
        )
    except RequestClosed as error:
        return _closed(request, token, error)
    except ValidationError as error:
        add_service_error(declaration, error)
        return render_page(request, supplier_request, declaration=declaration)
    return redirect(_page_url(token))


def _asked(supplier_request, item_pk, slug):
    item = get_object_or_404(supplier_request.items.select_related("assessment"), pk=item_pk)
    for document in asked_documents(item):
        if document.slug == slug:
            return item, document
    return item, None


@require_POST
@token_page
def upload(request, supplier_request, ip, item_pk, slug):
    token = request.resolver_match.kwargs["token"]
    item, document = _asked(supplier_request, item_pk, slug)
    if document is None:
        return render_page(request, supplier_request, error="That document is not asked for.")
    form = UploadForm(request.POST, request.FILES, item=item, document=document)
    if form.is_valid():
        try:
            services.add_document(
                supplier_request=supplier_request,
                item=item,
                ip=ip,
                evidence_type=EvidenceType.objects.get(slug=slug),
                upload=form.cleaned_data["file"],
                facts=form.facts(),
            )
        except RequestClosed as error:
            return _closed(request, token, error)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{document.name} uploaded.")
            return redirect(_page_url(token, f"doc-{item.pk}-{slug}"))
    return render_page(request, supplier_request, bound_upload=form)


@require_POST
@token_page
def reuse(request, supplier_request, ip, item_pk, library_pk):
    token = request.resolver_match.kwargs["token"]
    item = get_object_or_404(supplier_request.items, pk=item_pk)
    library = get_object_or_404(
        LibraryDocument.objects.for_clinic(supplier_request.clinic_id), pk=library_pk
    )
    try:
        document = services.reuse_library(
            supplier_request=supplier_request, item=item, ip=ip, library=library
        )
    except RequestClosed as error:
        return _closed(request, token, error)
    except ValidationError as error:
        return render_page(request, supplier_request, error=error.messages[0])
    messages.success(request, f"{document.type_name} added from your documents on file.")
    return redirect(_page_url(token, f"doc-{item.pk}-{library.evidence_type.slug}"))


@require_POST
@token_page
def remove(request, supplier_request, ip, document_pk):
    token = request.resolver_match.kwargs["token"]
    document = get_object_or_404(
        SupplierDocument.objects.filter(item__request=supplier_request), pk=document_pk
    )
    try:
        services.remove_document(supplier_request=supplier_request, document=document, ip=ip)
    except RequestClosed as error:
        return _closed(request, token, error)
    messages.success(request, f"{document.original_filename} removed.")
    return redirect(_page_url(token, f"doc-{document.item_id}-{document.evidence_type.slug}"))
