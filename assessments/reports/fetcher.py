"""The only way WeasyPrint may load anything while rendering a report.

WeasyPrint's default fetcher follows file:, http:, ftp: and redirects, so a URL that reached
the HTML (or CSS) could read local files or reach internal services (SSRF). This fetcher
allows `data:` URIs and `file:` URLs that resolve inside the report assets folder (fonts and
print CSS shipped with the app); everything else is refused without touching the network or
the disk.

Importing this module imports WeasyPrint (about 0.5 s): only `pdf.py` imports it, lazily.
"""

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

ASSETS_DIR = (Path(__file__).resolve().parent / "assets").resolve()

logger = logging.getLogger("exocheck.reports")


class ResourceRefused(FatalURLFetchingError):
    """Raised for a URL outside the allow-list; stops the render (it is a BaseException)."""

    def __init__(self, url: str):
        super().__init__(f"Report rendering refused to load {shorten(url)}")
        self.url = url


def shorten(url: str, limit: int = 120) -> str:
    return url if len(url) <= limit else url[:limit] + "…"


def asset_path(url: str) -> Path | None:
    """The file inside ASSETS_DIR that a file: URL names, or None if it names anything else."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        return None
    # resolve() follows symlinks and "..", so neither can lead out of the folder.
    path = Path(unquote(parts.path)).resolve()
    if not path.is_relative_to(ASSETS_DIR) or not path.is_file():
        return None
    return path


class SafeURLFetcher(URLFetcher):
    """Serves data: URIs and the app's own report assets; refuses everything else.

    strict=True (reports): a refused URL aborts the render, so a report never silently
    lacks something. strict=False: the resource is skipped and the render goes on; the
    refused URLs are listed in `self.refused` either way.
    """

    def __init__(self, *, strict: bool = True):
        super().__init__(
            timeout=1,
            allowed_protocols={"data", "file"},
            allow_redirects=False,
            fail_on_errors=strict,
        )
        self.strict = strict
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            # urllib's DataHandler decodes it in memory; nothing is opened.
            return super().fetch(url, headers)
        path = asset_path(url)
        if path is None:
            self.refused.append(url)
            logger.warning("PDF render refused a resource: %s", shorten(url))
            if self.strict:
                raise ResourceRefused(url)
            raise ValueError(f"refused by ExoCheck's report fetcher: {shorten(url)}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if path.suffix == ".ttf":
            content_type = "font/ttf"
        elif path.suffix == ".css":
            content_type = "text/css; charset=utf-8"
        return URLFetcherResponse(
            path.as_uri(), body=path.read_bytes(), headers={"Content-Type": content_type}
        )
