"""The save step every app's create/update services share: apply the caller's fields,
full_clean, save with the history's user and reason (django-simple-history).

No permission check and no transaction here: the service calling these does both.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

# django-simple-history's history_change_reason column (PostgreSQL refuses longer ones).
CHANGE_REASON_MAX_CHARS = 100


def fit_change_reason(reason: str) -> str:
    """`reason` within the history's column; a cut one ends in "…" so a reader sees it was cut."""
    if len(reason) <= CHANGE_REASON_MAX_CHARS:
        return reason
    return reason[: CHANGE_REASON_MAX_CHARS - 1] + "…"


def apply_fields(record: Any, fields: dict[str, Any], editable: tuple[str, ...]) -> list[str]:
    """Set `fields` on `record`; returns the names whose value changed. A name outside
    `editable` is a programming error, refused like an unexpected keyword argument."""
    unknown = sorted(set(fields) - set(editable))
    if unknown:
        raise TypeError(f"{type(record).__name__} has no editable field {', '.join(unknown)}")
    changed = []
    for name, value in fields.items():
        # Compared as stored (a foreign key by its id): an unset one is not fetched.
        new = value.pk if isinstance(value, models.Model) else value
        if record.serializable_value(name) != new:
            changed.append(name)
        setattr(record, name, value)
    return changed


def save_audited(record: Any, *, by: Any, reason: str, conflict: str) -> None:
    """full_clean, then save recording `by` and `reason` in the history. A unique constraint
    a concurrent save won after full_clean passed is reported as a ValidationError with the
    `conflict` sentence, never as a server error."""
    record._history_user = by
    record._change_reason = fit_change_reason(reason)
    record.full_clean()
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction stays usable
            record.save()
    except IntegrityError:
        raise ValidationError(conflict) from None
