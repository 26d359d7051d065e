"""Background exports, run by the django-tasks worker (`manage.py db_worker`), never in a
web process: a large ZIP or register must not hold a web worker for seconds.

The file is written to a temporary file on the worker's disk, then saved once to the
default storage (S3 in a multi-server deployment), so any app server can serve it."""

import hashlib
import logging
import tempfile
import time
from collections.abc import Callable

from django.core.files import File
from django.utils import timezone
from django_tasks import task

from exports.archive import finalised_for_export, write_reports_zip
from exports.models import ExportJob
from exports.register import register_queryset, register_rows
from exports.register_files import counted, write_register

logger = logging.getLogger("exocheck.exports")

# Progress is written at most this often: each write is a database transaction.
PROGRESS_INTERVAL_SECONDS = 0.5


@task()
def build_reports_zip(job_id: int) -> str:
    job = ExportJob.objects.select_related("clinic").get(pk=job_id)
    if job.is_finished:
        return job.status
    assessments = list(finalised_for_export(job.clinic, job.selected_ids))
    on_progress = _start(job, total=len(assessments))
    return _build(
        job,
        lambda archive: write_reports_zip(assessments, archive, on_progress=on_progress),
        done=lambda: len(assessments),
    )


@task()
def build_register_file(job_id: int) -> str:
    """The register as the job's filters choose it now, in the job's format (csv or xlsx)."""
    job = ExportJob.objects.select_related("clinic").get(pk=job_id)
    if job.is_finished:
        return job.status
    assessments = register_queryset(job.clinic, job.filters)
    total = assessments.count()
    on_progress = _start(job, total=total)
    written = [0]

    def track(done: int) -> None:
        written[0] = done
        on_progress(done)

    def write(target) -> None:
        write_register(counted(register_rows(assessments), track), job.extension, target)

    return _build(job, write, done=lambda: written[0])


def _start(job: ExportJob, *, total: int) -> Callable[[int], None]:
    """Mark the job running; returns the progress callback (throttled writes)."""
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.RUNNING,
        started_at=timezone.now(),
        progress_total=total,
        progress_done=0,
    )
    last_write = time.monotonic()

    def on_progress(done: int) -> None:
        nonlocal last_write
        if time.monotonic() - last_write >= PROGRESS_INTERVAL_SECONDS:
            ExportJob.objects.filter(pk=job.pk).update(progress_done=done)
            last_write = time.monotonic()

    return on_progress


def _build(job: ExportJob, write: Callable, *, done: Callable[[], int]) -> str:
    """Run `write(file)` into a temporary file, store it with its SHA-256, mark the job."""
    try:
        with tempfile.TemporaryFile() as result:
            write(result)
            result.seek(0)
            digest = hashlib.file_digest(result, "sha256").hexdigest()
            result.seek(0)
            job.result_file.save(f"export.{job.extension}", File(result), save=False)
    except Exception as error:
        logger.exception("Export job %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED,
            error=f"{type(error).__name__}: the export could not be built.",
            finished_at=timezone.now(),
        )
        raise
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.DONE,
        progress_done=done(),
        result_file=job.result_file.name,
        sha256=digest,
        finished_at=timezone.now(),
    )
    return ExportJob.Status.DONE
