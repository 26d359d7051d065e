"""HTML → PDF: the one entry point every report render in the app goes through.

The template is rendered here; the PDF is made by WeasyPrint in a child process with a
time and memory limit (isolated.py), so no report, however long its answers, can hold a web
or task worker past PDF_RENDER_TIMEOUT_SECONDS. WeasyPrint is never imported by this
process on that path (it costs ~0.5 s to import, which every web process and management
command would otherwise pay at start-up).
"""

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from assessments.errors import ReportRenderFailed
from assessments.reports.engine import ASSETS_BASE_URL, ASSETS_DIR, write_pdf
from assessments.reports.isolated import render_isolated

__all__ = ["ASSETS_BASE_URL", "ASSETS_DIR", "html_to_pdf", "render_pdf"]


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """Render a Django template to PDF bytes. User text is escaped by the template engine."""
    return html_to_pdf(render_to_string(template_name, context))


def html_to_pdf(html: str, *, url_fetcher: Any = None) -> bytes:
    """The PDF of `html`, in the limited child process (settings.PDF_RENDER_ISOLATED, on
    everywhere but the test suite, whose render-limit tests turn it on).

    A `url_fetcher` object cannot cross into the child, so passing one (only tests of the
    fetcher do) renders in this process, without the limits."""
    if url_fetcher is None and settings.PDF_RENDER_ISOLATED:
        return render_isolated(html)
    return render_in_process(html, url_fetcher=url_fetcher)


def render_in_process(html: str, *, url_fetcher: Any = None) -> bytes:
    """WeasyPrint in this process: no time or memory limit. Not for the app's renders."""
    from weasyprint.urls import FatalURLFetchingError

    try:
        return write_pdf(html, url_fetcher=url_fetcher)
    except FatalURLFetchingError as error:
        # A BaseException in WeasyPrint; an ordinary Exception here so callers'
        # `except Exception` and transaction rollback handle it like any failure.
        raise ReportRenderFailed(f"The PDF report could not be produced: {error}") from error
