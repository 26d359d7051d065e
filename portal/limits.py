"""Caps on what one request may receive (settings override them)."""

from django.conf import settings


def max_files() -> int:
    """Files one request may hold (uploads; library documents chosen do not count)."""
    return getattr(settings, "PORTAL_MAX_FILES_PER_REQUEST", 40)


def max_bytes() -> int:
    """Bytes all the uploads of one request may add up to."""
    return getattr(settings, "PORTAL_MAX_BYTES_PER_REQUEST", 200 * 1024 * 1024)
