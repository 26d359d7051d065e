"""Practice managers' exports: the filtered assessment register (page, CSV, XLSX) and signed
reports as one ZIP. Thin: parse the request, call exports/services.py, respond."""

from django.contrib import messages
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from clinics.decorators import clinic_member_required
from clinics.errors import NotAllowed
from clinics.kept import kept_page
from clinics.policy import Action
from core.downloads import SECURITY_HEADERS, attachment, streamed_attachment
from core.listing import lazy_page
from core.params import parse_ids
from exports.archive import SYNC_LIMIT
from exports.errors import ExportError
from exports.models import XLSX_TYPE, ExportJob
from exports.register import RegisterFilterForm, register_queryset
from exports.services import (
    open_export_result,
    register_sync_rows,
    start_register_export,
    start_reports_export,
)

REGISTER_PAGE_SIZE = 25
RECENT_JOBS = 5


def download_response(data: bytes, *, filename: str, content_type: str) -> HttpResponse:
    return attachment(data, filename=filename, content_type=content_type)


def streamed_chunks(chunks, *, filename: str, content_type: str) -> StreamingHttpResponse:
    """Byte chunks sent as they are made (no Content-Length), with core.downloads' headers."""
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    for name, value in SECURITY_HEADERS.items():
        response[name] = value
    return response


def _filter_form(request, data):
    return RegisterFilterForm(data or None, clinic=request.clinic)


def _stamp() -> str:
    return f"{timezone.localtime():%Y%m%d-%H%M}"


@clinic_member_required(action=Action.EXPORT)
def register(request):
    # The whole page is kept for the menu and the query (clinics/kept.py); an export job
    # restamps its clinic whenever it moves (migration 0003), so the recent exports it lists
    # are never older than the jobs. The form, the rows and the jobs are read only where the
    # page is worked out.
    return kept_page(
        request,
        "register-export",
        parts=[SYNC_LIMIT, register_sync_rows()],
        template="exports/register.html",
        context=lambda: _register_context(request),
    )


def _register_context(request) -> dict:
    form = SimpleLazyObject(lambda: _filter_form(request, request.GET))
    filters = SimpleLazyObject(lambda: form.filters())
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "form": form,
        "page": lazy_page(
            request, lambda: register_queryset(request.clinic, filters), REGISTER_PAGE_SIZE
        ),
        "query": query.urlencode(),
        "extra_query": f"{query.urlencode()}&" if query else "",
        "filters": filters,
        "sync_limit": SYNC_LIMIT,
        "register_sync_rows": register_sync_rows(),
        "jobs": ExportJob.objects.for_clinic(request.clinic).select_related("requested_by")[
            :RECENT_JOBS
        ],
    }


def _register_download(request, *, file_format, content_type):
    form = _filter_form(request, request.GET)
    if form.is_bound and not form.is_valid():
        messages.error(request, "Fix the filters before downloading the register.")
        return redirect(f"{reverse('exports:register')}?{request.GET.urlencode()}")
    export = start_register_export(
        clinic=request.clinic, by=request.user, filters=form.filters(), file_format=file_format
    )
    filename = f"exocheck-register-{_stamp()}.{file_format}"
    if export.job is not None:
        messages.success(
            request,
            f"Preparing the register ({export.count} rows) in the background. "
            "This page shows progress.",
        )
        return redirect(export.job.get_absolute_url())
    if export.chunks is not None:
        return streamed_chunks(export.chunks, filename=filename, content_type=content_type)
    return streamed_attachment(export.file, filename=filename, content_type=content_type)


@clinic_member_required(action=Action.EXPORT)
def register_csv_download(request):
    return _register_download(request, file_format="csv", content_type="text/csv; charset=utf-8")


@clinic_member_required(action=Action.EXPORT)
def register_xlsx_download(request):
    return _register_download(request, file_format="xlsx", content_type=XLSX_TYPE)


def _selection(request) -> dict:
    """What the manager chose: ticked rows (`ids`), or every report matching the register's
    filters (`filters`). A mistyped filter chooses nothing, never "everything"."""
    if request.POST.get("scope") == "filtered":
        form = _filter_form(request, request.POST)
        return {"filters": form.filters()} if form.is_valid() else {"ids": []}
    return {"ids": parse_ids(request.POST.getlist("ids"))}


@clinic_member_required(action=Action.EXPORT)
@require_POST
def reports_zip(request):
    try:
        export = start_reports_export(clinic=request.clinic, by=request.user, **_selection(request))
    except (ExportError, NotAllowed) as error:
        messages.error(request, str(error))
        return redirect(f"{reverse('exports:register')}?{request.POST.get('query', '')}")
    if export.job is None:
        return download_response(
            export.data, filename=f"exocheck-reports-{_stamp()}.zip", content_type="application/zip"
        )
    messages.success(
        request, f"Preparing {export.count} reports in the background. This page shows progress."
    )
    return redirect(export.job.get_absolute_url())


def _job(request, pk) -> ExportJob:
    return get_object_or_404(ExportJob.objects.for_clinic(request.clinic), pk=pk)


@clinic_member_required(action=Action.EXPORT)
def job_detail(request, pk):
    return render(request, "exports/job.html", {"job": _job(request, pk)})


@clinic_member_required(action=Action.EXPORT)
def job_progress(request, pk):
    """The progress fragment htmx polls every 2 s; it stops polling once the job finishes."""
    return render(request, "exports/_job_progress.html", {"job": _job(request, pk)})


@clinic_member_required(action=Action.EXPORT)
def job_download(request, pk):
    job = _job(request, pk)
    try:
        stored = open_export_result(job=job, by=request.user)
    except ExportError as error:
        raise Http404(str(error)) from error
    return streamed_attachment(stored, filename=job.filename, content_type=job.content_type)
