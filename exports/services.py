"""What a practice manager exports: the register as CSV or XLSX — streamed in the request
up to settings.REGISTER_EXPORT_SYNC_ROWS rows, written by the task worker above — and signed
reports as one ZIP — built at once up to SYNC_LIMIT reports, queued for the worker above.

Each function takes the clinic and the actor (`by`) and checks the role matrix itself
(Action.EXPORT), so no caller — view, command or shell — skips it. Only the clinic's own
finalised assessments ever reach a file, whatever ids or filters the caller passes.
"""

from __future__ import annotations

import hashlib
import io
import logging
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, Any, Literal

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django_tasks.base import Task

from clinics.models import Clinic, User
from clinics.policy import Action
from clinics.services import require_action
from exports.archive import SYNC_LIMIT, finalised_for_export, write_reports_zip
from exports.errors import ExportCorrupt, ExportNotReady, NothingToExport
from exports.models import ExportJob
from exports.register import register_queryset, register_rows
from exports.register_files import csv_chunks, register_csv, register_xlsx, write_register_xlsx
from exports.tasks import build_register_file, build_reports_zip

logger = logging.getLogger("exocheck.exports")

REFUSAL = "Only a practice manager can export this clinic's records."
REGISTER_WRITERS = {"csv": register_csv, "xlsx": register_xlsx}
REGISTER_JOB_KINDS = {"csv": ExportJob.Kind.REGISTER_CSV, "xlsx": ExportJob.Kind.REGISTER_XLSX}
# Above this many rows the register is written by the worker, not in the request.
DEFAULT_REGISTER_SYNC_ROWS = 2000


@dataclass(frozen=True)
class ReportsExport:
    """The outcome of start_reports_export: the ZIP itself, or the job building it."""

    count: int
    data: bytes | None = None  # built in the request (up to SYNC_LIMIT reports)
    job: ExportJob | None = None  # queued for the worker (more than SYNC_LIMIT)


@dataclass(frozen=True)
class RegisterExport:
    """The outcome of start_register_export: exactly one of `chunks`, `file` or `job`."""

    count: int
    # CSV: byte chunks, read from the database as they are sent (constant memory).
    chunks: Iterator[bytes] | None = field(default=None, repr=False)
    # XLSX: written to a temporary file (a zip cannot be sent before it is complete).
    file: IO[bytes] | None = field(default=None, repr=False)
    job: ExportJob | None = None  # more than register_sync_rows(): queued for the worker


def register_sync_rows() -> int:
    return int(getattr(settings, "REGISTER_EXPORT_SYNC_ROWS", DEFAULT_REGISTER_SYNC_ROWS))


def _register_format(file_format: str) -> str:
    if file_format not in REGISTER_WRITERS:
        raise ValueError(f"Unknown register format {file_format!r}: csv or xlsx")
    return file_format


def export_register(
    *, clinic: Clinic, by: User, filters: Mapping[str, Any], file_format: Literal["csv", "xlsx"]
) -> bytes:
    """The clinic's register, filtered (register.py's plain filter values), as a file."""
    require_action(clinic=clinic, by=by, action=Action.EXPORT, refusal=REFUSAL)
    writer = REGISTER_WRITERS[_register_format(file_format)]
    data: bytes = writer(register_rows(register_queryset(clinic, dict(filters))))
    return data


def start_register_export(
    *, clinic: Clinic, by: User, filters: Mapping[str, Any], file_format: Literal["csv", "xlsx"]
) -> RegisterExport:
    """The register for a download: streamed (CSV) or in a temporary file (XLSX) up to
    register_sync_rows() rows; above, an ExportJob the worker writes, with progress."""
    require_action(clinic=clinic, by=by, action=Action.EXPORT, refusal=REFUSAL)
    filters = dict(filters)
    assessments = register_queryset(clinic, filters)
    count = assessments.count()
    if count > register_sync_rows():
        kind = REGISTER_JOB_KINDS[_register_format(file_format)]
        job = _queue_job(
            clinic=clinic,
            by=by,
            kind=kind,
            filters=filters,
            ids=[],
            total=count,
            task=build_register_file,
        )
        return RegisterExport(count=count, job=job)
    if _register_format(file_format) == "csv":
        return RegisterExport(count=count, chunks=csv_chunks(register_rows(assessments)))
    # Handed to the response, which closes it once sent: no `with` here.
    handle = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        write_register_xlsx(register_rows(assessments), handle)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return RegisterExport(count=count, file=handle)


def start_reports_export(
    *,
    clinic: Clinic,
    by: User,
    ids: Iterable[int] = (),
    filters: Mapping[str, Any] | None = None,
) -> ReportsExport:
    """Signed reports as one ZIP: the ticked `ids`, or (given `filters`) every finalised
    assessment the register's filters match. Other clinics' ids and unsigned ones are left
    out; if none is left, NothingToExport."""
    require_action(clinic=clinic, by=by, action=Action.EXPORT, refusal=REFUSAL)
    if filters is not None:
        filters = dict(filters)
        ids = register_queryset(clinic, filters).values_list("pk", flat=True)
    chosen = list(finalised_for_export(clinic, ids).values_list("pk", flat=True))
    if not chosen:
        raise NothingToExport()
    if len(chosen) <= SYNC_LIMIT:
        buffer = io.BytesIO()
        write_reports_zip(finalised_for_export(clinic, chosen), buffer)
        return ReportsExport(count=len(chosen), data=buffer.getvalue())
    job = _queue_job(
        clinic=clinic,
        by=by,
        kind=ExportJob.Kind.REPORTS_ZIP,
        filters=filters or {},
        ids=chosen,
        total=len(chosen),
        task=build_reports_zip,
    )
    return ReportsExport(count=len(chosen), job=job)


def _queue_job(
    *,
    clinic: Clinic,
    by: User,
    kind: str,
    filters: dict[str, Any],
    ids: list[int],
    total: int,
    task: Task[[int], str],
) -> ExportJob:
    # One transaction: a job is never left without its task, nor a task without its job.
    with transaction.atomic():
        job = ExportJob.objects.create(
            clinic=clinic,
            requested_by=by,
            kind=kind,
            filters=filters,
            selected_ids=ids,
            progress_total=total,
        )
        result = task.enqueue(job.pk)
        ExportJob.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.refresh_from_db()
    return job


def open_export_result(*, job: ExportJob, by: User) -> File[bytes]:
    """The finished job's file (ZIP or register), opened for streaming, after re-checking
    its SHA-256 (a file changed in storage is never served). ExportNotReady / ExportCorrupt
    otherwise."""
    require_action(clinic=job.clinic, by=by, action=Action.EXPORT, refusal=REFUSAL)
    if job.status != ExportJob.Status.DONE or not job.result_file:
        raise ExportNotReady()
    # Hash while reading in chunks: a large ZIP never sits in memory.
    with job.result_file.open("rb") as stored:
        digest = hashlib.file_digest(stored, "sha256").hexdigest()
    if digest != job.sha256:
        logger.error("Export %s failed its integrity check; not served", job.pk)
        raise ExportCorrupt()
    result: File[bytes] = job.result_file.open("rb")
    return result
