"""Errors the export services raise; views turn them into messages (or a 404 for a file).

Each carries a sentence a user can act on, so `str(error)` is what the message shows. A
refusal by the role matrix is clinics.errors.NotAllowed, as in every other app.
"""


class ExportError(Exception):
    """Base class: this export cannot be made or served."""

    default_message = "This export cannot be made."

    def __init__(self, message: str | None = None):
        super().__init__(message or self.default_message)


class NothingToExport(ExportError):
    """No finalised report of this clinic is among those chosen."""

    default_message = "Choose at least one signed (finalised) report to download."


class ExportNotReady(ExportError):
    default_message = "This export is not ready."


class ExportCorrupt(ExportError):
    """The stored ZIP no longer matches the SHA-256 recorded when it was built."""

    default_message = "This export failed its integrity check."
