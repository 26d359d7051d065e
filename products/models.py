import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from clinics.models import Clinic
from clinics.querysets import ClinicOwnedQuerySet
from core.limits import (
    CLAIMS_MAX_CHARS,
    INCI_MAX_CHARS,
    SUPPLIER_ANSWER_MAX_CHARS,
    bounded_text,
)
from suppliers.models import Supplier


class ReferenceQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class ReferenceData(models.Model):
    """How the rules' closed vocabularies are shown. The slugs are the rules' own
    (assessments/rules/values.py and evidence.py) and a system check keeps them identical;
    staff admins curate the display name, description, order and whether it is offered.
    What a slug means in law (an origin, a standard, lot-specific or not) lives in the rules.
    """

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    active = models.BooleanField(
        default=True,
        help_text="Inactive rows stay on old records but are not offered for new ones.",
    )
    display_order = models.PositiveSmallIntegerField(default=100)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["display_order", "name"]

    def __str__(self):
        return self.name


class SourceCategory(ReferenceData):
    examples = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta(ReferenceData.Meta):
        verbose_name_plural = "source categories"


class CellStatus(ReferenceData):
    history = HistoricalRecords()

    class Meta(ReferenceData.Meta):
        verbose_name_plural = "cell statuses"


class Route(ReferenceData):
    history = HistoricalRecords()

    class Meta(ReferenceData.Meta):
        pass


class EvidenceType(ReferenceData):
    """A kind of document. Its name, what it proves and its standard as shown to a clinic
    are those of the clinic's jurisdiction, from the rules' catalogue; `name` here is the
    label staff see in the admin."""

    history = HistoricalRecords()

    class Meta(ReferenceData.Meta):
        pass


class MarketedAs(models.TextChoices):
    COSMETIC = "cosmetic", "Cosmetic"
    MEDICINE = "medicine", "Medicine"
    DEVICE = "device", "Medical device"
    UNKNOWN = "unknown", "Unknown / not stated"


class ProductForm(models.TextChoices):
    SERUM = "serum", "Topical serum"
    SKIN_BOOSTER = "skin_booster", "Skin booster (with microneedling / laser)"
    INJECTABLE = "injectable", "Injectable"
    LYOPHILISED = "lyophilised", "Lyophilised powder for reconstitution"
    MASK = "mask", "Mask / cream"
    KIT = "kit", "Point-of-care preparation kit"
    OTHER = "other", "Other"
    # The default: a product named in passing (the new-assessment page asks only its name)
    # once became a "Topical serum" next to its injection route, on its page and its PDF.
    UNKNOWN = "unknown", "Not stated"


class ExosomeProductQuerySet(ClinicOwnedQuerySet):
    def search(self, term: str):
        if not term:
            return self
        return self.filter(
            Q(name__icontains=term)
            | Q(brand__icontains=term)
            | Q(supplier__legal_name__icontains=term)
            | Q(supplier__trading_name__icontains=term)
        )


class ExosomeProduct(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="products")
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="products")
    name = models.CharField(max_length=200)
    brand = models.CharField(max_length=200, blank=True)
    form = models.CharField(max_length=20, choices=ProductForm.choices, default=ProductForm.UNKNOWN)
    marketed_as = models.CharField(
        "how it is marketed",
        max_length=10,
        choices=MarketedAs.choices,
        default=MarketedAs.UNKNOWN,
        help_text="As the supplier presents it: label, website, brochure.",
    )
    intended_routes = models.ManyToManyField(
        Route, blank=True, related_name="products", help_text="How the supplier says to use it."
    )
    source_category = models.ForeignKey(
        SourceCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="products",
        help_text="Where the supplier says the exosomes come from (leave empty if not stated).",
    )
    supplier_source_statement = bounded_text(
        "supplier's own words on the source", limit=SUPPLIER_ANSWER_MAX_CHARS
    )
    cell_status = models.ForeignKey(
        CellStatus, on_delete=models.PROTECT, null=True, blank=True, related_name="products"
    )
    inci = bounded_text(
        "ingredient list (INCI)",
        limit=INCI_MAX_CHARS,
        help_text="One ingredient per line, or comma-separated, exactly as on the label.",
    )
    claims = bounded_text(
        "marketing claims",
        limit=CLAIMS_MAX_CHARS,
        help_text="One claim per line, as the supplier words them.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = ExosomeProductQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        # The products list and the dashboard: a clinic's products by name or newest first.
        indexes = [
            models.Index(fields=["clinic", "name"], name="product_clinic_name"),
            models.Index(fields=["clinic", "-updated_at"], name="product_clinic_updated"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "name"],
                name="unique_product_name_per_supplier",
                violation_error_message="This supplier already has a product with this name.",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.brand})" if self.brand else self.name

    def get_absolute_url(self):
        return reverse("products:detail", args=[self.pk])

    def clean(self):
        if self.supplier_id and self.clinic_id and self.supplier.clinic_id != self.clinic_id:
            raise ValidationError({"supplier": "Choose one of your clinic's suppliers."})


def split_lines(text: str) -> list[str]:
    """Claims: one per line (a claim may itself contain commas)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# Commas separate INCI names, except inside names such as "1,2-Hexanediol".
_INCI_SEPARATOR = re.compile(r"\n|;|,(?!\d)")


def split_inci(text: str) -> list[str]:
    """INCI names, one per line or comma-separated, order kept, blanks dropped."""
    return [
        part.strip()
        for part in _INCI_SEPARATOR.split((text or "").replace("\r", ""))
        if part.strip()
    ]
