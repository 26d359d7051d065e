"""Writes made through the API are audited twice over, with the token's name:

- an ApiAuditEvent per write request (who, which token, what, the outcome), and
- in the records' own history (django-simple-history): while a token's request runs, each
  history row's change reason says which token made it, so the history pages a clinic
  already reads show "API token “Stock system”" beside the user.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from simple_history.signals import pre_create_historical_record

from core.saving import fit_change_reason

SHOWN_NAME_CHARS = 40
_current_token = ContextVar("api_token", default=None)


@contextmanager
def acting_with(token):
    """Mark the history rows written inside the block as made with `token`."""
    reset = _current_token.set(token)
    try:
        yield
    finally:
        _current_token.reset(reset)


def _name_token(sender, history_instance, **kwargs):
    token = _current_token.get()
    if token is None:
        return
    name = token.name if len(token.name) <= SHOWN_NAME_CHARS else token.name[:39] + "…"
    reason = history_instance.history_change_reason or ""
    tagged = f"API token “{name}”" + (f": {reason}" if reason else "")
    history_instance.history_change_reason = fit_change_reason(tagged)


def connect() -> None:
    pre_create_historical_record.connect(_name_token, dispatch_uid="api-token-history-reason")
