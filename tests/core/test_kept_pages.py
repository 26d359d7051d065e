"""Pages kept between requests under the clinic's stamp (clinics/kept.py, `{% kept %}`):
a kept page is read without its queries, always agrees with one worked out afresh after any
change, never crosses clinics, and never keeps a form. Committed writes (transaction=True):
nothing is kept inside a transaction."""

import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import clinics.kept
from assessments.models import Assessment
from assessments.reference import sync_reference_data
from clinics.kept import code_version, kept, kept_key
from clinics.models import ClinicStamp
from products.models import ExosomeProduct
from suppliers.models import Supplier
from tests.factories import AssessmentFactory, ProductFactory, log_in

pytestmark = pytest.mark.django_db(transaction=True)

LIST = reverse("assessments:list")
EXPORTS = reverse("exports:register")


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    sync_reference_data()  # an earlier transactional test's flush emptied it


@pytest.fixture
def world(clinic, manager):
    product = ProductFactory(clinic=clinic, name="Kept Serum")
    return {"product": product, "draft": AssessmentFactory(product=product, created_by=manager)}


def table(response) -> str:
    """The rows' part of a page (the rest holds the per-request CSP nonce and CSRF token)."""
    html = response.content.decode()
    found = re.search(r'<table.*</table>|<div class="empty-state">.*?</div>', html, re.S)
    assert found, html
    return found.group(0)


def fresh(client, path: str, monkeypatch) -> str:
    with monkeypatch.context() as patched:
        patched.setattr(clinics.kept, "can_keep", lambda stamp: False)
        return table(client.get(path))


@pytest.mark.parametrize("path", [LIST, f"{LIST}?q=Kept", f"{LIST}?status=draft", EXPORTS])
def test_a_kept_page_runs_fewer_queries_and_shows_the_same_rows(
    manager_client, world, path, monkeypatch
):
    first = manager_client.get(path)
    with CaptureQueriesContext(connection) as again:
        second = manager_client.get(path)
    with CaptureQueriesContext(connection) as afresh:
        expected = fresh(manager_client, path, monkeypatch)
    assert table(first) == table(second) == expected
    assert "Kept Serum" in expected
    assert len(again) < len(afresh)


CHANGES = {
    "a product renamed": lambda w: ExosomeProduct.objects.filter(pk=w["product"].pk).update(
        name="Renamed Serum"
    ),
    "a supplier renamed": lambda w: Supplier.objects.filter(pk=w["product"].supplier_id).update(
        trading_name="New Trading"
    ),
    "an assessment started": lambda w: AssessmentFactory(product=w["product"], batch_lot="NEW-1"),
    "an assessment submitted": lambda w: Assessment.objects.filter(pk=w["draft"].pk).update(
        status=Assessment.Status.SUBMITTED, submitted_at=timezone.now()
    ),
    "a draft deleted": lambda w: w["draft"].delete(),
}


@pytest.mark.parametrize("path", [LIST, EXPORTS])
@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_after_any_change_the_kept_page_agrees_with_a_fresh_one(
    manager_client, world, change, path, monkeypatch
):
    before = table(manager_client.get(path))
    change(world)
    after = table(manager_client.get(path))
    assert after != before
    assert after == fresh(manager_client, path, monkeypatch)


def test_each_clinic_keeps_its_own_page(
    manager_client, world, other_clinic, other_manager, monkeypatch
):
    ProductFactory(clinic=other_clinic, name="Other Clinic Serum")
    AssessmentFactory(product=ExosomeProduct.objects.get(name="Other Clinic Serum"))
    other_client = log_in(Client(), other_manager)
    for _ in range(2):  # the second time from the cache
        mine, theirs = table(manager_client.get(LIST)), table(other_client.get(LIST))
        assert "Kept Serum" in mine and "Other Clinic Serum" not in mine
        assert "Other Clinic Serum" in theirs and "Kept Serum" not in theirs


def test_without_a_stamp_nothing_is_kept(manager_client, world, clinic):
    manager_client.get(LIST)
    with CaptureQueriesContext(connection) as kept_run:
        manager_client.get(LIST)
    ClinicStamp.objects.filter(clinic_id=clinic.pk).delete()
    with CaptureQueriesContext(connection) as unkept:
        manager_client.get(LIST)
    with CaptureQueriesContext(connection) as unkept_again:
        manager_client.get(LIST)
    assert len(unkept) == len(unkept_again) > len(kept_run)


def test_inside_a_transaction_the_work_is_done_afresh(clinic, world):
    calls = []
    stamp = ClinicStamp.objects.get(clinic_id=clinic.pk).stamp

    def work():
        calls.append(1)
        return "value"

    kept("probe", clinic_id=clinic.pk, stamp=stamp, work=work)
    kept("probe", clinic_id=clinic.pk, stamp=stamp, work=work)
    assert len(calls) == 1
    with transaction.atomic():
        kept("probe", clinic_id=clinic.pk, stamp=stamp, work=work)
    assert len(calls) == 2


def test_the_key_holds_the_code_the_clinic_the_stamp_and_the_time_zone(clinic):
    key = kept_key("probe", clinic_id=clinic.pk, stamp="abc", parts=("?q=x",))
    assert key.startswith(f"kept:probe:{code_version()}:{clinic.pk}:abc:")
    assert key != kept_key("probe", clinic_id=clinic.pk, stamp="abc", parts=("?q=y",))
    assert key != kept_key("probe", clinic_id=clinic.pk + 1, stamp="abc", parts=("?q=x",))


def test_a_fragment_holding_a_form_is_refused(clinic, manager):
    template = Template('{% load kept %}{% kept "form" %}{% csrf_token %}{% endkept %}')
    request = RequestFactory().get("/")
    request.clinic, request.user, request.META["CSRF_COOKIE"] = clinic, manager, "x" * 32
    with pytest.raises(ImproperlyConfigured, match="holds a form"):
        template.render(Context({"request": request, "csrf_token": "t" * 64}))


def test_the_export_forms_controls_name_the_form_outside_the_kept_rows(manager_client, world):
    html = manager_client.get(EXPORTS).content.decode()
    form = re.search(r'<form id="reports-zip".*?</form>', html, re.S).group(0)
    assert 'name="csrfmiddlewaretoken"' in form
    buttons = re.findall(r'<button[^>]*name="scope"[^>]*>', html)
    assert len(buttons) == 2 and all('form="reports-zip"' in button for button in buttons)
