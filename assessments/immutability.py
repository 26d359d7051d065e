"""Signed records are never altered or deleted.

A finalised assessment is the clinic's record (MHRA GXP data integrity; 21 CFR 11.10(a),
11.10(e)): it and its evidence items stay exactly as signed. Three layers refuse a change:

1. The admin (assessments/admin.py): finalised records and their evidence are read-only,
   with no delete and no bulk delete; workflow and signature fields are read-only always.
2. The models (this module, wired in by assessments/models.py): `save()` of an assessment
   whose row *as stored* is finalised, `save()` of an evidence item of a finalised
   assessment (or moving one into it), `delete()` of either (cascades included), and
   `QuerySet.update()` / `QuerySet.delete()` over such rows all raise `RecordLocked`. The
   sign-off service's own save is allowed: the stored row is still "submitted" then.
3. On PostgreSQL, triggers (migration 0004_finalised_records_triggers) refuse UPDATE and
   DELETE of those rows whatever issued them: raw SQL, a shell, a bug below the ORM.

The one way to remove a finalised record is retention erasure
(assessments/services/retention.py), which runs inside `allow_erasure()`: deletes only, only
within that block (one transaction), only on this thread; the triggers honour the same
permission through a transaction-local setting.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Q

from assessments.errors import AssessmentLocked

FINALISED = "finalised"
# Read by the PostgreSQL triggers with current_setting(..., true); set only with SET LOCAL
# (set_config(..., true)), so it can never outlive the erasure's transaction.
ERASURE_SETTING = "exocheck.allow_erasure"


class RecordLocked(AssessmentLocked):
    """A finalised assessment, or evidence of one, was about to be changed or deleted."""

    default_message = (
        "This assessment is finalised: it and its documents cannot be changed or deleted. "
        "Start a new version to correct it."
    )


_erasing: ContextVar[bool] = ContextVar("exocheck_retention_erasure", default=False)


def erasure_allowed() -> bool:
    """True only inside `allow_erasure()`: deletes of finalised records are then allowed."""
    return _erasing.get()


def _set_database_flag(using: str, value: str) -> None:
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        # is_local=true: SET LOCAL, undone at the end of the transaction (or savepoint).
        cursor.execute("SELECT set_config(%s, %s, true)", [ERASURE_SETTING, value])


@contextmanager
def allow_erasure(*, using: str = DEFAULT_DB_ALIAS):
    """Lift the guard for deletes (never updates) of finalised records, inside one
    transaction. Only assessments/services/retention.py calls this, after checking who asks
    and why, and it records the erasure."""
    with transaction.atomic(using=using):
        token = _erasing.set(True)
        try:
            _set_database_flag(using, "on")
            yield
            # Reset at once: the rest of a caller's transaction is guarded again. (On an
            # exception the savepoint's rollback undoes the SET LOCAL by itself.)
            _set_database_flag(using, "off")
        finally:
            _erasing.reset(token)


def _refuse(message: str):
    raise RecordLocked(message)


def _assessment_model():
    # By name from the app registry: assessments.models imports this module, not the reverse.
    from django.apps import apps

    return apps.get_model("assessments", "Assessment")


def stored_as_finalised(model, pk) -> bool:
    """Whether the row `pk` of the Assessment table is finalised in the database now."""
    return model._base_manager.filter(pk=pk, status=FINALISED).exists()


def refuse_finalised_assessment_update(assessment) -> None:
    """Called by Assessment._do_update when the guarded UPDATE matched no row: if the row
    exists and is finalised, the save was a change to a signed record."""
    if stored_as_finalised(type(assessment), assessment.pk):
        _refuse(
            f"Assessment {assessment.pk} is finalised and cannot be changed. "
            "Start a new version to correct it."
        )


def check_assessment_delete(assessment) -> None:
    if assessment.pk is None or erasure_allowed():
        return
    if stored_as_finalised(type(assessment), assessment.pk):
        _refuse(
            f"Assessment {assessment.pk} is finalised and cannot be deleted. A finalised "
            "record is removed only by retention erasure."
        )


def check_evidence_write(item, *, deleting: bool = False) -> None:
    """Refuse a save or delete of an evidence item whose assessment is finalised: the one
    it belongs to as stored, or (on save) the one it is being attached to."""
    if deleting and erasure_allowed():
        return
    assessment_model = _assessment_model()
    belongs = Q(pk=item.assessment_id) if item.assessment_id is not None else Q(pk__in=[])
    if item.pk is not None:
        belongs |= Q(evidence_items__pk=item.pk)
    if assessment_model._base_manager.filter(belongs, status=FINALISED).exists():
        verb = "deleted" if deleting else "changed or added"
        _refuse(
            f"Evidence of a finalised assessment cannot be {verb} (evidence item "
            f"{item.pk or 'new'}, assessment {item.assessment_id})."
        )


def check_assessment_queryset(queryset, verb: str) -> None:
    """QuerySet.update()/delete() over assessments: refuse if any matched row is finalised."""
    if verb == "deleted" and erasure_allowed():
        return
    if queryset.filter(status=FINALISED).exists():
        _refuse(f"Finalised assessments cannot be {verb}: remove them from the selection.")


def check_evidence_queryset(queryset, verb: str, *, moving_to=None) -> None:
    """QuerySet.update()/delete() over evidence items: refuse if any belongs to a finalised
    assessment, or (update) if the update moves items into one."""
    if verb == "deleted" and erasure_allowed():
        return
    if queryset.filter(assessment__status=FINALISED).exists():
        _refuse(f"Evidence of finalised assessments cannot be {verb}.")
    if moving_to is not None:
        target = getattr(moving_to, "pk", moving_to)
        if stored_as_finalised(_assessment_model(), target):
            _refuse("Evidence cannot be moved into a finalised assessment.")


def refuse_finalised_delete(sender, instance, **kwargs) -> None:
    """pre_delete receiver: every delete of an instance, cascades included (the collector
    sends it for each row it is about to delete)."""
    if sender is _assessment_model():
        check_assessment_delete(instance)
    else:
        check_evidence_write(instance, deleting=True)
