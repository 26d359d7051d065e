"""The register's outline kept between requests (lifecycle/register_cache.py): the database
triggers that restamp a clinic on every write the register reads, and a cached register
that always agrees with one worked out afresh. Committed writes (transaction=True): the
stamp changes at commit on PostgreSQL, and the cache is never used inside a transaction."""

from datetime import date, timedelta
from importlib import import_module

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.models import Assessment, EvidenceItem
from clinics.models import ClinicStamp
from lifecycle.models import LifecycleSettings
from lifecycle.register import counts, register_page, row_cells
from products.models import ExosomeProduct
from suppliers.models import Supplier
from tests.factories import AssessmentFactory, EvidenceItemFactory, ProductFactory
from tests.lifecycle.support import signed_assessment
from tests.trigger_support import installed_triggers, restamp_triggers

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("restored_reference_data"),
]

TODAY = date(2026, 12, 1)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel("2026-12-01 09:00Z", tick=False):
        yield


def stamp_of(clinic) -> str | None:
    return ClinicStamp.objects.filter(clinic_id=clinic.pk).values_list("stamp", flat=True).first()


@pytest.fixture
def world(clinic):
    product = ProductFactory(clinic=clinic)
    draft = AssessmentFactory(product=product)
    return {"product": product, "draft": draft, "item": EvidenceItemFactory(assessment=draft)}


def _raw_update(table: str, pk: int) -> None:
    column = "name" if table == "products_exosomeproduct" else "id"
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = {column} WHERE id = %s", [pk])


