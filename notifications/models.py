"""In-app notifications: one row per recipient, in one clinic, read or unread.

A notification belongs to a clinic like every clinic-owned record, so it is fetched only
through `for_clinic(clinic)` (and the recipient's own through `for_user(user)`): a user of
another clinic, or another member, never sees it. Rows are written only by
notifications/services.py.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from clinics.models import Clinic
from clinics.querysets import ClinicOwnedQuerySet


class NotificationQuerySet(ClinicOwnedQuerySet):
    def for_user(self, user):
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)

    def mark_read(self) -> int:
        """Mark every unread row of this queryset read now; returns how many changed."""
        return self.unread().update(read_at=timezone.now())


class Notification(models.Model):
    class Kind(models.TextChoices):
        SUBMITTED = "submitted", "Submitted for review"
        RETURNED = "returned", "Returned to you"
        SIGNED_OFF = "signed_off", "Signed off"
        GENERAL = "general", "Notice"

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="notifications")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.GENERAL)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    # A path inside the app (e.g. /assessments/12/); the open view redirects only to paths.
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The bell (unread count) and the list (newest first) read exactly this.
            models.Index(
                fields=["recipient", "read_at", "created_at"], name="notification_inbox_idx"
            ),
        ]

    def __str__(self):
        return f"{self.title} (to {self.recipient})"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None
