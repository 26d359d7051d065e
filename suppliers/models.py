from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from simple_history.models import HistoricalRecords

from clinics.models import Clinic
from clinics.querysets import ClinicOwnedQuerySet


class SupplierQuerySet(ClinicOwnedQuerySet):
    def for_choices(self) -> list[tuple[int, str]]:
        """(pk, name as `__str__` writes it) for a choice list, by name: a filter lists
        every supplier of the clinic, and building a model instance per option was most of
        its cost (~25 µs each; docs/performance.md)."""
        return [
            (pk, Supplier.display_name(legal_name, trading_name))
            for pk, legal_name, trading_name in self.order_by("legal_name", "pk").values_list(
                "pk", "legal_name", "trading_name"
            )
        ]

    def search(self, term: str):
        if not term:
            return self
        return self.filter(
            Q(legal_name__icontains=term)
            | Q(trading_name__icontains=term)
            | Q(company_number__icontains=term)
            | Q(contact_name__icontains=term)
        )


class Supplier(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="suppliers")
    legal_name = models.CharField(
        max_length=200, help_text="The registered company name, as on its invoices."
    )
    trading_name = models.CharField(max_length=200, blank=True)
    company_number = models.CharField(
        max_length=40, blank=True, help_text="Companies House (or national register) number."
    )
    # The country's English name (suppliers/countries.py). The form asks for it; empty means
    # "not recorded" (a supplier named on the assessment start page), never a guessed default.
    country = models.CharField(
        max_length=100, blank=True, help_text="Where the supplier is registered."
    )
    website = models.URLField(blank=True)
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = SupplierQuerySet.as_manager()

    class Meta:
        ordering = ["legal_name"]
        # The suppliers list and the dashboard: a clinic's suppliers by name or newest first.
        indexes = [
            models.Index(fields=["clinic", "legal_name"], name="supplier_clinic_name"),
            models.Index(fields=["clinic", "-updated_at"], name="supplier_clinic_updated"),
        ]
        constraints = [
            models.UniqueConstraint(
                "clinic",
                Lower("legal_name"),
                name="unique_supplier_name_per_clinic",
                violation_error_message="Your clinic already has a supplier with this legal name.",
            )
        ]

    def __str__(self):
        return self.display_name(self.legal_name, self.trading_name)

    def get_absolute_url(self):
        return reverse("suppliers:detail", args=[self.pk])

    @property
    def country_recorded(self) -> bool:
        return bool(self.country.strip())

    @staticmethod
    def display_name(legal_name: str, trading_name: str) -> str:
        """How a supplier is named on every page: the trading name with the legal one."""
        if trading_name and trading_name != legal_name:
            return f"{trading_name} ({legal_name})"
        return legal_name
