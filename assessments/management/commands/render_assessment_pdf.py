"""Write an assessment's PDF report to a file, for scripts.

python manage.py render_assessment_pdf 42 -o report.pdf
python manage.py render_assessment_pdf 42 -o - > report.pdf

A finalised assessment gives its stored, signed report byte for byte (its SHA-256 checked);
anything else is rendered now, watermarked DRAFT.
"""

import hashlib
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.errors import ReportRenderFailed
from assessments.models import Assessment
from assessments.reports.context import REPORT_TEMPLATE, load_for_report, report_context
from assessments.reports.pdf import render_pdf
from assessments.reports.storage import StoredReportCorrupt, read_verified_report


class Command(BaseCommand):
    help = (
        "Write the PDF report of assessment ID to FILE (or - for standard output). A finalised "
        "assessment gives its stored signed report; a draft or submitted one a DRAFT preview."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("id", type=int, help="The assessment's id (as in its URL).")
        parser.add_argument(
            "-o", "--output", required=True, help="Where to write the PDF; - for stdout."
        )
        parser.add_argument(
            "--site-url",
            default="",
            help="Base URL printed for the 'How ExoCheck decides' link, e.g. https://exocheck.example",
        )

    def handle(self, *args, **options):
        try:
            assessment = load_for_report(options["id"])
        except Assessment.DoesNotExist:
            raise CommandError(f"No assessment with id {options['id']}.") from None
        try:
            if assessment.is_finalised:
                data = read_verified_report(assessment)
                kind = "stored signed report"
            else:
                context = report_context(assessment, site_url=options["site_url"])
                data = render_pdf(REPORT_TEMPLATE, context)
                kind = "DRAFT preview"
        except StoredReportCorrupt as error:
            raise CommandError(f"The stored report failed its integrity check: {error}") from None
        except ReportRenderFailed as error:
            raise CommandError(f"The report could not be rendered: {error}") from None

        output = options["output"]
        if output == "-":
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            try:
                Path(output).write_bytes(data)
            except OSError as error:
                raise CommandError(f"Cannot write {output}: {error.strerror}") from None
        self.stderr.write(
            f"{assessment.document_id}: {kind}, {len(data)} bytes, "
            f"sha256 {hashlib.sha256(data).hexdigest()} -> {output}"
        )
