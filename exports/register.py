"""The assessment register: one row per assessment version, filtered; its filters, its
columns and the rows read in chunks. exports/register_files.py writes them as CSV or XLSX.
"""

from datetime import datetime

from django import forms
from django.db.models import Prefetch
from django.utils import timezone

from assessments.checklist import checklist_for
from assessments.models import VERDICT_CHOICES, Assessment, register_date
from assessments.signed_record import missing_rows
from products.models import EvidenceType
from suppliers.forms import SupplierFilterField


class RegisterFilterForm(forms.Form):
    supplier = SupplierFilterField()
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
        self.fields["supplier"].limit_to(clinic)

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
    """The clinic's assessments the filters match, newest first: what the register page
    lists (the file adds its own columns in register_rows)."""
    assessments = (
        Assessment.objects.for_clinic(clinic)
        .with_related()
        .annotate(register_date=register_date())
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
    once finalised (assessments/signed_record.py), from the live checklist before — with
    the document types register_rows read once, so no row queries for them."""
    rows = assessment.names.signed_missing
    if rows is None:
        checklist = checklist_for(
            assessment,
            items=assessment.evidence_items.all(),
            evidence_types=getattr(assessment, "register_evidence_types", None),
        )
        rows = missing_rows(checklist)
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
    ("Supplier", lambda a: str(a.names.supplier)),  # Supplier.display_name, as every page
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


# Rows are read from the database this many at a time (one query per relation per chunk):
# memory stays flat however many assessments the clinic has. A finalised row's signed record
# parses to ~50 KB of Python objects: a chunk of 200 peaked at ~15 MB of Python objects
# (benchmarks/bench_export_memory.py), one of 500 at ~40 MB, for 2.5x fewer queries.
CHUNK_SIZE = 200
# Columns no register cell reads; the large answers stay loaded, since the live checklist of
# an unsigned assessment ("What is missing") reads them.
UNREAD_COLUMNS = (
    "public_id",
    "current_step",
    "updated_at",
    "review_comment",
    "sign_off_statement",
    "report_pdf",
)
UNREAD_USER_COLUMNS = ("password", "last_login", "email", "date_joined")


def export_shape(assessments):
    """`assessments` with what the register's columns read, and only that: the people's
    names, the neighbouring versions' document ids, the documents for "What is missing"."""
    users = [
        f"{who}__{name}" for who in ("created_by", "submitted_by") for name in UNREAD_USER_COLUMNS
    ]
    versions = Assessment.objects.only("id", "clinic_id", "version", "previous_version_id")
    return (
        assessments.select_related("submitted_by")
        .defer(*UNREAD_COLUMNS, *users)
        .prefetch_related(
            Prefetch("previous_version", queryset=versions),
            Prefetch("next_versions", queryset=versions),
            "evidence_items__evidence_type",
        )
    )


def register_rows(assessments):
    """One list of cell values per assessment, read CHUNK_SIZE rows at a time."""
    evidence_types = EvidenceType.objects.in_bulk(field_name="slug")  # a few dozen rows
    for assessment in export_shape(assessments).iterator(chunk_size=CHUNK_SIZE):
        assessment.register_evidence_types = evidence_types
        yield [value(assessment) for _, value in COLUMNS]
        # Prefetched rows point back at their assessment (a reference cycle), which only the
        # garbage collector's rare full pass would free: memory grew to ~50 MB over 10,000
        # rows. Dropping the caches once the row is written lets each chunk go at once.
        assessment._prefetched_objects_cache = {}
        assessment._state.fields_cache = {}
