import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce, Concat
from django.db.models.signals import pre_delete
from django.urls import reverse
from simple_history.models import HistoricalRecords

from assessments import immutability
from assessments.querysets import AssessmentQuerySet, EvidenceQuerySet
from assessments.record_names import RecordNames, record_names
from assessments.rules import Verdict
from assessments.signing import SignatureMeaning
from clinics.models import Clinic
from core.limits import (
    CLAIMS_MAX_CHARS,
    INCI_MAX_CHARS,
    NOTE_MAX_CHARS,
    SUPPLIER_ANSWER_MAX_CHARS,
    bounded_text,
)
from products.models import (
    CellStatus,
    EvidenceType,
    ExosomeProduct,
    MarketedAs,
    Route,
    SourceCategory,
)

# One list of jurisdictions: a clinic's default and an assessment's choice must agree.
Jurisdiction = Clinic.Jurisdiction


# The verdicts are the rules' own (assessments/rules/findings.py); the column offers them.
VERDICT_CHOICES = [(verdict.value, verdict.label) for verdict in Verdict]


def register_date() -> Coalesce:
    """An assessment's date in the register: signed off, else submitted, else started. The
    register export sorts and filters on it; an index on the same expression serves it."""
    return Coalesce("finalised_at", "submitted_at", "created_at")


