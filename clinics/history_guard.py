"""History rows are written once and never changed or deleted from the app.

An audit trail that can be edited is no audit trail (MHRA GXP data integrity; 21 CFR 11.10(e)).
simple-history only ever inserts rows, so any save of an existing row or any delete through
the ORM is a bug or an attack, and fails loudly. The one tolerated update is simple-history's
own `update_change_reason()`, which fills in an empty reason on a row just written.
"""

from django.db.models.signals import pre_delete, pre_save
from simple_history.models import HistoricalChanges


class HistoryIsReadOnly(Exception):
    pass


def _is_history(instance) -> bool:
    return isinstance(instance, HistoricalChanges)


def refuse_history_edit(sender, instance, **kwargs):
    if not _is_history(instance) or instance._state.adding:
        return
    stored = type(instance)._default_manager.filter(pk=instance.pk).first()
    if stored is None:
        return
    if stored.history_change_reason:
        raise HistoryIsReadOnly(f"{sender.__name__} #{instance.pk} is part of the audit trail.")
    for f in type(instance)._meta.concrete_fields:
        if f.name == "history_change_reason":
            continue
        if getattr(stored, f.attname) != getattr(instance, f.attname):
            raise HistoryIsReadOnly(
                f"{sender.__name__} #{instance.pk} is part of the audit trail ({f.name})."
            )


def refuse_history_delete(sender, instance, **kwargs):
    if _is_history(instance):
        raise HistoryIsReadOnly(f"{sender.__name__} #{instance.pk} is part of the audit trail.")


def connect():
    pre_save.connect(refuse_history_edit, dispatch_uid="exocheck_history_read_only_save")
    pre_delete.connect(refuse_history_delete, dispatch_uid="exocheck_history_read_only_delete")