CHANGES = {
    "a product added": lambda w: ProductFactory(clinic=w["product"].clinic),
    "a product renamed (save)": lambda w: ExosomeProduct.objects.filter(pk=w["product"].pk).update(
        name="Renamed serum"
    ),
    "a product touched by raw SQL": lambda w: _raw_update(
        "products_exosomeproduct", w["product"].pk
    ),
    "a supplier renamed": lambda w: Supplier.objects.filter(pk=w["product"].supplier_id).update(
        trading_name="New trading name"
    ),
    "an assessment started": lambda w: AssessmentFactory(product=w["product"]),
    "an assessment submitted (queryset update)": lambda w: Assessment.objects.filter(
        pk=w["draft"].pk
    ).update(status=Assessment.Status.SUBMITTED, submitted_at=timezone.now()),
    "a draft deleted": lambda w: w["draft"].delete(),
    "a document changed": lambda w: EvidenceItem.objects.filter(pk=w["item"].pk).update(
        expires_on=TODAY
    ),
    "a document removed": lambda w: w["item"].delete(),
    "the clinic renamed": lambda w: (
        type(w["product"].clinic)
        .objects.filter(pk=w["product"].clinic_id)
        .update(name="Renamed clinic")
    ),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_every_write_the_register_reads_restamps_that_clinic_only(
    clinic, other_clinic, world, change
):
    ProductFactory(clinic=other_clinic)
    before, other_before = stamp_of(clinic), stamp_of(other_clinic)
    assert before and other_before
    change(world)
    assert stamp_of(clinic) not in (None, before)
    assert stamp_of(other_clinic) == other_before


def test_a_write_that_rolls_back_leaves_the_stamp_as_it_was(clinic, world):
    before = stamp_of(clinic)
    with pytest.raises(RuntimeError), transaction.atomic():
        ProductFactory(clinic=clinic)
        raise RuntimeError("rolled back")
    assert stamp_of(clinic) == before


def test_the_counts_come_from_the_cache_until_something_changes(clinic):
    expired = ProductFactory(clinic=clinic)
    signed_assessment(expired, finalised=TODAY - timedelta(days=400))
    first = counts(clinic, today=TODAY)
    assert (first["expiring"], first["expired"]) == (0, 1)
    with CaptureQueriesContext(connection) as queries:
        assert counts(clinic, today=TODAY) == first
    assert len(queries) == 1  # the interval and the stamp; no product read

    soon = ProductFactory(clinic=clinic)
    signed_assessment(soon, finalised=TODAY - timedelta(days=30), expiries=(TODAY,))
    assert counts(clinic, today=TODAY) == {"expiring": 1, "expired": 1, "days": 30}
    # The next day is another key: the document that expired today counts as expired.
    assert counts(clinic, today=TODAY + timedelta(days=1))["expired"] == 2


def test_a_new_interval_is_read_at_once(clinic):
    product = ProductFactory(clinic=clinic)
    signed_assessment(product, finalised=TODAY - timedelta(days=200))
    assert counts(clinic, today=TODAY)["expired"] == 0
    LifecycleSettings.objects.create(clinic=clinic, reassessment_interval_months=6)
    assert counts(clinic, today=TODAY)["expired"] == 1


def test_inside_a_transaction_the_register_is_worked_out_afresh(clinic):
    counts(clinic, today=TODAY)  # cached: no product expired
    with transaction.atomic():
        product = ProductFactory(clinic=clinic)
        signed_assessment(product, finalised=TODAY - timedelta(days=400))
        assert counts(clinic, today=TODAY)["expired"] == 1  # its own write, not the cache
        transaction.set_rollback(True)
    assert counts(clinic, today=TODAY)["expired"] == 0


def test_without_a_stamp_the_register_is_never_cached(clinic):
    ProductFactory(clinic=clinic)
    ClinicStamp.objects.filter(clinic_id=clinic.pk).delete()
    with CaptureQueriesContext(connection) as first:
        before = counts(clinic, today=TODAY)
    with CaptureQueriesContext(connection) as second:
        assert counts(clinic, today=TODAY) == before
    assert len(second) == len(first) == 2  # the interval and stamp, then every product


FILTERS = ({}, {"status": "approved"}, {"status": "pending"}, {"expiring_within": 30})


def _register(clinic, today):
    """The register's pages (one per filter) and the dashboard's counts."""
    pages = [
        [row_cells(row) for row in register_page(clinic, f, today=today, number=1, per_page=50)]
        for f in FILTERS
    ]
    return pages, counts(clinic, today=today)


def _fresh(clinic, today):
    """The same, worked out without the cache (inside a transaction)."""
    with transaction.atomic():
        return _register(clinic, today)


def test_the_cached_register_agrees_with_a_fresh_one_through_a_day_of_changes(clinic):
    first, second = ProductFactory(clinic=clinic), ProductFactory(clinic=clinic)
    steps = [
        lambda: None,
        lambda: AssessmentFactory(product=first),
        lambda: signed_assessment(second, finalised=TODAY - timedelta(days=10)),
        lambda: Assessment.objects.filter(product=first).delete(),
        lambda: signed_assessment(first, finalised=TODAY, expiries=(TODAY + timedelta(5),)),
        lambda: ExosomeProduct.objects.filter(pk=second.pk).update(name="A renamed serum"),
        lambda: Supplier.objects.filter(pk=first.supplier_id).update(trading_name="Zed Labs"),
        lambda: signed_assessment(second, finalised=TODAY, verdict="not-permitted"),
        lambda: ProductFactory(clinic=clinic),
    ]
    for step in steps:
        step()
        for day in (TODAY, TODAY + timedelta(days=6)):
            assert _register(clinic, day) == _fresh(clinic, day)


def test_every_watched_table_has_its_triggers():
    """On SQLite a migration that rebuilds a table (most column changes do) drops the table's
    triggers: such a migration must create them again, and this fails until it does."""
    restamp = import_module("lifecycle.migrations.0004_register_stamp")
    assert restamp_triggers(restamp.WATCHED, restamp.EVENTS) <= installed_triggers()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's deferred triggers")
def test_on_postgresql_the_stamp_changes_when_the_write_commits(clinic):
    before = stamp_of(clinic)
    with transaction.atomic():
        ProductFactory(clinic=clinic)
        assert stamp_of(clinic) == before
    assert stamp_of(clinic) not in (None, before)
