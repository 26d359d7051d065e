"""Putting a service's refusal back on the form that asked for it."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def add_service_error(form, error: Exception) -> None:
    """Show `error` on `form` (a bound, valid form whose data a service refused), keeping
    what was typed. A ValidationError's messages go next to the fields they name when the
    form has them, at the top otherwise; any other refusal is shown by its message."""
    if not isinstance(error, ValidationError):
        form.add_error(None, str(error))
        return
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        target = field if field in form.fields and field != NON_FIELD_ERRORS else None
        form.add_error(target, messages)
