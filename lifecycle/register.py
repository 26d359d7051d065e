"""The approved-products register: one row per product, the one row function behind the
page, its CSV and XLSX downloads and the dashboard counts (so they always agree).

Reads: the clinic's products with their suppliers and each one's latest signed assessment in
a constant number of queries that do not grow with the number of assessments; the status
itself is the pure `lifecycle.status.derive()`.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta

from django import forms
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from assessments.models import Assessment
from lifecycle.models import LifecycleSettings
from lifecycle.recheck import RECHECK_LABEL, rules_changed
from lifecycle.status import Outcome, Signed, Status, derive
from products.models import ExosomeProduct
from suppliers.models import Supplier

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
OPEN = (Assessment.Status.DRAFT, Assessment.Status.SUBMITTED)


class RegisterFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=200)
    status = forms.ChoiceField(
        choices=[("", "Any status"), *[(s.value, s.label) for s in Status]], required=False
    )
    supplier = forms.ModelChoiceField(
        queryset=Supplier.objects.none(), required=False, empty_label="Any supplier"
    )
    expiring_within = forms.IntegerField(
        label="Expiring within (days)", required=False, min_value=0, max_value=3650
    )

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = Supplier.objects.for_clinic(clinic)

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        supplier = data.get("supplier")
        return {
            "q": data.get("q") or "",
            "status": data.get("status") or "",
            "supplier": supplier.pk if supplier else None,
            "expiring_within": data.get("expiring_within"),
        }


@dataclass(frozen=True)
class RegisterRow:
    product: ExosomeProduct
    supplier_name: str
    outcome: Outcome
    assessment: Assessment | None
    rules_changed: bool = False

    @property
    def status(self) -> Status:
        return self.outcome.status


def signed_of(assessment: Assessment) -> Signed:
    """The plain values `derive()` reads, from the signed record only (never written)."""
    record = assessment.signed_record or {}
    expiries = tuple(
        date.fromisoformat(item["expires_on"])
        for item in record.get("evidence", [])
        if item.get("provided") and item.get("expires_on")
    )
    findings = record.get("findings", assessment.findings) or []
    return Signed(
        verdict=record.get("verdict", assessment.verdict),
        finalised_on=timezone.localdate(assessment.finalised_at),
        document_expiries=expiries,
        cautions=tuple(f["title"] for f in findings if f.get("severity") == "caution"),
        lot=record.get("batch_lot", assessment.batch_lot),
    )


# What a row reads of its latest signed assessment: the signed record, never the answers.
LATEST_FIELDS = (
    "pk", "product_id", "status", "verdict", "findings", "batch_lot",
    "finalised_at", "signed_record", "version", "clinic_id",
)  # fmt: skip


def _products(clinic, filters: dict):
    """The clinic's products, each annotated with the pk of its latest signed assessment and
    whether one is open (draft or in review): two subqueries the (clinic, status, date)
    indexes answer, so the cost does not grow with the number of assessments."""
    of_product = Assessment.objects.filter(product=OuterRef("pk"))
    products = (
        ExosomeProduct.objects.for_clinic(clinic)
        .search(filters.get("q", ""))
        .select_related("supplier")
        .annotate(
            latest_signed_pk=Subquery(
                of_product.filter(status=Assessment.Status.FINALISED)
                .order_by("-finalised_at", "-pk")
                .values("pk")[:1]
            ),
            has_open=Exists(of_product.filter(status__in=OPEN)),
        )
        .order_by("name", "pk")
    )
    if filters.get("supplier"):
        products = products.filter(supplier_id=filters["supplier"])
    return products


def _with_latest(products) -> list[ExosomeProduct]:
    """Attach each product's latest signed assessment (one query for all of them)."""
    products = list(products)
    wanted = [p.latest_signed_pk for p in products if p.latest_signed_pk]
    latest = Assessment.objects.only(*LATEST_FIELDS).in_bulk(wanted)
    for product in products:
        product.latest_signed = latest.get(product.latest_signed_pk)
    return products


def product_row(
    product: ExosomeProduct, *, today: date, interval_months: int, recheck: bool = True
) -> RegisterRow:
    """`product` as `_with_latest` gives it (`latest_signed`, `has_open`)."""
    latest = product.latest_signed
    outcome = derive(
        signed=signed_of(latest) if latest else None,
        has_open=product.has_open,
        today=today,
        interval_months=interval_months,
    )
    supplier = product.supplier
    changed = recheck and latest is not None and rules_changed(latest)
    return RegisterRow(
        product, supplier.trading_name or supplier.legal_name, outcome, latest, changed
    )


def _wanted(row: RegisterRow, filters: dict, today: date) -> bool:
    if filters.get("status") and row.status != filters["status"]:
        return False
    within = filters.get("expiring_within")
    if within is not None:
        until = row.outcome.valid_until
        live = row.status in (Status.APPROVED, Status.CONDITIONAL)
        return bool(live and until and until <= today + timedelta(days=within))
    return True


def register_rows(clinic, filters: dict, *, today: date, recheck: bool = True) -> list[RegisterRow]:
    """The filtered rows; `recheck=False` skips re-running the rules (the counts)."""
    interval = LifecycleSettings.interval_for(clinic)
    rows = (
        product_row(p, today=today, interval_months=interval, recheck=recheck)
        for p in _with_latest(_products(clinic, filters))
    )
    return [row for row in rows if _wanted(row, filters, today)]


def counts(clinic, *, today: date, days: int = 30) -> dict[str, int]:
    rows = register_rows(clinic, {}, today=today, recheck=False)
    soon = today + timedelta(days=days)
    live = (Status.APPROVED, Status.CONDITIONAL)
    return {
        "expiring": sum(
            1
            for r in rows
            if r.status in live and r.outcome.valid_until and r.outcome.valid_until <= soon
        ),
        "expired": sum(1 for r in rows if r.status == Status.EXPIRED),
        "days": days,
    }


COLUMNS = (
    ("Product", lambda r: r.product.name),
    ("Supplier", lambda r: r.supplier_name),
    ("Status", lambda r: r.status.label),
    ("Valid until", lambda r: r.outcome.valid_until),
    ("Lots covered", lambda r: r.outcome.lot),
    ("Conditions", lambda r: "; ".join(r.outcome.cautions)),
    ("Signed assessment", lambda r: r.assessment.document_id if r.assessment else ""),
    ("Action needed", lambda r: RECHECK_LABEL if r.rules_changed else ""),
)
HEADERS = [title for title, _ in COLUMNS]


def row_cells(row: RegisterRow) -> list:
    """The one row function: page, CSV and XLSX show exactly these values."""
    return [value(row) for _, value in COLUMNS]


def _csv_cell(value) -> str:
    if value is None:
        return ""
    text = value.isoformat() if isinstance(value, date) else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def register_csv(rows: list[RegisterRow]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row_cells(row)])
    return buffer.getvalue().encode("utf-8-sig")


def register_xlsx(rows: list[RegisterRow]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Approved products")
    sheet.append(HEADERS)
    for row in rows:
        cells = []
        for value in row_cells(row):
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula
            elif isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
