"""The assessment register: one row per assessment version, filtered, as CSV or XLSX.

Spreadsheet safety: a cell starting with = + - @ (or a tab/CR) is a formula to Excel and
LibreOffice. CSV cells like that get a leading apostrophe (OWASP "CSV injection"); XLSX
cells are typed as text, so they show as written and never run.
"""

import csv
import io
from datetime import datetime

from django import forms
from django.db.models.functions import Coalesce
from django.utils import timezone

from assessments.models import VERDICT_CHOICES, Assessment
from assessments.signed_record import record_missing
from suppliers.models import Supplier

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class RegisterFilterForm(forms.Form):
    supplier = forms.ModelChoiceField(
        queryset=Supplier.objects.none(), required=False, empty_label="Any supplier"
    )
    verdict = forms.ChoiceField(choices=[("", "Any verdict"), *VERDICT_CHOICES], required=False)
    status = forms.ChoiceField(
        choices=[("", "Any status"), *Assessment.Status.choices], required=False
    )
    date_from = forms.DateField(
        label="Dated from",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Signed-off date; for unsigned ones the submitted or started date.",
    )
    date_to = forms.DateField(
        label="Dated to", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = Supplier.objects.for_clinic(clinic)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date must be on or after the start date.")
        return cleaned

    def filters(self) -> dict:
        """The valid filters as plain values (stored on background jobs, put in links)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        supplier = data.get("supplier")
        return {
            "supplier": supplier.pk if supplier else None,
            "verdict": data.get("verdict") or "",
            "status": data.get("status") or "",
            "date_from": data["date_from"].isoformat() if data.get("date_from") else "",
            "date_to": data["date_to"].isoformat() if data.get("date_to") else "",
        }


def register_queryset(clinic, filters: dict):
    assessments = (
        Assessment.objects.for_clinic(clinic)
        .with_related()
        .select_related("submitted_by", "signed_by", "previous_version")
        .prefetch_related("next_versions")
        .annotate(register_date=Coalesce("finalised_at", "submitted_at", "created_at"))
        .order_by("-register_date", "-pk")
    )
    if filters.get("supplier"):
        assessments = assessments.of_supplier(filters["supplier"])
    if filters.get("verdict"):
        assessments = assessments.filter(verdict=filters["verdict"])
    if filters.get("status"):
        assessments = assessments.filter(status=filters["status"])
    if filters.get("date_from"):
        assessments = assessments.filter(register_date__date__gte=filters["date_from"])
    if filters.get("date_to"):
        assessments = assessments.filter(register_date__date__lte=filters["date_to"])
    return assessments


def _local(value) -> datetime | None:
    return timezone.localtime(value).replace(tzinfo=None, microsecond=0) if value else None


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _name(reference) -> str:
    return reference.name if reference else ""


def _superseded_by(assessment) -> str:
    newer = next(iter(assessment.next_versions.all()), None)
    return newer.document_id if newer else ""


def _missing(assessment) -> str:
    """The checklist's gaps, named as in the assessment's jurisdiction: as in its signed PDF
    once finalised (assessments/signed_record.py), from the live checklist before."""
    rows = record_missing(assessment, assessment.evidence_items.all())
    return "; ".join(_missing_entry(row) for row in rows)


def _missing_entry(row: dict) -> str:
    if row["level"] == "answer":
        return row["name"]
    return f"{row['name']} ({row['status_label'].lower()})"


COLUMNS = (
    ("Document ID", lambda a: a.document_id),
    ("Version", lambda a: a.version),
    ("Status", lambda a: a.get_status_display()),
    ("Verdict", lambda a: a.get_verdict_display() if a.verdict else ""),
    # Names as the record says them: as signed once finalised, so a renamed product or
    # supplier never makes the register disagree with the stored PDF.
    ("Supplier", lambda a: a.names.supplier.legal_name),
    ("Product", lambda a: a.names.product.name),
    ("Batch / lot", lambda a: a.names.batch_lot),
    ("Route", lambda a: _name(a.names.route)),
    ("Source (Q1)", lambda a: _name(a.names.source_category)),
    ("Cell status (Q2)", lambda a: _name(a.names.cell_status)),
    ("Jurisdiction", lambda a: a.jurisdiction),
    ("Ruleset", lambda a: a.ruleset_version),
    ("Findings", lambda a: len(a.findings or [])),
    ("What is missing", lambda a: _missing(a)),
    ("Started by", lambda a: _person(a.created_by)),
    ("Started at", lambda a: _local(a.created_at)),
    ("Submitted by", lambda a: _person(a.submitted_by)),
    ("Submitted at", lambda a: _local(a.submitted_at)),
    ("Signed by", lambda a: a.signed_name),
    ("Signer role", lambda a: a.signed_role),
    ("Signature meaning", lambda a: a.signature_meaning),
    ("Finalised at", lambda a: _local(a.finalised_at)),
    ("Supersedes", lambda a: a.previous_version.document_id if a.previous_version else ""),
    ("Superseded by", _superseded_by),
    ("Report SHA-256", lambda a: a.report_sha256),
)
HEADERS = [title for title, _ in COLUMNS]


def register_rows(assessments):
    # The documents feed the "What is missing" column (the same checklist as the PDF).
    assessments = assessments.prefetch_related("evidence_items__evidence_type")
    for assessment in assessments.iterator(chunk_size=500):
        yield [value(assessment) for _, value in COLUMNS]


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def register_csv(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    # The BOM makes Excel read the file as UTF-8 (supplier names are often not ASCII).
    return buffer.getvalue().encode("utf-8-sig")


def register_xlsx(rows) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Assessment register")
    bold = Font(bold=True)
    header = []
    for title in HEADERS:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
            elif isinstance(value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
