"""API tokens and the audit trail of what was done with them.

A token is `exo_<prefix>_<secret>`: the prefix (not secret) finds the row, the secret is
256 random bits of which only the SHA-256 is stored, so a copy of the database gives no
working token. The plain token is shown once, when it is made (api/tokens.py).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from clinics.models import Clinic
from clinics.querysets import ClinicOwnedQuerySet


class Scope(models.TextChoices):
    READ = "read", "Read: list and fetch records, evaluate products"
    WRITE = "write", "Read and write: also create and change records, upload, submit"


class ApiTokenQuerySet(ClinicOwnedQuerySet):
    def live(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class ApiToken(models.Model):
    name = models.CharField(
        max_length=100, help_text="What uses it, e.g. “Stock system”. Shown in the audit trail."
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="api_tokens")
    # "read" or "write" (write includes read): a token never needs more than one word.
    scope = models.CharField(max_length=5, choices=Scope.choices, default=Scope.READ)
    prefix = models.CharField(max_length=12, unique=True)
    secret_sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # The per-token rate limit's fixed one-minute window, counted in the database so every
    # process and server shares it (the app keeps no shared cache: clinics/throttle.py).
    window_started_at = models.DateTimeField(null=True, blank=True)
    window_count = models.PositiveIntegerField(default=0)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "API token"

    def __str__(self):
        return f"{self.name} ({self.prefix})"

    @property
    def scopes(self) -> tuple[str, ...]:
        return ("read", "write") if self.scope == Scope.WRITE else ("read",)

    def is_live(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now


class ApiAuditEvent(models.Model):
    """One write made through the API, or a token created or revoked: who, with which
    token (its name as it was then), in which clinic, what, and how it ended."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    token = models.ForeignKey(ApiToken, on_delete=models.SET_NULL, null=True, related_name="+")
    token_name = models.CharField(max_length=100)
    token_prefix = models.CharField(max_length=12)
    action = models.CharField(max_length=60)
    method = models.CharField(max_length=10, blank=True)
    path = models.CharField(max_length=300, blank=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    object_ref = models.CharField(max_length=100, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = ClinicOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "API audit event"

    def __str__(self):
        return (
            f"{self.action} by {self.token_name} ({self.token_prefix}) at {self.at:%Y-%m-%d %H:%M}"
        )
