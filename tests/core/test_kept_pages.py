"""Pages kept between requests under the clinic's stamp (clinics/kept.py, `{% kept %}`):
a kept page is read without its queries, always agrees with one worked out afresh after any
change, never crosses clinics, and never keeps a form. Committed writes (transaction=True):
nothing is kept inside a transaction."""

import re
from importlib import import_module

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import clinics.kept
from assessments.models import Assessment
from assessments.services.evidence_checks import mark_checked
from clinics.kept import code_version, kept, kept_key
from clinics.models import ClinicStamp, Membership, Role
from exports.models import ExportJob
from lifecycle.models import LifecycleSettings
from products.models import CellStatus, EvidenceType, ExosomeProduct, Route, SourceCategory
from suppliers.models import Supplier
from tests.factories import AssessmentFactory, EvidenceItemFactory, ProductFactory, log_in
from tests.trigger_support import installed_triggers, restamp_triggers

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("restored_reference_data"),
]

LIST = reverse("assessments:list")
EXPORTS = reverse("exports:register")
REVIEW = reverse("assessments:review_queue")
REGISTER = reverse("lifecycle:register")
DASHBOARD = "/"
DETAIL = "/assessments/{submitted}/"  # the world's submitted assessment
PRODUCTS = reverse("products:list")
SUPPLIERS = reverse("suppliers:list")
KEPT_PAGES = [
    PRODUCTS,
    f"{PRODUCTS}?source=plant",
    SUPPLIERS,
    f"{EXPORTS}?status=submitted",
    f"{REGISTER}?expiring_within=abc",
    LIST,
    f"{LIST}?q=Kept",
    f"{LIST}?status=draft",
    EXPORTS,
    REVIEW,
    REGISTER,
    DASHBOARD,
    DETAIL,
]


@pytest.fixture
def world(clinic, manager, clinician):
    product = ProductFactory(clinic=clinic, name="Kept Serum")
    return {
        "manager": manager,
        "product": product,
        "draft": AssessmentFactory(product=product, created_by=manager),
        "submitted": AssessmentFactory(product=product, created_by=clinician, submitted=True),
        "job": ExportJob.objects.create(
            clinic=clinic,
            requested_by=manager,
            kind=ExportJob.Kind.REGISTER_CSV,
            status=ExportJob.Status.RUNNING,
            progress_total=400,
        ),
    }


def export_requested(world):
    job = world["job"]
    ExportJob.objects.create(clinic=job.clinic, requested_by=job.requested_by, progress_total=3)


def stable(response) -> str:
    """A whole page without what changes on every request (its CSRF tokens and nonces)."""
    html = response.content.decode()
    html = re.sub(r'(name="csrfmiddlewaretoken" value=)"[^"]*"', r"\1", html)
    return re.sub(r'nonce="[^"]*"', "nonce", html)


def table(response) -> str:
    """The rows' part of a page (the rest holds the per-request CSP nonce and CSRF token)."""
    html = response.content.decode()
    found = re.search(r'<table.*</table>|<div class="empty-state">.*?</div>', html, re.S)
    assert found, html
    return found.group(0)


def fresh(client, path: str, monkeypatch) -> str:
    with monkeypatch.context() as patched:
        patched.setattr(clinics.kept, "keeping_possible", lambda: False)
        return stable(client.get(path))


@pytest.mark.parametrize("path", KEPT_PAGES)
def test_a_kept_page_runs_fewer_queries_and_is_the_same_page(
    manager_client, world, path, monkeypatch
):
    path = path.format(submitted=world["submitted"].pk)
    first = manager_client.get(path)
    with CaptureQueriesContext(connection) as again:
        second = manager_client.get(path)
    with CaptureQueriesContext(connection) as afresh:
        expected = fresh(manager_client, path, monkeypatch)
    assert stable(first) == stable(second) == expected
    shown = world["product"].supplier.legal_name if path == SUPPLIERS else "Kept Serum"
    assert shown in expected
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
    "the submitter renamed": lambda w: (
        type(w["submitted"].created_by)
        .objects.filter(pk=w["submitted"].created_by_id)
        .update(first_name="Renamed", last_name="Clinician")
    ),
    "a source category renamed": lambda w: SourceCategory.objects.filter(
        pk=w["product"].source_category_id
    ).update(name="Renamed category"),
    "a document added": lambda w: EvidenceItemFactory(assessment=w["submitted"]),
    "a document checked": lambda w: mark_checked(
        evidence=EvidenceItemFactory(assessment=w["submitted"]), by=w["manager"]
    ),
    "an export requested": export_requested,
    "an export moved on": lambda w: ExportJob.objects.filter(pk=w["job"].pk).update(
        progress_done=200
    ),
    "an export finished": lambda w: ExportJob.objects.filter(pk=w["job"].pk).update(
        status=ExportJob.Status.DONE, progress_done=400, finished_at=timezone.now()
    ),
}


@pytest.mark.parametrize(
    "path", [LIST, EXPORTS, REVIEW, REGISTER, DASHBOARD, DETAIL, PRODUCTS, SUPPLIERS]
)
@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_after_any_change_the_kept_page_agrees_with_a_fresh_one(
    manager_client, world, change, path, monkeypatch
):
    path = path.format(submitted=world["submitted"].pk)
    manager_client.get(path)  # kept
    change(world)
    assert stable(manager_client.get(path)) == fresh(manager_client, path, monkeypatch)


# Where each change shows (the list does not show people or source categories).
SHOWN_ON = {
    "the submitter renamed": REVIEW,
    "a source category renamed": DASHBOARD,
    "a document added": DETAIL,
    "a document checked": DETAIL,
    "an export requested": EXPORTS,
    "an export moved on": EXPORTS,
    "an export finished": EXPORTS,
}


