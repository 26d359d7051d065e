"""A reviewer's "checked" mark on one document of a submitted assessment.

The practice manager opens each document on the review page and marks it checked; the page
shows who checked it and when, and the sign-off panel counts them ("7 of 9 documents
checked"). A mark is a note of the review, not a condition of signing. It is written only by
assessments/services/evidence_checks.py (Action.REVIEW, audited) and only while the
assessment is submitted.

Once the assessment is finalised its marks are part of the record, guarded like its evidence
(assessments/immutability.py): save(), delete() (cascades included), QuerySet.update() and
QuerySet.delete() raise RecordLocked, and on PostgreSQL a trigger (migration
evidence_checks) refuses the same whatever issues the statement. Retention erasure, inside
`allow_erasure()`, may delete them with their assessment.

The model lives here and is imported by assessments/models.py; it names EvidenceItem by
string, so this module never imports models.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models.signals import pre_delete
from django.utils import timezone
from simple_history.models import HistoricalRecords

from assessments import immutability
from clinics.models import Clinic
from clinics.querysets import ClinicOwnedQuerySet


def _finalised_assessments():
    return apps.get_model("assessments", "Assessment")._base_manager.filter(
        status=immutability.FINALISED
    )


def _refuse(verb: str):
    raise immutability.RecordLocked(
        f"The checks on a finalised assessment's documents are part of its record: they "
        f"cannot be {verb}."
    )


def refuse_if_finalised(evidence_item_id, verb: str) -> None:
    """RecordLocked if the document's assessment is finalised in the database now."""
    if _finalised_assessments().filter(evidence_items__pk=evidence_item_id).exists():
        _refuse(verb)


class EvidenceCheckQuerySet(ClinicOwnedQuerySet):
    def _any_finalised(self) -> bool:
        return _finalised_assessments().filter(evidence_items__review_check__in=self).exists()

    def update(self, **kwargs):
        if self._any_finalised():
            _refuse("changed")
        return super().update(**kwargs)

    update.alters_data = True

    def delete(self):
        if not immutability.erasure_allowed() and self._any_finalised():
            _refuse("removed")
        return super().delete()

    delete.queryset_only = True
    delete.alters_data = True


class EvidenceCheck(models.Model):
    """One document marked as checked by a reviewer: who, and when."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    evidence_item = models.OneToOneField(
        "assessments.EvidenceItem", on_delete=models.CASCADE, related_name="review_check"
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = EvidenceCheckQuerySet.as_manager()

    class Meta:
        app_label = "assessments"
        ordering = ["checked_at"]

    def __str__(self):
        return f"{self.evidence_item} checked by {self.checked_by}"

    def save(self, *args, **kwargs):
        refuse_if_finalised(self.evidence_item_id, "added or changed")
        super().save(*args, **kwargs)


def _refuse_finalised_check_delete(sender, instance, **kwargs) -> None:
    """pre_delete: every delete of a mark, a cascade from its document or clinic included."""
    if not immutability.erasure_allowed():
        refuse_if_finalised(instance.evidence_item_id, "removed")


pre_delete.connect(
    _refuse_finalised_check_delete,
    sender=EvidenceCheck,
    dispatch_uid="exocheck_refuse_finalised_evidence_check_delete",
)


@dataclass(frozen=True)
class CheckCount:
    """How many of an assessment's documents on file are marked checked."""

    checked: int
    total: int

    @property
    def complete(self) -> bool:
        return self.checked == self.total

    def __str__(self) -> str:
        noun = "document" if self.total == 1 else "documents"
        return f"{self.checked} of {self.total} {noun} checked"


def attach_checks(items: Iterable) -> CheckCount:
    """Give each evidence item its `mark` (its EvidenceCheck, or None) in one query, and
    count the documents on file (not those the supplier refused) that are checked."""
    items = list(items)
    on_file = [item for item in items if item.provided]
    marks = {
        mark.evidence_item_id: mark
        for mark in EvidenceCheck.objects.filter(evidence_item__in=on_file).select_related(
            "checked_by"
        )
    }
    for item in items:
        item.mark = marks.get(item.pk)
    return CheckCount(checked=len(marks), total=len(on_file))
