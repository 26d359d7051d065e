"""The approved-products register: one row per product, the one row function behind the
page, its CSV and XLSX downloads and the dashboard counts (so they always agree).

Reads: the clinic's products with their suppliers and what each one's status needs, in one
query whose cost does not grow with the number of assessments and that reads no signed
record; the status itself is the pure `lifecycle.status.derive()`. The signed records are
read only for the rows shown (a page) or exported (docs/performance.md). The unfiltered page
and the dashboard's counts read every product's status from entries kept under the clinic's
register stamp (register_cache.py), worked out by the same functions.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta

from django import forms
from django.core.paginator import Page
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from assessments.models import Assessment, EvidenceItem
from core.listing import page_of
from core.prepared import PreparedQuery
from lifecycle.recheck import RECHECK_LABEL, rules_changed
from lifecycle.register_cache import RegisterInputs, cached, register_inputs
from lifecycle.status import Outcome, Signed, Status, derive
from products.models import ExosomeProduct
from suppliers.forms import SupplierFilterField
from suppliers.models import Supplier

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
OPEN = (Assessment.Status.DRAFT, Assessment.Status.SUBMITTED)


class RegisterFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=200)
    status = forms.ChoiceField(
        choices=[("", "Any status"), *[(s.value, s.label) for s in Status]], required=False
    )
    supplier = SupplierFilterField()
    expiring_within = forms.IntegerField(
        label="Expiring within (days)", required=False, min_value=0, max_value=3650
    )

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].limit_to(clinic)

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
class RegisterProduct:
    """A product as the register reads it: plain values from one query (no model instances:
    at hundreds of products, building them was most of the dashboard's cost)."""

    pk: int
    name: str
    supplier_name: str
    latest_signed_pk: int | None
    latest_verdict: str | None
    latest_meaning: str | None  # the signature's meaning: a rejection is never an approval
    latest_signed_on: date | None  # the sign-off's local date
    documents_expire_on: date | None
    has_open: bool


@dataclass(frozen=True)
class RegisterRow:
    product: RegisterProduct
    outcome: Outcome
    assessment: Assessment | None
    rules_changed: bool = False

    @property
    def status(self) -> Status:
        return self.outcome.status

    @property
    def supplier_name(self) -> str:
        return self.product.supplier_name


def signed_of(product: RegisterProduct, latest: Assessment | None = None) -> Signed | None:
    """The plain values `derive()` reads about `product`'s latest signed assessment, or None.

    The status inputs come from `_products()`'s annotations: the assessment's verdict and
    sign-off time, and the earliest expiry among its provided documents. A finalised
    assessment and its evidence are immutable (assessments/immutability.py), so these are the
    values its signed record was built from. The conditions and the lot a row shows come from
    the signed record of `latest`, loaded only for the rows displayed or exported."""
    if not product.latest_signed_pk or product.latest_signed_on is None:
        return None
    record = (latest.signed_record or {}) if latest else {}
    findings = record.get("findings", latest.findings if latest else []) or []
    expiry = product.documents_expire_on
    return Signed(
        verdict=product.latest_verdict or "",
        meaning=product.latest_meaning or "",
        finalised_on=product.latest_signed_on,
        document_expiries=(expiry,) if expiry else (),
        cautions=tuple(f["title"] for f in findings if f.get("severity") == "caution"),
        lot=record.get("batch_lot", latest.batch_lot if latest else ""),
    )


# What a displayed row reads of its latest signed assessment: the signed record, never the
# answers.
LATEST_FIELDS = (
    "pk", "product_id", "status", "verdict", "findings", "batch_lot",
    "finalised_at", "signed_record", "version", "clinic_id",
)  # fmt: skip


def products_query(
    *, clinic_id: int, q: str = "", supplier_id: int | None = None, pks: list[int] | None = None
):
    """The clinic's products, each annotated with what its status needs: its latest signed
    assessment (pk, verdict, sign-off time, earliest expiry of its provided documents) and
    whether one is open (draft or in review). Each is a subquery the (product, status,
    −finalised_at) index or the evidence's assessment index answers, so the cost follows the
    number of products, not of assessments (tests/lifecycle/test_register_plan.py); no
    signed record (JSON) is read here."""
    of_product = Assessment.objects.filter(product=OuterRef("pk"))
    latest = of_product.filter(status=Assessment.Status.FINALISED).order_by("-finalised_at", "-pk")
    products = (
        ExosomeProduct.objects.for_clinic(clinic_id)
        .search(q)
        .annotate(
            latest_signed_pk=Subquery(latest.values("pk")[:1]),
            latest_verdict=Subquery(latest.values("verdict")[:1]),
            latest_meaning=Subquery(latest.values("signature_meaning")[:1]),
            latest_finalised_at=Subquery(latest.values("finalised_at")[:1]),
            has_open=Exists(of_product.filter(status__in=OPEN)),
        )
        .annotate(
            documents_expire_on=Subquery(
                EvidenceItem.objects.filter(
                    assessment_id=OuterRef("latest_signed_pk"),
                    provided=True,
                    expires_on__isnull=False,
                )
                .order_by("expires_on")
                .values("expires_on")[:1]
            )
        )
        .order_by("name", "pk")
    )
    if supplier_id is not None:
        products = products.filter(supplier_id=supplier_id)
    if pks is not None:
        products = products.filter(pk__in=pks)
    return products.values_list(
        "pk", "name", "supplier__trading_name", "supplier__legal_name", "latest_signed_pk",
        "latest_verdict", "latest_meaning", "latest_finalised_at", "documents_expire_on",
        "has_open",
    )  # fmt: skip


# The dashboard's counts and the unfiltered register read every product of the clinic on
# each request: that query is compiled once (core/prepared.py); filtered ones go through
# the ORM as usual.
EVERY_PRODUCT = PreparedQuery(products_query, ids=("clinic_id",))


def _products(clinic, filters: dict, pks: list[int] | None = None) -> list[RegisterProduct]:
    """`products_query()`'s rows as plain values (only `pks`' when given)."""
    q, supplier = filters.get("q", ""), filters.get("supplier") or None
    if q or supplier or pks is not None:
        found = list(products_query(clinic_id=clinic.pk, q=q, supplier_id=supplier, pks=pks))
    else:
        found = EVERY_PRODUCT.rows(clinic_id=clinic.pk)
    zone = timezone.get_current_timezone()  # once: each lookup costs more than the row
    return [
        RegisterProduct(
            pk=pk,
            name=name,
            supplier_name=Supplier.display_name(legal_name, trading_name),
            latest_signed_pk=latest_pk,
            latest_verdict=verdict,
            latest_meaning=meaning,
            latest_signed_on=finalised_at.astimezone(zone).date() if finalised_at else None,
            documents_expire_on=expires,
            has_open=bool(has_open),
        )
        for (
            pk, name, trading_name, legal_name, latest_pk, verdict, meaning, finalised_at,
            expires, has_open,
        ) in found
    ]  # fmt: skip


def _row(
    product: RegisterProduct, *, today: date, interval_months: int, latest=None, recheck=False
) -> RegisterRow:
    outcome = derive(
        signed=signed_of(product, latest),
        has_open=product.has_open,
        today=today,
        interval_months=interval_months,
    )
    changed = recheck and latest is not None and rules_changed(latest)
    return RegisterRow(product, outcome, latest, changed)


def _wanted(status: Status, until: date | None, filters: dict, today: date) -> bool:
    if filters.get("status") and status != filters["status"]:
        return False
    within = filters.get("expiring_within")
    if within is not None:
        live = status in (Status.APPROVED, Status.CONDITIONAL)
        return bool(live and until and until <= today + timedelta(days=within))
    return True


def _outline(clinic, filters: dict, *, today: date, interval_months: int) -> list[RegisterRow]:
    """The filtered rows with their status and valid-until date, from column values only:
    what filtering, counting and paging need. `_complete()` adds the rest to the rows used."""
    rows = (
        _row(p, today=today, interval_months=interval_months) for p in _products(clinic, filters)
    )
    return [row for row in rows if _wanted(row.status, row.outcome.valid_until, filters, today)]


# A product in the kept outline: its pk, status and valid-until date (an ordinal), plain
# values so that reading 500 of them back from the cache costs a fraction of a millisecond.
Entry = tuple[int, str, int | None]


def _entries(clinic, *, today: date, inputs: RegisterInputs) -> list[Entry]:
    """Every product's entry, in the register's order, kept between requests until the
    clinic's stamp changes (register_cache.py): what the unfiltered page's status and
    expiry filters, its count and paging, and the dashboard's counts need."""

    def work() -> list[Entry]:
        return [
            (row.product.pk, row.status.value, _ordinal(row.outcome.valid_until))
            for row in _outline(clinic, {}, today=today, interval_months=inputs.interval_months)
        ]

    return cached(inputs, "entries", today=today, work=work)


def _ordinal(day: date | None) -> int | None:
    return day.toordinal() if day else None


def _day(ordinal: int | None) -> date | None:
    return date.fromordinal(ordinal) if ordinal else None


def _wanted_entries(entries: list[Entry], filters: dict, today: date) -> list[Entry]:
    if not filters.get("status") and filters.get("expiring_within") is None:
        return entries
    return [e for e in entries if _wanted(Status(e[1]), _day(e[2]), filters, today)]


def _complete(
    rows: list[RegisterRow], *, today: date, interval_months: int, recheck: bool
) -> list[RegisterRow]:
    """`rows` with their latest signed assessments (one query for all of them): the
    conditions and lot from the signed record, and whether the rules changed since."""
    wanted = [row.product.latest_signed_pk for row in rows if row.product.latest_signed_pk]
    latest = Assessment.objects.only(*LATEST_FIELDS).in_bulk(wanted)
    return [
        _row(
            row.product,
            today=today,
            interval_months=interval_months,
            latest=latest.get(row.product.latest_signed_pk),
            recheck=recheck,
        )
        for row in rows
    ]


def register_rows(clinic, filters: dict, *, today: date, recheck: bool = True) -> list[RegisterRow]:
    """Every filtered row, complete; `recheck=False` skips re-running the rules."""
    interval = register_inputs(clinic).interval_months
    rows = _outline(clinic, filters, today=today, interval_months=interval)
    return _complete(rows, today=today, interval_months=interval, recheck=recheck)


def register_page(
    clinic, filters: dict, *, today: date, number, per_page: int
) -> Page[RegisterRow]:
    """Page `number` of the filtered rows: every row's status is worked out (the filters and
    the count need it), only the page's rows are completed. Without a search or supplier
    filter, the statuses come from the kept entries and only the page's products are read."""
    inputs = register_inputs(clinic)
    interval = inputs.interval_months
    if filters.get("q") or filters.get("supplier"):
        page = page_of(
            _outline(clinic, filters, today=today, interval_months=interval), number, per_page
        )
        rows = list(page.object_list)
    else:
        entries = _wanted_entries(_entries(clinic, today=today, inputs=inputs), filters, today)
        page = page_of(entries, number, per_page)
        pks = [entry[0] for entry in page.object_list]
        found = {product.pk: product for product in _products(clinic, {}, pks=pks)}
        # A product deleted since the entries were kept is left out.
        rows = [_row(found[pk], today=today, interval_months=interval) for pk in pks if pk in found]
    page.object_list = _complete(rows, today=today, interval_months=interval, recheck=True)
    return page


def counts(clinic, *, today: date, days: int = 30) -> dict[str, int]:
    """The dashboard's expiring and expired counts, from the kept entries."""
    entries = _entries(clinic, today=today, inputs=register_inputs(clinic))
    soon = (today + timedelta(days=days)).toordinal()
    live = (Status.APPROVED, Status.CONDITIONAL)
    return {
        "expiring": sum(
            1 for _, status, until in entries if status in live and until and until <= soon
        ),
        "expired": sum(1 for _, status, _ in entries if status == Status.EXPIRED),
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
