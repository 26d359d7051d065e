"""HTML → PDF. The one place WeasyPrint is used, imported lazily (it costs ~0.5 s to import,
which every web process and management command would otherwise pay at start-up)."""

from pathlib import Path

from django.template.loader import render_to_string

from assessments.errors import ReportRenderFailed

ASSETS_DIR = (Path(__file__).resolve().parent / "assets").resolve()
# Relative URLs in report templates (print CSS, fonts) resolve inside the assets folder.
ASSETS_BASE_URL = ASSETS_DIR.as_uri() + "/"


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a Django template to PDF bytes. User text is escaped by the template engine."""
    return html_to_pdf(render_to_string(template_name, context))


def html_to_pdf(html: str, *, url_fetcher=None) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    from assessments.reports.fetcher import SafeURLFetcher

    fetcher = url_fetcher or SafeURLFetcher(strict=True)
    try:
        document = HTML(string=html, base_url=ASSETS_BASE_URL, url_fetcher=fetcher).render()
        _drop_attachments(document)
        return document.write_pdf()
    except FatalURLFetchingError as error:
        # A BaseException in WeasyPrint; an ordinary Exception here so callers'
        # `except Exception` and transaction rollback handle it like any failure.
        raise ReportRenderFailed(f"The PDF report could not be produced: {error}") from error


def _drop_attachments(document) -> None:
    """Reports never carry embedded files: no <link rel=attachment>, no attachment links."""
    document.metadata.attachments = []
    for page in document.pages:
        page.links = [link for link in page.links if link[0] != "attachment"]
