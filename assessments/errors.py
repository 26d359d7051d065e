"""Domain errors raised by assessment services; views turn them into messages.

Each carries a sentence a user can act on, so `str(error)` is what the message shows.
The permission error is clinics.errors.NotAllowed (one class for every app's services),
re-exported here with its SecondFactorRequired (a signer without a confirmed authenticator
app: clinics.services.require_action refuses them before anything is checked); neither is
an AssessmentError, so views catch them next to AssessmentError.
"""

from clinics.errors import NotAllowed, SecondFactorRequired

__all__ = [
    "AssessmentChanged",
    "AssessmentError",
    "AssessmentIncomplete",
    "AssessmentLocked",
    "AssessmentNotEditable",
    "EvidenceConflict",
    "NewVersionExists",
    "NotAllowed",
    "NotFinalised",
    "NotSubmitted",
    "ReportRenderFailed",
    "ReportTooLarge",
    "SecondFactorRequired",
    "SelfSignOff",
    "WrongCode",
    "WrongPassword",
]


class AssessmentError(Exception):
    """Base class: something the user asked for cannot be done to this assessment."""

    default_message = "This assessment cannot be changed that way."

    def __init__(self, message: str | None = None):
        super().__init__(message or self.default_message)


class AssessmentLocked(AssessmentError):
    """A finalised (signed) assessment is a record: it is never edited, only superseded."""

    default_message = (
        "This assessment is finalised and cannot be changed. Start a new version to correct it."
    )


class NotSubmitted(AssessmentError):
    default_message = "Only an assessment submitted for review can be returned or signed off."


class NotFinalised(AssessmentError):
    default_message = "Only a finalised assessment can have a new version."


class NewVersionExists(AssessmentError):
    """Versions form a chain: each finalised assessment is superseded at most once."""

    default_message = "A newer version of this assessment already exists."

    def __init__(self, message: str | None = None, *, newer=None):
        super().__init__(message)
        self.newer = newer


class WrongPassword(AssessmentError):
    default_message = "That password is not correct. Signing needs your own account password."


class WrongCode(WrongPassword):
    """The second component of the signature (21 CFR 11.200): a current code from the
    signer's authenticator app. Counted with wrong passwords (clinics/throttle.py)."""

    default_message = (
        "That code is not right, or was already used. Enter the 6-digit code your "
        "authenticator app shows now (recovery codes cannot sign)."
    )


class SelfSignOff(AssessmentError):
    """Four eyes: whoever submitted an assessment does not also sign it off."""

    default_message = (
        "You submitted this assessment, so another practice manager must sign it off. A clinic "
        "admin can allow single-person sign-off for a one-person clinic."
    )


class ReportRenderFailed(AssessmentError):
    """The PDF could not be produced (e.g. it asked for a resource the fetcher refuses)."""

    default_message = "The PDF report could not be produced, so nothing was signed. Try again."


class ReportTooLarge(ReportRenderFailed):
    """The render went over its time or memory limit (PDF_RENDER_TIMEOUT_SECONDS,
    PDF_RENDER_MEMORY_MB) and was stopped; assessments/reports/isolated.py says which."""

    default_message = (
        "The report is too large to produce, so it was stopped and nothing was saved or "
        "signed. Shorten the longest texts (the ingredient list, the claims or the supplier's "
        "answers) and try again."
    )


class AssessmentChanged(AssessmentError):
    """The assessment (or one of its documents) changed while its report was rendering: the
    signature would be on a report that no longer matches the record, so nothing is signed."""

    default_message = (
        "The assessment changed while the report was being prepared; open it again and sign."
    )


# Drafting: only drafts change, and submitting needs the clinic's own answers.
class AssessmentNotEditable(AssessmentError):
    """The assessment is no longer a draft."""

    def __init__(self, assessment) -> None:
        self.assessment = assessment
        super().__init__(
            f"This assessment is {assessment.get_status_display().lower()}: it can no longer "
            "be changed."
        )


class AssessmentIncomplete(AssessmentError):
    """Submitting needs the answers the report cannot do without."""

    def __init__(self, missing: list[tuple[int, str]]) -> None:
        self.missing = missing  # [(step, what is missing)]
        super().__init__("Before submitting: " + "; ".join(text for _, text in missing) + ".")


class EvidenceConflict(AssessmentError):
    """A document cannot be both on file and recorded as not provided."""