class Assessment(models.Model):
    """One clinic's due-diligence record of one product batch, answering the three questions."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted for review"
        FINALISED = "finalised", "Finalised"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="assessments")
    product = models.ForeignKey(
        ExosomeProduct, on_delete=models.PROTECT, related_name="assessments"
    )
    version = models.PositiveIntegerField(default=1)
    previous_version = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_versions",
        help_text="The finalised assessment this version corrects or updates.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    current_step = models.PositiveSmallIntegerField(default=1)

    # Step 1: the product, the batch and how the clinic will use it.
    batch_lot = models.CharField(
        "batch / lot", max_length=80, blank=True, help_text="As printed on the pack or invoice."
    )
    jurisdiction = models.CharField(
        max_length=2, choices=Jurisdiction.choices, default=Jurisdiction.UK
    )
    route = models.ForeignKey(
        Route,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
        verbose_name="how the clinic will use it",
    )
    marketed_as = models.CharField(
        "how it is marketed", max_length=10, choices=MarketedAs.choices, default=MarketedAs.UNKNOWN
    )
    inci = bounded_text("ingredient list (INCI)", limit=INCI_MAX_CHARS)
    claims = bounded_text("marketing claims", limit=CLAIMS_MAX_CHARS)

    # Q1: where are these exosomes derived from?
    source_category = models.ForeignKey(
        SourceCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
        help_text="Empty means the supplier has not answered.",
    )
    source_answer = bounded_text(
        "supplier's answer, word for word", limit=SUPPLIER_ANSWER_MAX_CHARS
    )
    # Q2: live-cell, cell-free or processed post-cell culture?
    cell_status = models.ForeignKey(
        CellStatus,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
        help_text="Empty means the supplier has not answered.",
    )
    cell_status_answer = bounded_text(
        "supplier's answer, word for word", limit=SUPPLIER_ANSWER_MAX_CHARS
    )
    # Q3: what testing is performed? (structured answer = the evidence items)
    testing_answer = bounded_text(
        "supplier's answer, word for word", limit=SUPPLIER_ANSWER_MAX_CHARS
    )

    # Rules outcome. A draft is re-evaluated on every save; a finalised one is frozen.
    ruleset_version = models.CharField(max_length=30, blank=True)
    verdict = models.CharField(max_length=30, choices=VERDICT_CHOICES, blank=True)
    findings = models.JSONField(default=list, blank=True)
    evaluated_at = models.DateTimeField(null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessments_created"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments_submitted",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    review_comment = bounded_text(
        limit=NOTE_MAX_CHARS,
        help_text="The practice manager's comment when returning it to the clinician.",
    )

    # Sign-off (practice manager). Printed on the report as 21 CFR 11.50 suggests.
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments_signed",
    )
    signed_name = models.CharField(max_length=200, blank=True)
    signed_role = models.CharField(max_length=100, blank=True)
    signature_meaning = models.CharField(max_length=100, blank=True)
    sign_off_statement = bounded_text(limit=NOTE_MAX_CHARS)
    finalised_at = models.DateTimeField(null=True, blank=True)

    # The finalised report, rendered once; every download returns exactly these bytes.
    report_pdf = models.FileField(upload_to="reports/%Y/", blank=True)
    report_sha256 = models.CharField(max_length=64, blank=True)
    # What the record says, frozen in the save that finalises it (assessments/signed_record.py):
    # the product, supplier and reference rows live on and get renamed; the record does not.
    signed_record = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text="Product, supplier, lot, route, answers, evidence, verdict and findings as "
        "signed. Empty until sign-off.",
    )
    # The names the record was signed with, as one column the database keeps in step with
    # it: search reads them without parsing every record (AssessmentQuerySet.search).
    signed_names = models.GeneratedField(
        expression=Concat(
            KT("signed_record__product__name"),
            Value("\n"),
            KT("signed_record__supplier__legal_name"),
            Value("\n"),
            KT("signed_record__supplier__trading_name"),
            output_field=models.TextField(),
        ),
        output_field=models.TextField(),
        db_persist=True,
    )

    history = HistoricalRecords(excluded_fields=["signed_names"])
    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        # Each list reads one clinic's rows in one order and stops after a page: these let
        # it walk an index instead of sorting every row (docs/performance.md).
        indexes = [
            # It also holds what search tests, so SQLite reads those from the index and
            # not from rows that carry the JSON record (PostgreSQL uses trigram indexes).
            models.Index(
                fields=["clinic", "-updated_at", "product", "batch_lot", "signed_names"],
                name="assessment_clinic_updated",
            ),
            models.Index(
                fields=["clinic", "status", "-updated_at"], name="assessment_status_updated"
            ),
            models.Index(
                fields=["clinic", "status", "submitted_at"], name="assessment_status_submitted"
            ),
            models.Index(
                fields=["clinic", "status", "-finalised_at"], name="assessment_status_finalised"
            ),
            models.Index(
                F("clinic"), register_date().desc(), F("id").desc(), name="assessment_register_date"
            ),
            # A product's latest signed assessment (the approved-products register).
            models.Index(
                fields=["product", "status", "-finalised_at", "-id"],
                name="assessment_product_latest",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["previous_version"],
                condition=Q(previous_version__isnull=False),
                name="one_new_version_per_assessment",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="submitted_and_finalised_have_submitted_at",
            ),
            models.CheckConstraint(
                condition=~Q(status="finalised") | Q(finalised_at__isnull=False),
                name="finalised_has_finalised_at",
            ),
        ]

    def __str__(self):
        names = self.names
        lot = f", lot {names.batch_lot}" if names.batch_lot else ""
        return f"{names.product}{lot} (v{self.version}, {self.get_status_display().lower()})"

    def get_absolute_url(self):
        return reverse("assessments:detail", args=[self.pk])

    @property
    def document_id(self) -> str:
        return f"EXO-{self.clinic_id:03d}-{self.pk:06d}-v{self.version}"

    @property
    def names(self) -> RecordNames:
        """Product, supplier, lot and route as the record says them: as signed once
        finalised, live before (assessments/record_names.py). Every page and file reads
        these, never the rows directly.

        A signed record never changes, so its names are read once per instance (a list row
        asks five or six times); before sign-off they are read afresh from the live rows,
        which a form on this very instance may just have changed."""
        signed = (
            self.__dict__.get("signed_record") if self.status == self.Status.FINALISED else None
        )
        if not signed:
            return record_names(self)
        kept = self.__dict__.get("_signed_names")
        if kept is None or kept[0] is not signed:
            kept = self.__dict__["_signed_names"] = (signed, record_names(self))
        return kept[1]

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_finalised(self) -> bool:
        return self.status == self.Status.FINALISED

    @property
    def signature_label(self) -> str:
        """What the signature meant, in words ("Approved", "Rejected"…), as the PDF prints it."""
        meaning = self.signature_meaning
        return SignatureMeaning(meaning).label if meaning in SignatureMeaning.values else meaning

    @property
    def supplier(self):
        return self.product.supplier

    def _do_update(self, base_qs, *args, **kwargs):
        # Every save of a stored row is one UPDATE; it only ever matches a row that is not
        # finalised in the database at that moment, so the check and the write are one
        # statement (no race with a sign-off). The sign-off's own save, which makes the row
        # finalised, matches: the stored row is still "submitted" then.
        updated = super()._do_update(
            base_qs.exclude(status=immutability.FINALISED), *args, **kwargs
        )
        if not updated:
            immutability.refuse_finalised_assessment_update(self)
        return updated


def evidence_upload_path(instance, filename):
    # Never the client's filename: a server-made name under the owning clinic.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"evidence/{instance.clinic_id}/{uuid.uuid4().hex}.{extension}"


class EvidenceItem(models.Model):
    class Result(models.TextChoices):
        PASS = "pass", "Pass"
        FAIL = "fail", "Fail"
        NOT_STATED = "not-stated", "Not stated"

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="evidence_items")
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="evidence_items"
    )
    evidence_type = models.ForeignKey(
        EvidenceType, on_delete=models.PROTECT, related_name="evidence_items"
    )
    provided = models.BooleanField(
        default=True, help_text="False records that the supplier did not provide this document."
    )
    file = models.FileField(upload_to=evidence_upload_path, blank=True)
    original_filename = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size_bytes = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    lab = models.CharField("laboratory / issuer", max_length=200, blank=True)
    lot = models.CharField("lot", max_length=80, blank=True)
    issued_on = models.DateField("issued", null=True, blank=True)
    expires_on = models.DateField("expires", null=True, blank=True)
    result = models.CharField(max_length=12, choices=Result.choices, default=Result.NOT_STATED)
    notes = bounded_text(limit=NOTE_MAX_CHARS)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["evidence_type__display_order", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(issued_on__isnull=True)
                | Q(expires_on__isnull=True)
                | Q(expires_on__gte=models.F("issued_on")),
                name="evidence_expires_after_issue",
                violation_error_message="The expiry date cannot be before the issue date.",
            ),
        ]

    def __str__(self):
        state = "" if self.provided else " (not provided)"
        return f"{self.evidence_type}{state}"

    def save(self, *args, **kwargs):
        # Not as part of a finalised assessment, and not into one (as stored now).
        immutability.check_evidence_write(self)
        super().save(*args, **kwargs)


# Deletes, however they happen (instance, QuerySet, a cascade from a clinic or an
# assessment), pass through pre_delete for each row: finalised records are refused there.
pre_delete.connect(
    immutability.refuse_finalised_delete,
    sender=Assessment,
    dispatch_uid="exocheck_refuse_finalised_assessment_delete",
)
pre_delete.connect(
    immutability.refuse_finalised_delete,
    sender=EvidenceItem,
    dispatch_uid="exocheck_refuse_finalised_evidence_delete",
)

# The reviewer's per-document "checked" marks: their own module, guarded the same way.
from assessments.evidence_checks import EvidenceCheck  # noqa: E402, F401