@pytest.mark.parametrize("name", CHANGES)
def test_each_change_shows_on_a_page_that_was_kept(manager_client, world, name):
    path = SHOWN_ON.get(name, LIST).format(submitted=world["submitted"].pk)
    before = stable(manager_client.get(path))
    CHANGES[name](world)
    assert stable(manager_client.get(path)) != before


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


# --- What else restamps a clinic: its people and the shared reference data -----------------


def stamps() -> dict[int, str]:
    return dict(ClinicStamp.objects.values_list("clinic_id", "stamp"))


def test_a_members_new_name_restamps_their_clinics_only(clinic, other_clinic, manager):
    ProductFactory(clinic=other_clinic)  # both clinics have a stamp
    before = stamps()
    manager.first_name = "Renamed"
    manager.save()
    after = stamps()
    assert after[clinic.pk] != before[clinic.pk]
    assert after[other_clinic.pk] == before[other_clinic.pk]


def test_a_log_in_restamps_nothing(clinic, manager):
    from django.contrib.auth.models import update_last_login

    before = stamps()
    update_last_login(None, manager)  # what every log-in writes: last_login only
    assert stamps() == before


def test_a_membership_change_restamps_its_clinic_only(clinic, other_clinic, manager):
    ProductFactory(clinic=other_clinic)
    before = stamps()
    Membership.objects.filter(user=manager, clinic=clinic).update(role=Role.CLINICIAN)
    after = stamps()
    assert after[clinic.pk] != before[clinic.pk]
    assert after[other_clinic.pk] == before[other_clinic.pk]


def test_a_new_interval_restamps_its_clinic(clinic):
    before = stamps()
    LifecycleSettings.objects.create(clinic=clinic, reassessment_interval_months=6)
    assert stamps()[clinic.pk] != before[clinic.pk]


@pytest.mark.parametrize("model", [SourceCategory, CellStatus, Route, EvidenceType])
def test_a_reference_name_change_restamps_every_clinic(clinic, other_clinic, model):
    ProductFactory(clinic=other_clinic)
    before = stamps()
    row = model.objects.first()
    row.name = f"{row.name} (renamed)"
    row.save()
    after = stamps()
    assert all(after[pk] != before[pk] for pk in (clinic.pk, other_clinic.pk))


def test_export_jobs_restamp_their_clinic():
    """On SQLite a migration that rebuilds the jobs' table drops its triggers: this fails
    until that migration adds them again."""
    jobs = import_module("exports.migrations.0003_restamp_clinic")
    assert restamp_triggers(jobs.PER_CLINIC, jobs.EVENTS) <= installed_triggers()


def test_every_watched_people_and_reference_table_has_its_triggers():
    """As in tests/lifecycle/test_register_cache.py: on SQLite a migration that rebuilds one
    of these tables drops its triggers, and this fails until that migration adds them again."""
    more = import_module("lifecycle.migrations.0006_restamp_people_and_reference")
    expected = restamp_triggers([more.USER], ["UPDATE"]) | restamp_triggers(
        (*more.PER_CLINIC, *more.REFERENCE), more.EVENTS
    )
    assert expected <= installed_triggers()


def test_the_assessment_page_is_kept_for_the_day_only(manager, world):
    """A never-evaluated assessment reads its checklist as of today."""
    path = DETAIL.format(submitted=world["submitted"].pk)
    # Twenty minutes apart, either side of midnight (UK time): the session stays open.
    with time_machine.travel("2026-12-01 23:50Z", tick=False):
        manager_client = log_in(Client(), manager)  # a session of that evening
        manager_client.get(path)
        with CaptureQueriesContext(connection) as same_day:
            manager_client.get(path)
    next_day_clock = time_machine.travel("2026-12-02 00:10Z", tick=False)
    with next_day_clock, CaptureQueriesContext(connection) as next_day:
        response = manager_client.get(path)
    assert response.status_code == 200

    def reads_documents(queries) -> bool:  # only a page worked out afresh reads them
        return any('FROM "assessments_evidenceitem"' in q["sql"] for q in queries)

    assert not reads_documents(same_day.captured_queries)
    assert reads_documents(next_day.captured_queries)


def test_the_stamp_is_read_with_the_membership_and_the_navbars_counts(manager_client, world):
    """A kept list page: the session, the user, the authenticator, and one query for the
    membership, the navbar's counts and the stamp together (clinics/middleware.py reads them
    along with the membership; clinics.kept.read_stamp_with)."""
    manager_client.get(LIST)
    with CaptureQueriesContext(connection) as kept_run:
        assert "Kept Serum" in manager_client.get(LIST).content.decode()
    sqls = [query["sql"] for query in kept_run.captured_queries]
    assert not any(sql.startswith('SELECT "lifecycle_registerstamp"') for sql in sqls)
    together = [sql for sql in sqls if '"lifecycle_registerstamp"' in sql and "count(" in sql]
    assert len(together) == 1 and '"clinics_membership"' in together[0]
    assert len(sqls) == 4


def test_the_menu_is_kept_per_page_and_its_log_out_form_is_outside(manager_client, world):
    for _ in range(2):  # worked out, then kept
        for path, active in ((LIST, "Assessments"), (SUPPLIERS, "Suppliers")):
            html = manager_client.get(path).content.decode()
            assert re.findall(r'class="nav-link active"[^>]*>([^<]+)</a>', html) == [active]
            form = re.search(r'<form id="logout-form".*?</form>', html, re.S).group(0)
            assert 'name="csrfmiddlewaretoken"' in form
            button = re.search(r"<button[^>]*>Log out</button>", html).group(0)
            assert 'form="logout-form"' in button
