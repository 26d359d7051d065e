"""Practice managers' exports: the filtered assessment register (page, CSV, XLSX) and signed
reports as one ZIP — built in the request up to SYNC_LIMIT reports, in the background above."""

import hashlib
import io
import logging

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from clinics.decorators import clinic_member_required
from clinics.policy import Action
from core.downloads import attachment, streamed_attachment
from core.listing import paginate
from core.params import parse_ids
from exports.archive import SYNC_LIMIT, finalised_for_export, write_reports_zip
from exports.models import ExportJob
from exports.register import (
    RegisterFilterForm,
    register_csv,
    register_queryset,
    register_rows,
    register_xlsx,
)
from exports.tasks import build_reports_zip

logger = logging.getLogger("exocheck.exports")

REGISTER_PAGE_SIZE = 25
RECENT_JOBS = 5
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download_response(data: bytes, *, filename: str, content_type: str) -> HttpResponse:
    return attachment(data, filename=filename, content_type=content_type)


def _filter_form(request, data):
    return RegisterFilterForm(data or None, clinic=request.clinic)


def _stamp() -> str:
    return f"{timezone.localtime():%Y%m%d-%H%M}"


@clinic_member_required(action=Action.EXPORT)
def register(request):
    form = _filter_form(request, request.GET)
    filters = form.filters()
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": paginate(request, register_queryset(request.clinic, filters), REGISTER_PAGE_SIZE),
        "query": query.urlencode(),
        "extra_query": f"{query.urlencode()}&" if query else "",
        "filters": filters,
        "sync_limit": SYNC_LIMIT,
        "jobs": ExportJob.objects.for_clinic(request.clinic).select_related("requested_by")[
            :RECENT_JOBS
        ],
    }
    return render(request, "exports/register.html", context)


def _register_download(request, *, writer, extension, content_type):
    form = _filter_form(request, request.GET)
    if form.is_bound and not form.is_valid():
        messages.error(request, "Fix the filters before downloading the register.")
        return redirect(f"{reverse('exports:register')}?{request.GET.urlencode()}")
    rows = register_rows(register_queryset(request.clinic, form.filters()))
    return download_response(
        writer(rows),
        filename=f"exocheck-register-{_stamp()}.{extension}",
        content_type=content_type,
    )


@clinic_member_required(action=Action.EXPORT)
def register_csv_download(request):
    return _register_download(
        request, writer=register_csv, extension="csv", content_type="text/csv; charset=utf-8"
    )


@clinic_member_required(action=Action.EXPORT)
def register_xlsx_download(request):
    return _register_download(
        request, writer=register_xlsx, extension="xlsx", content_type=XLSX_TYPE
    )


def _selected_ids(request) -> tuple[list[int], dict]:
    """The finalised assessments the manager chose — ticked rows, or every finalised one
    matching the register's filters — and those filters ({} for ticked rows). Only this
    clinic's finalised ones ever count."""
    filters: dict = {}
    if request.POST.get("scope") == "filtered":
        form = _filter_form(request, request.POST)
        if not form.is_valid():
            return [], {}  # never "everything" because a filter was mistyped
        filters = form.filters()
        candidates = register_queryset(request.clinic, filters).values_list("pk", flat=True)
    else:
        candidates = parse_ids(request.POST.getlist("ids"))
    ids = list(finalised_for_export(request.clinic, candidates).values_list("pk", flat=True))
    return ids, filters


@clinic_member_required(action=Action.EXPORT)
@require_POST
def reports_zip(request):
    ids, filters = _selected_ids(request)
    back = f"{reverse('exports:register')}?{request.POST.get('query', '')}"
    if not ids:
        messages.error(request, "Choose at least one signed (finalised) report to download.")
        return redirect(back)
    if len(ids) <= SYNC_LIMIT:
        buffer = io.BytesIO()
        write_reports_zip(finalised_for_export(request.clinic, ids), buffer)
        return download_response(
            buffer.getvalue(),
            filename=f"exocheck-reports-{_stamp()}.zip",
            content_type="application/zip",
        )
    job = ExportJob.objects.create(
        clinic=request.clinic,
        requested_by=request.user,
        kind=ExportJob.Kind.REPORTS_ZIP,
        filters=filters,  # what the manager filtered on, kept with the job for the record
        selected_ids=ids,
        progress_total=len(ids),
    )
    result = build_reports_zip.enqueue(job.pk)
    ExportJob.objects.filter(pk=job.pk).update(task_id=str(result.id))
    messages.success(
        request, f"Preparing {len(ids)} reports in the background. This page shows progress."
    )
    return redirect(job.get_absolute_url())


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
    if job.status != ExportJob.Status.DONE or not job.result_file:
        raise Http404("This export is not ready.")
    # Hash while reading in chunks, then stream: a large ZIP never sits in memory.
    with job.result_file.open("rb") as stored:
        digest = hashlib.file_digest(stored, "sha256").hexdigest()
    if digest != job.sha256:
        logger.error("Export %s failed its integrity check; not served", job.pk)
        raise Http404("This export failed its integrity check.")
    return streamed_attachment(
        job.result_file.open("rb"), filename=job.filename, content_type="application/zip"
    )
