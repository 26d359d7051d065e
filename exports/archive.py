"""Signed reports packed into one ZIP: each stored PDF exactly as signed (its SHA-256
re-checked on the way in) plus a SHA256SUMS.txt that `sha256sum -c` can verify."""

import zipfile
from collections.abc import Callable, Iterable

from django.utils.text import slugify

from assessments.models import Assessment
from assessments.reports.storage import StoredReportCorrupt, read_verified_report

# Up to this many reports are zipped inside the request; more go to the background worker.
SYNC_LIMIT = 20


def finalised_for_export(clinic, ids: Iterable[int]):
    return Assessment.objects.for_clinic(clinic).finalised().filter(pk__in=list(ids)).order_by("pk")


def report_filename(assessment: Assessment) -> str:
    """Named as signed (assessments/signed_record.py): the same product name as the PDF
    inside, whatever the product is called now. The snapshot needs no join to read it."""
    names = assessment.names
    return f"{names.document_id}-{slugify(names.product.name)[:60] or 'report'}.pdf"


def write_reports_zip(
    assessments: Iterable[Assessment],
    fileobj,
    *,
    on_progress: Callable[[int], None] | None = None,
) -> list[str]:
    """Write the ZIP to `fileobj`; returns the document ids left out because their stored
    report failed its integrity check (listed in the ZIP's README too)."""
    sums, refused = [], []
    # PDFs are already compressed: storing them keeps the worker's CPU for the web pages.
    with zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_STORED) as archive:
        for done, assessment in enumerate(assessments, start=1):
            try:
                data = read_verified_report(assessment)
            except StoredReportCorrupt:
                refused.append(assessment.document_id)
            else:
                name = report_filename(assessment)
                archive.writestr(name, data)
                sums.append(f"{assessment.report_sha256}  {name}")
            if on_progress:
                on_progress(done)
        archive.writestr("SHA256SUMS.txt", "\n".join(sums) + "\n")
        if refused:
            archive.writestr(
                "NOT-INCLUDED.txt",
                "These reports failed their integrity check and were left out:\n"
                + "\n".join(refused)
                + "\n",
            )
    return refused
