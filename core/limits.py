"""The longest free text ExoCheck stores on an assessment, an evidence item or a product.

Every free-text field is bounded: one pasted 2.4 MB INCI list once made a single report
render take minutes (a denial of service through the PDF renderer). The limits are generous
for real answers and stop pastes of whole documents; a longer text belongs in an uploaded
document. The model fields carry them (`max_length` for forms, a `MaxLengthValidator` so
`full_clean()` refuses too); docs/security.md lists them.
"""

from django.core.validators import MaxLengthValidator
from django.db import models

# Ingredient list (INCI) and the supplier's marketing claims.
INCI_MAX_CHARS = 20_000
CLAIMS_MAX_CHARS = 20_000
# The supplier's answers to the three questions, word for word.
SUPPLIER_ANSWER_MAX_CHARS = 10_000
# Notes and comments: the reviewer's comment, the sign-off statement, evidence notes.
NOTE_MAX_CHARS = 5_000


def max_chars(limit: int) -> list[MaxLengthValidator]:
    """The validators of a bounded text field (give the field `max_length=limit` too)."""
    return [MaxLengthValidator(limit)]


def bounded_text(verbose_name: str | None = None, *, limit: int, **kwargs) -> models.TextField:
    """An optional free-text field that holds at most `limit` characters: `max_length` for
    the forms (and the textarea's maxlength), a validator so `full_clean()` refuses more."""
    return models.TextField(
        verbose_name, blank=True, max_length=limit, validators=max_chars(limit), **kwargs
    )
