"""Helpers shared by the immutability tests."""

from contextlib import contextmanager

import pytest
from django.db import connection, transaction
from django.test import RequestFactory
from django.urls import reverse

from assessments.immutability import RecordLocked
from assessments.models import Assessment, EvidenceItem

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the triggers are PostgreSQL only; on SQLite the model guard is the protection",
)


@contextmanager
def refused():
    """RecordLocked, in a savepoint: a refused write inside save() or delete() marks the
    transaction it ran in for rollback, as any database error would."""
    with pytest.raises(RecordLocked), transaction.atomic():
        yield


def stored(assessment) -> dict:
    return Assessment.objects.filter(pk=assessment.pk).values().get()


def stored_evidence(assessment) -> list[dict]:
    return list(EvidenceItem.objects.filter(assessment=assessment).order_by("pk").values())


def admin_url(obj, view="change") -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk])


def admin_request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request
