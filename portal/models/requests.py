"""The supplier portal's requests: a request sent to a supplier, and what the supplier
submitted through its link.

What the supplier says stays here, apart from what the clinic recorded: the assessment gets
only bare uploads (file, no facts) through the documents service, so the one status
definition counts them "not checked" until a clinic member has opened the file and
confirmed (or corrected) what it says (portal/services/review.py).
"""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from simple_history.models import HistoricalRecords

from assessments.models import Assessment, EvidenceItem
from clinics.models import Clinic
from clinics.querysets import ClinicOwnedQuerySet
from core.limits import NOTE_MAX_CHARS, SUPPLIER_ANSWER_MAX_CHARS, bounded_text
from portal.models.library import (
    LibraryDocument,
    StoredDocument,
    member_stamp,
    owning_clinic,
)
from suppliers.models import Supplier

DEFAULT_VALID_DAYS = 14


class PortalSettings(models.Model):
    """A clinic's choices for its supplier requests (clinic admins change them)."""

    clinic = models.OneToOneField(Clinic, on_delete=models.CASCADE, related_name="+")
    link_valid_days = models.PositiveSmallIntegerField(
        "links are valid for (days)",
        default=DEFAULT_VALID_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="How long a supplier can use a request's link, 1 to 60 days.",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "portal settings"

    def __str__(self):
        return f"Supplier portal settings of {self.clinic}"


class SupplierRequestQuerySet(ClinicOwnedQuerySet):
    def open(self):
        return self.filter(
            revoked_at__isnull=True, submitted_at__isnull=True, expires_at__gt=timezone.now()
        )


class SupplierRequest(models.Model):
    """One link sent to a supplier's contact, bound to one clinic, one supplier and the
    assessments it asks about. Only the token's SHA-256 is stored."""

    clinic = owning_clinic()
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="+")
    assessments = models.ManyToManyField(
        Assessment, through="RequestedAssessment", related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    email = models.EmailField("sent to")
    reason = bounded_text("why we ask", limit=NOTE_MAX_CHARS)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    follows_up = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="follow_ups"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = member_stamp()
    # The declaration the supplier made when submitting.
    submitted_at = models.DateTimeField(null=True, blank=True)
    declared_name = models.CharField(max_length=200, blank=True)
    declared_role = models.CharField(max_length=200, blank=True)
    declared_company = models.CharField(max_length=200, blank=True)
    declaration = models.TextField(blank=True)
    declared_ip = models.GenericIPAddressField(null=True, blank=True)
    history = HistoricalRecords()

    objects = SupplierRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Request {self.pk} to {self.supplier}"

    @property
    def reference(self) -> str:
        return f"REQ-{self.clinic_id:03d}-{self.pk:06d}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def usable(self) -> bool:
        """The link opens at all (a submitted request still shows what was sent)."""
        return not self.is_revoked and not self.is_expired

    @property
    def is_open(self) -> bool:
        """The supplier can still answer, upload and submit."""
        return self.usable and not self.is_submitted

    @property
    def state(self) -> str:
        if self.is_revoked:
            return "Withdrawn"
        if self.is_submitted:
            return "Answered"
        if self.is_expired:
            return "Expired"
        return "Waiting for the supplier"

    @property
    def supplier_person(self) -> str:
        """Who acts through the link, as the history's "who" column starts: the person who
        signed the declaration, or before that the contact the link was sent to."""
        return self.declared_person or capfirst(self.contact_person)

    @property
    def declared_person(self) -> str:
        """ "<name>, <company>" exactly as the supplier typed them (empty until declared)."""
        return f"{self.declared_name}, {self.declared_company}" if self.declared_name else ""

    @property
    def contact_person(self) -> str:
        """The contact the link was sent to, as named mid-sentence."""
        return f"the supplier's contact ({self.email})"

    @property
    def supplied_by(self) -> str:
        """ "supplied by <name>, <company>, <time>" (empty until submitted). Mid-sentence
        words: a sentence starting with it upper-cases the first letter only (capfirst), so
        the names and the month keep their case."""
        if not self.is_submitted:
            return ""
        when = timezone.localtime(self.submitted_at).strftime("%-d %b %Y, %H:%M")
        return f"supplied by {self.declared_person}, {when}"

    @staticmethod
    def expiry_after(days: int):
        return timezone.now() + timedelta(days=days)


class RequestedAssessment(models.Model):
    """One assessment a request asks about, and exactly what was asked for it (the
    checklist's unanswered questions and documents when the request was made)."""

    clinic = owning_clinic()
    request = models.ForeignKey(SupplierRequest, on_delete=models.CASCADE, related_name="items")
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="supplier_requests"
    )
    questions = models.JSONField(default=list, help_text="Question keys asked.")
    documents = models.JSONField(default=list, help_text="Evidence type slugs asked for.")

    objects = ClinicOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "assessment"], name="portal_one_item_per_assessment"
            )
        ]

    def __str__(self):
        return f"{self.request} · {self.assessment_id}"


