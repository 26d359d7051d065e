"""What a practice manager's signature means (21 CFR 11.50: every signed printout states it)."""

from django.db import models


class SignatureMeaning(models.TextChoices):
    REVIEWED = "reviewed", "Reviewed"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"

    @property
    def statement(self) -> str:
        return _STATEMENTS[self]


_STATEMENTS = {
    SignatureMeaning.REVIEWED: (
        "I have reviewed the supplier's answers, the evidence and the findings in this record."
    ),
    SignatureMeaning.APPROVED: (
        "I have reviewed this record and approve its conclusion for the clinic's purchasing "
        "decision."
    ),
    SignatureMeaning.REJECTED: (
        "I have reviewed this record and reject the product: the clinic will not purchase or "
        "use it as assessed."
    ),
}

# What a signature may mean for each verdict: a product that is not permitted, or whose
# safety cannot be shown, can be reviewed or rejected, never approved.
_MEANINGS_FOR_VERDICT = {
    "not-permitted": (SignatureMeaning.REVIEWED, SignatureMeaning.REJECTED),
    "insufficient-information": (SignatureMeaning.REVIEWED, SignatureMeaning.REJECTED),
    "conditional": (
        SignatureMeaning.REVIEWED,
        SignatureMeaning.APPROVED,
        SignatureMeaning.REJECTED,
    ),
    "acceptable": (
        SignatureMeaning.REVIEWED,
        SignatureMeaning.APPROVED,
        SignatureMeaning.REJECTED,
    ),
}


def meanings_for(verdict: str) -> tuple[SignatureMeaning, ...]:
    """The meanings a signature may have on an assessment with this verdict."""
    return _MEANINGS_FOR_VERDICT.get(verdict, (SignatureMeaning.REVIEWED,))
