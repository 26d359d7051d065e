"""What a practice manager exports: the register as CSV or XLSX, and signed reports as one
ZIP — built at once up to SYNC_LIMIT reports, queued for the task worker above.

Each function takes the clinic and the actor (`by`) and checks the role matrix itself
(Action.EXPORT), so no caller — view, command or shell — skips it. Only the clinic's own
finalised assessments ever reach a file, whatever ids or filters the caller passes.
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from django.core.files import File
from django.db import transaction

from clinics.models import Clinic, User
from clinics.policy import Action
from clinics.services import require_action
from exports.archive import SYNC_LIMIT, finalised_for_export, write_reports_zip
from exports.errors import ExportCorrupt, ExportNotReady, NothingToExport
from exports.models import ExportJob
from exports.register import register_csv, register_queryset, register_rows, register_xlsx
from exports.tasks import build_reports_zip

logger = logging.getLogger("exocheck.exports")

REFUSAL = "Only a practice manager can export this clinic's records."
REGISTER_WRITERS = {"csv": register_csv, "xlsx": register_xlsx}


@dataclass(frozen=True)
class ReportsExport:
    """The outcome of start_reports_export: the ZIP itself, or the job building it."""

    count: int
    data: bytes | None = None  # built in the request (up to SYNC_LIMIT reports)
    job: ExportJob | None = None  # queued for the worker (more than SYNC_LIMIT)


def export_register(
    *, clinic: Clinic, by: User, filters: Mapping[str, Any], file_format: Literal["csv", "xlsx"]
) -> bytes:
    """The clinic's register, filtered (register.py's plain filter values), as a file."""
    require_action(clinic=clinic, by=by, action=Action.EXPORT, refusal=REFUSAL)
    try:
        writer = REGISTER_WRITERS[file_format]
    except KeyError:
        raise ValueError(f"Unknown register format {file_format!r}: csv or xlsx") from None
    data: bytes = writer(register_rows(register_queryset(clinic, dict(filters))))
    return data


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
    # One transaction: a job is never left without its task, nor a task without its job.
    with transaction.atomic():
        job = ExportJob.objects.create(
            clinic=clinic,
            requested_by=by,
            kind=ExportJob.Kind.REPORTS_ZIP,
            filters=filters or {},
            selected_ids=chosen,
            progress_total=len(chosen),
        )
        result = build_reports_zip.enqueue(job.pk)
        ExportJob.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.refresh_from_db()
    return ReportsExport(count=len(chosen), job=job)


def open_export_result(*, job: ExportJob, by: User) -> File[bytes]:
    """The finished job's ZIP, opened for streaming, after re-checking its SHA-256 (a file
    changed in storage is never served). ExportNotReady / ExportCorrupt otherwise."""
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
