from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from clinics.models import Clinic
from lifecycle.status import DEFAULT_INTERVAL_MONTHS

# A month is the shortest interval that leaves time to re-assess; five years the longest any
# supplier certificate the rules read is usually valid.
MIN_INTERVAL_MONTHS, MAX_INTERVAL_MONTHS = 1, 60


class LifecycleSettings(models.Model):
    """A clinic's after-sign-off settings: one row per clinic, created on demand."""

    clinic = models.OneToOneField(
        Clinic, on_delete=models.CASCADE, related_name="lifecycle_settings"
    )
    reassessment_interval_months = models.PositiveSmallIntegerField(
        "Re-assessment interval (months)",
        default=DEFAULT_INTERVAL_MONTHS,
        validators=[MinValueValidator(MIN_INTERVAL_MONTHS), MaxValueValidator(MAX_INTERVAL_MONTHS)],
        help_text="A signed approval is valid this long at most, then must be re-assessed.",
    )
    # Who changed the interval and when: it decides how long every approval lasts.
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "lifecycle settings"

    def __str__(self):
        return f"{self.clinic}: re-assess every {self.reassessment_interval_months} months"

    @classmethod
    def for_clinic(cls, clinic) -> "LifecycleSettings":
        """The clinic's row, created on demand (a write: for the settings' own services)."""
        return cls.objects.get_or_create(clinic=clinic)[0]

    @classmethod
    def interval_for(cls, clinic) -> int:
        """The re-assessment interval, read only: the default until the clinic sets one."""
        row = cls.objects.filter(clinic=clinic).only("reassessment_interval_months").first()
        return interval_or_default(row.reassessment_interval_months if row else None)


def interval_or_default(months: int | None) -> int:
    """A clinic's re-assessment interval: the default until it sets one."""
    return DEFAULT_INTERVAL_MONTHS if months is None else months


class ReminderKind(models.TextChoices):
    EXPIRY = "expiry", "An approval or a document it rests on is expiring"
    REVIEW = "review", "An assessment has waited for review more than 3 working days"


class ReminderLog(models.Model):
    """One row per reminder sent: the unique key makes `send_reminders` idempotent."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="reminder_logs")
    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="reminder_logs"
    )
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    threshold = models.CharField(max_length=20, help_text="30, 7, expired, or waiting.")
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "kind", "threshold"], name="one_reminder_per_threshold"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.threshold} for assessment {self.assessment_id}"


class ReminderPreference(models.Model):
    """A user's choice of email for one kind of reminder (in-app ones always appear)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_preferences"
    )
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    email = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self):
        return f"{self.user} {self.kind}: email {'on' if self.email else 'off'}"

    @classmethod
    def emails_on(cls, user, kind: str) -> bool:
        row = cls.objects.filter(user=user, kind=kind).first()
        return row.email if row else True
