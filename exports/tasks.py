"""Background exports, run by the django-tasks worker (`manage.py db_worker`), never in a
web process: a large ZIP must not hold a web worker for seconds."""

import hashlib
import logging
import tempfile
import time

from django.core.files import File
from django.utils import timezone
from django_tasks import task

from exports.archive import finalised_for_export, write_reports_zip
from exports.models import ExportJob

logger = logging.getLogger("exocheck.exports")

# Progress is written at most this often: each write is a database transaction.
PROGRESS_INTERVAL_SECONDS = 0.5


@task()
def build_reports_zip(job_id: int) -> str:
    job = ExportJob.objects.select_related("clinic").get(pk=job_id)
    if job.is_finished:
        return job.status
    assessments = list(finalised_for_export(job.clinic, job.selected_ids))
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.RUNNING,
        started_at=timezone.now(),
        progress_total=len(assessments),
        progress_done=0,
    )
    last_write = time.monotonic()

    def on_progress(done: int) -> None:
        nonlocal last_write
        if time.monotonic() - last_write >= PROGRESS_INTERVAL_SECONDS:
            ExportJob.objects.filter(pk=job.pk).update(progress_done=done)
            last_write = time.monotonic()

    try:
        with tempfile.TemporaryFile() as archive:
            write_reports_zip(assessments, archive, on_progress=on_progress)
            archive.seek(0)
            digest = hashlib.file_digest(archive, "sha256").hexdigest()
            archive.seek(0)
            job.result_file.save("reports.zip", File(archive), save=False)
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
        progress_done=len(assessments),
        result_file=job.result_file.name,
        sha256=digest,
        finished_at=timezone.now(),
    )
    return ExportJob.Status.DONE
