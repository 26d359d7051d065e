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
    return f"exports/{instance.clinic_id}/{uuid.uuid4().hex}.zip"


class ExportJob(models.Model):
    """A large export built in the background by the task worker (django-tasks)."""

    class Kind(models.TextChoices):
        REPORTS_ZIP = "reports_zip", "Signed reports (ZIP)"

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
    # exports/services.py stores it; the worker reads only selected_ids.
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
    def filename(self) -> str:
        return f"exocheck-reports-{self.created_at:%Y%m%d-%H%M}-{self.pk}.zip"
