"""WeasyPrint itself: HTML string → PDF bytes with the strict fetcher and no attachments.

No Django and no project settings: the render child (render_child.py) runs this in a fresh
interpreter, and pdf.py runs it in-process where a test needs that. WeasyPrint is imported
lazily (about 0.5 s), so importing this module costs nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

ASSETS_DIR = (Path(__file__).resolve().parent / "assets").resolve()
# Relative URLs in report templates (print CSS, fonts) resolve inside the assets folder.
ASSETS_BASE_URL = ASSETS_DIR.as_uri() + "/"


def write_pdf(html: str, *, url_fetcher: Any = None) -> bytes:
    """The PDF of `html`. A refused resource raises WeasyPrint's FatalURLFetchingError (a
    BaseException) when the fetcher is strict, which the default one is."""
    from weasyprint import HTML

    from assessments.reports.fetcher import SafeURLFetcher

    fetcher = url_fetcher or SafeURLFetcher(strict=True)
    document = HTML(string=html, base_url=ASSETS_BASE_URL, url_fetcher=fetcher).render()
    drop_attachments(document)
    pdf: bytes = document.write_pdf()
    return pdf


def drop_attachments(document: Any) -> None:
    """Reports never carry embedded files: no <link rel=attachment>, no attachment links."""
    document.metadata.attachments = []
    for page in document.pages:
        page.links = [link for link in page.links if link[0] != "attachment"]
