"""Domain errors raised by assessment services; views turn them into messages.

Each carries a sentence a user can act on, so `str(error)` is what the message shows.
"""


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


class SelfSignOff(AssessmentError):
    """Four eyes: whoever submitted an assessment does not also sign it off."""

    default_message = (
        "You submitted this assessment, so another practice manager must sign it off. A clinic "
        "admin can allow single-person sign-off for a one-person clinic."
    )


class NotAllowed(AssessmentError):
    default_message = "Your role in this clinic does not allow this."


class ReportRenderFailed(AssessmentError):
    """The PDF could not be produced (e.g. it asked for a resource the fetcher refuses)."""

    default_message = "The PDF report could not be produced, so nothing was signed. Try again."


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
