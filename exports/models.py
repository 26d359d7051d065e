import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse

from clinics.models import Clinic
from clinics.querysets import ClinicOwnedQuerySet


class ExportJobQuerySet(ClinicOwnedQuerySet):
    pass


def export_upload_path(instance, filename):
    # Server-made names only; the download view chooses what the user's browser calls it.
    return f"exports/{instance.clinic_id}/{uuid.uuid4().hex}.{instance.extension}"


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Per kind: the file's extension, its content type, what progress counts, and its name stem.
KIND_FILES = {
    "reports_zip": ("zip", "application/zip", "reports", "exocheck-reports"),
    "register_csv": ("csv", "text/csv; charset=utf-8", "rows", "exocheck-register"),
    "register_xlsx": ("xlsx", XLSX_TYPE, "rows", "exocheck-register"),
}


class ExportJob(models.Model):
    """A large export built in the background by the task worker (django-tasks)."""

    class Kind(models.TextChoices):
        REPORTS_ZIP = "reports_zip", "Signed reports (ZIP)"
        # The register above settings.REGISTER_EXPORT_SYNC_ROWS rows (exports/services.py).
        REGISTER_CSV = "register_csv", "Assessment register (CSV)"
        REGISTER_XLSX = "register_xlsx", "Assessment register (Excel)"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for the worker"
        RUNNING = "running", "Running"
        DONE = "done", "Ready to download"
        FAILED = "failed", "Failed"

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="export_jobs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="export_jobs"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.REPORTS_ZIP)
    # For the record (the admin shows it): the register filters a "matching the filters"
    # export was made from, as RegisterFilterForm.filters() gives them; {} for ticked rows.
    # exports/services.py stores it. A ZIP job's worker reads only selected_ids; a register
    # job's worker reads these filters (the rows are chosen when the file is written).
    filters = models.JSONField(default=dict, blank=True)
    selected_ids = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    result_file = models.FileField(upload_to=export_upload_path, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    error = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk} ({self.get_status_display().lower()})"

    def get_absolute_url(self):
        return reverse("exports:job", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 100 if self.status == self.Status.DONE else 0
        return round(100 * self.progress_done / self.progress_total)

    @property
    def extension(self) -> str:
        return KIND_FILES[self.kind][0]

    @property
    def content_type(self) -> str:
        return KIND_FILES[self.kind][1]

    @property
    def unit(self) -> str:
        """What progress counts: reports (a ZIP) or rows (the register)."""
        return KIND_FILES[self.kind][2]

    @property
    def filename(self) -> str:
        stem = KIND_FILES[self.kind][3]
        return f"{stem}-{self.created_at:%Y%m%d-%H%M}-{self.pk}.{self.extension}"
