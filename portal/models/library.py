"""The supplier's document library: documents that are not lot-specific (a GMP certificate,
an origin declaration, a CPSR…) kept for the supplier, or the supplier and one product, and
offered for reuse on the clinic's next requests until they expire or a manager retires them.
Each use is a SupplierDocument pointing here, so the clinic sees where a document was used.

Also the field shapes every portal record shares (`owning_clinic`, `member_stamp`,
`StoredDocument`), so each is written once.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from assessments.checklist import document_info
from assessments.models import EvidenceItem
from clinics.models import Clinic
from clinics.querysets import ClinicOwnedQuerySet
from core.limits import NOTE_MAX_CHARS, bounded_text
from products.models import EvidenceType, ExosomeProduct
from suppliers.models import Supplier

# Documents about the supplier's site or programme, not one product: shared by every product
# of the supplier. Every other document that is not lot-specific belongs to one product.
SUPPLIER_WIDE = frozenset({"gmp-certificate", "donor-screening"})

# What a stored document says, as copied from one record to another (a library document
# offered again, an upload joining the library). The lot is not here: it is never
# carried from one lot's document to another.
STATED_FACTS = ("lab", "issued_on", "expires_on", "result")
FILE_FIELDS = ("original_filename", "content_type", "size_bytes", "sha256")


def portal_upload_path(instance, filename):
    # Never the client's filename: a server-made name under the owning clinic.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"portal/{instance.clinic_id}/{uuid.uuid4().hex}.{extension}"


def owning_clinic():
    """The clinic a portal row belongs to: every query filters on it (ClinicOwnedQuerySet)."""
    return models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")


def member_stamp():
    """The clinic member who did something to a row, once someone has (PROTECT: an
    attributable record keeps its person)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )


class StoredDocument(models.Model):
    """A file the supplier sent, stored under a server-made name, with the facts stated
    about it. Shared by the library and the documents of a request."""

    clinic = owning_clinic()
    evidence_type = models.ForeignKey(EvidenceType, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=portal_upload_path)
    original_filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size_bytes = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField("SHA-256", max_length=64)
    lab = models.CharField("laboratory / issuer", max_length=200, blank=True)
    issued_on = models.DateField("issued", null=True, blank=True)
    expires_on = models.DateField("expires", null=True, blank=True)
    result = models.CharField(
        max_length=12, choices=EvidenceItem.Result.choices, default=EvidenceItem.Result.NOT_STATED
    )

    class Meta:
        abstract = True

    @property
    def jurisdiction(self) -> str:
        """The jurisdiction whose words name this document on the clinic's pages."""
        raise NotImplementedError

    @property
    def type_name(self) -> str:
        """The document's name in its jurisdiction (the one catalogue, as the assessment
        pages name it: "SCPN notification" in the UK). The evidence type's own name is the
        neutral one kept for the admin and audit trail."""
        return document_info(self.evidence_type, self.jurisdiction).name

    def copied_fields(self) -> dict:
        """The same file and stated facts, for a new record that points at this one's file
        (the bytes are stored once)."""
        names = (*FILE_FIELDS, *STATED_FACTS)
        return {
            "file": self.file.name,
            "evidence_type": self.evidence_type,
            **{name: getattr(self, name) for name in names},
        }


class LibraryQuerySet(ClinicOwnedQuerySet):
    def offered_for(self, *, supplier, product, slugs, today):
        """What can be reused for `product`: this supplier's documents of these types, for
        this product or supplier-wide, not retired and not expired on `today`."""
        return self.filter(
            supplier=supplier,
            evidence_type__slug__in=list(slugs),
            withdrawn_at__isnull=True,
        ).filter(
            (Q(product=product) | Q(product__isnull=True))
            & (Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        )


class LibraryDocument(StoredDocument):
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey(
        ExosomeProduct,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty: about the supplier (site certificate, donor programme).",
    )
    added_at = models.DateTimeField(auto_now_add=True)
    # Set once a clinic member has opened the file and confirmed what it says; until then
    # the facts above are the supplier's.
    confirmed_by = member_stamp()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # Retired by a manager: no longer offered for reuse. The row and its file stay, because
    # the requests and signed assessments it was used on still point at them.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = member_stamp()
    withdrawn_reason = bounded_text("why it was retired", limit=NOTE_MAX_CHARS)
    history = HistoricalRecords()

    objects = LibraryQuerySet.as_manager()

    class Meta:
        ordering = ["evidence_type__display_order", "-added_at"]

    def __str__(self):
        return f"{self.evidence_type} of {self.supplier} ({self.original_filename})"

    @property
    def is_retired(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def jurisdiction(self) -> str:
        # On file for the clinic rather than one assessment: named in the clinic's words.
        return self.clinic.default_jurisdiction
