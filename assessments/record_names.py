"""The names an assessment is shown under, as its record says them: the one accessor.

Product, brand, supplier, lot, route and the answers' names are read here by every page,
the register, the ZIP member names and the PDF itself: from the signed record
(`Assessment.signed_record`, built by assessments/signed_record.py) once finalised, from
the live rows before. A product or supplier renamed after sign-off therefore changes
nothing a finalised assessment shows, and the stored PDF never disagrees with a page.

`product_values` and friends are the one definition of what is read from each row: the
snapshot stores their output and a draft is read through them, so both have one shape.
The models import this module, so it imports nothing that imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from assessments.immutability import FINALISED
from products.models import ExosomeProduct, ProductForm
from suppliers.models import Supplier


# `id`, never `pk`: the backfill passes history rows, whose pk is the history row's own.
def product_values(product: Any) -> dict[str, Any]:
    return {"id": product.id, "name": product.name, "brand": product.brand, "form": product.form}


def supplier_values(supplier: Any) -> dict[str, Any]:
    return {
        "id": supplier.id,
        "legal_name": supplier.legal_name,
        "trading_name": supplier.trading_name,
        "company_number": supplier.company_number,
        "country": supplier.country,
    }


def reference_values(row: Any) -> dict[str, str] | None:
    """A reference row (route, source category, cell status) as answered, or None."""
    return {"slug": row.slug, "name": row.name} if row is not None else None


@dataclass(frozen=True)
class RecordSupplier:
    id: int | None
    legal_name: str
    trading_name: str = ""
    company_number: str = ""
    country: str = ""

    def __str__(self) -> str:
        # The supplier's own wording (Supplier.display_name), applied to the values on record.
        return Supplier.display_name(self.legal_name, self.trading_name)


@dataclass(frozen=True)
class RecordProduct:
    id: int | None
    name: str
    brand: str = ""
    form: str = ""

    @property
    def form_label(self) -> str:
        """The product's form in words; empty when it was never stated (nothing is printed
        rather than a guess)."""
        if self.form == ProductForm.UNKNOWN:
            return ""
        return str(ProductForm(self.form).label) if self.form in ProductForm.values else self.form

    def __str__(self) -> str:
        # The product's own wording (ExosomeProduct.__str__), applied to the values on record.
        return str(ExosomeProduct.__str__(self))


@dataclass(frozen=True)
class RecordReference:
    slug: str
    name: str

    def __str__(self) -> str:
        return self.name


def _reference(values: dict[str, str] | None) -> RecordReference | None:
    return RecordReference(**values) if values else None


class RecordNames:
    """What an assessment is about, as its record says it. Each value is read when asked
    for, so a list page asking for the product alone never loads anything else."""

    def __init__(self, assessment: Any) -> None:
        self._assessment = assessment
        # Sign-off always stores the snapshot, and migration 0005 backfilled the records
        # signed before it; only a row made below the service (a test fixture) has none.
        stored = assessment.signed_record if assessment.status == FINALISED else None
        self._signed: dict[str, Any] | None = stored or None

    @property
    def is_signed(self) -> bool:
        return self._signed is not None

    def _read(self, key: str, live: Callable[[Any], Any]) -> Any:
        return self._signed[key] if self._signed is not None else live(self._assessment)

    @cached_property
    def document_id(self) -> str:
        return str(self._read("document_id", lambda a: a.document_id))

    @cached_property
    def product(self) -> RecordProduct:
        return RecordProduct(**self._read("product", lambda a: product_values(a.product)))

    @cached_property
    def supplier(self) -> RecordSupplier:
        values = self._read("supplier", lambda a: supplier_values(a.product.supplier))
        return RecordSupplier(**values)

    @cached_property
    def batch_lot(self) -> str:
        return str(self._read("batch_lot", lambda a: a.batch_lot))

    @cached_property
    def route(self) -> RecordReference | None:
        return _reference(self._read("route", lambda a: reference_values(a.route)))

    @cached_property
    def source_category(self) -> RecordReference | None:
        return _reference(self._answer("source_category"))

    @cached_property
    def cell_status(self) -> RecordReference | None:
        return _reference(self._answer("cell_status"))

    def _answer(self, name: str) -> dict[str, str] | None:
        if self._signed is not None:
            answer: dict[str, str] | None = self._signed["answers"][name]
            return answer
        return reference_values(getattr(self._assessment, name))

    @property
    def signed_missing(self) -> list[dict[str, str]] | None:
        """What was missing when signed (the PDF's list), or None before sign-off."""
        return list(self._signed["missing"]) if self._signed is not None else None


def record_names(assessment: Any) -> RecordNames:
    """Product, brand, supplier, lot, route and answers' names as the record says them."""
    return RecordNames(assessment)