class SupplierAnswer(models.Model):
    """The supplier's answers about one assessment's product, word for word."""

    OTHER = "other"

    clinic = owning_clinic()
    item = models.OneToOneField(
        RequestedAssessment, on_delete=models.CASCADE, related_name="answer"
    )
    source_choice = models.CharField(max_length=60, blank=True)
    source_text = bounded_text(limit=SUPPLIER_ANSWER_MAX_CHARS)
    cell_status_choice = models.CharField(max_length=60, blank=True)
    cell_status_text = bounded_text(limit=SUPPLIER_ANSWER_MAX_CHARS)
    testing_text = bounded_text(limit=SUPPLIER_ANSWER_MAX_CHARS)
    updated_at = models.DateTimeField(auto_now=True)
    updated_ip = models.GenericIPAddressField(null=True, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    applied_by = member_stamp()
    history = HistoricalRecords()

    objects = ClinicOwnedQuerySet.as_manager()

    def __str__(self):
        return f"Answers for {self.item}"


class SupplierDocument(StoredDocument):
    """A document the supplier uploaded (or chose from its library) for one assessment, with
    the facts the supplier says it shows. Those facts never count by themselves."""

    item = models.ForeignKey(RequestedAssessment, on_delete=models.CASCADE, related_name="docs")
    # What the supplier states the document shows (with lab, dates and result).
    lot = models.CharField(max_length=80, blank=True)
    library = models.ForeignKey(
        LibraryDocument, on_delete=models.SET_NULL, null=True, blank=True, related_name="uses"
    )
    # Chosen from the library (no upload, no bytes counted), rather than uploaded.
    from_library = models.BooleanField(default=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_ip = models.GenericIPAddressField(null=True, blank=True)
    # The bare upload made on the assessment when the supplier submitted.
    evidence_item = models.ForeignKey(
        EvidenceItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    opened_by = member_stamp()
    opened_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = member_stamp()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = ClinicOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["evidence_type__display_order", "uploaded_at", "pk"]

    def __str__(self):
        return f"{self.evidence_type} from the supplier ({self.original_filename})"

    @property
    def jurisdiction(self) -> str:
        return self.item.assessment.jurisdiction

    @property
    def provided_by(self) -> str:
        """Who gave the clinic this document, in words: the supplier through the request's
        link. The assessment's evidence item is filed under the clinician who sent the
        request (the assessments app records a member as the uploader); this is the truth
        the request's page and the assessment's panel show beside it."""
        when = timezone.localtime(self.uploaded_at).strftime("%-d %b %Y, %H:%M")
        return f"{self.provided_via}, {when}"

    @property
    def provided_via(self) -> str:
        """`provided_by` without the time: "uploaded by <who> via request link REQ-…"."""
        supplier_request = self.item.request
        how = "chosen from the documents on file" if self.from_library else "uploaded"
        # Mid-sentence: the declared name as typed (never re-cased), else the contact.
        who = supplier_request.declared_person or supplier_request.contact_person
        return f"{how} by {who} via request link {supplier_request.reference}"


class RequestEvent(models.Model):
    """One exchange on a request, for its history: who (a clinic member, or the supplier
    through the link), from which address, what."""

    class Kind(models.TextChoices):
        SENT = "sent", "Request sent"
        OPENED = "opened", "Link opened"
        ANSWERS_SAVED = "answers", "Answers saved"
        UPLOADED = "uploaded", "Document uploaded"
        REUSED = "reused", "Library document chosen"
        REMOVED = "removed", "Document removed"
        SUBMITTED = "submitted", "Submitted with declaration"
        REVOKED = "revoked", "Link withdrawn"
        FILE_OPENED = "file_opened", "File opened by the clinic"
        CONFIRMED = "confirmed", "Facts confirmed by the clinic"
        APPLIED = "applied", "Answers taken into the assessment"
        FOLLOW_UP = "follow_up", "Follow-up request sent"
        ATTACHED = "attached", "Put on the assessment"

    clinic = owning_clinic()
    request = models.ForeignKey(SupplierRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor = models.CharField(max_length=200, help_text="Who, as shown in the history.")
    ip = models.GenericIPAddressField(null=True, blank=True)
    detail = models.CharField(max_length=500, blank=True)

    objects = ClinicOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.request_id}"


class TokenThrottle(models.Model):
    """Requests to the supplier pages from one address: a rolling count for the rate limit
    and a count of wrong links for the lockout. In the database, so every process and server
    shares it (portal/throttle.py)."""

    ip = models.CharField(max_length=64, unique=True)
    window_started_at = models.DateTimeField(default=timezone.now)
    hits = models.PositiveIntegerField(default=0)
    misses = models.PositiveIntegerField(default=0)
    last_miss_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.ip}: {self.hits} hits, {self.misses} wrong links"
