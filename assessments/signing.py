"""What a practice manager's signature means (21 CFR 11.50: every signed printout states it)."""

from django.db import models


class SignatureMeaning(models.TextChoices):
    REVIEWED = "reviewed", "Reviewed"
    APPROVED = "approved", "Approved"

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
}
