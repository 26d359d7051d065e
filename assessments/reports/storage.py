"""Reading a finalised assessment's stored report, only if it is still the bytes that were
signed: every read re-checks the SHA-256 recorded at sign-off."""

import hashlib


class StoredReportCorrupt(Exception):
    """The stored report is missing, unreadable, or no longer hashes to the recorded SHA-256."""


def read_verified_report(assessment) -> bytes:
    if not assessment.report_pdf or not assessment.report_sha256:
        raise StoredReportCorrupt("no stored report")
    try:
        with assessment.report_pdf.open("rb") as stored:
            data = stored.read()
    except OSError as error:
        raise StoredReportCorrupt(f"cannot read the stored report: {error}") from error
    digest = hashlib.sha256(data).hexdigest()
    if digest != assessment.report_sha256:
        raise StoredReportCorrupt(f"sha256 {digest} != recorded {assessment.report_sha256}")
    return data
