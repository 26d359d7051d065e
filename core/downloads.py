"""File downloads with one set of security headers (ASVS 4.1, 5.3).

Everything a user downloads — evidence, stored and draft reports, register exports, ZIPs —
holds clinic records: never cached by browsers or proxies, never sniffed into another type,
never rendered as a page of this origin if a browser ignores the download.
"""

from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header

SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox; default-src 'none'",
}


def _secured(response):
    for name, value in SECURITY_HEADERS.items():
        response[name] = value
    return response


def attachment(data: bytes, *, filename: str, content_type: str) -> HttpResponse:
    """Bytes held in memory, as a download."""
    response = HttpResponse(data, content_type=content_type)
    # Django's own quoting: a filename with quotes or non-ASCII text stays one safe header.
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Content-Length"] = str(len(data))
    return _secured(response)


def streamed_attachment(handle, *, filename: str, content_type: str) -> FileResponse:
    """An open file, streamed in chunks (it is closed when the response is)."""
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    return _secured(response)
