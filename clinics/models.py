import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from clinics.querysets import ClinicOwnedQuerySet


class User(AbstractUser):
    """Our own user model from day one, so later fields (MFA, display name) need no swap."""

    email = models.EmailField("email address", blank=True)

    class Meta(AbstractUser.Meta):
        ordering = ["username"]

    def __str__(self):
        return self.get_full_name() or self.username


class ClinicQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(memberships__user=user).distinct()


class Clinic(models.Model):
    class Jurisdiction(models.TextChoices):
        UK = "UK", "United Kingdom (Great Britain)"
        EU = "EU", "European Union"
        US = "US", "United States"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    address = models.TextField(blank=True)
    registration_number = models.CharField(
        "registration number",
        max_length=60,
        blank=True,
        help_text="E.g. the CQC or HIW provider ID, if registered.",
    )
    default_jurisdiction = models.CharField(
        max_length=2, choices=Jurisdiction.choices, default=Jurisdiction.UK
    )
    single_person_sign_off = models.BooleanField(
        default=False,
        help_text="Allow a practice manager to sign off an assessment they submitted "
        "themselves (a one-person clinic). Off: a second person must sign; the report says "
        "which applied.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Who changed a clinic's settings, and when: single-person sign-off decides whether the
    # four-eyes rule applies to every report the clinic signs, so it must be audited.
    history = HistoricalRecords()

    objects = ClinicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    CLINICIAN = "clinician", "Clinician"
    PRACTICE_MANAGER = "practice_manager", "Practice manager"
    CLINIC_ADMIN = "clinic_admin", "Clinic admin"


class MembershipQuerySet(ClinicOwnedQuerySet):
    def admins(self):
        return self.filter(role=Role.CLINIC_ADMIN)


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.CLINICIAN)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["clinic__name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "clinic"], name="one_membership_per_clinic")
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} at {self.clinic}"


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(ClinicOwnedQuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """A one-time link to join a clinic. Only the token's hash is stored."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.CLINICIAN)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation for {self.email} to {self.clinic}"

    @staticmethod
    def new_token() -> tuple[str, str]:
        token = secrets.token_urlsafe(32)
        return token, _hash_token(token)

    @staticmethod
    def hash_token(token: str) -> str:
        return _hash_token(token)

    @staticmethod
    def default_expiry():
        return timezone.now() + timedelta(days=7)


class ReauthThrottle(models.Model):
    """Wrong passwords a signed-in user typed where a password is asked again (sign-off,
    password change): one row per user, in the database so every process and server shares
    it. clinics/throttle.py applies the log-in policy (AXES_FAILURE_LIMIT, AXES_COOLOFF_TIME)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
    )
    # Attempts being checked right now count too: a burst of parallel guesses cannot pass
    # the limit before the first of them is recorded.
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "password re-entry throttle"

    def __str__(self):
        return f"{self.failures} wrong password(s) for user {self.user_id}"


class PasswordResetRequest(models.Model):
    """One request for a password-reset email, kept for an hour for the rate limit
    (clinics/password_reset.py). Only keyed hashes of the address it came from and of the
    email typed are stored, never the address or the email themselves."""

    ip_hash = models.CharField(max_length=64, db_index=True)
    email_hash = models.CharField(max_length=64, db_index=True)
    requested_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "password reset request"

    def __str__(self):
        return f"Password reset request at {self.requested_at:%Y-%m-%d %H:%M}"


class ClinicStamp(models.Model):
    """A random token that changes whenever a row a clinic's pages show changes: the clinic,
    its suppliers, products, assessments, evidence documents and their checked marks, its
    memberships and settings, a member's name, or the shared reference data. Written only by
    database triggers (lifecycle migrations 0004 and 0006), whatever issues the write — a
    service, the admin, a bulk update, raw SQL — never by Python, so no write can forget it.

    Pages and the register key what they keep between requests on it (`clinics/kept.py`), so
    a kept entry is never read after a change. The table keeps the name it was created with,
    because the triggers write it by name. No foreign key: a deleted clinic's row is harmless.
    """

    clinic_id = models.BigIntegerField(primary_key=True)
    stamp = models.CharField(max_length=36)

    class Meta:
        db_table = "lifecycle_registerstamp"

    def __str__(self):
        return f"clinic {self.clinic_id}: {self.stamp}"
